"""Safe parsing of formula text such as ``x**2 + 3*y**2 - exp(-x*y)``.

The text is parsed with :func:`ast.parse` (``mode="eval"``) and the syntax
tree is checked against a whitelist while the sympy expression is built by
hand. The raw text is **never** passed to ``eval``, ``exec`` or
``sympy.sympify``. Allowed:

* int and float literals (no strings, bytes, complex or booleans);
* the declared variables and the constants ``pi`` and ``e``;
* ``+ - * / **``, unary ``-``/``+`` and parentheses;
* calls with one positional argument to ``exp, log, sin, cos, tan, tanh,
  sinh, cosh, sqrt, abs``.

Formulas may also be written as people write them (:func:`python_form`):
``^`` for powers, implicit multiplication (``3y``, ``2x y``, ``2(x + 1)``,
``(x + 1)(x - 1)``, ``2sin(x)``), ``·`` and ``×`` for ``*``, ``−`` for
``-`` and ``²``, ``³`` for squares and cubes. A name directly followed by
``(`` stays a call, so ``x(y + 1)`` is refused with the rewrite
``x*(y + 1)``; ``xy`` is one (unknown) name, refused with ``x*y``.

Anything else raises :class:`ExpressionError` with the 1-based ``column``
of the offending token. Inputs that could explode are refused up front:
more than 500 characters, syntax nesting deeper than 50, constant
exponents with magnitude above 100, constants beyond 1e100, and towers of
more than 4 nested powers with variable exponents (``x**x**x**...``).

Evaluation convention
---------------------
``f.value(points)`` (also ``f(points)``) takes ``points`` of shape
``(..., n)`` — the last axis holds the n coordinates in the order of
``f.variables`` — and returns shape ``(...)``. ``f.gradient`` returns
``(..., n)`` and ``f.hessian`` ``(..., n, n)``. ``f.at(x, y)`` takes the
coordinates as separate broadcastable arrays (handy with ``meshgrid``).
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np

from .._lazy import sympy as sp
from ._validation import MathsError, as_points

__all__ = [
    "ExpressionError",
    "Function",
    "parse_function",
    "python_form",
    "ALLOWED_FUNCTIONS",
    "ALLOWED_CONSTANTS",
    "MAX_TEXT_LENGTH",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_POWER_TOWER",
    "MAX_DERIVATIVE_OPS",
]

#: Function names allowed in expressions, and the sympy functions they stand for.
ALLOWED_FUNCTIONS: dict[str, str] = {
    "exp": "exp",
    "log": "log",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "tanh": "tanh",
    "sinh": "sinh",
    "cosh": "cosh",
    "sqrt": "sqrt",
    "abs": "Abs",
}
#: Constant names allowed in expressions, and the sympy constants they stand for.
ALLOWED_CONSTANTS: dict[str, str] = {"pi": "pi", "e": "E"}

# plain-float twins used to size-check constant subexpressions cheaply
_FLOAT_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": math.exp,
    "log": math.log,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "tanh": math.tanh,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "sqrt": math.sqrt,
    "abs": abs,
}
_CONSTANT_VALUES = {"pi": math.pi, "e": math.e}
_SYMPY_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_FLOAT_OPERATORS: dict[type, Callable[[float, float], float]] = {
    **_SYMPY_OPERATORS,
    ast.Pow: math.pow,  # raises ValueError for negative ** fractional
}

MAX_TEXT_LENGTH = 500
MAX_DEPTH = 50
MAX_EXPONENT = 100
MAX_POWER_TOWER = 4
#: largest allowed magnitude of a constant, as a power of ten
_MAX_LOG10_CONSTANT = 100

_OPERATORS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}

_FORBIDDEN_NODES: dict[type, str] = {
    ast.Attribute: "attribute access with '.'",
    ast.Subscript: "indexing with [...]",
    ast.Lambda: "lambda functions",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and'/'or'",
    ast.Starred: "starred arguments",
    ast.IfExp: "'if ... else'",
    ast.List: "lists",
    ast.Tuple: "tuples (a stray comma?)",
    ast.Set: "sets",
    ast.Dict: "dictionaries",
    ast.NamedExpr: "assignment ':='",
    ast.JoinedStr: "f-strings",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield'",
    ast.Slice: "slices",
}


class ExpressionError(MathsError):
    """A formula that cannot be parsed or is not allowed.

    Attributes
    ----------
    column : int or None
        1-based column of the offending token in the original text.
    text : str or None
        The text that was parsed.
    """

    def __init__(self, message: str, column: int | None = None, text: str | None = None):
        super().__init__(message)
        self.column = column
        self.text = text


# ---------------------------------------------------------------------------
# the checked AST → sympy translation
# ---------------------------------------------------------------------------


class _Builder:
    """Translate a whitelisted AST into a sympy expression."""

    def __init__(self, original: str, text: str, offset: int, names: tuple[str, ...],
                 to_written: list[int] | None = None):
        self.original = original
        self.text = text  # the parsed text: left-stripped and in Python form (python_form)
        self.offset = offset  # characters stripped from the left of the original
        self.names = names  # the variables
        self.to_written = to_written  # character of the parsed text -> character of the stripped original

    @cached_property
    def symbols(self) -> dict[str, sp.Symbol]:
        """The variables as sympy symbols (only a formula that passed the checks needs sympy)."""
        return {name: sp.Symbol(name, real=True) for name in self.names}

    # -- errors -------------------------------------------------------------
    def column(self, node: ast.AST) -> int:
        """1-based character column of ``node`` in the original text."""
        byte_offset = getattr(node, "col_offset", 0) or 0
        chars = len(self.text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))
        if self.to_written is not None:
            chars = self.to_written[min(chars, len(self.to_written) - 1)]
        return chars + 1 + self.offset

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExpressionError:
        col = self.column(node)
        full = f"{message} at column {col}" + (f"; {hint}" if hint else "")
        return ExpressionError(full, column=col, text=self.original)

    def allowed(self) -> str:
        names = list(self.names) + list(ALLOWED_FUNCTIONS) + list(ALLOWED_CONSTANTS)
        return "allowed: " + ", ".join(names)

    # -- structural whitelist ---------------------------------------------------
    def offence(self, node: ast.AST, parent: ast.AST | None) -> ExpressionError | None:
        """The error for ``node`` if its *kind* is not allowed, else None."""
        if isinstance(node, (ast.Expression, ast.expr_context, ast.operator, ast.unaryop)):
            return None
        if not hasattr(node, "col_offset"):
            return None  # e.g. the 'for' clause of a comprehension: its parent is reported
        if isinstance(node, ast.Constant):
            value = node.value
            if type(value) in (int, float):
                return None
            if isinstance(value, (str, bytes)):
                return self.fail(node, "text strings are not allowed", "write a formula, not quotes")
            if isinstance(value, bool):
                return self.fail(node, f"'{value}' is not allowed", "use 1 or 0")
            if isinstance(value, complex):
                return self.fail(node, "complex numbers are not allowed")
            return self.fail(node, f"'{value!r}' is not allowed")
        if isinstance(node, ast.Name):
            ident = node.id
            is_callee = isinstance(parent, ast.Call) and parent.func is node
            if ident.startswith("__") or ident.endswith("__"):
                return self.fail(node, f"name '{ident}' is not allowed (double underscores)",
                                 self.allowed())
            if ident in ALLOWED_FUNCTIONS:
                if is_callee:
                    return None
                return self.fail(node, f"'{ident}' is a function", f"call it like {ident}(x)")
            if ident in self.names or ident in ALLOWED_CONSTANTS:
                if is_callee:
                    return self.fail(node, f"'{ident}' is not a function",
                                     f"write {ident}*(...) to multiply")
                return None
            kind = "function" if is_callee else "name"
            parts = None if is_callee else _split_product(ident, self.names + tuple(ALLOWED_CONSTANTS))
            hint = f"write {'*'.join(parts)} for a product; " if parts else ""
            return self.fail(node, f"unknown {kind} '{ident}'", hint + self.allowed())
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
                return None
            sym = _OPERATORS.get(type(node.op), type(node.op).__name__)
            return self.fail(self.operator_at(node, sym), f"operator '{sym}' is not allowed",
                             "use + - * / and ^ (or **) for powers")
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                return None
            word = "'not'" if isinstance(node.op, ast.Not) else "'~'"
            return self.fail(node, f"operator {word} is not allowed", "use + - * / and ^ (or **) for powers")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                if isinstance(node.func, ast.Attribute):
                    return None  # reported at the attribute itself
                return self.fail(node.func, "only named functions can be called", self.allowed())
            if node.keywords:
                kw = node.keywords[0]
                return self.fail(kw if kw.arg is not None else kw.value,
                                 "keyword arguments are not allowed")
            if len(node.args) != 1 and node.func.id in ALLOWED_FUNCTIONS:
                return self.fail(node, f"{node.func.id}() takes exactly one argument, "
                                 f"got {len(node.args)}")
            return None
        if isinstance(node, ast.Attribute):
            dot = ast.Constant(value=None)
            dot.col_offset = node.value.end_col_offset or node.col_offset
            return self.fail(dot, f"attribute access '.{node.attr}' is not allowed",
                             self.allowed())
        what = _FORBIDDEN_NODES.get(type(node), f"'{type(node).__name__}'")
        return self.fail(node, f"{what} not allowed", "only numbers, variables, + - * / ** "
                         "and function calls like exp(x) are allowed")

    def operator_at(self, node: ast.BinOp, sym: str) -> ast.AST:
        """A stand-in node at the operator of ``node`` (for the caret), or ``node`` itself."""
        encoded = self.text.encode("utf-8")
        lo, hi = node.left.end_col_offset or 0, node.right.col_offset or 0
        found = encoded.find(sym.encode("utf-8"), lo, hi)
        if found < 0:
            return node
        at = ast.Constant(value=None)
        at.col_offset = found
        return at

    def check_structure(self, tree: ast.AST) -> None:
        """Raise the left-most structural offence in the tree, if any."""
        offences = []
        stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
        while stack:
            node, parent = stack.pop()
            err = self.offence(node, parent)
            if err is not None:
                offences.append(err)
            stack.extend((child, node) for child in ast.iter_child_nodes(node))
        if offences:
            raise min(offences, key=lambda e: e.column or 0)
        height, where = self.power_height(tree)
        if height > MAX_POWER_TOWER:
            raise self.fail(
                where, f"too many nested powers with variable exponents ({height}; at most "
                f"{MAX_POWER_TOWER})"
            )

    def power_height(self, node: ast.AST) -> tuple[int, ast.AST]:
        """Longest chain of nested ``a**b`` whose exponent contains a variable.

        sympy's cost grows steeply with such towers (``x**x**x**...``).
        Returns the height and the outermost such power (for the column).
        """
        children = [self.power_height(c) for c in ast.iter_child_nodes(node)]
        best = max(children, key=lambda t: t[0], default=(0, node))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            variable_exponent = any(
                isinstance(n, ast.Name) and n.id in self.names for n in ast.walk(node.right)
            )
            if variable_exponent:
                return best[0] + 1, node
        return best

    # -- translation (structure already checked) ---------------------------------
    #
    # ``build`` returns ``(expr, approx)``: the sympy expression and, when the
    # subtree is a constant, its value computed with plain Python floats. Size
    # checks use ``approx`` only, so sympy/mpmath never evaluate a huge
    # constant (``x**exp(exp(exp(100)))`` is refused in microseconds).

    def build(self, node: ast.AST) -> tuple[sp.Expr, float | None]:
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            if type(node.value) is int and node.value.bit_length() > 4 * _MAX_LOG10_CONSTANT:
                raise self.fail(node, f"number is too large (beyond 1e{_MAX_LOG10_CONSTANT})")
            expr = sp.Integer(node.value) if type(node.value) is int else sp.Float(node.value)
            value = cast(float, node.value)
            return self.constant(node, expr, lambda: float(value))
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id], None
            return getattr(sp, ALLOWED_CONSTANTS[node.id]), _CONSTANT_VALUES[node.id]
        if isinstance(node, ast.UnaryOp):
            expr, approx = self.build(node.operand)
            if isinstance(node.op, ast.USub):
                return -expr, None if approx is None else -approx
            return expr, approx
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Call):
            ident = node.func.id  # type: ignore[attr-defined]  # checked structurally
            arg, a = self.build(node.args[0])
            expr = self.defined(node, getattr(sp, ALLOWED_FUNCTIONS[ident])(arg))
            if a is None:
                return expr, None
            return self.constant(node, expr, lambda: _FLOAT_FUNCTIONS[ident](a))
        raise self.fail(node, "not allowed")  # pragma: no cover - check_structure ran

    def defined(self, node: ast.AST, expr: sp.Expr) -> sp.Expr:
        """Refuse results sympy found to be undefined, e.g. ``1/(x - x)``."""
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise self.fail(node, "this part is undefined (division by zero?)")
        return expr

    def constant(
        self, node: ast.AST, expr: sp.Expr, approx: Callable[[], float]
    ) -> tuple[sp.Expr, float]:
        """Check a constant subexpression: finite, real and not too large."""
        try:
            value = approx()
        except ZeroDivisionError:
            raise self.fail(node, "division by zero") from None
        except OverflowError:
            value = math.inf
        except (ValueError, TypeError):  # math domain error, complex result
            raise self.fail(node, "this constant is undefined or not a real number "
                            "(e.g. log(0), sqrt(-1))") from None
        if isinstance(value, complex) or math.isnan(value):
            raise self.fail(node, "this constant is undefined or not a real number")
        if not math.isfinite(value) or abs(value) > 10.0**_MAX_LOG10_CONSTANT:
            raise self.fail(node, f"constant is too large (beyond 1e{_MAX_LOG10_CONSTANT})")
        return expr, value

    def binop(self, node: ast.BinOp) -> tuple[sp.Expr, float | None]:
        left, a = self.build(node.left)
        right, b = self.build(node.right)
        op = type(node.op)
        if op is ast.Div and b == 0:
            raise self.fail(node.right, "division by zero")
        if op is ast.Pow and b is not None and abs(b) > MAX_EXPONENT:
            raise self.fail(
                node.right, f"exponent is too large (|exponent| must be at most {MAX_EXPONENT})"
            )
        if op is ast.Pow and a == 0 and b is not None and b < 0:
            raise self.fail(node.right, "0 cannot be raised to a negative power")
        expr = self.defined(node, _SYMPY_OPERATORS[op](left, right))
        if a is None or b is None:
            return expr, None
        return self.constant(node, expr, lambda: _FLOAT_OPERATORS[op](a, b))


_WRITE_LIKE = ("write it like x^2 + 3y^2 - exp(-x*y): numbers, the variables, + - * /, ^ for powers, "
               "parentheses and exp, log, sin, cos, tan, sinh, cosh, tanh, sqrt, abs, pi, e")

_TOKEN = re.compile(r"""
    (?P<str>'[^']*'?|"[^"]*"?)                                  # quoted text: left alone, refused later
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:[jJ](?!\w))?)  # a number (a j suffix: complex, refused)
  | (?P<name>[^\W\d²³][^\W²³]*)
  | (?P<pow>\*\*|\^)
  | (?P<sup>[²³])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE)

_SAME = {"·": "*", "×": "*", "−": "-"}


def _syntax_words(message: str) -> str:
    """Python's syntax-error text, in a formula's words."""
    if "never closed" in message:
        return "a '(' is never closed"
    if "unmatched" in message:
        return "a ')' has no '(' before it"
    if message.startswith("invalid decimal literal"):
        return "a number runs into a name"
    return "this does not read as a formula" if message in ("invalid syntax", "unexpected EOF while parsing") \
        else message


def python_form(text: str) -> tuple[str, list[int]]:
    """``text`` in Python syntax, and where each of its characters was written.

    ``^`` becomes ``**``, ``²``/``³`` become ``**2``/``**3``, ``·`` and ``×``
    become ``*``, ``−`` becomes ``-``, and ``*`` is inserted where a number, a
    variable or ``)`` is followed by a name, a number after ``)`` excepted, or
    by ``(`` (``3y``, ``2x y``, ``2(x + 1)``, ``(x + 1)(x - 1)``). A name
    followed by ``(`` is a call; keywords and quoted text are left alone (the
    whitelist refuses them).

    Returns
    -------
    parsed : str
        The Python form.
    to_written : list of int
        ``len(parsed) + 1`` indices: character ``i`` of ``parsed`` stands for
        character ``to_written[i]`` of ``text`` (the last entry is ``len(text)``).
    """
    out: list[str] = []
    where: list[int] = []
    previous = ""  # kind of the previous meaningful token: "num", "name", "call", ")" or ""
    for m in _TOKEN.finditer(text):
        kind, token, start = m.lastgroup or "other", m.group(), m.start()
        if kind == "space":
            out.append(token)
            where.extend(range(start, m.end()))
            continue
        is_keyword = kind == "name" and keyword.iskeyword(token)
        opens = kind == "other" and token == "("
        starts_factor = (kind == "name" and not is_keyword) or opens or (kind == "num" and previous != ")")
        if previous in ("num", "name", ")") and starts_factor and not (previous == "name" and opens) \
                and not (previous == "num" and kind == "num"):
            out.append("*")
            where.append(start)
        if kind == "pow" or kind == "sup":
            piece = "**" if kind == "pow" else "**" + ("2" if token == "²" else "3")
        else:
            piece = _SAME.get(token, token)
        out.append(piece)
        where.extend([start] * len(piece) if len(piece) != len(token) else range(start, m.end()))
        if kind == "name":
            previous = "" if is_keyword else ("call" if token in ALLOWED_FUNCTIONS else "name")
        elif kind in ("num", "sup"):
            previous = "num" if kind == "num" else ")"
        elif token == ")":
            previous = ")"
        else:
            previous = ""
    where.append(len(text))
    return "".join(out), where


def _split_product(name: str, known: tuple[str, ...]) -> list[str] | None:
    """``name`` as a run of ``known`` names (``xy`` -> ``[x, y]``), or None."""
    best: dict[int, list[str]] = {0: []}
    for i in range(len(name)):
        if i not in best:
            continue
        for k in known:
            if name.startswith(k, i) and i + len(k) not in best:
                best[i + len(k)] = best[i] + [k]
    parts = best.get(len(name))
    return parts if parts and len(parts) > 1 else None


def _depth(tree: ast.AST) -> int:
    """Maximum nesting depth of an AST, computed without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop)):
                stack.append((child, d + 1))
    return deepest


def _check_variables(variables: Any) -> tuple[str, ...]:
    if isinstance(variables, str):
        variables = (variables,)
    try:
        names = tuple(variables)
    except TypeError:
        raise MathsError(f"variables must be a list of names, got {variables!r}") from None
    if not names:
        raise MathsError("a function needs at least one variable")
    for name in names:
        if (
            not isinstance(name, str)
            or not name.isidentifier()
            or keyword.iskeyword(name)
            or name.startswith("_")
        ):
            raise MathsError(f"variable name {name!r} is not allowed; use names like x, y, w1")
        if name in ALLOWED_FUNCTIONS or name in ALLOWED_CONSTANTS:
            raise MathsError(f"variable name {name!r} clashes with the built-in {name!r}")
    if len(set(names)) != len(names):
        raise MathsError(f"variable names must be different, got {names}")
    return names


# ---------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------


def _as_real(component: Any, shape: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(component)
    if np.iscomplexobj(arr):
        arr = np.where(arr.imag == 0, arr.real, np.nan)
    return np.broadcast_to(arr.astype(np.float64, copy=False), shape)


@dataclass(frozen=True)
class Function:
    """A parsed formula with vectorised numeric evaluation.

    Attributes
    ----------
    text : str
        The original text.
    variables : tuple of str
        Variable names, in coordinate order.
    expr : sympy.Expr
        The symbolic expression (variables are real sympy symbols).
    latex : str
        ``sympy.latex(expr)``.

    Notes
    -----
    Points are arrays of shape ``(..., n)`` with the coordinates on the last
    axis: ``value`` → ``(...)``, ``gradient`` → ``(..., n)``, ``hessian`` →
    ``(..., n, n)``. Constant components broadcast to the full shape.
    Invalid operations (log of a negative number...) give NaN silently.
    """

    text: str
    variables: tuple[str, ...]
    expr: sp.Expr
    latex: str

    def __getstate__(self) -> dict[str, Any]:
        """Pickle only the fields; derivatives and compiled callables are rebuilt lazily."""
        return {name: self.__dict__[name] for name in ("text", "variables", "expr", "latex")}

    # -- symbolic -------------------------------------------------------------
    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        """The sympy symbols, in coordinate order."""
        return tuple(sp.Symbol(v, real=True) for v in self.variables)

    @property
    def n_variables(self) -> int:
        """Number of variables n."""
        return len(self.variables)

    @cached_property
    def gradient_exprs(self) -> tuple[sp.Expr, ...]:
        """Partial derivatives ∂f/∂v for each variable v.

        Raises
        ------
        ExpressionError
            If a derivative grows beyond :data:`MAX_DERIVATIVE_OPS` operations.
        """
        return tuple(_bounded(sp.diff(self.expr, s), self.text) for s in self.symbols)

    @cached_property
    def gradient_latex(self) -> tuple[str, ...]:
        """LaTeX of each partial derivative."""
        return tuple(sp.latex(g) for g in self.gradient_exprs)

    @cached_property
    def hessian_exprs(self) -> tuple[tuple[sp.Expr, ...], ...]:
        """Second partial derivatives, an n × n nested tuple."""
        syms = self.symbols
        grads = self.gradient_exprs
        return tuple(tuple(_bounded(sp.diff(g, s), self.text) for s in syms) for g in grads)

    # -- numeric --------------------------------------------------------------
    # Each order is compiled on first use: a visual that only needs values and
    # gradients never differentiates twice.
    @cached_property
    def _value_fn(self) -> Callable[..., Any]:
        return cast("Callable[..., Any]", sp.lambdify(self.symbols, self.expr, modules="numpy"))

    @cached_property
    def _gradient_fn(self) -> Callable[..., Any]:
        return cast("Callable[..., Any]", sp.lambdify(self.symbols, list(self.gradient_exprs), modules="numpy"))

    @cached_property
    def _hessian_fn(self) -> Callable[..., Any]:
        entries = [h for row in self.hessian_exprs for h in row]
        return cast("Callable[..., Any]", sp.lambdify(self.symbols, entries, modules="numpy"))

    def _coords(self, points: Any) -> tuple[list[np.ndarray], tuple[int, ...]]:
        pts = as_points(points, self.n_variables, "points")
        return [pts[..., i] for i in range(self.n_variables)], pts.shape[:-1]

    def value(self, points: Any) -> np.ndarray:
        """f at the points: shape (..., n) → (...)."""
        coords, shape = self._coords(points)
        with np.errstate(all="ignore"):
            return np.array(_as_real(self._value_fn(*coords), shape))

    __call__ = value

    def at(self, *coords: Any) -> np.ndarray:
        """f with coordinates given separately: ``f.at(X, Y)``; broadcast shape."""
        if len(coords) != self.n_variables:
            raise MathsError(
                f"f({', '.join(self.variables)}) needs {self.n_variables} coordinate "
                f"array(s), got {len(coords)}"
            )
        arrays = np.broadcast_arrays(*(np.asarray(c, dtype=np.float64) for c in coords))
        return self.value(np.stack(arrays, axis=-1))

    def gradient(self, points: Any) -> np.ndarray:
        """∇f at the points: shape (..., n) → (..., n)."""
        coords, shape = self._coords(points)
        with np.errstate(all="ignore"):
            parts = self._gradient_fn(*coords)
        return np.stack([_as_real(p, shape) for p in parts], axis=-1)

    def hessian(self, points: Any) -> np.ndarray:
        """Hessian at the points: shape (..., n) → (..., n, n)."""
        coords, shape = self._coords(points)
        n = self.n_variables
        with np.errstate(all="ignore"):
            parts = self._hessian_fn(*coords)
        flat = np.stack([_as_real(p, shape) for p in parts], axis=-1)
        return flat.reshape(shape + (n, n))


MAX_DERIVATIVE_OPS = 5_000
"""Largest derivative (in sympy operations) computed for a formula."""


def _bounded(expr: sp.Expr, text: str) -> sp.Expr:
    if sp.count_ops(expr, visual=False) > MAX_DERIVATIVE_OPS:
        raise ExpressionError("the formula's derivatives grow too large to compute "
                              f"(more than {MAX_DERIVATIVE_OPS:,} operations); simplify it", column=1, text=text)
    return expr


def parse_function(text: str, variables: Any = ("x", "y")) -> Function:
    """Parse a formula safely into a :class:`Function`.

    Parameters
    ----------
    text : str
        Formula in Python syntax, e.g. ``"x**2 + 3*y**2 - exp(-x*y)"``.
    variables : sequence of str, default ("x", "y")
        Variable names in coordinate order; unused ones are fine.

    Returns
    -------
    Function

    Raises
    ------
    ExpressionError
        Anything outside the whitelist, with the 1-based ``column``.
    """
    names = _check_variables(variables)
    if not isinstance(text, str):
        raise ExpressionError(f"the formula must be text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise ExpressionError(
            f"formula is too long ({len(text)} characters; at most {MAX_TEXT_LENGTH})",
            column=MAX_TEXT_LENGTH + 1,
            text=text,
        )
    for i, ch in enumerate(text):
        if ch in "\r\n\t\f\v\x00" or not ch.isprintable():
            raise ExpressionError(
                f"formula must be a single line of printable text (bad character {ch!r} "
                f"at column {i + 1})",
                column=i + 1,
                text=text,
            )
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    if not stripped.strip():
        raise ExpressionError("the formula is empty", column=1, text=text)
    parsed, to_written = python_form(stripped)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for "1x"
            tree = ast.parse(parsed, mode="eval")
    except SyntaxError as exc:
        at = exc.offset - 1 if exc.offset and exc.offset > 0 else len(parsed)
        col = to_written[min(at, len(parsed))] + 1 + offset
        bare = re.search(r"\b(" + "|".join(ALLOWED_FUNCTIONS) + r")\s+([\w.]+)", stripped)
        if bare:
            col = bare.start() + 1 + offset
            raise ExpressionError(
                f"'{bare.group(1)}' needs its argument in parentheses at column {col}; "
                f"write {bare.group(1)}({bare.group(2)})", column=col, text=text) from None
        raise ExpressionError(
            f"formula is not valid: {_syntax_words(exc.msg)} at column {col}; {_WRITE_LIKE}",
            column=col, text=text,
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("formula is too deeply nested", column=1, text=text) from None
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise ExpressionError(
            f"formula is too deeply nested (depth {depth}; at most {MAX_DEPTH})",
            column=1 + offset,
            text=text,
        )
    builder = _Builder(text, parsed, offset, names, to_written)
    builder.check_structure(tree)
    expr, _ = builder.build(tree)
    return Function(text=text, variables=names, expr=expr, latex=sp.latex(expr))
