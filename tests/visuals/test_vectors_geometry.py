"""The vectors kind's lengths, angle and vector projection, read back from the mobjects against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from .conftest import build


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


def tex_of(mob) -> str:
    return mob.tex_string if hasattr(mob, "tex_string") else " ".join(tex_of(m) for m in mob.submobjects)


def test_lengths_are_pythagoras_with_their_legs_drawn():
    v, _, steps = build("vectors", {"vectors": [[3, 1], [-1, 2]], "modulus": True, "show_sum": False},
                        draw_text=True)
    assert steps["show_length"]
    for i, (x, y) in enumerate([(3, 1), (-1, 2)]):
        assert v.shown["lengths"][i] == pytest.approx(math.hypot(x, y))
        across, up = v.legs[i]
        assert np.allclose(coords(v.plane, across.get_start()), [0, 0], atol=1e-6)
        assert np.allclose(coords(v.plane, across.get_end()), [x, 0], atol=1e-6)
        assert np.allclose(coords(v.plane, up.get_end()), [x, y], atol=1e-6)
    assert tex_of(v.panel_lines["len0"]).endswith(r"\sqrt{3^2 + 1^2} = 3.16")
    assert r"\sqrt{(-1)^2 + 2^2} = 2.24" in tex_of(v.panel_lines["len1"])


@pytest.mark.parametrize("u, w", [([3, 1], [1, 2]), ([2, 1], [-1, 2]), ([1, 2], [3, 1]), ([4, 0], [-3, -1])])
def test_the_angle_marked_is_the_angle_between(u, w):
    v, _, steps = build("vectors", {"vectors": [u, w], "angle": True, "show_sum": False}, draw_text=True)
    assert steps["show_angle"]
    expected = abs(math.remainder(math.atan2(w[1], w[0]) - math.atan2(u[1], u[0]), 2 * math.pi))
    assert v.shown["angle"].radians == pytest.approx(expected)
    # the arc runs from u's direction to w's, the short way round (the plane has equal units)
    start, end = (coords(v.plane, p) for p in (v.arc.get_start(), v.arc.get_end()))
    for point, direction in ((start, u), (end, w)):
        assert abs(point[0] * direction[1] - point[1] * direction[0]) < 1e-5 and point @ direction > 0
    assert f"{math.degrees(expected):.1f}".rstrip("0").rstrip(".") in tex_of(v.panel_lines["theta"])
    cos = np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w))
    assert tex_of(v.panel_lines["cos_worked"]).endswith(f"= {round(cos, 2):g}")


def test_the_vector_projection_is_written_out():
    v, _, steps = build("vectors", {"vectors": [[3, 1], [1, 2]], "dot_product": True, "show_sum": False},
                        draw_text=True)
    u, w = np.array([3.0, 1.0]), np.array([1.0, 2.0])
    expected = (w @ u) / (u @ u) * u  # (5 / 10) u = (1.5, 0.5)
    assert np.allclose(expected, [1.5, 0.5])
    assert tex_of(v.panel_lines["vector_projection"]).endswith(r"\begin{bmatrix}1.5\\0.5\end{bmatrix}")
    assert r"\frac{5}{10}" in tex_of(v.panel_lines["vector_projection"])
    order = list(v.panel_lines)
    assert order.index("dot") < order.index("shadow") < order.index("vector_projection")


def test_angle_needs_two_vectors():
    from mmlanim.visuals import registry

    cls = registry()["vectors"]
    model = cls.model.model_validate({"kind": "vectors", "vectors": [[1, 2]], "angle": True})
    assert [loc for loc, _ in cls(model).check()] == [("angle",)]
    model = cls.model.model_validate({"kind": "vectors", "vectors": [[0, 0], [1, 2]], "angle": True})
    assert [loc for loc, _ in cls(model).check()] == [("vectors",)]


def test_the_new_emphasis_targets_are_drawn():
    v, _, _ = build("vectors", {"vectors": [[3, 1], [1, 2]], "dot_product": True, "angle": True, "modulus": True,
                                "show_sum": False})
    for name in ("lengths", "angle", "cosine", "vector_projection"):
        assert v.target(name) is not None, name
