"""span_3d: the plane drawn is the span of the two vectors, its normal agrees with the cross product."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import build
from .test_data_and_checks import lecture, problems


def coords(v, point) -> np.ndarray:
    return np.asarray(v.axes.p2c(point), dtype=float)


@pytest.mark.parametrize("vectors", [[[2, 0, 1], [0, 2, 1]], [[1, 2, 3], [-2, 1, 0]], [[3, 0, 0], [1, 1, 0]]])
def test_normal_agrees_with_the_cross_product_and_the_plane_contains_the_span(vectors):
    u, w = np.asarray(vectors, dtype=float)
    v, _, steps = build("span_3d", {"vectors": vectors, "show_normal": True, "combination": [1, -1]})
    cross = np.cross(u, w)
    cross /= np.linalg.norm(cross)
    n = coords(v, v.normal_arrow[0].get_end())
    n /= np.linalg.norm(n)
    assert abs(n @ cross) == pytest.approx(1.0, abs=1e-6)  # the same line, either way along it
    # every corner of the patch and every rule's end lies in the plane (at right angles to the cross product)
    points = [*v.plane.get_vertices(), *(line.get_start() for line in v.plane_grid),
              *(line.get_end() for line in v.plane_grid)]
    assert max(abs(coords(v, p) @ cross) for p in points) < 1e-6
    # the combination u - w ends where it should, reached tip to tail
    assert coords(v, v.combo_arrow[0].get_end()) == pytest.approx(u - w, abs=1e-6)
    assert coords(v, v.combo_parts[0][0].get_end()) == pytest.approx(u, abs=1e-6)
    assert all(steps[b] for b in ("show_axes", "show_vectors", "show_plane", "show_combination", "show_normal"))


def test_arrows_end_at_the_vectors_and_a_third_vector_is_placed_in_or_off_the_plane():
    v, _, _ = build("span_3d", {"vectors": [[2, 0, 1], [0, 2, 1], [2, 4, 3], [1, 1, 3]]})
    for arrow, want in zip(v.arrows, v.params.vectors):
        assert coords(v, arrow[0].get_end()) == pytest.approx(want, abs=1e-6)
    assert v.shown["in2"] == pytest.approx([1, 2])  # [2, 4, 3] = u + 2v, solved independently:
    assert np.linalg.lstsq(np.array([[2, 0, 1], [0, 2, 1]], float).T, [2, 4, 3], rcond=None)[0] \
        == pytest.approx([1, 2])
    assert v.shown["in3"] is None  # [1, 1, 3] is not a combination of u and v


def test_a_plane_needs_two_independent_vectors(tmp_path):
    [message] = problems(lecture(tmp_path, """
        kind: span_3d
        vectors: [[1, 2, 3]]
        """))
    assert "lecture.yaml:7:" in message and "two vectors" in message
    [message] = problems(lecture(tmp_path, """
        kind: span_3d
        vectors: [[1, 2, 3], [2, 4, 6]]
        """))
    assert "do not span a plane" in message
