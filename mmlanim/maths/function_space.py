"""Functions as vectors: the inner product ⟨f, g⟩ = ∫_a^b f(x) g(x) dx, lengths and angles.

On an interval [a, b] the integral of a product is an inner product of
functions: ``‖f‖ = √⟨f, f⟩`` is a function's length and
``cos θ = ⟨f, g⟩ / (‖f‖ ‖g‖)`` the angle between two; ⟨f, g⟩ = 0 makes them
orthogonal (sin and cos on [−π, π]). The integrals are exact (sympy) when
the integrands are polynomials times sines, cosines and exponentials of
linear arguments, and composite Gauss–Legendre quadrature otherwise; the
quadrature is always computed, split where f·g changes sign, so the areas
above and below the axis are known too, and it vouches for the exact result.
``f`` and ``g`` are one-variable :class:`~mmlanim.maths.expressions.Function`
objects (``parse_function(text, variables=("x",))``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._lazy import sympy as sp
from ._validation import MathsError, format_number
from .calculus import _require_one_variable
from .expressions import Function, parse_function

__all__ = [
    "FunctionInnerProduct",
    "bound_value",
    "function_inner_product",
    "running_integral",
]

#: Gauss–Legendre nodes per panel.
NODES = 10
#: Panels across the whole interval (each piece between sign changes gets its share, at least 4).
PANELS = 128
#: Points f·g is sampled at to find where it changes sign.
SIGN_SAMPLES = 4001
#: Largest integrand (in sympy operations) integrated exactly.
MAX_EXACT_OPS = 80
#: Highest power of an x-dependent base integrated exactly.
MAX_EXACT_POWER = 12
#: Most terms c·x^k·e^{αx} an exact integrand may expand into.
MAX_EXACT_TERMS = 400
#: Largest exact result (in sympy operations) simplified for its LaTeX.
MAX_LATEX_OPS = 60


def bound_value(bound: Any, name: str = "bound") -> tuple[float, Any]:
    """A bound of the interval as a float and as an exact sympy number.

    Parameters
    ----------
    bound : float or str
        A number, or a constant formula such as ``"-pi"``, ``"pi/2"`` or ``"sqrt(2)"``
        (parsed safely by :func:`~mmlanim.maths.expressions.parse_function`).
    name : str
        What the bound is called in error messages.

    Returns
    -------
    (float, sympy.Expr)
    """
    if isinstance(bound, str):
        f = parse_function(bound, ("x",))
        if f.expr.free_symbols:
            raise MathsError(f"{name} must be a number, not a formula in x: {bound!r}")
        exact = f.expr
        value = float(sp.N(exact))
    else:
        if isinstance(bound, bool):
            raise MathsError(f"{name} must be a number, got {bound!r}")
        try:
            value = float(bound)
        except (TypeError, ValueError):
            raise MathsError(f"{name} must be a number, got {bound!r}") from None
        exact = sp.nsimplify(value, rational=True) if float(value).is_integer() else sp.Float(value)
    if not math.isfinite(value):
        raise MathsError(f"{name} must be finite, got {bound!r}")
    return value, exact


@dataclass(frozen=True)
class FunctionInnerProduct:
    """⟨f, g⟩ = ∫_a^b f(x) g(x) dx, the lengths ‖f‖, ‖g‖ and the angle between f and g.

    Attributes
    ----------
    a, b : float
        The interval, a < b.
    inner : float
        ⟨f, g⟩.
    norm_f, norm_g : float
        ‖f‖ = √⟨f, f⟩ and ‖g‖ = √⟨g, g⟩ (both positive).
    positive, negative : float
        The areas between f·g and the axis where f·g > 0 (≥ 0) and where it is < 0
        (≤ 0, signed); ``positive + negative == inner``.
    zeros : tuple of float
        Where f·g changes sign inside (a, b), or is 0 on a fine grid of samples, increasing:
        the pieces between them are wholly above or wholly below the axis.
    exact : bool
        True when ⟨f, g⟩, ⟨f, f⟩ and ⟨g, g⟩ are sympy's exact integrals.
    inner_latex, norm_f_sq_latex, norm_g_sq_latex : str or None
        LaTeX of the exact ⟨f, g⟩, ⟨f, f⟩ and ⟨g, g⟩ (None where not exact).
    """

    a: float
    b: float
    inner: float
    norm_f: float
    norm_g: float
    positive: float
    negative: float
    zeros: tuple[float, ...]
    exact: bool
    inner_latex: str | None
    norm_f_sq_latex: str | None
    norm_g_sq_latex: str | None

    @property
    def cos(self) -> float:
        """cos θ = ⟨f, g⟩ / (‖f‖ ‖g‖), clipped to [−1, 1]."""
        return float(np.clip(self.inner / (self.norm_f * self.norm_g), -1.0, 1.0))

    @property
    def angle(self) -> float:
        """θ in radians, in [0, π]."""
        return math.acos(self.cos)

    def orthogonal(self, tol: float = 1e-9) -> bool:
        """⟨f, g⟩ = 0 to within ``tol`` relative to ‖f‖ ‖g‖."""
        return abs(self.inner) <= tol * self.norm_f * self.norm_g


def _values(f: Function, xs: np.ndarray) -> np.ndarray:
    return np.asarray(f.value(xs[:, None]), dtype=np.float64).reshape(xs.shape)


def _gauss_legendre(fn: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, panels: int) -> float:
    """∫_lo^hi fn with ``panels`` equal panels of :data:`NODES`-point Gauss–Legendre."""
    nodes, weights = np.polynomial.legendre.leggauss(NODES)
    edges = np.linspace(lo, hi, panels + 1)
    half = np.diff(edges) / 2
    mids = (edges[:-1] + edges[1:]) / 2
    xs = (mids[:, None] + half[:, None] * nodes[None, :]).ravel()
    ys = fn(xs).reshape(panels, NODES)
    return float(np.sum(half * (ys @ weights)))


def _sign_changes(fn: Callable[[np.ndarray], np.ndarray], a: float, b: float) -> list[float]:
    """Where ``fn`` changes sign inside (a, b): zeros on the sample grid and bisected crossings."""
    xs = np.linspace(a, b, SIGN_SAMPLES)
    ys = fn(xs)
    s = np.sign(ys)
    points = [float(x) for x in xs[1:-1][s[1:-1] == 0]]
    lo, hi = xs[:-1][s[:-1] * s[1:] < 0], xs[1:][s[:-1] * s[1:] < 0]
    if len(lo):
        s_lo = np.sign(fn(lo))
        for _ in range(60):
            mid = (lo + hi) / 2
            same = np.sign(fn(mid)) == s_lo
            lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
        points += [float(x) for x in (lo + hi) / 2]
    return sorted(points)


def _kinks(f: Function, a: float, b: float) -> list[float]:
    """Where the argument of an ``abs`` in f changes sign inside (a, b): corners the quadrature must not straddle."""
    x = f.symbols[0]
    out: list[float] = []
    for node in sp.preorder_traversal(f.expr):
        if isinstance(node, sp.Abs):
            out += _sign_changes(_numeric_fn(sp.lambdify(x, node.args[0], "numpy")), a, b)
    return out


def _numeric_fn(fn: Callable[..., Any]) -> Callable[[np.ndarray], np.ndarray]:
    """``fn`` as a function of an array of x giving floats of the same shape (constants broadcast)."""
    def values(xs: np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(fn(xs), dtype=np.float64), xs.shape)

    return values


def _squared(f: Function) -> Callable[[np.ndarray], np.ndarray]:
    def values(xs: np.ndarray) -> np.ndarray:
        return _values(f, xs) ** 2

    return values


def _numeric(fn: Callable[[np.ndarray], np.ndarray], a: float, b: float, what: str,
             cuts: list[float] | None = None) -> list[float]:
    """∫ fn over each piece of [a, b] cut at ``cuts``, checked against twice the panels (more when it must)."""
    edges = [a, *(cuts or []), b]
    out = []
    for lo, hi in zip(edges, edges[1:]):
        if hi <= lo:
            continue
        panels = max(4, math.ceil(PANELS * (hi - lo) / (b - a)))
        for more in (1, 8):  # twice the panels must agree; if not, once more with eight times as many
            coarse, fine = (_gauss_legendre(fn, lo, hi, n * more * panels) for n in (1, 2))
            if not (math.isfinite(coarse) and math.isfinite(fine)):
                raise MathsError(f"{what} is not finite on [{format_number(a)}, {format_number(b)}]")
            scale = _gauss_legendre(lambda x: np.abs(fn(x)), lo, hi, 2 * more * panels)
            if abs(fine - coarse) <= 1e-6 * (1.0 + scale):
                break
        else:
            raise MathsError(f"{what} does not settle on [{format_number(a)}, {format_number(b)}]: is it "
                             "unbounded there, or oscillating too fast?")
        out.append(fine)
    return out


def _tame(expr: Any, x: Any) -> bool:
    """Polynomials in x and in sin, cos, sinh, cosh and exp of linear arguments (sums of x^k e^{αx})."""
    if sp.count_ops(expr) > MAX_EXACT_OPS:
        return False
    for node in sp.preorder_traversal(expr):
        if node.is_Atom or isinstance(node, (sp.Add, sp.Mul)):
            continue
        if isinstance(node, sp.Pow):
            base, power = node.args
            if base.has(x):
                if not (power.is_Integer and 0 <= int(power) <= MAX_EXACT_POWER):
                    return False
            elif not (power.is_polynomial(x) and sp.degree(power, x) <= 1):
                return False
            continue
        if isinstance(node, (sp.sin, sp.cos, sp.sinh, sp.cosh, sp.exp)):
            arg = node.args[0]
            if not (arg.is_polynomial(x) and sp.degree(arg, x) <= 1):
                return False
            continue
        return False
    return True


def _exp_poly_integral(expr: Any, x: Any, a: Any, b: Any) -> Any | None:
    """∫_a^b expr dx, exactly, for a tame ``expr``: written with exponentials (sin, cos, sinh and cosh
    of linear arguments are sums of them), it is a sum of terms c·x^k·e^{αx + β}, each integrated in
    closed form, ∫ x^k e^{αx} dx = e^{αx} Σ_j (−1)^j k!/(k − j)! x^{k−j} / α^{j+1} (α ≠ 0).
    None when a term is of another shape (or there are too many)."""
    terms = sp.Add.make_args(sp.expand(expr.rewrite(sp.exp)))
    if len(terms) > MAX_EXACT_TERMS:
        return None
    total = sp.Integer(0)
    for term in terms:
        coeff, rest = sp.powsimp(term).as_independent(x, as_Add=False)
        k, alpha, beta = 0, sp.Integer(0), sp.Integer(0)
        for factor in sp.Mul.make_args(rest):
            if factor == x:
                k += 1
            elif factor.is_Pow and factor.base == x and factor.exp.is_Integer and factor.exp >= 0:
                k += int(factor.exp)
            elif isinstance(factor, sp.exp):
                arg = sp.expand(factor.args[0])
                slope, rest_arg = arg.coeff(x, 1), arg.coeff(x, 0)
                if sp.expand(arg - slope * x - rest_arg) != 0 or slope.has(x):
                    return None
                alpha, beta = alpha + slope, beta + rest_arg
            elif factor != 1:
                return None
        if alpha == 0:
            antiderivative = x ** (k + 1) / (k + 1)
        else:
            antiderivative = sp.exp(alpha * x) * sp.Add(*(
                (-1) ** j * sp.factorial(k) / sp.factorial(k - j) * x ** (k - j) / alpha ** (j + 1)
                for j in range(k + 1)))
        total += coeff * sp.exp(beta) * (antiderivative.subs(x, b) - antiderivative.subs(x, a))
    return total


def _exact(expr: Any, x: Any, a: Any, b: Any, numeric: float, scale: float) -> tuple[float, str | None] | None:
    """∫_a^b expr dx exactly, and its LaTeX when it is short and real, if the integrand is tame and the
    result agrees with the quadrature (``numeric``, to 1e-8 of ``scale``)."""
    if not _tame(expr, x):
        return None
    total = _exp_poly_integral(expr, x, a, b)
    if total is None:
        return None
    value = complex(sp.N(total, 30))
    if not (math.isfinite(value.real) and abs(value.imag) <= 1e-12 * (1.0 + scale)
            and abs(value.real - numeric) <= 1e-8 * (1.0 + scale)):
        return None
    if not total.atoms(sp.Float) and sp.count_ops(total) <= MAX_LATEX_OPS:
        tidy = sp.simplify(sp.expand_complex(total))
        if not tidy.has(sp.I) and not tidy.atoms(sp.Float):
            return float(tidy), sp.latex(tidy)
    return value.real, None


def function_inner_product(f: Function, g: Function, a: Any, b: Any) -> FunctionInnerProduct:
    """⟨f, g⟩ = ∫_a^b f(x) g(x) dx, ‖f‖, ‖g‖ and the angle between f and g.

    Parameters
    ----------
    f, g : Function
        One-variable functions, finite on [a, b].
    a, b : float or str
        The interval (a < b); a bound may be a constant formula such as ``"-pi"``.

    Returns
    -------
    FunctionInnerProduct

    Raises
    ------
    MathsError
        If the interval runs backwards, an integral is not finite, or f or g is zero
        on the whole interval (it has no length, so no angle).
    """
    f = _require_one_variable(f, "function_inner_product")
    g = _require_one_variable(g, "function_inner_product")
    (a_val, a_exact), (b_val, b_exact) = bound_value(a, "a"), bound_value(b, "b")
    if not a_val < b_val:
        raise MathsError(f"the interval must go from low to high, got [{format_number(a_val)}, "
                         f"{format_number(b_val)}]")

    def product(xs: np.ndarray) -> np.ndarray:
        out: np.ndarray = _values(f, xs) * _values(g, xs)
        return out

    zeros = _sign_changes(product, a_val, b_val)
    kinks = _kinks(f, a_val, b_val) + _kinks(g, a_val, b_val)
    pieces = _numeric(product, a_val, b_val, "f(x) g(x)", sorted(set(zeros + kinks)))
    positive = float(sum(p for p in pieces if p > 0))
    negative = float(sum(p for p in pieces if p < 0))
    inner = positive + negative
    squares = [math.fsum(_numeric(_squared(h), a_val, b_val, f"{name}(x)²", _kinks(h, a_val, b_val)))
               for h, name in ((f, "f"), (g, "g"))]
    for sq, name in zip(squares, "fg"):
        if sq <= 0:
            raise MathsError(f"{name} is zero on the whole interval: it has no length, so no angle")
    x = f.symbols[0]
    exact = [_exact(e, x, a_exact, b_exact, num, scale) for e, num, scale in (
        (f.expr * g.expr.subs(g.symbols[0], x), inner, positive - negative),
        (f.expr**2, squares[0], squares[0]),
        (g.expr.subs(g.symbols[0], x) ** 2, squares[1], squares[1]))]
    values = [e[0] if e is not None else num for e, num in zip(exact, (inner, *squares))]
    latex = [e[1] if e is not None else None for e in exact]
    if exact[0] is not None:  # the exact total, split as the quadrature split it
        negative = min(0.0, values[0] - positive)
        positive = values[0] - negative
    return FunctionInnerProduct(
        a=a_val, b=b_val, inner=values[0], norm_f=math.sqrt(values[1]), norm_g=math.sqrt(values[2]),
        positive=positive, negative=negative, zeros=tuple(zeros), exact=all(e is not None for e in exact),
        inner_latex=latex[0], norm_f_sq_latex=latex[1], norm_g_sq_latex=latex[2])


def running_integral(f: Function, g: Function, a: float, xs: Any) -> np.ndarray:
    """∫_a^x f(t) g(t) dt at each x of ``xs``.

    Parameters
    ----------
    f, g : Function
        One-variable functions.
    a : float
        Where the integral starts.
    xs : array_like, shape (k,)
        Increasing points, each ≥ a.

    Returns
    -------
    ndarray, shape (k,)
    """
    f = _require_one_variable(f, "running_integral")
    g = _require_one_variable(g, "running_integral")
    pts = np.atleast_1d(np.asarray(xs, dtype=np.float64))
    if pts.ndim != 1 or np.any(np.diff(pts) < 0) or (len(pts) and pts[0] < a):
        raise MathsError("xs must be increasing points from a on")
    nodes, weights = np.polynomial.legendre.leggauss(NODES)
    edges = np.concatenate([[float(a)], pts])
    half = np.diff(edges) / 2
    mids = (edges[:-1] + edges[1:]) / 2
    ts = (mids[:, None] + half[:, None] * nodes[None, :]).ravel()
    ys = (_values(f, ts) * _values(g, ts)).reshape(len(pts), NODES)
    out: np.ndarray = np.cumsum(half * (ys @ weights))
    return out
