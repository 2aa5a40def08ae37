"""projection: the drawn projection, residual and matrix against np.linalg.lstsq and numpy."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim.visuals import RenderContext, registry
from mmlanim.visuals._layout import fmt, matrix_tex, vector_tex

from .conftest import FakeScene, build


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


def recorded(params: dict) -> str:
    cls = registry()["projection"]
    ctx = RenderContext(draw_text=False, formulas=[])
    visual = cls(cls.model.model_validate({"kind": "projection", **params})).bound(ctx)
    scene = FakeScene()
    visual.setup(scene)
    for b in cls.beats:
        list(visual.run_beat(b.name, scene))
    return " ".join(" ".join(parts) for parts, _ in ctx.formulas or [])


@pytest.mark.parametrize(("x", "b"), [([1, 3], [3, 1]), ([-2, 1], [1, 2]), ([2, -1], [-1, 0.5])])
def test_projection_vector_residual_and_matrix(x, b):
    v, _, steps = build("projection", {"vector": x, "onto": b})
    x, b = np.asarray(x, float), np.asarray(b, float)
    lam = np.linalg.lstsq(b[:, None], x, rcond=None)[0][0]  # least squares: min ‖x − λb‖
    assert v.shown["lambda"] == pytest.approx(lam)
    # the projection arrow runs from the origin to λb, the residual from there to x, at a right angle to b
    assert np.allclose(coords(v.plane, v.proj_arrow.get_start()), 0, atol=1e-9)
    assert np.allclose(coords(v.plane, v.proj_arrow.get_end()), lam * b, atol=1e-9)
    assert np.allclose(coords(v.plane, v.residual_arrow.get_start()), lam * b, atol=1e-9)
    assert np.allclose(coords(v.plane, v.residual_arrow.get_end()), x, atol=1e-9)
    assert b @ (x - lam * b) == pytest.approx(0, abs=1e-9)
    P = np.outer(b, b) / (b @ b)
    assert np.allclose(v.shown["matrix"], P)
    tex = recorded({"vector": x.tolist(), "onto": b.tolist()})
    assert f"= {fmt(lam)}" in tex and vector_tex(lam * b) in tex and matrix_tex(P) in tex
    assert f"\\|\\mathbf{{x}} - \\pi(\\mathbf{{x}})\\| = {fmt(np.linalg.norm(x - lam * b))}" in tex
    assert all(steps[s.name] for s in registry()["projection"].beats)


def test_the_search_slides_to_the_nearest_point():
    v, _, steps = build("projection", {"vector": [1, 3], "onto": [3, 1], "start": 2.0})
    slide = next(a for step in steps["search"] for a in step if type(a).__name__ == "UpdateFromAlphaFunc")
    slide.interpolate_mobject(0.0)
    assert np.allclose(coords(v.plane, v.seeker.get_center()), [6, 2], atol=1e-9)
    slide.interpolate_mobject(1.0)
    assert np.allclose(coords(v.plane, v.seeker.get_center()), [1.8, 0.6], atol=1e-9)


def test_the_zero_vector_spans_no_line():
    cls = registry()["projection"]
    found = list(cls(cls.model.model_validate({"kind": "projection", "vector": [1, 2], "onto": [0, 0]})).check())
    assert found and found[0][0] == ("onto",)
