"""The lagrange kind draws the constraint curve where g = 0 and its solution where scipy's constrained
optimiser finds it, with ∇f and ∇g parallel (finite differences) and λ their ratio."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize

from .conftest import build

PARAMS = {"function": "x**2*y", "constraint": "x**2 + y**2 - 1", "domain": [[-1.6, 1.6], [-1.2, 1.2]],
          "show": "maximum"}


def f(q):
    return q[0] ** 2 * q[1]


def g(q):
    return q[0] ** 2 + q[1] ** 2 - 1


def fd_grad(fun, q, h=1e-6):
    q = np.asarray(q, dtype=float)
    return np.array([(fun(q + h * e) - fun(q - h * e)) / (2 * h) for e in np.eye(2)])


def plane_coords(plane, mob):
    return np.array([plane.p2c(p)[:2] for p in mob.get_anchors()])


@pytest.mark.parametrize("show, sign", [("maximum", -1.0), ("minimum", 1.0)])
def test_the_solution_is_scipys_constrained_optimum(show, sign):
    v, _, steps = build("lagrange", {**PARAMS, "show": show})
    cons = {"type": "eq", "fun": g}
    runs = [scipy.optimize.minimize(lambda q: sign * f(q), s, constraints=[cons], method="SLSQP", tol=1e-12)
            for s in ([0.5, 0.5], [-0.5, 0.6], [0.4, -0.7], [-0.6, -0.5])]
    best = min((r for r in runs if r.success), key=lambda r: r.fun)
    drawn = np.asarray(v.plane.p2c(v.solution.get_center()))[:2]
    assert sign * f(drawn) == pytest.approx(best.fun, abs=1e-6)
    assert abs(g(drawn)) < 1e-6
    # ∇f and ∇g (finite differences) are parallel there, with ratio λ, and the arrows drawn point along them.
    gf, gg = fd_grad(f, drawn), fd_grad(g, drawn)
    lam = v.shown["chosen"].multiplier
    assert np.allclose(gf, lam * gg, atol=1e-5)
    g_arrow, f_arrow = v.final_arrows
    for arr, grad in ((f_arrow, gf), (g_arrow, gg)):
        d = (arr.get_end() - arr.get_start())[:2]
        assert np.allclose(d / np.linalg.norm(d), grad / np.linalg.norm(grad), atol=1e-3)
    # On one scale: their lengths' ratio is |λ|.
    length = lambda a: np.linalg.norm(a.get_end() - a.get_start())  # noqa: E731
    ratio = length(f_arrow) / length(g_arrow)
    assert ratio == pytest.approx(abs(lam), rel=0.03)
    assert steps["show_solution"]
    # The other stationary points are ringed on their own beat, when the narration comes to them.
    created = lambda beat: {id(a.mobject) for step in steps[beat] for a in step  # noqa: E731
                            if type(a).__name__ == "Create"}
    assert id(v.rings) in created("show_others") and id(v.rings) not in created("show_solution")
    assert len(v.rings) == len(v.data["points"]) - 1


def test_the_curve_drawn_is_g_equals_zero():
    v, _, _ = build("lagrange", PARAMS)
    pts = np.concatenate([plane_coords(v.plane, c) for c in v.curve])
    assert np.abs(np.hypot(pts[:, 0], pts[:, 1]) - 1).max() < 2e-3
    # The slide ends at the solution, on the curve all the way.
    path = v.shown["slide_path"]
    assert np.allclose(path[-1], v.shown["chosen"].point)
    assert np.abs(np.hypot(path[:, 0], path[:, 1]) - 1).max() < 2e-3


def test_the_angle_between_the_gradients_closes_to_zero():
    v, _, _ = build("lagrange", PARAMS)
    path = v.shown["slide_path"]
    angles = [v.angle_at(q) for q in path]
    assert angles[0] > 10 and angles[-1] == pytest.approx(0.0, abs=1e-4)
    q = path[0]
    a, b = fd_grad(f, q), fd_grad(g, q)
    assert angles[0] == pytest.approx(np.degrees(np.arccos(a @ b / np.linalg.norm(a) / np.linalg.norm(b))), abs=1e-3)


def test_no_solution_is_reported():
    from mmlanim.visuals import registry

    cls = registry()["lagrange"]
    v = cls(cls.model.model_validate({"kind": "lagrange", "function": "x + y", "constraint": "x**2 + y**2 + 1"}))
    assert [loc for loc, *_ in v.check()] == [("constraint",)]
