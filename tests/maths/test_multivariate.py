"""Jacobians, Hessians, critical points and Lagrange multipliers against sympy, finite differences
and scipy.optimize."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize
import sympy

from mmlanim.maths import (
    MathsError,
    classify_critical_point,
    critical_points,
    lagrange_points,
    local_area_ratio,
    parse_function,
    parse_map,
    tangent_plane,
)

SANDPIT = "(x**2 + y**2)*exp(-(x**2 + y**2)/2) - exp(-((x - 1)**2 + y**2))"


def finite_jacobian(fun, p, h=1e-6):
    p = np.asarray(p, dtype=float)
    cols = [(fun(p + h * e) - fun(p - h * e)) / (2 * h) for e in np.eye(2)]
    return np.column_stack(cols)


@pytest.mark.parametrize("u, v, names", [
    ("r*cos(t)", "r*sin(t)", ("r", "t")),
    ("x + sin(y)", "y + sin(x)", ("x", "y")),
    ("x**2 - y**2", "2*x*y", ("x", "y")),
])
def test_jacobian_matches_finite_differences_and_sympy(u, v, names):
    F = parse_map(u, v, names)
    rng = np.random.default_rng(1)
    a, b = sympy.symbols(names, real=True)
    J_sym = sympy.Matrix([sympy.sympify(u, locals={names[0]: a, names[1]: b}),
                          sympy.sympify(v, locals={names[0]: a, names[1]: b})]).jacobian([a, b])
    for p in rng.uniform(0.3, 2.0, (5, 2)):
        J = F.jacobian(p)
        assert np.allclose(J, finite_jacobian(F.value, p), atol=1e-6)
        assert np.allclose(J, np.array(J_sym.subs({a: p[0], b: p[1]}), dtype=float), atol=1e-12)
        assert F.determinant(p) == pytest.approx(np.linalg.det(J), abs=1e-12)
    assert sympy.simplify(F.determinant_expr - J_sym.det()) == 0


def test_polar_determinant_is_r():
    F = parse_map("r*cos(t)", "r*sin(t)", ("r", "t"))
    r, t = sympy.symbols("r t", real=True)
    assert sympy.simplify(F.determinant_expr - r) == 0
    assert F.determinant([2.0, 0.7]) == pytest.approx(2.0)


@pytest.mark.parametrize("point", [[1.0, 0.5], [0.3, -1.2]])
def test_local_area_ratio_tends_to_det_j(point):
    F = parse_map("x + sin(y)", "y + sin(x)")
    det = 1 - np.cos(point[0]) * np.cos(point[1])  # closed form of det J
    errors = [abs(local_area_ratio(F, point, h) - det) for h in (1.0, 0.5, 0.25, 0.1, 0.01)]
    assert errors[-1] < 1e-3
    assert all(a >= b - 1e-9 for a, b in zip(errors, errors[1:]))  # it closes in as h shrinks
    # A linear map's ratio is det J at any size.
    L = parse_map("2*x + y", "x + 3*y")
    assert local_area_ratio(L, point, 1.5) == pytest.approx(5.0, rel=1e-9)
    with pytest.raises(MathsError):
        local_area_ratio(F, point, 0.0)


def test_tangent_plane_matches_finite_differences():
    f = parse_function(SANDPIT)
    p = np.array([0.8, -0.6])
    value, grad = tangent_plane(f, p)
    fd = finite_jacobian(lambda q: np.atleast_1d(f.value(q)), p)[0]
    assert value == pytest.approx(float(f.value(p)))
    assert np.allclose(grad, fd, atol=1e-6)


@pytest.mark.parametrize("text, expected", [
    ("x**2 + 3*y**2", "minimum"),
    ("-(x**2) - y**2 + x*y", "maximum"),
    ("x**2 - y**2", "saddle"),
    ("x**4 + y**4", "degenerate"),
])
def test_second_derivative_test(text, expected):
    cp = classify_critical_point(parse_function(text), [0.0, 0.0])
    assert cp.verdict == expected
    x, y = sympy.symbols("x y", real=True)
    H = np.array(sympy.hessian(sympy.sympify(text, locals={"x": x, "y": y}), (x, y)).subs({x: 0, y: 0}),
                 dtype=float)
    assert np.allclose(cp.hessian, H)
    assert np.allclose(cp.eigenvalues, np.linalg.eigvalsh(H))


def test_critical_points_of_the_sandpit_are_stationary_and_classified():
    f = parse_function(SANDPIT)
    found = critical_points(f, [[-3, 3], [-3, 3]])
    assert found, "the sandpit has critical points"
    for cp in found:
        # The gradient vanishes (finite differences, not f.gradient), and the verdict agrees with
        # the eigenvalues of a finite-difference Hessian.
        assert np.allclose(finite_jacobian(lambda q: np.atleast_1d(f.value(q)), cp.point)[0], 0, atol=1e-6)
        H = finite_jacobian(lambda q: f.gradient(q), cp.point)
        eig = np.linalg.eigvalsh(0.5 * (H + H.T))
        expected = "minimum" if eig[0] > 0 else "maximum" if eig[1] < 0 else "saddle"
        assert cp.verdict == expected
    # The global minimum over the domain is among them (scipy, from several starts).
    best = min((scipy.optimize.minimize(lambda q: float(f.value(q)), s) for s in ([1, 0], [0.5, 0.5], [2, 2])),
               key=lambda r: r.fun)
    assert any(np.allclose(cp.point, best.x, atol=1e-4) and cp.verdict == "minimum" for cp in found)


def test_critical_points_of_a_saddle_and_a_bowl():
    assert [c.verdict for c in critical_points(parse_function("x**2 - y**2"), [[-2, 2], [-2, 2]])] == ["saddle"]
    (cp,) = critical_points(parse_function("(x - 1)**2 + 2*(y + 0.5)**2"), [[-2, 2], [-2, 2]])
    assert np.allclose(cp.point, [1.0, -0.5]) and cp.verdict == "minimum"


@pytest.mark.parametrize("f_text, g_text", [
    ("x**2 + y**2", "x + y - 2"),
    ("x*y", "x**2 + y**2 - 4"),
    ("x**2 + 2*y**2 - x", "x**2/4 + y**2 - 1"),
    ("exp(-x**2) + y", "x**2 + y**2 - 1"),
])
def test_lagrange_points_match_scipy_constrained_minimum(f_text, g_text):
    f, g = parse_function(f_text), parse_function(g_text)
    found = lagrange_points(f, g, [[-3, 3], [-3, 3]])
    assert found
    for q in found:
        assert abs(float(g.value(q.point))) < 1e-9
        assert np.allclose(q.grad_f, q.multiplier * q.grad_g, atol=1e-8)
    fun = lambda q: float(f.value(q))  # noqa: E731
    cons = {"type": "eq", "fun": lambda q: float(g.value(q))}
    runs = [scipy.optimize.minimize(fun, s, constraints=[cons], method="SLSQP", tol=1e-10)
            for s in ([1.0, 0.5], [-1.0, 1.0], [0.5, -1.5], [-1.5, -0.5])]
    best = min((r for r in runs if r.success), key=lambda r: r.fun)
    lowest = found[0]
    assert lowest.value == pytest.approx(best.fun, abs=1e-7)
    assert any(np.allclose(q.point, best.x, atol=1e-4) for q in found if q.value == pytest.approx(best.fun, abs=1e-7))
    # λ from scipy's answer: the least-squares fit of ∇f = λ∇g at its point.
    gf, gg = f.gradient(best.x), g.gradient(best.x)
    lam = float(np.dot(gf, gg) / np.dot(gg, gg))
    assert any(abs(q.multiplier - lam) < 1e-4 for q in found if np.allclose(q.point, best.x, atol=1e-4))


def test_lagrange_closed_form():
    # min x² + y² on x + y = 2: (1, 1), λ = 2.
    (q,) = lagrange_points(parse_function("x**2 + y**2"), parse_function("x + y - 2"), [[-3, 3], [-3, 3]])
    assert np.allclose(q.point, [1, 1]) and q.multiplier == pytest.approx(2.0) and q.value == pytest.approx(2.0)


def test_parse_map_needs_two_variables():
    with pytest.raises(MathsError):
        parse_map("x", "y", ("x",))
