"""pca_projection's reconstruction error J: the turning axis, its readout and curve against scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mmlanim import maths
from mmlanim.visuals import RenderContext, registry
from mmlanim.visuals._layout import fmt, matrix_tex

from .conftest import FakeScene, build

CLOUD = {"generate": "gaussian", "n": 120, "mean": [1.0, 0.5], "cov": [[3.0, 1.6], [1.6, 1.4]], "seed": 2}


def cloud() -> np.ndarray:
    return maths.gaussian_cloud(120, [1.0, 0.5], [[3.0, 1.6], [1.6, 1.4]], seed=2)


def sklearn_error(X: np.ndarray, ddof: int) -> float:
    """Σ‖x_n − x̃_n‖² / (N − ddof) of scikit-learn's one-component reconstruction."""
    from sklearn.decomposition import PCA

    ref = PCA(n_components=1, svd_solver="full").fit(X)
    rebuilt = ref.inverse_transform(ref.transform(X))
    return float(np.sum((X - rebuilt) ** 2) / (len(X) - ddof))


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


def turn_step(steps):
    return next(a for step in steps["minimise_error"] for a in step if type(a).__name__ == "UpdateFromAlphaFunc")


@pytest.mark.parametrize("ddof", [0, 1])
def test_the_turning_axis_ends_along_u1_with_the_sklearn_error(ddof):
    from sklearn.decomposition import PCA

    v, _, steps = build("pca_projection", {"data": CLOUD, "ddof": ddof})
    X = cloud()
    u1 = PCA(n_components=1).fit(X).components_[0]
    assert v.shown["error_min"] == pytest.approx(sklearn_error(X, ddof), rel=1e-9)
    # the minimum of J is the second eigenvalue of the covariance with the declared normalisation
    assert v.shown["error_min"] == pytest.approx(np.linalg.eigvalsh(np.cov(X, rowvar=False, ddof=ddof))[0])
    assert np.allclose(v.shown["cov"], np.cov(X, rowvar=False, ddof=ddof))
    turn = turn_step(steps)
    turn.interpolate_mobject(0.0)
    line = v.candidate[0]
    d0 = coords(v.plane, line.get_end()) - coords(v.plane, line.get_start())
    assert abs(np.dot(d0 / np.linalg.norm(d0), u1)) == pytest.approx(math.cos(math.radians(60)), abs=1e-6)
    turn.interpolate_mobject(1.0)
    d1 = coords(v.plane, v.candidate[0].get_end()) - coords(v.plane, v.candidate[0].get_start())
    assert abs(np.dot(d1 / np.linalg.norm(d1), u1)) == pytest.approx(1.0, abs=1e-9)
    # every drop ends on the line at the point's projection (the residual is perpendicular to u1)
    for drop, x in zip(v.candidate[1], X):
        seg = coords(v.plane, drop.get_end()) - coords(v.plane, drop.get_start())
        assert np.allclose(coords(v.plane, drop.get_start()), x, atol=1e-9)
        assert abs(np.dot(seg, u1)) < 1e-6
    # the dot on the curve sits at (direction of u1, J_min)
    ax = v.curve_axes
    at = ax.p2c(v.curve_dot.get_center())
    assert at[1] == pytest.approx(sklearn_error(X, ddof), rel=1e-6)
    assert at[0] == pytest.approx(math.degrees(math.atan2(u1[1], u1[0])) % 180, abs=1e-6)


def test_the_error_curve_has_its_minimum_at_u1_and_falls_all_the_way():
    from sklearn.decomposition import PCA

    v, _, steps = build("pca_projection", {"data": CLOUD, "start_angle": 150})
    X = cloud()
    angles, errors = v.shown["error_curve"]
    u1 = PCA(n_components=1).fit(X).components_[0]
    assert angles[np.argmin(errors)] == pytest.approx(math.degrees(math.atan2(u1[1], u1[0])) % 180, abs=1)
    turn = turn_step(steps)
    seen = []
    for alpha in np.linspace(0, 1, 11):
        turn.interpolate_mobject(alpha)
        seen.append(v.curve_axes.p2c(v.curve_dot.get_center())[1])
    assert all(b <= a + 1e-9 for a, b in zip(seen, seen[1:]))  # the error only falls as the axis turns


def test_the_panel_states_the_normalisation_and_the_minimum():
    cls = registry()["pca_projection"]
    for ddof, denom in ((0, r"\frac{1}{N}"), (1, r"\frac{1}{N - 1}")):
        ctx = RenderContext(draw_text=False, formulas=[])
        visual = cls(cls.model.model_validate({"kind": "pca_projection", "data": CLOUD, "ddof": ddof})).bound(ctx)
        scene = FakeScene()
        visual.setup(scene)
        tex = " ".join(" ".join(parts) for parts, _ in ctx.formulas or [])
        X = cloud()
        lam = np.linalg.eigvalsh(np.cov(X, rowvar=False, ddof=ddof))
        assert f"J = {denom}" in tex
        assert f"J_{{\\min}} = \\lambda_2 = {fmt(lam[0])}" in tex
        assert f"\\lambda_1 = {fmt(lam[1])}" in tex
        assert matrix_tex(np.cov(X, rowvar=False, ddof=ddof)) in tex


def test_turning_without_show_error_draws_the_candidate_first():
    cls = registry()["pca_projection"]
    v = cls(cls.model.model_validate({"kind": "pca_projection", "data": CLOUD})).bound(RenderContext(draw_text=False))
    scene = FakeScene()
    v.setup(scene)
    steps = [s if isinstance(s, tuple) else (s,) for s in v.run_beat("minimise_error", scene)]
    drawn = {id(a.mobject) for a in steps[0] if type(a).__name__ == "Create"}
    assert {id(v.candidate[0]), id(v.candidate[1])} <= drawn
    assert any(type(a).__name__ == "UpdateFromAlphaFunc" for a in steps[-1])
    # After show_error, the same beat only turns.
    w = cls(cls.model.model_validate({"kind": "pca_projection", "data": CLOUD})).bound(RenderContext(draw_text=False))
    w.setup(scene)
    list(w.run_beat("show_error", scene))
    only = [s if isinstance(s, tuple) else (s,) for s in w.run_beat("minimise_error", scene)]
    assert len(only) == 1 and type(only[0][0]).__name__ == "UpdateFromAlphaFunc"
