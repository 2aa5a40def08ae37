"""Fitting lines and curves: closed-form least squares, descent fits, histograms.

All functions are vectorised over the data: loops run over descent steps,
never over data points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import (
    MathsError,
    as_nonnegative_int,
    as_positive_float,
    as_positive_int,
    as_vector,
    format_number,
)
from .expressions import Function, parse_function

__all__ = [
    "LineFit",
    "DescentFit",
    "Histogram",
    "least_squares",
    "predict",
    "fit_by_gradient_descent",
    "gaussian",
    "nonlinear_least_squares",
    "formula_model",
    "fit_formula_by_descent",
    "formula_samples",
    "histogram",
]

_DIVERGENCE_BOUND = 1e12


@dataclass(frozen=True)
class LineFit:
    """Least-squares line ``y ≈ slope·x + intercept``.

    Attributes
    ----------
    slope, intercept : float
    residuals : ndarray, shape (N,)
        ``y - (slope·x + intercept)``.
    r_squared : float
        ``1 - SS_res / SS_tot`` (1.0 when y is constant and fitted exactly).
    """

    slope: float
    intercept: float
    residuals: np.ndarray
    r_squared: float

    def predict(self, x: Any) -> np.ndarray:
        """``slope·x + intercept`` for x of any shape."""
        return self.slope * np.asarray(x, dtype=np.float64) + self.intercept


@dataclass(frozen=True)
class DescentFit:
    """Parameter and loss history of a fit by steepest descent.

    Attributes
    ----------
    params : ndarray, shape (k + 1, p)
        Start parameters then the parameters after each step. For
        :func:`fit_by_gradient_descent` p = 2: (slope, intercept). For
        :func:`nonlinear_least_squares`: (μ, σ) or (μ, σ, a).
    losses : ndarray, shape (k + 1,)
        Loss at each parameter row (mean squared error, or chi-squared).
    diverged : bool
        True if the loss or parameters became non-finite / exceeded 1e12
        (or σ became non-positive); the history then ends at the last good
        row and k < steps.
    reason : str
        Why the iteration ended.
    """

    params: np.ndarray
    losses: np.ndarray
    diverged: bool
    reason: str

    @property
    def final(self) -> np.ndarray:
        """Last parameter row, shape (p,)."""
        return np.asarray(self.params[-1], dtype=np.float64)


@dataclass(frozen=True)
class Histogram:
    """Histogram of 1-D data.

    Attributes
    ----------
    centres : ndarray, shape (bins,)
    heights : ndarray, shape (bins,)
        Counts, or densities (area 1) if ``density=True``.
    edges : ndarray, shape (bins + 1,)
    """

    centres: np.ndarray
    heights: np.ndarray
    edges: np.ndarray


def _xy(x: Any, y: Any, minimum: int = 2) -> tuple[np.ndarray, np.ndarray]:
    x = as_vector(x, "x")
    y = as_vector(y, "y")
    if x.shape != y.shape:
        raise MathsError(f"x and y must have the same length, got {x.shape[0]} and {y.shape[0]}")
    if x.shape[0] < minimum:
        raise MathsError(f"need at least {minimum} data points, got {x.shape[0]}")
    # Contiguous: BLAS sums a strided column (a table's column) in another order, so the same values
    # laid out differently would give results that differ in the last digit.
    return np.ascontiguousarray(x), np.ascontiguousarray(y)


def least_squares(x: Any, y: Any) -> LineFit:
    """Closed-form least-squares line through (x, y).

    ``slope = Σ(x - x̄)(y - ȳ) / Σ(x - x̄)²``, ``intercept = ȳ - slope·x̄``.

    Parameters
    ----------
    x, y : array_like, shape (N,)
        N ≥ 2 data points; x must not be constant.

    Returns
    -------
    LineFit
    """
    x, y = _xy(x, y)
    n = x.shape[0]
    mx = x.sum() / n
    my = y.sum() / n
    xc = x - mx
    sxx = float(np.dot(xc, xc))
    if sxx <= (1e-12 * max(abs(mx), 1e-300)) ** 2 * n:
        raise MathsError(
            f"all x values are equal (x = {format_number(mx)}): a vertical line has no slope"
        )
    slope = float(np.dot(xc, y)) / sxx  # Σ xc (y - ȳ) == Σ xc y since Σ xc = 0
    intercept = float(my - slope * mx)
    residuals = y - my
    residuals -= slope * xc
    ss_res = float(np.dot(residuals, residuals))
    ss_tot = ss_res + slope * slope * sxx  # Pythagoras: SS_tot = SS_res + SS_reg
    r_squared = 1.0 if ss_tot == 0 else 1.0 - ss_res / ss_tot
    return LineFit(slope=slope, intercept=intercept, residuals=residuals, r_squared=r_squared)


def predict(fit: LineFit, x: Any) -> np.ndarray:
    """``fit.slope·x + fit.intercept``; same as ``fit.predict(x)``."""
    return fit.predict(x)


def fit_by_gradient_descent(
    x: Any,
    y: Any,
    learning_rate: float,
    steps: int,
    start: Any = (0.0, 0.0),
) -> DescentFit:
    """Fit ``y ≈ m x + c`` by steepest descent on the mean squared error.

    ``L(m, c) = mean((m x + c - y)²)``, ``∂L/∂m = 2 mean(r x)``,
    ``∂L/∂c = 2 mean(r)`` with residual ``r = m x + c - y``.

    Parameters
    ----------
    x, y : array_like, shape (N,)
    learning_rate : float
    steps : int
    start : (float, float)
        Starting (slope, intercept).

    Returns
    -------
    DescentFit
        ``params`` (k + 1, 2) of (slope, intercept), ``losses`` (k + 1,).
    """
    x, y = _xy(x, y, minimum=1)
    eta = as_positive_float(learning_rate, "learning_rate")
    steps = as_nonnegative_int(steps, "steps")
    m, c = as_vector(start, "start", dim=2)
    n = x.shape[0]
    buffer = np.empty_like(x)

    def residual(m: float, c: float) -> np.ndarray:
        """``m x + c - y`` into a reused buffer (no allocation per step)."""
        np.multiply(x, m, out=buffer)
        np.add(buffer, c, out=buffer)
        np.subtract(buffer, y, out=buffer)
        return np.asarray(buffer, dtype=np.float64)

    res = residual(m, c)
    params = [(m, c)]
    losses = [float(np.dot(res, res)) / n]
    diverged, reason = False, f"stopped after {steps} steps"
    for _ in range(steps):
        gm = 2.0 * float(np.dot(res, x)) / n
        gc = 2.0 * float(res.sum()) / n
        m, c = m - eta * gm, c - eta * gc
        res = residual(m, c)
        loss = float(np.dot(res, res)) / n
        if not (math.isfinite(loss) and abs(m) < _DIVERGENCE_BOUND and abs(c) < _DIVERGENCE_BOUND):
            diverged, reason = True, "the parameters blew up (diverged); try a smaller learning rate"
            break
        params.append((m, c))
        losses.append(loss)
    return DescentFit(params=np.array(params), losses=np.array(losses), diverged=diverged,
                      reason=reason)


def gaussian(x: Any, mu: float, sigma: float, amplitude: float | None = None) -> np.ndarray:
    """Gaussian curve.

    ``amplitude=None`` gives the normal density
    ``exp(-(x-μ)²/(2σ²)) / (σ√(2π))``; otherwise ``a·exp(-(x-μ)²/(2σ²))``.

    Parameters
    ----------
    x : array_like, any shape
    mu, sigma : float
        Centre and width (σ > 0).
    amplitude : float, optional

    Returns
    -------
    ndarray, same shape as x
    """
    x = np.asarray(x, dtype=np.float64)
    g = np.exp(-((x - mu) ** 2) / (2.0 * sigma**2))
    if amplitude is None:
        return np.asarray(g / (sigma * math.sqrt(2.0 * math.pi)), dtype=np.float64)
    return np.asarray(amplitude * g, dtype=np.float64)


def _gaussian_chi2(
    x: np.ndarray, y: np.ndarray, p: np.ndarray
) -> tuple[float, np.ndarray]:
    """χ² = Σ (y - model)² and its gradient w.r.t. the parameters p."""
    mu, sigma = p[0], p[1]
    d = x - mu
    g = np.exp(-(d * d) / (2.0 * sigma * sigma))
    if p.shape[0] == 2:  # normalised density
        amp = 1.0 / (sigma * math.sqrt(2.0 * math.pi))
        model = amp * g
        dmu = model * d / sigma**2
        dsigma = model * (d * d / sigma**3 - 1.0 / sigma)
        jac: tuple[np.ndarray, ...] = (dmu, dsigma)
    else:
        model = p[2] * g
        dmu = model * d / sigma**2
        dsigma = model * d * d / sigma**3
        jac = (dmu, dsigma, g)
    r = y - model
    chi2 = float(np.dot(r, r))
    grad = np.array([-2.0 * float(np.dot(r, j)) for j in jac])
    return chi2, grad


def nonlinear_least_squares(
    x: Any, y: Any, start: Any, learning_rate: float, steps: int
) -> DescentFit:
    """Fit a Gaussian to a histogram by steepest descent on chi-squared.

    ``χ²(p) = Σ_i (y_i - model(x_i; p))²`` and ``p ← p - η ∇χ²``.

    Parameters
    ----------
    x : array_like, shape (N,)
        Bin centres.
    y : array_like, shape (N,)
        Bin heights.
    start : (μ, σ) or (μ, σ, a)
        Two parameters fit the normal *density* (as in the course; use
        ``histogram(..., density=True)``); three fit ``a·exp(-(x-μ)²/(2σ²))``.
    learning_rate : float
    steps : int

    Returns
    -------
    DescentFit
        ``params`` (k + 1, 2 or 3) and ``losses`` = χ² (k + 1,). If σ becomes
        ≤ 0 or anything blows up, it stops with ``diverged`` True.
    """
    x, y = _xy(x, y, minimum=1)
    p = as_vector(start, "start")
    if p.shape[0] not in (2, 3):
        raise MathsError(f"start must be (mu, sigma) or (mu, sigma, amplitude), got {p.shape[0]} numbers")
    if p[1] <= 0:
        raise MathsError(f"sigma must be positive, got {format_number(p[1])}")
    eta = as_positive_float(learning_rate, "learning_rate")
    steps = as_nonnegative_int(steps, "steps")
    chi2, grad = _gaussian_chi2(x, y, p)
    params, losses = [p], [chi2]
    diverged, reason = False, f"stopped after {steps} steps"
    for _ in range(steps):
        new = p - eta * grad
        if new[1] <= 0:
            diverged, reason = True, "sigma became zero or negative; try a smaller learning rate"
            break
        chi2_new, grad_new = _gaussian_chi2(x, y, new)
        if not (math.isfinite(chi2_new) and np.all(np.isfinite(grad_new))
                and np.abs(new).max() < _DIVERGENCE_BOUND):
            diverged, reason = True, "the parameters blew up (diverged); try a smaller learning rate"
            break
        p, chi2, grad = new, chi2_new, grad_new
        params.append(p)
        losses.append(chi2)
    return DescentFit(params=np.array(params), losses=np.array(losses), diverged=diverged,
                      reason=reason)


def formula_model(formula: str, parameters: Sequence[str], variable: str = "x") -> Function:
    """A model ``y = f(x; p1, ..., pP)`` from formula text, parsed safely.

    Parameters
    ----------
    formula : str
        E.g. ``"a*exp(-(x - mu)**2/(2*sigma**2))"``.
    parameters : sequence of str, length P ≥ 1
        The parameters' names, in the order of the parameter vector.
    variable : str, default "x"
        The name of the independent variable.

    Returns
    -------
    Function
        Of the variables ``(variable, *parameters)``: ``value(points)`` with
        points of shape ``(..., 1 + P)``.

    Raises
    ------
    MathsError
        For a bad formula (an ``ExpressionError`` with its column), no
        parameters, or a parameter the formula does not use.
    """
    names = tuple(parameters)
    if not names:
        raise MathsError("a model needs at least one parameter")
    if variable in names:
        raise MathsError(f"{variable!r} is the variable; it cannot also be a parameter")
    model = parse_function(formula, (variable, *names))
    used = {str(s) for s in model.expr.free_symbols}
    unused = [n for n in names if n not in used]
    if unused:
        raise MathsError(f"the formula does not use the parameter{'s' if len(unused) > 1 else ''} "
                         f"{', '.join(unused)}")
    return model


def formula_samples(
    formula: str | Function,
    parameters: Sequence[str],
    values: Any,
    n: int,
    x_range: Any,
    noise: float = 0.0,
    seed: int = 0,
    variable: str = "x",
) -> tuple[np.ndarray, np.ndarray]:
    """Data about a formula model: n evenly spaced x and ``y = f(x; values) + noise``.

    Parameters
    ----------
    formula : str or Function
        The model (see :func:`formula_model`).
    parameters : sequence of str, length P
    values : array_like, shape (P,)
        The parameters' true values.
    n : int
        How many points (≥ 2).
    x_range : (float, float)
        x runs evenly from the first to the second.
    noise : float, default 0
        Standard deviation of the Gaussian noise added to y (seeded).
    seed : int, default 0
    variable : str, default "x"

    Returns
    -------
    x, y : ndarray, shape (n,)
    """
    model = formula if isinstance(formula, Function) else formula_model(formula, parameters, variable)
    p = as_vector(values, "values", dim=len(tuple(parameters)))
    n = as_positive_int(n, "n")
    lo, hi = as_vector(x_range, "x_range", dim=2)
    if not lo < hi:
        raise MathsError(f"x_range must go from low to high, got [{format_number(lo)}, {format_number(hi)}]")
    x = np.linspace(lo, hi, n)
    points = np.column_stack([x, np.broadcast_to(p, (n, p.shape[0]))])
    y = model.value(points)
    if not np.all(np.isfinite(y)):
        raise MathsError("the model is not finite everywhere in x_range with these values")
    if noise:
        y = y + np.random.default_rng(seed).normal(0.0, as_positive_float(noise, "noise"), n)
    return x, np.asarray(y, dtype=np.float64)


def _formula_chi2(model: Function, x: np.ndarray, y: np.ndarray, p: np.ndarray) -> tuple[float, np.ndarray]:
    """χ² = Σ (y - f(x; p))² and its gradient ``-2 Σ r ∂f/∂p``, shape (P,)."""
    points = np.empty((x.shape[0], 1 + p.shape[0]))
    points[:, 0] = x
    points[:, 1:] = p
    r = y - model.value(points)
    jac = model.gradient(points)[:, 1:]
    return float(np.dot(r, r)), -2.0 * (r @ jac)


def fit_formula_by_descent(
    formula: str | Function,
    parameters: Sequence[str],
    x: Any,
    y: Any,
    start: Any,
    learning_rate: float,
    steps: int,
    variable: str = "x",
) -> DescentFit:
    """Fit ``y ≈ f(x; p)`` for any formula f by steepest descent on chi-squared.

    ``χ²(p) = Σ_i (y_i - f(x_i; p))²``, ``∇χ² = -2 Σ_i r_i ∂f/∂p (x_i; p)`` with
    the partial derivatives taken symbolically, and ``p ← p - η ∇χ²``.

    Parameters
    ----------
    formula : str or Function
        The model (see :func:`formula_model`), e.g. ``"a*exp(-(x - mu)**2/(2*sigma**2))"``.
    parameters : sequence of str, length P
        The parameters' names, in the order of ``start``.
    x, y : array_like, shape (N,)
    start : array_like, shape (P,)
    learning_rate : float
        η > 0.
    steps : int
        Steps to take (≥ 0).
    variable : str, default "x"

    Returns
    -------
    DescentFit
        ``params`` (k + 1, P) and ``losses`` = χ² (k + 1,). If χ², its
        gradient or the parameters stop being finite (or pass 1e12), it stops
        with ``diverged`` True and k < steps.
    """
    model = formula if isinstance(formula, Function) else formula_model(formula, parameters, variable)
    x, y = _xy(x, y, minimum=1)
    p = as_vector(start, "start", dim=len(tuple(parameters)))
    eta = as_positive_float(learning_rate, "learning_rate")
    steps = as_nonnegative_int(steps, "steps")
    chi2, grad = _formula_chi2(model, x, y, p)
    if not (math.isfinite(chi2) and np.all(np.isfinite(grad))):
        raise MathsError("the model is not finite at the start for every x; choose another start")
    params, losses = [p], [chi2]
    diverged, reason = False, f"stopped after {steps} steps"
    for _ in range(steps):
        new = p - eta * grad
        chi2_new, grad_new = _formula_chi2(model, x, y, new)
        if not (math.isfinite(chi2_new) and np.all(np.isfinite(grad_new))
                and np.abs(new).max() < _DIVERGENCE_BOUND):
            diverged, reason = True, "the parameters blew up (diverged); try a smaller learning rate"
            break
        p, chi2, grad = new, chi2_new, grad_new
        params.append(p)
        losses.append(chi2)
    return DescentFit(params=np.array(params), losses=np.array(losses), diverged=diverged, reason=reason)


def histogram(data: Any, bins: int = 10, density: bool = True) -> Histogram:
    """Histogram with bin centres, ready for :func:`nonlinear_least_squares`.

    Parameters
    ----------
    data : array_like, shape (N,)
    bins : int
    density : bool, default True
        Heights integrate to 1 (needed to fit the normal density); False
        gives counts.

    Returns
    -------
    Histogram
    """
    data = as_vector(data, "data")
    bins = as_positive_int(bins, "bins")
    heights, edges = np.histogram(data, bins=bins, density=density)
    return Histogram(centres=(edges[:-1] + edges[1:]) / 2, heights=heights.astype(np.float64),
                     edges=edges)
