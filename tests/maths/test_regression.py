"""Regression against scikit-learn's LinearRegression and scipy's curve_fit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score

from mmlanim.maths import (
    MathsError,
    fit_by_gradient_descent,
    gaussian,
    histogram,
    least_squares,
    nonlinear_least_squares,
    predict,
)


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(2, 300), st.integers(0, 2**32 - 1), st.floats(-10, 10), st.floats(0, 5))
def test_least_squares_matches_sklearn(n: int, seed: int, slope: float, noise: float) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 7, n)
    y = slope * x + 1.5 + rng.normal(0, noise, n) if noise else slope * x + 1.5
    fit = least_squares(x, y)
    ref = LinearRegression().fit(x[:, None], y)
    assert fit.slope == pytest.approx(ref.coef_[0], rel=1e-9, abs=1e-9)
    assert fit.intercept == pytest.approx(ref.intercept_, rel=1e-9, abs=1e-9)
    pred = ref.predict(x[:, None])
    np.testing.assert_allclose(fit.residuals, y - pred, atol=1e-8)
    if np.var(y) > 1e-9:
        assert fit.r_squared == pytest.approx(r2_score(y, pred), abs=1e-9)
    np.testing.assert_allclose(fit.predict(x), pred, atol=1e-8)
    np.testing.assert_allclose(predict(fit, x), pred, atol=1e-8)


def test_least_squares_closed_form_and_lstsq() -> None:
    fit = least_squares([0, 1, 2, 3], [1, 3, 5, 7])
    assert (fit.slope, fit.intercept, fit.r_squared) == pytest.approx((2, 1, 1))
    rng = np.random.default_rng(5)
    x = rng.normal(size=1000)
    y = -0.7 * x + 4 + rng.normal(size=1000)
    coef, *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    fit = least_squares(x, y)
    np.testing.assert_allclose([fit.slope, fit.intercept], coef, rtol=1e-12)


def test_least_squares_bad_input() -> None:
    with pytest.raises(ValueError, match="same length, got 3 and 2"):
        least_squares([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="at least 2 data points"):
        least_squares([1], [1])
    with pytest.raises(ValueError, match="all x values are equal"):
        least_squares([2, 2, 2], [1, 2, 3])
    with pytest.raises(ValueError, match=r"x contains NaN \(not a number\) at position 1"):
        least_squares([1, np.nan, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="y contains infinity"):
        least_squares([1, 2, 3], [1, np.inf, 3])
    with pytest.raises(ValueError, match="empty"):
        least_squares([], [])
    with pytest.raises(ValueError, match="flat list"):
        least_squares([[1, 2]], [[1, 2]])


def test_gradient_descent_fit_converges_to_closed_form() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 500)
    y = 3 * x - 2 + rng.normal(0, 0.3, 500)
    res = fit_by_gradient_descent(x, y, learning_rate=0.5, steps=2000)
    exact = least_squares(x, y)
    assert not res.diverged
    assert res.params.shape == (2001, 2) and res.losses.shape == (2001,)
    np.testing.assert_allclose(res.final, [exact.slope, exact.intercept], atol=1e-8)
    np.testing.assert_allclose(res.losses[-1], np.mean(exact.residuals**2), rtol=1e-10)
    # the loss history is the MSE of each parameter row
    m, c = res.params[10]
    assert res.losses[10] == pytest.approx(np.mean((m * x + c - y) ** 2))
    # first step by hand
    g = np.array([2 * np.mean(-y * x), 2 * np.mean(-y)])
    np.testing.assert_allclose(res.params[1], -0.5 * g)


def test_gradient_descent_fit_diverges_gracefully() -> None:
    x = np.linspace(-10, 10, 50)
    res = fit_by_gradient_descent(x, 2 * x, learning_rate=1.0, steps=500, start=(1, 1))
    assert res.diverged and res.params.shape[0] < 501
    assert np.all(np.isfinite(res.params)) and np.all(np.isfinite(res.losses))
    with pytest.raises(ValueError, match="start must have 2 entries"):
        fit_by_gradient_descent(x, x, 0.1, 10, start=(1, 2, 3))


def test_histogram_and_gaussian_density() -> None:
    data = np.random.default_rng(1).normal(2.0, 0.5, 5000)
    h = histogram(data, bins=30)
    assert h.centres.shape == h.heights.shape == (30,) and h.edges.shape == (31,)
    assert np.sum(h.heights * np.diff(h.edges)) == pytest.approx(1.0)
    counts = histogram(data, bins=30, density=False)
    assert counts.heights.sum() == 5000
    x = np.linspace(-5, 9, 20001)
    assert np.sum(gaussian(x, 2.0, 0.7)) * (x[1] - x[0]) == pytest.approx(1.0, rel=1e-9)
    with pytest.raises(ValueError, match="bins must be at least 1"):
        histogram(data, bins=0)


def test_nonlinear_fit_density_matches_curve_fit() -> None:
    data = np.random.default_rng(2).normal(1.5, 0.8, 4000)
    h = histogram(data, bins=25)
    res = nonlinear_least_squares(h.centres, h.heights, start=(1.0, 1.2), learning_rate=0.05,
                                  steps=3000)
    assert not res.diverged and res.params.shape[1] == 2
    assert res.losses[-1] < res.losses[0]
    ref, _ = scipy.optimize.curve_fit(lambda x, mu, s: gaussian(x, mu, s), h.centres, h.heights,
                                      p0=(1.0, 1.2))
    np.testing.assert_allclose(res.final, ref, atol=2e-3)
    np.testing.assert_allclose(res.final, [1.5, 0.8], atol=0.1)


def test_nonlinear_fit_with_amplitude_matches_curve_fit() -> None:
    x = np.linspace(-3, 3, 40)
    y = gaussian(x, 0.3, 0.9, amplitude=5.0) + np.random.default_rng(3).normal(0, 0.05, 40)
    res = nonlinear_least_squares(x, y, start=(0.0, 1.0, 4.0), learning_rate=0.002, steps=3000)
    ref, _ = scipy.optimize.curve_fit(lambda x, mu, s, a: gaussian(x, mu, s, a), x, y,
                                      p0=(0.0, 1.0, 4.0))
    np.testing.assert_allclose(res.final, ref, atol=1e-3)
    # χ² history matches the definition
    mu, s, a = res.params[7]
    assert res.losses[7] == pytest.approx(np.sum((y - gaussian(x, mu, s, a)) ** 2))


def test_nonlinear_fit_bad_input_and_divergence() -> None:
    x = np.linspace(-3, 3, 40)
    y = gaussian(x, 0.0, 1.0)
    with pytest.raises(MathsError, match="sigma must be positive"):
        nonlinear_least_squares(x, y, start=(0, -1), learning_rate=0.1, steps=10)
    with pytest.raises(MathsError, match=r"\(mu, sigma\) or \(mu, sigma, amplitude\)"):
        nonlinear_least_squares(x, y, start=(0,), learning_rate=0.1, steps=10)
    res = nonlinear_least_squares(x, y * 50, start=(0.5, 0.3), learning_rate=10.0, steps=100)
    assert res.diverged and np.all(np.isfinite(res.params)) and np.all(res.params[:, 1] > 0)


# -- a model given as a formula --------------------------------------------------

_GAUSS = "a*exp(-(x - mu)**2/(2*sigma**2))"


def test_formula_fit_reaches_scipy_curve_fit():
    rng = np.random.default_rng(4)
    x = np.linspace(-3, 5, 40)
    y = 2.0 * np.exp(-(x - 1.2) ** 2 / (2 * 0.9**2)) + rng.normal(0, 0.05, x.shape)
    from mmlanim.maths import fit_formula_by_descent

    run = fit_formula_by_descent(_GAUSS, ["a", "mu", "sigma"], x, y, [1.0, 0.5, 1.5], 0.01, 3000)
    ref, _ = scipy.optimize.curve_fit(lambda t, a, mu, s: a * np.exp(-(t - mu) ** 2 / (2 * s**2)),
                                      x, y, p0=[1.0, 0.5, 1.5])
    assert not run.diverged
    np.testing.assert_allclose(run.final, ref, rtol=1e-6)
    chi2_ref = float(np.sum((y - ref[0] * np.exp(-(x - ref[1]) ** 2 / (2 * ref[2] ** 2))) ** 2))
    assert run.losses[-1] == pytest.approx(chi2_ref, rel=1e-9)
    assert run.losses[-1] < run.losses[0] / 20


def test_formula_fit_gradient_is_the_derivative_of_chi_squared():
    from mmlanim.maths import fit_formula_by_descent

    x = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    y = np.array([1.1, 1.9, 2.6, 5.5, 9.0])
    chi2 = lambda p: float(np.sum((y - p[0] * np.exp(p[1] * x)) ** 2))  # noqa: E731
    p0, eta = np.array([1.0, 0.5]), 1e-4
    run = fit_formula_by_descent("A*exp(k*x)", ["A", "k"], x, y, p0, eta, 1)
    h = 1e-6
    fd = np.array([(chi2(p0 + e) - chi2(p0 - e)) / (2 * h) for e in np.eye(2) * h])
    np.testing.assert_allclose(run.params[1], p0 - eta * fd, rtol=1e-9)
    assert run.losses[0] == pytest.approx(chi2(p0))


def test_formula_fit_of_a_line_matches_least_squares_and_refuses_bad_models():
    from mmlanim.maths import fit_formula_by_descent, formula_model

    rng = np.random.default_rng(0)
    x = rng.uniform(0, 4, 25)
    y = 0.7 * x - 0.3 + rng.normal(0, 0.2, 25)
    run = fit_formula_by_descent("m*x + c", ["m", "c"], x, y, [0, 0], 0.005, 5000)
    ref = LinearRegression().fit(x[:, None], y)
    np.testing.assert_allclose(run.final, [ref.coef_[0], ref.intercept_], rtol=1e-6)
    with pytest.raises(MathsError, match="does not use the parameter b"):
        formula_model("a*x", ["a", "b"])
    with pytest.raises(MathsError):
        formula_model("a*x + import", ["a"])
    blown = fit_formula_by_descent("m*x", ["m"], x, y, [0.0], 10.0, 50)
    assert blown.diverged and blown.params.shape[0] < 51


def test_formula_samples_follow_the_model_plus_seeded_noise():
    from mmlanim.maths import formula_samples

    x, y = formula_samples(_GAUSS, ["a", "mu", "sigma"], [2, 1, 0.5], 9, [-1, 3])
    np.testing.assert_allclose(x, np.linspace(-1, 3, 9))
    np.testing.assert_allclose(y, 2 * np.exp(-(x - 1) ** 2 / (2 * 0.25)), rtol=1e-12)
    _, noisy = formula_samples(_GAUSS, ["a", "mu", "sigma"], [2, 1, 0.5], 9, [-1, 3], noise=0.1, seed=3)
    _, again = formula_samples(_GAUSS, ["a", "mu", "sigma"], [2, 1, 0.5], 9, [-1, 3], noise=0.1, seed=3)
    np.testing.assert_array_equal(noisy, again)
    assert 0.02 < np.std(noisy - y) < 0.3
    with pytest.raises(MathsError, match="low to high"):
        formula_samples(_GAUSS, ["a", "mu", "sigma"], [2, 1, 0.5], 9, [3, -1])


def test_least_squares_does_not_depend_on_how_the_data_is_laid_out_in_memory():
    rng = np.random.default_rng(11)
    table = rng.normal(size=(257, 2)) + [0.0, 3.0]
    columns = least_squares(table[:, 0], table[:, 1])  # strided views of a table
    copies = least_squares(table[:, 0].copy(), table[:, 1].copy())
    assert (columns.slope, columns.intercept, columns.r_squared) == (copies.slope, copies.intercept,
                                                                     copies.r_squared)
    reference = np.polyfit(table[:, 0], table[:, 1], 1)
    np.testing.assert_allclose([columns.slope, columns.intercept], reference, rtol=1e-10)
