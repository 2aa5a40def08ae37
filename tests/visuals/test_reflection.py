"""reflection: the image drawn, read back from the mobjects, against the closed-form Householder reflection."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import build
from .test_data_and_checks import lecture, problems


def coords(v, point) -> np.ndarray:
    return np.asarray(v.axes.p2c(point), dtype=float)


def householder(plane) -> np.ndarray:
    n = np.cross(*np.asarray(plane, dtype=float))
    n /= np.linalg.norm(n)
    return np.eye(3) - 2 * np.outer(n, n)


@pytest.mark.parametrize("params", [
    {"plane": [[1, 1, 0], [0, 1, 1]]},
    {"plane": [[2, 0, 1], [0, 3, -1]], "shape": "letter", "position": [1, 1, 1.5], "size": 0.8},
    {"plane": [[1, 0, 0], [0, 1, 0]], "position": [0.5, 0.5, 1]},
])
def test_image_vertices_are_the_householder_reflection_of_the_shape(params):
    v, _, steps = build("reflection", params)
    H = householder(params["plane"])
    shape = np.array([coords(v, d.get_center()) for d in v.solid.vertices])
    image = np.array([coords(v, d.get_center()) for d in v.image.vertices])
    assert image == pytest.approx(shape @ H.T, abs=1e-6)
    # each vertex travels along the normal and crosses the mirror half way
    n = np.cross(*np.asarray(params["plane"], dtype=float))
    for line, foot in zip(v.paths, v.feet):
        a, b = coords(v, line.get_start()), coords(v, line.get_end())
        assert np.linalg.norm(np.cross(b - a, n)) < 1e-6
        assert abs(coords(v, foot.get_center()) @ n) < 1e-6
    assert all(steps[b] for b in v.beat_names())


def test_drawn_normal_and_basis_are_orthonormal_and_agree_with_the_cross_product():
    plane = [[2, 0, 1], [0, 3, -1]]
    v, _, _ = build("reflection", {"plane": plane})
    E = np.array([coords(v, a[0].get_end()) for a in v.e_arrows]).T  # columns e1, e2, n as drawn
    assert E.T @ E == pytest.approx(np.eye(3), abs=1e-6)
    n = np.cross(*np.asarray(plane, dtype=float))
    assert abs(E[:, 2] @ n / np.linalg.norm(n)) == pytest.approx(1.0, abs=1e-6)
    # E T_E E⁻¹ as shown on the panel is the Householder matrix
    assert v.shown["matrix"] == pytest.approx(householder(plane))


def test_a_mirror_needs_two_independent_vectors(tmp_path):
    [message] = problems(lecture(tmp_path, """
        kind: reflection
        plane: [[1, 2, 3], [2, 4, 6]]
        """))
    assert "lecture.yaml:7:" in message and "dependent" in message
