"""statistics: the drawn mean, spread and moved samples against numpy (np.cov with the declared ddof)."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim import maths
from mmlanim.visuals import RenderContext, registry
from mmlanim.visuals._layout import fmt, matrix_tex, vector_tex

from .conftest import FakeScene, build

CLOUD = {"generate": "gaussian", "n": 60, "mean": [1.0, 1.0], "cov": [[1.0, 0.6], [0.6, 0.8]], "seed": 3}
A = np.array([[1.5, 0.0], [0.5, 1.0]])
B = np.array([-2.0, 0.5])


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


def cloud() -> np.ndarray:
    return maths.gaussian_cloud(60, [1.0, 1.0], [[1.0, 0.6], [0.6, 0.8]], seed=3)


def recorded(params: dict) -> tuple[object, str]:
    """The visual set up and played with a recording context, and every formula it asked for."""
    cls = registry()["statistics"]
    ctx = RenderContext(draw_text=False, formulas=[])
    visual = cls(cls.model.model_validate({"kind": "statistics", **params})).bound(ctx)
    scene = FakeScene()
    visual.setup(scene)
    for b in cls.beats:
        list(visual.run_beat(b.name, scene))
    return visual, " ".join(" ".join(parts) for parts, _ in ctx.formulas or [])


@pytest.mark.parametrize("ddof", [0, 1])
def test_2d_mean_ellipse_and_panel_use_np_cov_with_the_declared_ddof(ddof):
    params = {"data": CLOUD, "ddof": ddof}
    v, _, steps = build("statistics", params)
    X = cloud()
    mean, cov = X.mean(axis=0), np.cov(X, rowvar=False, ddof=ddof)
    assert np.allclose(coords(v.plane, v.mean_mark[0].get_center()), mean, atol=1e-9)
    dots = np.array([coords(v.plane, d.get_center()) for d in v.dots])
    assert np.allclose(dots, X, atol=1e-9)
    pts = np.array([coords(v.plane, p) for p in v.ellipse.get_anchors()]) - mean
    mahalanobis = np.sqrt(np.einsum("ij,jk,ik->i", pts, np.linalg.inv(cov), pts))
    assert np.allclose(mahalanobis, 2.0, atol=0.02)  # sigmas = 2
    # one standard deviation along each axis: the dashed box's corners are μ ± σ
    _, tex = recorded(params)
    assert f"\\Sigma = {matrix_tex(cov)}" in tex
    assert f"\\sigma_1^2 = {fmt(cov[0, 0])}" in tex and f"\\sigma_2^2 = {fmt(cov[1, 1])}" in tex
    assert ("N - 1" in tex) == (ddof == 1)
    assert steps["transform"] == []  # no map given


def test_2d_affine_map_moves_the_samples_the_mean_and_the_covariance():
    params = {"data": CLOUD, "A": A.tolist(), "b": B.tolist()}
    v, _, steps = build("statistics", params)
    X = cloud()
    moved = X @ A.T + B
    # the dots are animated to A x + b
    targets = [a.mobject.target for step in steps["transform"] for a in step
               if getattr(a, "mobject", None) in list(v.dots)]
    assert len(targets) == len(X)
    assert np.allclose([coords(v.plane, t.get_center()) for t in targets], moved, atol=1e-9)
    # A μ + b and A Σ Aᵀ are the moved samples' own mean and covariance
    ref_mean, ref_cov = moved.mean(axis=0), np.cov(moved, rowvar=False, ddof=1)
    assert np.allclose(v.shown["moved_mean"], ref_mean) and np.allclose(v.shown["moved_cov"], ref_cov)
    ellipse = next(a.target_mobject for step in steps["transform"] for a in step
                   if getattr(a, "mobject", None) is v.ellipse)
    pts = np.array([coords(v.plane, p) for p in ellipse.get_anchors()]) - ref_mean
    assert np.allclose(np.sqrt(np.einsum("ij,jk,ik->i", pts, np.linalg.inv(ref_cov), pts)), 2.0, atol=0.02)
    _, tex = recorded(params)
    assert f"A\\boldsymbol{{\\mu}} + \\mathbf{{b}} = {vector_tex(ref_mean)}" in tex
    assert f"A\\Sigma A^\\top = {matrix_tex(ref_cov)}" in tex


def test_1d_strip_histogram_and_sigma_marks():
    data = {"points": [[1.0], [2.0], [2.5], [3.0], [3.5], [4.0], [6.0], [2.0], [3.0]]}
    v, _, steps = build("statistics", {"data": data, "ddof": 0, "A": [[2]], "b": [-1]})
    x = np.array(data["points"])[:, 0]
    mu, sd = x.mean(), np.sqrt(np.var(x))  # ddof = 0
    ax = v.hist_axes
    assert ax.p2c(v.mean_mark[0].get_center())[0] == pytest.approx(mu)
    assert [ax.p2c(d.get_center())[0] for d in v.dots] == pytest.approx(list(x))
    # each deviation bar runs from the mean to its sample
    for bar, xi in zip(v.deviations, x):
        ends = sorted(ax.p2c(p)[0] for p in (bar.get_start(), bar.get_end()))
        assert ends == pytest.approx(sorted([mu, xi]))
    counts, edges = np.histogram(x, bins=len(v.bars))
    heights = [ax.p2c(bar.get_top())[1] for bar in v.bars]
    assert heights == pytest.approx(list(counts))
    lefts = [ax.p2c(bar.get_left())[0] for bar in v.bars]
    assert lefts == pytest.approx(list(edges[:-1]))
    sides = sorted(ax.p2c(s.get_center())[0] for s in v.sigma_marks[1])
    assert sides == pytest.approx([mu - sd, mu + sd])
    # x ↦ 2x − 1: the samples, the mean and σ move as a μ + b, |a| σ
    assert np.allclose(v.shown["moved"][:, 0], 2 * x - 1)
    assert v.shown["moved_mean"][0] == pytest.approx(2 * mu - 1)
    assert v.shown["moved_cov"][0, 0] == pytest.approx(4 * np.var(x))
    assert steps["show_covariance"] == []  # no covariance in 1-D
    _, tex = recorded({"data": data, "ddof": 0})
    assert "\\sigma^2 = \\frac{1}{N}" in tex and f"= {fmt(np.var(x))}" in tex


def test_checks_the_columns_and_the_map(tmp_path):
    cls = registry()["statistics"]

    def problems(params):
        return list(cls(cls.model.model_validate({"kind": "statistics", **params})).check())

    assert problems({"data": CLOUD, "A": [[1, 2, 3], [1, 2, 3]]})[0][0] == ("A",)
    assert problems({"data": CLOUD, "b": [1]})[0][0] == ("b",)
    three = {"points": [[1, 2, 3], [2, 3, 4], [0, 1, 1]]}
    assert "one or two columns" in problems({"data": three})[0][1]
    assert problems({"data": CLOUD, "A": [[2, 0], [0, 1]]}) == []
