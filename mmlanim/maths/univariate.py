"""Curves y = f(x): difference quotients, tangent lines, and Newton–Raphson as tangents.

The numbers a plot of one function shows: the gradient of a chord (rise over
run), the slope of a secant as its second point closes in (h → 0), the
tangent at a point, and Newton–Raphson's iterates with the tangent that
gives each one, and what became of the iteration (a root, a cycle, a run
away). ``f`` is a one-variable :class:`~mmlanim.maths.expressions.Function`
(``parse_function(text, variables=("x",))``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ._validation import MathsError, as_nonnegative_int, format_number
from .calculus import RootSearch, _require_one_variable, newton_raphson
from .expressions import Function

__all__ = [
    "Chord",
    "NewtonRun",
    "NewtonStep",
    "Tangent",
    "chord",
    "newton_run",
    "secant_slopes",
    "tangent",
]


def _finite(value: Any, name: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise MathsError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise MathsError(f"{name} must be finite, got {value!r}")
    return x


def _at(f: Function, x: float, what: str) -> float:
    y = float(f.value([x]))
    if not math.isfinite(y):
        raise MathsError(f"f is not defined at x = {format_number(x)} ({what})")
    return y


@dataclass(frozen=True)
class Chord:
    """The chord of a curve from x = a to x = a + run.

    Attributes
    ----------
    a, run : float
        Where the chord starts, and Δx (non-zero).
    y0, y1 : float
        f(a) and f(a + run).
    """

    a: float
    run: float
    y0: float
    y1: float

    @property
    def rise(self) -> float:
        """Δy = f(a + run) − f(a)."""
        return self.y1 - self.y0

    @property
    def gradient(self) -> float:
        """Rise over run, Δy / Δx."""
        return self.rise / self.run


def chord(f: Function, a: float, run: float) -> Chord:
    """The chord from (a, f(a)) to (a + run, f(a + run)).

    Parameters
    ----------
    f : Function
        One-variable function.
    a : float
        First x.
    run : float
        Δx, non-zero.

    Returns
    -------
    Chord
    """
    f = _require_one_variable(f, "chord")
    a, run = _finite(a, "a"), _finite(run, "run")
    if run == 0:
        raise MathsError("the run Δx of a chord must not be 0")
    return Chord(a=a, run=run, y0=_at(f, a, "the chord's start"), y1=_at(f, a + run, "the chord's end"))


@dataclass(frozen=True)
class Tangent:
    """The tangent line at (x, y) with the given slope."""

    x: float
    y: float
    slope: float

    def value(self, xs: Any) -> np.ndarray:
        """The line's height at ``xs`` (any shape → same shape)."""
        return self.y + self.slope * (np.asarray(xs, dtype=np.float64) - self.x)

    @property
    def root(self) -> float | None:
        """Where the line crosses y = 0 (None for a horizontal line)."""
        return None if self.slope == 0 else self.x - self.y / self.slope


def tangent(f: Function, a: float) -> Tangent:
    """The tangent to y = f(x) at x = a, its slope f'(a) from the symbolic derivative.

    Raises
    ------
    MathsError
        If f or f' is not finite at a.
    """
    f = _require_one_variable(f, "tangent")
    a = _finite(a, "a")
    y = _at(f, a, "the point of the tangent")
    slope = float(f.gradient([a])[0])
    if not math.isfinite(slope):
        raise MathsError(f"f has no finite derivative at x = {format_number(a)}, so no tangent there")
    return Tangent(x=a, y=y, slope=slope)


def secant_slopes(f: Function, a: float, hs: Any) -> np.ndarray:
    """Slopes of the secants through (a, f(a)) and (a + h, f(a + h)): ``(f(a + h) − f(a)) / h``.

    Parameters
    ----------
    f : Function
        One-variable function.
    a : float
        The fixed point.
    hs : array_like, shape (k,)
        Offsets; an ``h`` of exactly 0 gives the limit, f'(a).

    Returns
    -------
    ndarray, shape (k,)
    """
    f = _require_one_variable(f, "secant_slopes")
    a = _finite(a, "a")
    h = np.atleast_1d(np.asarray(hs, dtype=np.float64))
    if h.ndim != 1 or not np.all(np.isfinite(h)):
        raise MathsError("hs must be a list of finite numbers")
    y0 = _at(f, a, "the fixed point of the secant")
    with np.errstate(all="ignore"):
        far = f.value((a + h)[:, None])
        out = np.where(h == 0, 0.0, (far - y0) / np.where(h == 0, 1.0, h))
    if np.any(h == 0):
        out = np.where(h == 0, tangent(f, a).slope, out)
    return np.asarray(out, dtype=np.float64)


@dataclass(frozen=True)
class NewtonStep:
    """One Newton–Raphson step: the tangent at x_k and where it meets zero, x_{k+1}."""

    x: float
    y: float
    slope: float
    next: float

    @property
    def tangent(self) -> Tangent:
        return Tangent(self.x, self.y, self.slope)


Fate = Literal["converged", "cycles", "runs_away", "stalls", "unsettled"]


@dataclass(frozen=True)
class NewtonRun:
    """Newton–Raphson from a start, step by step, and what became of it.

    Attributes
    ----------
    search : RootSearch
        The iterates and f at each (from :func:`~mmlanim.maths.calculus.newton_raphson`).
    steps : tuple of NewtonStep
        One per step taken (``len(search.iterates) - 1``).
    fate : str
        ``converged`` (a root), ``cycles`` (an iterate returns to an earlier one),
        ``runs_away`` (the iterates blew up, or their last steps all head away from 0
        without shrinking), ``stalls`` (a
        zero derivative: the tangent never meets zero) or ``unsettled`` (no root
        within the steps, and no pattern).
    period : int
        The cycle's length when ``fate`` is ``cycles``, else 0.
    verdict : str
        The fate in words, with the numbers.
    """

    search: RootSearch
    steps: tuple[NewtonStep, ...]
    fate: Fate
    period: int
    verdict: str

    @property
    def iterates(self) -> np.ndarray:
        """x_0 … x_k, shape (k + 1,)."""
        return self.search.iterates


def _cycle(xs: np.ndarray, rtol: float) -> tuple[int, int] | None:
    """(first index, period) of the first iterate that comes back to an earlier one (not the one before)."""
    for k in range(2, len(xs)):
        for j in range(k - 1):
            if abs(xs[k] - xs[j]) <= rtol * (1.0 + abs(xs[j])):
                return j, k - j
    return None


def _running_away(xs: np.ndarray) -> bool:
    """The last three steps go the same way, away from 0, and hardly shrink (a converging run's
    steps shrink fast)."""
    if len(xs) < 4:
        return False
    steps = np.diff(xs[-4:])
    same_way = bool(np.all(np.sign(steps) == np.sign(steps[-1])) and steps[-1] != 0)
    outwards = bool(np.all(np.diff(np.abs(xs[-4:])) > 0))
    return same_way and outwards and abs(steps[-1]) > 0.5 * abs(steps[0])


def newton_run(f: Function, x0: float, steps: int = 10, *, tol: float = 1e-12,
               cycle_rtol: float = 1e-4) -> NewtonRun:
    """Newton–Raphson ``x ← x − f(x)/f'(x)`` from ``x0``, with the tangent of every step.

    Parameters
    ----------
    f : Function
        One-variable function.
    x0 : float
        Start.
    steps : int
        Most steps taken.
    tol : float
        As in :func:`~mmlanim.maths.calculus.newton_raphson`.
    cycle_rtol : float
        An iterate within ``cycle_rtol·(1 + |x_j|)`` of an earlier x_j (other than the
        one just before it) closes a cycle; the run stops there.

    Returns
    -------
    NewtonRun
    """
    f = _require_one_variable(f, "newton_run")
    x0 = _finite(x0, "x0")
    steps = as_nonnegative_int(steps, "steps")
    search = newton_raphson(f, x0, steps, tol)
    xs = search.iterates
    fate: Fate = "converged" if search.converged else "unsettled"
    period = 0
    if not search.converged:
        found = _cycle(xs, cycle_rtol)
        if found is not None:
            first, period = found
            fate = "cycles"
            keep = first + period + 1
            search = RootSearch(iterates=xs[:keep], values=search.values[:keep], converged=False,
                                reason=f"x_{first + period} returns to x_{first}: the iterates cycle")
            xs = search.iterates
        elif search.reason.startswith("zero derivative"):
            fate = "stalls"
        elif search.reason == "the iterates diverged" or _running_away(xs):
            fate = "runs_away"
    slopes = np.asarray(f.gradient(xs[:, None]), dtype=np.float64)[:, 0]
    taken = tuple(NewtonStep(x=float(xs[k]), y=float(search.values[k]), slope=float(slopes[k]),
                             next=float(xs[k + 1])) for k in range(len(xs) - 1))
    last = float(xs[-1])
    n = len(xs) - 1
    if fate == "converged":
        verdict = f"converged to x = {format_number(last, 6)} in {n} steps"
    elif fate == "cycles":
        j = n - period
        verdict = f"the iterates cycle: x_{n} is back at x_{j} (period {period})"
    elif fate == "stalls":
        verdict = f"f'(x) = 0 at x = {format_number(last, 6)}: the tangent is flat and never meets zero"
    elif fate == "runs_away":
        verdict = f"the iterates run away: x_{n} = {format_number(last, 4)}"
    else:
        verdict = f"no root after {n} steps: x_{n} = {format_number(last, 6)}"
    return NewtonRun(search=search, steps=taken, fate=fate, period=period, verdict=verdict)
