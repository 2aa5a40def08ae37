"""Inner products of functions: closed forms and scipy's quadrature as the references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from mmlanim.maths import MathsError
from mmlanim.maths.expressions import parse_function
from mmlanim.maths.function_space import bound_value, function_inner_product, running_integral


def fn(text):
    return parse_function(text, ("x",))


def quad(h, a, b):
    return integrate.quad(h, a, b, limit=200, epsabs=1e-12, epsrel=1e-12)[0]


@pytest.mark.parametrize("f, g, a, b, inner, norm_f_sq, norm_g_sq", [
    ("sin(x)", "cos(x)", "-pi", "pi", 0.0, math.pi, math.pi),  # orthogonal on [-π, π]
    ("x", "x^2", -1, 1, 0.0, 2 / 3, 2 / 5),  # odd times even
    ("1", "x", 0, 1, 0.5, 1.0, 1 / 3),
    ("sin(3x)", "sin(5x)", "-pi", "pi", 0.0, math.pi, math.pi),  # Fourier modes
    ("sin(x)", "sin(x)", 0, "pi", math.pi / 2, math.pi / 2, math.pi / 2),
])
def test_closed_forms(f, g, a, b, inner, norm_f_sq, norm_g_sq):
    r = function_inner_product(fn(f), fn(g), a, b)
    assert r.exact
    assert r.inner == pytest.approx(inner, abs=1e-12)
    assert r.norm_f == pytest.approx(math.sqrt(norm_f_sq), rel=1e-12)
    assert r.norm_g == pytest.approx(math.sqrt(norm_g_sq), rel=1e-12)
    assert r.orthogonal() == (inner == 0)
    if inner == 0:
        assert r.cos == 0 and math.degrees(r.angle) == pytest.approx(90)


def test_exact_values_are_typeset():
    r = function_inner_product(fn("sin(x)"), fn("cos(x)"), "-pi", "pi")
    assert (r.inner_latex, r.norm_f_sq_latex, r.norm_g_sq_latex) == ("0", r"\pi", r"\pi")
    r = function_inner_product(fn("1"), fn("x"), 0, 1)
    assert r.inner_latex == r"\frac{1}{2}" and r.norm_g_sq_latex == r"\frac{1}{3}"


@pytest.mark.parametrize("f, g, a, b, np_f, np_g", [
    ("exp(sin(x))", "cos(x^2)", 0, 3, lambda x: np.exp(np.sin(x)), lambda x: np.cos(x**2)),  # no closed form
    ("x", "exp(-x^2)", -1, 2, lambda x: x, lambda x: np.exp(-x**2)),  # erf: numeric
    ("abs(x)", "x - 0.5", -1, 2, np.abs, lambda x: x - 0.5),  # a kink
    ("x^3 - x", "cos(2x) + 0.3", -1.5, 2, lambda x: x**3 - x, lambda x: np.cos(2 * x) + 0.3),
])
def test_against_scipy_quad(f, g, a, b, np_f, np_g):
    r = function_inner_product(fn(f), fn(g), a, b)
    product = lambda x: np_f(x) * np_g(x)  # noqa: E731
    assert r.inner == pytest.approx(quad(product, a, b), rel=1e-9, abs=1e-12)
    assert r.norm_f == pytest.approx(math.sqrt(quad(lambda x: np_f(x) ** 2, a, b)), rel=1e-9)
    assert r.norm_g == pytest.approx(math.sqrt(quad(lambda x: np_g(x) ** 2, a, b)), rel=1e-9)
    # the areas above and below the axis, and the angle from arccos
    assert r.positive == pytest.approx(quad(lambda x: np.maximum(product(x), 0), a, b), rel=1e-7, abs=1e-9)
    assert r.negative == pytest.approx(quad(lambda x: np.minimum(product(x), 0), a, b), rel=1e-7, abs=1e-9)
    assert r.positive + r.negative == pytest.approx(r.inner, abs=1e-12)
    cos = quad(product, a, b) / math.sqrt(quad(lambda x: np_f(x) ** 2, a, b) * quad(lambda x: np_g(x) ** 2, a, b))
    assert r.angle == pytest.approx(math.acos(cos), rel=1e-8)
    # the sign changes of f·g are where it crosses zero
    assert np.allclose(product(np.asarray(r.zeros)), 0, atol=1e-9)


def test_running_integral_against_quad():
    xs = np.array([-0.5, 0.0, 1.0, 2.5])
    got = running_integral(fn("x^2"), fn("sin(x)"), -2, xs)
    assert got == pytest.approx([quad(lambda t: t**2 * np.sin(t), -2, x) for x in xs], abs=1e-12)
    with pytest.raises(MathsError, match="increasing"):
        running_integral(fn("x"), fn("x"), 0, [1, 0.5])


def test_bounds_and_errors():
    assert bound_value("-pi/2")[0] == pytest.approx(-math.pi / 2)
    assert bound_value(2)[0] == 2.0
    with pytest.raises(MathsError, match="not a formula in x"):
        bound_value("x + 1")
    with pytest.raises(MathsError, match="low to high"):
        function_inner_product(fn("x"), fn("x"), 1, -1)
    with pytest.raises(MathsError, match="g is zero on the whole interval"):
        function_inner_product(fn("x"), fn("0"), 0, 1)
    with pytest.raises(MathsError, match="f\\(x\\) g\\(x\\)"):
        function_inner_product(fn("1/x"), fn("1"), -1, 1)


@pytest.mark.parametrize("f, g, a, b, np_f, np_g", [
    ("x^5 sin(3x)", "exp(x) cos(2x)", 0, 2, lambda x: x**5 * np.sin(3 * x), lambda x: np.exp(x) * np.cos(2 * x)),
    ("sinh(x) cos(x)^3", "x^3 exp(-2x)", -1, 3, lambda x: np.sinh(x) * np.cos(x) ** 3, lambda x: x**3 * np.exp(-2 * x)),
])
def test_exponential_polynomials_are_integrated_exactly(f, g, a, b, np_f, np_g):
    """Products of polynomials, sines, cosines and exponentials, term by term in closed form."""
    r = function_inner_product(fn(f), fn(g), a, b)
    assert r.exact
    assert r.inner == pytest.approx(quad(lambda x: np_f(x) * np_g(x), a, b), rel=1e-10)
    assert r.norm_f**2 == pytest.approx(quad(lambda x: np_f(x) ** 2, a, b), rel=1e-10)
    assert r.norm_g**2 == pytest.approx(quad(lambda x: np_g(x) ** 2, a, b), rel=1e-10)
