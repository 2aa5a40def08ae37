"""plane_projection: the drawn projection onto a plane against np.linalg.lstsq; a 3-D scene."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim.visuals import RenderContext, registry
from mmlanim.visuals._layout import fmt, matrix_tex, vector_tex

from .conftest import FakeScene, build


def coords(axes, point):
    return np.asarray(axes.p2c(point))


@pytest.mark.parametrize(("x", "basis"), [
    ([2, 1, 3], [[1, 0, 0.5], [0, 1, 0.5]]),
    ([-1, 2, 0.5], [[1, 1, 0], [0, 1, -1]]),
])
def test_projection_onto_the_plane_is_the_least_squares_solution(x, basis):
    v, _, steps = build("plane_projection", {"vector": x, "basis": basis})
    x, B = np.asarray(x, float), np.asarray(basis, float).T  # B has b1, b2 as columns
    lam, *_ = np.linalg.lstsq(B, x, rcond=None)
    assert np.allclose(v.shown["coefficients"], lam)
    proj = B @ lam
    line, tip = v.proj_arrow
    assert np.allclose(coords(v.axes, line.get_end()), proj, atol=1e-6)
    assert np.allclose(coords(v.axes, tip.points[0]), proj, atol=1e-6)  # the tip's point is π(x)
    assert np.allclose(coords(v.axes, v.foot.get_center()), proj, atol=1e-6)
    assert np.allclose(coords(v.axes, v.residual.get_start()), proj, atol=1e-6)
    assert np.allclose(coords(v.axes, v.residual.get_end()), x, atol=1e-6)
    assert np.allclose(B.T @ (x - proj), 0, atol=1e-9)
    P = B @ np.linalg.pinv(B)
    assert np.allclose(v.shown["matrix"], P)
    assert v.shown["error"] == pytest.approx(np.linalg.norm(x - proj))
    # the plane patch lies in the span of b1, b2 and holds the foot
    corners = np.array([coords(v.axes, c) for c in v.plane.get_vertices()])
    normal = np.cross(B[:, 0], B[:, 1])
    assert np.allclose(corners @ normal, 0, atol=1e-6)
    assert all(steps[b.name] for b in registry()["plane_projection"].beats if b.name != "show_matrix")


def test_the_panel_shows_the_computed_numbers_and_the_scene_is_3d():
    from mmlanim.render.scene import SegmentScene3D, scene_class_for

    cls = registry()["plane_projection"]
    assert scene_class_for(cls) is SegmentScene3D
    params = {"vector": [2, 1, 3], "basis": [[1, 0, 0.5], [0, 1, 0.5]]}
    ctx = RenderContext(draw_text=False, formulas=[])
    visual = cls(cls.model.model_validate({"kind": "plane_projection", **params})).bound(ctx)
    visual.setup(FakeScene())
    tex = " ".join(" ".join(parts) for parts, _ in ctx.formulas or [])
    B = np.array(params["basis"]).T
    lam = np.linalg.lstsq(B, np.array(params["vector"], float), rcond=None)[0]
    assert vector_tex(lam) in tex and vector_tex(B @ lam) in tex
    assert matrix_tex(B @ np.linalg.pinv(B)) in tex
    assert fmt(np.linalg.norm(np.array(params["vector"]) - B @ lam)) in tex


def test_a_dependent_basis_is_a_located_error():
    cls = registry()["plane_projection"]
    found = list(cls(cls.model.model_validate({"kind": "plane_projection", "vector": [1, 2, 3],
                                                "basis": [[1, 2, 0], [2, 4, 0]]})).check())
    assert found and found[0][0] == ("basis",) and "depend" in found[0][1]


def test_lambda_is_shown_when_the_equations_are_solved_not_before():
    v, _, steps = build("plane_projection", {"vector": [2, 1, 3], "basis": [[1, 0, 0.5], [0, 1, 0.5]]})
    shown = lambda beat: {id(a.mobject) for step in steps[beat] for a in step}  # noqa: E731
    for key in ("lambda", "projection"):
        assert id(v.panel_lines[key]) in shown("solve") and id(v.panel_lines[key]) not in shown("project")
    assert id(v.panel_lines["normal"]) in shown("project")
