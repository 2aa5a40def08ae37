"""Calculus for the MML lectures: descent paths, Newton's method, Taylor series.

Functions here take a :class:`~mmlanim.maths.expressions.Function` (from
:func:`~mmlanim.maths.expressions.parse_function`) or any object with the
same ``value(points)`` / ``gradient(points)`` methods, where points have
shape ``(..., n)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._lazy import sympy as sp
from ._validation import (
    MathsError,
    as_nonnegative_int,
    as_positive_float,
    as_vector,
    format_number,
)
from .expressions import Function

__all__ = [
    "DIVERGENCE_BOUND",
    "DescentPath",
    "RootSearch",
    "TaylorPolynomial",
    "gradient_descent",
    "newton_raphson",
    "newton_optimise",
    "taylor_polynomial",
    "numeric_gradient",
]

#: An iterate whose norm exceeds this is treated as divergence.
DIVERGENCE_BOUND = 1e12


@dataclass(frozen=True)
class DescentPath:
    """Iterates of an optimisation method.

    Attributes
    ----------
    path : ndarray, shape (k + 1, n)
        Start point followed by every accepted iterate. It ends early (k <
        steps) on convergence or divergence; on divergence it ends at the
        last point that was finite and within ``DIVERGENCE_BOUND``.
    values : ndarray, shape (k + 1,)
        f along the path.
    converged : bool
        The stopping tolerance was met.
    diverged : bool
        An iterate became non-finite or exceeded ``DIVERGENCE_BOUND``.
    reason : str
        Why the iteration stopped, in words.
    """

    path: np.ndarray
    values: np.ndarray
    converged: bool
    diverged: bool
    reason: str

    @property
    def iterations(self) -> int:
        """Number of steps taken, k."""
        return int(self.path.shape[0]) - 1

    @property
    def final(self) -> np.ndarray:
        """Last point of the path, shape (n,)."""
        return np.asarray(self.path[-1], dtype=np.float64)


@dataclass(frozen=True)
class RootSearch:
    """Iterates of 1-D Newton–Raphson root finding.

    Attributes
    ----------
    iterates : ndarray, shape (k + 1,)
        x0 followed by each Newton iterate.
    values : ndarray, shape (k + 1,)
        f at each iterate.
    converged : bool
        ``|f(x)| <= tol`` or the last step was below ``tol``.
    reason : str
        Why the iteration stopped.
    """

    iterates: np.ndarray
    values: np.ndarray
    converged: bool
    reason: str

    @property
    def root(self) -> float:
        """The last iterate (a root if ``converged``)."""
        return float(self.iterates[-1])


@dataclass(frozen=True)
class TaylorPolynomial:
    """Taylor polynomial of a one-variable function.

    Attributes
    ----------
    about : float
        Expansion point a.
    order : int
        Highest power.
    coefficients : ndarray, shape (order + 1,)
        ``c_k = f^(k)(a) / k!``, coefficient of ``(x - a)**k``.
    expr : sympy.Expr
        The polynomial (sympy may regroup the powers of ``x - a``). Simple
        fractions are kept exact, other coefficients rounded to 6 digits.
    latex : str
        LaTeX in ascending powers of ``(x - a)``, zero terms left out, e.g.
        ``1 + x + \\frac{1}{2} x^{2}``.
    """

    about: float
    order: int
    coefficients: np.ndarray
    expr: sp.Expr
    latex: str
    variable: str = field(default="x")

    def value(self, x: Any) -> np.ndarray:
        """Evaluate the polynomial; ``x`` of any shape → same shape."""
        t = np.asarray(x, dtype=np.float64) - self.about
        return np.polyval(self.coefficients[::-1], t)

    __call__ = value


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _dimension(f: Any) -> int | None:
    n = getattr(f, "n_variables", None)
    return int(n) if n is not None else None


def _require_one_variable(f: Any, what: str) -> Function:
    if not isinstance(f, Function):
        raise MathsError(f"{what} needs a function from parse_function, got {type(f).__name__}")
    if f.n_variables != 1:
        raise MathsError(
            f"{what} works with functions of one variable; f has variables {f.variables}. "
            "Parse it with variables=('x',)"
        )
    return f


def _point(value: Any, name: str) -> np.ndarray:
    """A point (n,); a bare number counts as a 1-D point."""
    try:
        scalar = np.ndim(value) == 0
    except ValueError:  # ragged: let as_vector explain
        scalar = False
    return as_vector([value] if scalar else value, name)


def _start(f: Any, start: Any) -> np.ndarray:
    x = _point(start, "start")
    n = _dimension(f)
    if n is not None and x.shape[0] != n:
        raise MathsError(f"start must have {n} coordinate(s) for f{f.variables}, got {x.shape[0]}")
    return x


def _escaped(x: np.ndarray, fx: float) -> bool:
    return bool(not (np.all(np.isfinite(x)) and math.isfinite(fx)) or np.linalg.norm(x) > DIVERGENCE_BOUND)


def _descent(
    f: Any,
    start: np.ndarray,
    steps: int,
    tol: float,
    step_fn: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray | None, str]],
) -> DescentPath:
    """Shared loop: stop on small gradient, divergence or a refused step."""
    x = start
    fx = float(f.value(x))
    if _escaped(x, fx):
        raise MathsError(f"f is not finite at the start point {x.tolist()}")
    path, values = [x], [fx]
    converged = diverged = False
    reason = f"stopped after {steps} steps"
    for _ in range(steps):
        g = np.asarray(f.gradient(x), dtype=np.float64)
        if not np.all(np.isfinite(g)):
            diverged, reason = True, "the gradient is not finite"
            break
        if np.linalg.norm(g) <= tol:
            converged, reason = True, f"gradient norm below {format_number(tol)}"
            break
        new, why = step_fn(x, g)
        if new is None:
            reason = why
            break
        fnew = float(f.value(new))
        if _escaped(new, fnew):
            diverged, reason = True, "the iterates blew up (diverged); try a smaller step"
            break
        x, fx = new, fnew
        path.append(x)
        values.append(fx)
    else:
        g = np.asarray(f.gradient(x), dtype=np.float64)
        if np.all(np.isfinite(g)) and np.linalg.norm(g) <= tol:
            converged, reason = True, f"gradient norm below {format_number(tol)}"
    return DescentPath(
        path=np.array(path), values=np.array(values), converged=converged,
        diverged=diverged, reason=reason,
    )


# ---------------------------------------------------------------------------
# public
# ---------------------------------------------------------------------------


def gradient_descent(
    f: Any, start: Any, learning_rate: float, steps: int, tol: float = 1e-10
) -> DescentPath:
    """Steepest descent ``x ← x - η ∇f(x)``.

    Parameters
    ----------
    f : Function or object with ``value`` and ``gradient``
        The function to minimise.
    start : array_like, shape (n,)
        Starting point.
    learning_rate : float
        Step size η > 0.
    steps : int
        Maximum number of steps.
    tol : float, default 1e-10
        Stop (converged) once ``|∇f| <= tol``.

    Returns
    -------
    DescentPath
        ``path`` (k + 1, n) with k ≤ steps. Divergence (non-finite values or
        ``|x| > 1e12``) stops the iteration without raising: ``diverged`` is
        True and the path ends at the last finite point.
    """
    x0 = _start(f, start)
    eta = as_positive_float(learning_rate, "learning_rate")
    steps = as_nonnegative_int(steps, "steps")
    tol = as_positive_float(tol, "tol", allow_zero=True)
    return _descent(f, x0, steps, tol, lambda x, g: (x - eta * g, ""))


def newton_optimise(f: Any, start: Any, steps: int = 20, tol: float = 1e-10) -> DescentPath:
    """Newton's method for optimisation ``x ← x - H⁻¹ ∇f``.

    Parameters
    ----------
    f : Function or object with ``value``, ``gradient`` and ``hessian``
    start : array_like, shape (n,)
    steps : int
        Maximum number of steps.
    tol : float
        Stop (converged) once ``|∇f| <= tol``.

    Returns
    -------
    DescentPath
        Stops (not converged) with a reason if the Hessian becomes singular.
        Newton's method finds stationary points: it may converge to a
        maximum or saddle.
    """
    x0 = _start(f, start)
    steps = as_nonnegative_int(steps, "steps")
    tol = as_positive_float(tol, "tol", allow_zero=True)

    def step(x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray | None, str]:
        H = np.asarray(f.hessian(x), dtype=np.float64)
        if not np.all(np.isfinite(H)):
            return None, "the Hessian is not finite"
        if np.linalg.matrix_rank(H) < H.shape[0]:
            return None, f"the Hessian is singular at {np.round(x, 6).tolist()}"
        return x - np.linalg.solve(H, g), ""

    return _descent(f, x0, steps, tol, step)


def newton_raphson(f: Function, x0: float, steps: int = 20, tol: float = 1e-12) -> RootSearch:
    """Newton–Raphson root finding for f(x) = 0 in one variable.

    ``x ← x - f(x) / f'(x)``.

    Parameters
    ----------
    f : Function
        One-variable function (``parse_function(text, variables=("x",))``).
    x0 : float
        Starting guess.
    steps : int
        Maximum number of steps.
    tol : float
        Converged when ``|f(x)| <= tol`` or ``|step| <= tol·(1 + |x|)``.

    Returns
    -------
    RootSearch
        Stops without raising on a zero derivative (``converged`` False,
        ``reason`` says where) or divergence.
    """
    f = _require_one_variable(f, "newton_raphson")
    x = _start(f, x0)[0]
    steps = as_nonnegative_int(steps, "steps")
    tol = as_positive_float(tol, "tol", allow_zero=True)
    fx = float(f.value([x]))
    if not math.isfinite(fx):
        raise MathsError(f"f is not finite at the start point x = {format_number(x)}")
    xs, fs = [x], [fx]
    converged = abs(fx) <= tol
    reason = "|f(x)| below tolerance" if converged else f"stopped after {steps} steps"
    for _ in range(0 if converged else steps):
        d = float(f.gradient([x])[0])
        if not math.isfinite(d) or d == 0.0:
            reason = f"zero derivative at x = {format_number(x, 8)}: the tangent never meets 0"
            break
        new = x - fx / d
        fnew = float(f.value([new]))
        if not (math.isfinite(new) and math.isfinite(fnew)) or abs(new) > DIVERGENCE_BOUND:
            reason = "the iterates diverged"
            break
        step, x, fx = new - x, new, fnew
        xs.append(x)
        fs.append(fx)
        if abs(fx) <= tol or abs(step) <= tol * (1 + abs(x)):
            converged, reason = True, "|f(x)| below tolerance" if abs(fx) <= tol else "step below tolerance"
            break
    return RootSearch(iterates=np.array(xs), values=np.array(fs), converged=converged, reason=reason)


def _nice(value: sp.Expr) -> sp.Expr:
    """Keep simple fractions exact; round anything else to 6 digits."""
    if isinstance(value, sp.Rational) and value.q <= 10**6:
        return value
    as_float = float(value)
    fraction = sp.Rational(as_float).limit_denominator(1000)
    if abs(float(fraction) - as_float) <= 1e-12 * max(1.0, abs(as_float)):
        return fraction
    return sp.Float(as_float, 6)


def taylor_polynomial(f: Function, about: float, order: int) -> TaylorPolynomial:
    """Taylor polynomial ``Σ_{k≤order} f^(k)(a)/k! (x - a)^k``.

    Parameters
    ----------
    f : Function
        One-variable function.
    about : float
        Expansion point a; f must be defined (finite) there.
    order : int
        Highest power, 0 ≤ order ≤ 30.

    Returns
    -------
    TaylorPolynomial
        Coefficients (order + 1,), LaTeX and a vectorised ``value``.
    """
    f = _require_one_variable(f, "taylor_polynomial")
    order = as_nonnegative_int(order, "order")
    if order > 30:
        raise MathsError(f"order must be at most 30, got {order}")
    a_float = float(as_vector([about], "about")[0])
    a = sp.nsimplify(a_float, rational=True) if a_float == round(a_float, 12) else sp.Float(a_float)
    (x,) = f.symbols
    coeffs: list[float] = []
    nice: list[sp.Expr] = []
    derivative = f.expr
    for k in range(order + 1):
        if k:
            derivative = sp.diff(derivative, x)
        exact = derivative.subs(x, a) / sp.factorial(k)
        try:
            value = float(exact)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise MathsError(
                f"the derivative of order {k} of {f.text} is not finite at x = {format_number(a_float)}, "
                "so there is no Taylor polynomial there"
            )
        coeffs.append(value)
        nice.append(_nice(exact))
    shifted = x - a
    expr = sp.Add(*(c * shifted**k for k, c in enumerate(nice)))
    return TaylorPolynomial(
        about=a_float, order=order, coefficients=np.array(coeffs), expr=expr,
        latex=_taylor_latex(nice, shifted), variable=f.variables[0],
    )


def _taylor_latex(coefficients: list[sp.Expr], shifted: sp.Expr) -> str:
    """``1 + x + \\frac{1}{2} x^{2}``: ascending powers of (x - a), zeros left out."""
    base = sp.latex(shifted)
    if not shifted.is_Symbol:
        base = rf"\left({base}\right)"
    parts: list[str] = []
    for k, c in enumerate(coefficients):
        if c == 0:
            continue
        negative = bool(c < 0)
        mag = -c if negative else c
        power = "" if k == 0 else base if k == 1 else f"{base}^{{{k}}}"
        if k == 0:
            body = sp.latex(mag)
        elif mag == 1:
            body = power
        else:
            body = f"{sp.latex(mag)} {power}"
        if not parts:
            parts.append(f"-{body}" if negative else body)
        else:
            parts.append(f"- {body}" if negative else f"+ {body}")
    return " ".join(parts) if parts else "0"


def numeric_gradient(f: Any, point: Any, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient ``(f(x + h e_i) - f(x - h e_i)) / 2h``.

    Parameters
    ----------
    f : Function or callable
        Called once with an array of shape (2n, n) and must return (2n,).
    point : array_like, shape (n,)
    h : float
        Step.

    Returns
    -------
    ndarray, shape (n,)
    """
    x = _point(point, "point")
    h = as_positive_float(h, "h")
    n = x.shape[0]
    offsets = h * np.eye(n)
    pts = np.concatenate([x + offsets, x - offsets])
    fn = f.value if hasattr(f, "value") else f
    vals = np.asarray(fn(pts), dtype=np.float64).reshape(2 * n)
    return (vals[:n] - vals[n:]) / (2 * h)
