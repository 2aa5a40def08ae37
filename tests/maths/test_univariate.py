"""Chords, secants, tangents and Newton–Raphson runs, against sympy, scipy and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

from mmlanim.maths import MathsError, parse_function
from mmlanim.maths.univariate import chord, newton_run, secant_slopes, tangent

X = sp.Symbol("x", real=True)
COURSE = "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30"
COURSE_SYMPY = X**6 / 6 - 3 * X**4 - sp.Rational(2, 3) * X**3 + sp.Rational(27, 2) * X**2 + 18 * X - 30


def f1(text: str):
    return parse_function(text, ("x",))


def test_chord_is_rise_over_run():
    c = chord(f1("x^2"), 1, 1)
    assert (c.rise, c.run, c.gradient) == (3.0, 1.0, 3.0)
    c = chord(f1("sin(x)"), 0.5, -0.25)
    assert c.gradient == pytest.approx((math.sin(0.25) - math.sin(0.5)) / -0.25, rel=1e-12)
    with pytest.raises(MathsError, match="must not be 0"):
        chord(f1("x"), 1, 0)
    with pytest.raises(MathsError, match="not defined"):
        chord(f1("log(x)"), 1, -2)


@pytest.mark.parametrize("text, expr, a", [
    ("x^3/3 - x + 1", X**3 / 3 - X + 1, -1.5),
    ("x sin(x)", X * sp.sin(X), 1.0),
    ("exp(-x^2)", sp.exp(-X**2), 0.7),
])
def test_secant_slopes_tend_to_the_sympy_derivative(text, expr, a):
    hs = np.array([1.0, 0.5, 0.1, 1e-3, 0.0])
    got = secant_slopes(f1(text), a, hs)
    exact = [float((expr.subs(X, a + h) - expr.subs(X, a)) / h) for h in hs[:-1]]
    assert np.allclose(got[:-1], exact, rtol=1e-9)
    assert got[-1] == pytest.approx(float(sp.diff(expr, X).subs(X, a)), rel=1e-12)
    t = tangent(f1(text), a)
    assert t.slope == got[-1]
    assert t.value([a, a + 1]) == pytest.approx([float(expr.subs(X, a)), float(expr.subs(X, a)) + t.slope])


def test_tangent_root_and_flat_tangent():
    t = tangent(f1("x^2 - 2"), 1)
    assert t.root == pytest.approx(1.5)
    assert tangent(f1("x^2"), 0).root is None


def _newton_by_hand(expr, x0: float, n: int) -> list[float]:
    """Newton–Raphson written out with sympy's derivative, in exact-enough floats."""
    fn, dfn = sp.lambdify(X, expr), sp.lambdify(X, sp.diff(expr, X))
    xs = [x0]
    for _ in range(n):
        xs.append(xs[-1] - fn(xs[-1]) / dfn(xs[-1]))
    return xs


def test_course_example_converges_from_minus_four():
    run = newton_run(f1(COURSE), -4, 10)
    assert run.fate == "converged"
    root = optimize.newton(sp.lambdify(X, COURSE_SYMPY), -4.0, fprime=sp.lambdify(X, sp.diff(COURSE_SYMPY, X)))
    assert run.iterates[-1] == pytest.approx(root, abs=1e-10)
    assert np.allclose(run.iterates, _newton_by_hand(COURSE_SYMPY, -4.0, len(run.iterates) - 1), rtol=1e-12)
    # every step's tangent meets zero at the next iterate
    for step in run.steps:
        assert step.tangent.root == pytest.approx(step.next, rel=1e-12)
        assert step.slope == pytest.approx(float(sp.diff(COURSE_SYMPY, X).subs(X, step.x)), rel=1e-10)


def test_course_example_from_a_flat_start_runs_far_away():
    run = newton_run(f1(COURSE), 1.99, 10)
    assert run.fate != "converged"
    assert run.iterates[1] == pytest.approx(_newton_by_hand(COURSE_SYMPY, 1.99, 1)[1], rel=1e-12)
    assert run.iterates[1] < -30  # the nearly flat tangent throws x_1 far off


def test_stalls_on_a_flat_tangent():
    run = newton_run(f1(COURSE), 2, 5)  # f'(2) = 0 exactly
    assert float(sp.diff(COURSE_SYMPY, X).subs(X, 2)) == 0
    assert run.fate == "stalls" and run.steps == ()


def test_cycle_is_detected_in_closed_form():
    # x^3 - 2x + 2 from 0: x1 = 0 - 2/(-2) = 1, x2 = 1 - 1/1 = 0, for ever.
    run = newton_run(f1("x^3 - 2x + 2"), 0, 8)
    assert run.fate == "cycles" and run.period == 2
    assert run.iterates.tolist() == [0.0, 1.0, 0.0]
    assert "cycle" in run.verdict


def test_runs_away():
    run = newton_run(f1("x exp(-x^2)"), 1.5, 6)  # beyond x = 1/sqrt(2) the tangents point outwards
    assert run.fate == "runs_away"
    assert np.all(np.diff(run.iterates) > 0)
    assert np.allclose(run.iterates, _newton_by_hand(X * sp.exp(-X**2), 1.5, 6), rtol=1e-12)
    # a run that converges monotonically is not running away: log(x) = 1 from x = 1
    assert newton_run(f1("log(x) - 1"), 1, 3).fate == "unsettled"
    assert newton_run(f1("log(x) - 1"), 1, 10).iterates[-1] == pytest.approx(math.e)
