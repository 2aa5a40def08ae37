"""Multivariate calculus: maps of the plane and their Jacobians, Hessians and critical points, and
Lagrange multipliers.

A scalar function is a :class:`~mmlanim.maths.expressions.Function` of (x, y) from
:func:`~mmlanim.maths.expressions.parse_function`; a map of the plane is a
:class:`PlaneMap` of two of them (:func:`parse_map`). Points are arrays of shape
``(..., 2)``. Everything is pure numpy and sympy.
"""

from __future__ import annotations

__all__ = [
    "CriticalPoint",
    "LagrangePoint",
    "PlaneMap",
    "classify_critical_point",
    "critical_points",
    "lagrange_points",
    "local_area_ratio",
    "parse_map",
    "tangent_plane",
]

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np

from .._lazy import sympy as sp
from ._validation import MathsError
from .expressions import Function, parse_function

Verdict = Literal["minimum", "maximum", "saddle", "degenerate"]

#: Newton iterations per start when solving for critical or Lagrange points.
_NEWTON_STEPS = 60


# -- maps of the plane -----------------------------------------------------------------


@dataclass(frozen=True)
class PlaneMap:
    """A map of the plane F(x, y) = (u(x, y), v(x, y)).

    Attributes
    ----------
    u, v : Function
        The two components, functions of the same two variables.
    """

    u: Function
    v: Function

    @property
    def variables(self) -> tuple[str, ...]:
        """The variables' names, in coordinate order."""
        return self.u.variables

    @cached_property
    def jacobian_exprs(self) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        """The Jacobian matrix symbolically: ``[[∂u/∂x, ∂u/∂y], [∂v/∂x, ∂v/∂y]]`` (sympy expressions)."""
        gu, gv = self.u.gradient_exprs, self.v.gradient_exprs
        return (gu[0], gu[1]), (gv[0], gv[1])

    @cached_property
    def determinant_expr(self) -> Any:
        """det J as a simplified sympy expression."""
        (a, b), (c, d) = self.jacobian_exprs
        return sp.simplify(a * d - b * c)

    @cached_property
    def jacobian_latex(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """LaTeX of each entry of the Jacobian, row by row."""
        (a, b), (c, d) = self.jacobian_exprs
        return (sp.latex(a), sp.latex(b)), (sp.latex(c), sp.latex(d))

    @cached_property
    def determinant_latex(self) -> str:
        """LaTeX of det J."""
        return str(sp.latex(self.determinant_expr))

    def value(self, points: Any) -> np.ndarray:
        """F at the points: shape (..., 2) → (..., 2)."""
        return np.stack([self.u.value(points), self.v.value(points)], axis=-1)

    __call__ = value

    def jacobian(self, points: Any) -> np.ndarray:
        """J at the points: shape (..., 2) → (..., 2, 2), rows ∇u and ∇v."""
        return np.stack([self.u.gradient(points), self.v.gradient(points)], axis=-2)

    def determinant(self, points: Any) -> np.ndarray:
        """det J at the points: shape (..., 2) → (...)."""
        return np.asarray(np.linalg.det(self.jacobian(points)))


def parse_map(u: str, v: str, variables: Sequence[str] = ("x", "y")) -> PlaneMap:
    """Parse the two components of a map of the plane safely.

    Parameters
    ----------
    u, v : str
        Formulas of the components, e.g. ``"x*cos(y)"`` and ``"x*sin(y)"``.
    variables : sequence of two str
        The variables' names, e.g. ``("r", "t")``.

    Raises
    ------
    ExpressionError
        A formula outside the whitelist (see :func:`parse_function`).
    """
    names = tuple(variables)
    if len(names) != 2:
        raise MathsError(f"a map of the plane has two variables, got {len(names)}")
    return PlaneMap(parse_function(u, names), parse_function(v, names))


def _shoelace(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return float(0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def local_area_ratio(F: PlaneMap, point: Any, h: float, samples: int = 64) -> float:
    """Signed area of the image of the square of side ``h`` centred on ``point``, over h².

    As h → 0 it tends to det J(point): the Jacobian is the local linear approximation of F.

    Parameters
    ----------
    F : PlaneMap
    point : array_like, shape (2,)
    h : float
        Side of the square (> 0).
    samples : int
        Points per side of the square's boundary.

    Returns
    -------
    float
        Area of F(square) (shoelace formula on the mapped boundary, positive when F keeps the
        orientation) divided by h².
    """
    if not h > 0:
        raise MathsError(f"the square's side must be positive, got {h}")
    p = np.asarray(point, dtype=float).reshape(2)
    t = np.linspace(-0.5, 0.5, samples, endpoint=False)
    one = np.full_like(t, 0.5)
    sides = [np.column_stack([t, -one]), np.column_stack([one, t]),
             np.column_stack([-t, one]), np.column_stack([-one, -t])]
    boundary = p + h * np.concatenate(sides)
    return _shoelace(F.value(boundary)) / h**2


# -- tangent planes, Hessians, critical points -------------------------------------------------


def tangent_plane(f: Function, point: Any) -> tuple[float, np.ndarray]:
    """The tangent plane of z = f(x, y) at ``point``: z ≈ value + gradient · (x − point).

    Returns
    -------
    value : float
        f(point).
    gradient : ndarray, shape (2,)
        ∇f(point).
    """
    p = np.asarray(point, dtype=float).reshape(2)
    return float(f.value(p)), np.asarray(f.gradient(p), dtype=float)


@dataclass(frozen=True)
class CriticalPoint:
    """A point where ∇f = 0, and what the Hessian says of it.

    Attributes
    ----------
    point : ndarray, shape (2,)
    value : float
        f(point).
    hessian : ndarray, shape (2, 2)
    eigenvalues : ndarray, shape (2,)
        Of the Hessian, ascending.
    determinant : float
        det H = f_xx f_yy − f_xy².
    verdict : {"minimum", "maximum", "saddle", "degenerate"}
        det H > 0 with f_xx > 0: minimum; with f_xx < 0: maximum; det H < 0: saddle;
        det H ≈ 0: the second-derivative test cannot tell.
    """

    point: np.ndarray
    value: float
    hessian: np.ndarray
    eigenvalues: np.ndarray
    determinant: float
    verdict: Verdict


def classify_critical_point(f: Function, point: Any, tol: float = 1e-9) -> CriticalPoint:
    """The second-derivative test at ``point`` (assumed critical: ∇f = 0 there).

    Parameters
    ----------
    f : Function
        Of two variables.
    point : array_like, shape (2,)
    tol : float
        |det H| below ``tol`` · (scale of H)² counts as zero (degenerate).
    """
    p = np.asarray(point, dtype=float).reshape(2)
    H = np.asarray(f.hessian(p), dtype=float)
    if not np.all(np.isfinite(H)):
        raise MathsError(f"the Hessian is not finite at {p.tolist()}")
    det = float(np.linalg.det(H))
    scale = max(float(np.abs(H).max()), 1e-300)
    verdict: Verdict
    if abs(det) <= tol * scale**2:
        verdict = "degenerate"
    elif det < 0:
        verdict = "saddle"
    else:
        verdict = "minimum" if H[0, 0] > 0 else "maximum"
    return CriticalPoint(point=p, value=float(f.value(p)), hessian=H,
                         eigenvalues=np.linalg.eigvalsh(0.5 * (H + H.T)), determinant=det, verdict=verdict)


def _newton_roots(residual: Any, jacobian: Any, starts: np.ndarray, tol: float) -> list[np.ndarray]:
    """Roots of ``residual`` found by Newton's method from each start (those that converge)."""
    found = []
    for x in starts:
        x = np.array(x, dtype=float)
        for _ in range(_NEWTON_STEPS):
            r = residual(x)
            if not np.all(np.isfinite(r)):
                break
            J = jacobian(x)
            try:
                dx = np.linalg.lstsq(J, -r, rcond=None)[0] if np.all(np.isfinite(J)) else None
            except np.linalg.LinAlgError:
                dx = None
            if dx is None:
                break
            x = x + dx
            if np.linalg.norm(dx) < tol * (1 + np.linalg.norm(x)):
                if np.linalg.norm(residual(x)) < 1e-8:
                    found.append(x)
                break
    return found


def _distinct(points: list[np.ndarray], scale: float) -> list[np.ndarray]:
    kept: list[np.ndarray] = []
    for p in points:
        if all(np.linalg.norm(p - q) > 1e-6 * scale for q in kept):
            kept.append(p)
    return kept


def critical_points(f: Function, domain: Sequence[Sequence[float]], grid: int = 9,
                    tol: float = 1e-12) -> list[CriticalPoint]:
    """The critical points of f(x, y) inside ``domain``, each classified by the Hessian.

    Newton's method on ∇f = 0 from a ``grid`` × ``grid`` lattice of starts over the domain;
    the roots inside the domain, without repeats, sorted by x then y.

    Parameters
    ----------
    f : Function
        Of two variables.
    domain : [[xmin, xmax], [ymin, ymax]]
    grid : int
        Starts per side.

    Returns
    -------
    list of CriticalPoint
    """
    (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in domain)
    X, Y = np.meshgrid(np.linspace(x0, x1, grid), np.linspace(y0, y1, grid))
    starts = np.column_stack([X.ravel(), Y.ravel()])
    roots = _newton_roots(lambda p: f.gradient(p), lambda p: f.hessian(p), starts, tol)
    scale = max(x1 - x0, y1 - y0)
    pad = 1e-9 * scale
    inside = [p for p in roots if x0 - pad <= p[0] <= x1 + pad and y0 - pad <= p[1] <= y1 + pad]
    distinct = sorted(_distinct(inside, scale), key=lambda p: (round(p[0], 9), round(p[1], 9)))
    return [classify_critical_point(f, p) for p in distinct]


# -- Lagrange multipliers -------------------------------------------------------------------


@dataclass(frozen=True)
class LagrangePoint:
    """A stationary point of f on the curve g = 0: ∇f = λ ∇g there.

    Attributes
    ----------
    point : ndarray, shape (2,)
    multiplier : float
        λ.
    value : float
        f(point).
    grad_f, grad_g : ndarray, shape (2,)
        The gradients at the point (parallel: grad_f = λ grad_g).
    """

    point: np.ndarray
    multiplier: float
    value: float
    grad_f: np.ndarray
    grad_g: np.ndarray


def lagrange_points(f: Function, g: Function, domain: Sequence[Sequence[float]], grid: int = 7,
                    tol: float = 1e-12) -> list[LagrangePoint]:
    """Every point of ``domain`` where f is stationary on the curve g(x, y) = 0.

    Solves ∇f − λ∇g = 0, g = 0 (three equations in x, y, λ) by Newton's method from a lattice of
    starts over the domain (λ started at the least-squares fit of ∇f ≈ λ∇g there).

    Parameters
    ----------
    f, g : Function
        Of the same two variables.
    domain : [[xmin, xmax], [ymin, ymax]]
    grid : int
        Starts per side.

    Returns
    -------
    list of LagrangePoint
        Sorted by f, lowest first (the constrained minimum is the first).
    """
    (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in domain)

    def residual(z: np.ndarray) -> np.ndarray:
        p, lam = z[:2], z[2]
        return np.concatenate([f.gradient(p) - lam * g.gradient(p), [g.value(p)]])

    def jacobian(z: np.ndarray) -> np.ndarray:
        p, lam = z[:2], z[2]
        top = np.column_stack([f.hessian(p) - lam * g.hessian(p), -g.gradient(p)])
        return np.vstack([top, np.append(g.gradient(p), 0.0)])

    X, Y = np.meshgrid(np.linspace(x0, x1, grid), np.linspace(y0, y1, grid))
    starts = []
    for p in np.column_stack([X.ravel(), Y.ravel()]):
        gf, gg = f.gradient(p), g.gradient(p)
        denom = float(np.dot(gg, gg))
        starts.append([p[0], p[1], float(np.dot(gf, gg)) / denom if denom > 1e-12 else 0.0])
    roots = _newton_roots(residual, jacobian, np.array(starts), tol)
    scale = max(x1 - x0, y1 - y0)
    pad = 1e-9 * scale
    inside = [z for z in roots if x0 - pad <= z[0] <= x1 + pad and y0 - pad <= z[1] <= y1 + pad]
    distinct = _distinct(inside, scale)
    out = [LagrangePoint(point=z[:2].copy(), multiplier=float(z[2]), value=float(f.value(z[:2])),
                         grad_f=np.asarray(f.gradient(z[:2]), dtype=float),
                         grad_g=np.asarray(g.gradient(z[:2]), dtype=float)) for z in distinct]
    return sorted(out, key=lambda q: (q.value, q.point[0], q.point[1]))
