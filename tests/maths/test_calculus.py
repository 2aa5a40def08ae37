"""Calculus: descent vs linear solves, Newton vs scipy, Taylor closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlanim.maths import (
    DIVERGENCE_BOUND,
    MathsError,
    gradient_descent,
    newton_optimise,
    newton_raphson,
    numeric_gradient,
    parse_function,
    taylor_polynomial,
)


def quadratic(A: np.ndarray, b: np.ndarray):
    """f(x, y) = ½ xᵀAx - bᵀx written as formula text."""
    a11, a12, a22, b1, b2 = (repr(float(v)) for v in (A[0, 0], A[0, 1], A[1, 1], b[0], b[1]))
    text = f"0.5*({a11}*x**2 + 2*{a12}*x*y + {a22}*y**2) - ({b1}*x + {b2}*y)"
    return parse_function(text)


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 2**32 - 1))
def test_descent_on_convex_quadratic_reaches_linear_solve(seed: int) -> None:
    rng = np.random.default_rng(seed)
    M = rng.uniform(-2, 2, (2, 2))
    A = M @ M.T + np.eye(2)
    b = rng.uniform(-5, 5, 2)
    f = quadratic(A, b)
    eta = 1.0 / np.linalg.eigvalsh(A)[-1]
    res = gradient_descent(f, rng.uniform(-5, 5, 2), eta, 3000)
    assert res.converged and not res.diverged
    np.testing.assert_allclose(res.final, np.linalg.solve(A, b), atol=1e-8)
    assert np.all(np.diff(res.values) <= 1e-12)  # monotone decrease with η = 1/L
    assert res.path.shape == (res.iterations + 1, 2) and res.values.shape == (res.iterations + 1,)


def test_descent_path_shape_and_first_step() -> None:
    f = parse_function("x**2 + 3*y**2")
    res = gradient_descent(f, [1.0, 1.0], 0.1, 5, tol=0)
    assert res.path.shape == (6, 2) and res.iterations == 5
    np.testing.assert_allclose(res.path[1], [1 - 0.1 * 2, 1 - 0.1 * 6])
    np.testing.assert_allclose(res.values, f.value(res.path))


def test_descent_divergence_is_flagged_not_raised() -> None:
    f = parse_function("x**2 + y**2")
    res = gradient_descent(f, [1.0, 1.0], 1.5, 1000)  # |1 - 2η| = 2: doubles each step
    assert res.diverged and not res.converged
    assert np.all(np.isfinite(res.path)) and np.abs(res.path).max() <= DIVERGENCE_BOUND
    assert res.iterations < 1000
    np.testing.assert_allclose(np.abs(res.path[-1]), 2.0 ** res.iterations)
    assert "diverged" in res.reason


def test_descent_overflow_to_inf_is_flagged() -> None:
    # first step lands at x ≈ -48600 where exp(x²) overflows to inf
    res = gradient_descent(parse_function("exp(x**2)", ("x",)), [3.0], 1.0, 10)
    assert res.diverged and not res.converged
    assert res.iterations == 0 and res.path.tolist() == [[3.0]]
    assert np.all(np.isfinite(res.values))


def test_newton_optimise_matches_scipy_minimize() -> None:
    f = parse_function("(x - 1)**4 + (x - 1)**2 + (y + 2)**2 + x*y/10")
    res = newton_optimise(f, [0.0, 0.0], steps=50)
    ref = scipy.optimize.minimize(lambda p: float(f.value(p)), [0.0, 0.0],
                                  jac=lambda p: f.gradient(p), method="BFGS", tol=1e-12)
    assert res.converged
    np.testing.assert_allclose(res.final, ref.x, atol=1e-6)
    # one Newton step solves a quadratic exactly
    q = quadratic(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -1.0]))
    one = newton_optimise(q, [5.0, 5.0], steps=1, tol=0)
    np.testing.assert_allclose(one.path[1], np.linalg.solve([[3, 1], [1, 2]], [1, -1]))


def test_newton_optimise_singular_hessian() -> None:
    res = newton_optimise(parse_function("x**4 + y**2"), [0.0, 1.0])
    assert not res.converged and "singular" in res.reason


@pytest.mark.parametrize(("text", "x0"), [("x**3 - 2*x - 5", 2.0), ("cos(x) - x", 1.0),
                                          ("exp(x) - 3", 0.0), ("x**2 - 2", 1.0)])
def test_newton_raphson_matches_scipy(text: str, x0: float) -> None:
    f = parse_function(text, variables=("x",))
    res = newton_raphson(f, x0)
    ref = scipy.optimize.newton(lambda v: float(f.value([v])), x0,
                                fprime=lambda v: float(f.gradient([v])[0]))
    assert res.converged
    assert res.root == pytest.approx(ref, abs=1e-12)
    assert res.iterates.shape == res.values.shape


def test_newton_raphson_first_steps_closed_form() -> None:
    res = newton_raphson(parse_function("x**2 - 2", ("x",)), 1.0, steps=3, tol=0)
    np.testing.assert_allclose(res.iterates, [1.0, 1.5, 17 / 12, 577 / 408])


def test_newton_raphson_zero_derivative_and_wrong_arity() -> None:
    res = newton_raphson(parse_function("x**2 + 1", ("x",)), 0.0)
    assert not res.converged and "zero derivative at x = 0" in res.reason
    assert res.iterates.tolist() == [0.0]
    with pytest.raises(MathsError, match="one variable"):
        newton_raphson(parse_function("x + y"), 1.0)


def test_taylor_exp_and_sin_closed_forms() -> None:
    exp = parse_function("exp(x)", ("x",))
    t = taylor_polynomial(exp, 0, 6)
    np.testing.assert_allclose(t.coefficients, [1 / math.factorial(k) for k in range(7)])
    assert t.latex.startswith(r"1 + x + \frac{1}{2} x^{2} + \frac{1}{6} x^{3}")
    xs = np.linspace(-0.5, 0.5, 11)
    np.testing.assert_allclose(t(xs), sum(xs**k / math.factorial(k) for k in range(7)))
    assert np.abs(t(xs) - np.exp(xs)).max() < 0.5**7 / math.factorial(7) * 2

    s = taylor_polynomial(parse_function("sin(x)", ("x",)), 0, 7)
    np.testing.assert_allclose(s.coefficients, [0, 1, 0, -1 / 6, 0, 1 / 120, 0, -1 / 5040])
    assert s.latex == r"x - \frac{1}{6} x^{3} + \frac{1}{120} x^{5} - \frac{1}{5040} x^{7}"


def test_taylor_about_nonzero_point() -> None:
    t = taylor_polynomial(parse_function("log(x)", ("x",)), 1, 4)
    np.testing.assert_allclose(t.coefficients, [0, 1, -1 / 2, 1 / 3, -1 / 4])
    assert r"\left(x - 1\right)^{2}" in t.latex
    assert t(1.1) == pytest.approx(sum((-1) ** (k + 1) * 0.1**k / k for k in range(1, 5)))
    c = taylor_polynomial(parse_function("cos(x)", ("x",)), 0.5, 2)
    np.testing.assert_allclose(c.coefficients, [np.cos(0.5), -np.sin(0.5), -np.cos(0.5) / 2])
    with pytest.raises(MathsError, match="not finite at x = 0"):
        taylor_polynomial(parse_function("sqrt(x)", ("x",)), 0, 2)


def test_numeric_gradient_vs_closed_form() -> None:
    np.testing.assert_allclose(numeric_gradient(lambda p: (p**3).sum(axis=-1), [1.0, 2.0, -1.0]),
                               [3.0, 12.0, 3.0], rtol=1e-8)
    f = parse_function("x*exp(y)")
    np.testing.assert_allclose(numeric_gradient(f, [2.0, 0.5]), f.gradient([2.0, 0.5]), rtol=1e-9)


def test_bad_inputs() -> None:
    f = parse_function("x**2 + y**2")
    with pytest.raises(ValueError, match="start must have 2 coordinate"):
        gradient_descent(f, [1.0], 0.1, 10)
    with pytest.raises(ValueError, match="NaN"):
        gradient_descent(f, [1.0, np.nan], 0.1, 10)
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        gradient_descent(f, [1.0, 1.0], -0.1, 10)
    with pytest.raises(ValueError, match="steps must be a whole number"):
        gradient_descent(f, [1.0, 1.0], 0.1, 2.5)
    with pytest.raises(ValueError, match="not finite at the start"):
        gradient_descent(parse_function("log(x)", ("x",)), [-1.0], 0.1, 10)
    with pytest.raises(ValueError, match="order must be at most 30"):
        taylor_polynomial(parse_function("exp(x)", ("x",)), 0, 31)
    with pytest.raises(ValueError, match="infinity"):
        numeric_gradient(f, [np.inf, 0.0])
