"""inner_product: lengths, angles, distances and the unit ellipse against numpy and arccos."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mmlanim.visuals import RenderContext, registry
from mmlanim.visuals._layout import fmt

from .conftest import FakeScene, build

X, Y = np.array([2.0, 1.0]), np.array([0.5, 2.0])
A = np.array([[2.0, 0.5], [0.5, 1.0]])


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


def recorded(params: dict) -> str:
    cls = registry()["inner_product"]
    ctx = RenderContext(draw_text=False, formulas=[])
    visual = cls(cls.model.model_validate({"kind": "inner_product", **params})).bound(ctx)
    scene = FakeScene()
    visual.setup(scene)
    for b in cls.beats:
        list(visual.run_beat(b.name, scene))
    return " ".join(" ".join(parts) for parts, _ in ctx.formulas or [])


def test_lengths_and_angles_under_both_inner_products():
    params = {"vectors": [X.tolist(), Y.tolist()], "A": A.tolist(), "orthogonal": True}
    v, _, steps = build("inner_product", params)
    assert np.allclose(coords(v.plane, v.arrows[0].get_end()), X)
    assert np.allclose(coords(v.plane, v.arrows[1].get_end()), Y)
    theta = np.arccos(X @ Y / (np.linalg.norm(X) * np.linalg.norm(Y)))
    lx, ly = np.sqrt(X @ A @ X), np.sqrt(Y @ A @ Y)
    theta_a = np.arccos((X @ A @ Y) / (lx * ly))
    tex = recorded(params)
    assert f"\\theta = {fmt(math.degrees(theta), 1)}^\\circ" in tex
    assert f"\\theta_A = {fmt(math.degrees(theta_a), 1)}^\\circ" in tex
    assert f"\\|\\mathbf{{x}}\\|_A = {fmt(lx)}" in tex and f"\\|\\mathbf{{y}}\\|_A = {fmt(ly)}" in tex
    assert f"\\rangle = {fmt(X @ A @ Y)}" in tex
    d = X - Y
    assert f"\\|\\mathbf{{x}} - \\mathbf{{y}}\\|_A = {fmt(np.sqrt(d @ A @ d))}" in tex
    assert f"\\|\\mathbf{{x}} - \\mathbf{{y}}\\| = {fmt(np.linalg.norm(d))}" in tex
    # the arc spans the angle between x and y
    assert v.arc.angle == pytest.approx(theta)
    # the unit "circle" under A: every point p has pᵀAp = 1; each mark is its vector at length 1 under A
    pts = np.array([coords(v.plane, p) for p in v.ellipse.get_anchors()])
    assert np.allclose(np.einsum("ij,jk,ik->i", pts, A, pts), 1.0, atol=0.01)
    marks = np.array([coords(v.plane, m.get_center()) for m in v.unit_marks])
    assert np.allclose(marks, [X / lx, Y / ly])
    assert all(steps[b.name] for b in registry()["inner_product"].beats)


def test_the_orthogonal_vector_is_orthogonal_under_a_only():
    v, _, _ = build("inner_product", {"vectors": [X.tolist(), Y.tolist()], "A": A.tolist()})
    z = coords(v.plane, v.z_arrow.get_end())
    assert X @ A @ z == pytest.approx(0, abs=1e-9)
    assert z @ A @ z == pytest.approx(X @ A @ X)
    assert abs(X @ z) > 0.1  # not perpendicular on the page
    v, _, steps = build("inner_product", {"vectors": [X.tolist(), Y.tolist()]})
    assert X @ coords(v.plane, v.z_arrow.get_end()) == pytest.approx(0, abs=1e-9)
    assert steps["show_inner"] == []


@pytest.mark.parametrize(("matrix", "words"), [
    ([[1, 2], [0, 1]], "symmetric"),
    ([[1, 2], [2, 1]], "not positive definite"),
])
def test_a_matrix_that_is_no_inner_product_is_a_located_error(matrix, words):
    cls = registry()["inner_product"]
    found = list(cls(cls.model.model_validate({"kind": "inner_product", "vectors": [[1, 0], [0, 1]],
                                                "A": matrix})).check())
    assert found and found[0][0] == ("A",) and words in found[0][1]


def test_lecture_error_points_at_the_matrix(tmp_path):
    from mmlanim.errors import LectureError
    from mmlanim.lecture import load_lecture

    path = tmp_path / "l.yaml"
    path.write_text("title: t\nsegments:\n  - id: a\n    narration: Hi.\n    visual:\n      kind: inner_product\n"
                    "      vectors: [[1, 0], [0, 1]]\n      A: [[1, 2], [2, 1]]\n", encoding="utf-8")
    with pytest.raises(LectureError) as info:
        load_lecture(path)
    assert "l.yaml:8:" in str(info.value) and "positive definite" in str(info.value)
