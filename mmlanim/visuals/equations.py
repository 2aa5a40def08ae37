"""The ``equations`` visual: a derivation, LaTeX line by line, and worked numeric examples."""

from __future__ import annotations

__all__ = ["EquationLine", "Equations", "MAX_STEPS", "WorkedExample", "polynomial_tex", "split_terms", "tex_problems"]

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.linalg import (
    characteristic_polynomial,
    echelon_form,
    eigen,
    elimination_steps,
    inverse,
    matrix_product,
)
from ._layout import fraction_tex
from ._typeset import SAFE_COMMANDS, SAFE_ENVIRONMENTS
from .base import Visual, VisualParams, beat, too_large_to_draw

#: Step beats a derivation has (step_1 ... step_8).
MAX_STEPS = 8
#: The longest a line takes to write (manim's Write gives a long formula 2 s: the line would still be
#: coming while the sentence that introduces it moves on).
WRITE_SECONDS = 1.5
#: How much a short derivation may grow beyond the theme's text size to fill the frame.
MAX_GROWTH = 1.5
#: Largest denominator written as a fraction (beyond it, decimals).
_MAX_DENOMINATOR = 100

ColorName = Literal["blue", "orange", "green", "pink", "red", "purple", "yellow", "accent", "foreground", "muted"]
Row = Annotated[list[float], Field(min_length=1, max_length=4)]
Matrix = Annotated[list[Row], Field(min_length=1, max_length=4)]

#: Commands beyond the typesetting-ahead ones that a line may use.
_MORE_COMMANDS = frozenset("""
    boxed ell mid colon iff implies Longrightarrow longrightarrow longleftarrow uparrow downarrow
    odot otimes oplus gets overbrace underbrace binom dagger cdotp hbar lbrace rbrace ldotp
    Longleftrightarrow nearrow searrow checkmark square triangle angle degree lnot
    lim sup inf cot sec csc arcsin arccos arctan max min exp mathrm mathbf
""".split())
_KNOWN_COMMANDS = SAFE_COMMANDS | _MORE_COMMANDS


# -- LaTeX checks and terms (no manim) --------------------------------------------------

def tex_problems(tex: str) -> Iterator[tuple[int, str]]:
    """Mistakes in a line of LaTeX mathematics: ``(1-based column, message)`` pairs.

    Unbalanced braces, ``\\begin``/``\\end`` that do not pair, ``\\left`` without
    ``\\right``, ``$`` (lines are mathematics already), and commands that are
    not plain mathematics.
    """
    if not tex.strip():
        yield 1, "an empty line of LaTeX"
        return
    opened: list[int] = []
    envs: list[tuple[str, int]] = []
    lefts: list[int] = []
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+)", tex[i:])
            if not m:
                i += 2
                continue
            name = m.group(1)
            if name not in _KNOWN_COMMANDS:
                yield i + 1, f"unknown LaTeX command \\{name}" + _did_you_mean(name)
                return
            if name in ("begin", "end"):
                env = re.match(r"\\(?:begin|end)\s*\{([^}]*)\}", tex[i:])
                if not env:
                    yield i + 1, f"\\{name} needs an environment in braces, e.g. \\{name}{{bmatrix}}"
                    return
                if env.group(1) not in SAFE_ENVIRONMENTS:
                    yield i + 1, (f"unknown environment {env.group(1)!r}; use one of "
                                  + ", ".join(sorted(SAFE_ENVIRONMENTS)))
                    return
                if name == "begin":
                    envs.append((env.group(1), i + 1))
                elif not envs or envs[-1][0] != env.group(1):
                    expected = f"\\end{{{envs[-1][0]}}}" if envs else "no \\end here"
                    yield i + 1, f"\\end{{{env.group(1)}}} does not close what is open ({expected})"
                    return
                else:
                    envs.pop()
                i += len(env.group(0))
                continue
            if name == "left":
                lefts.append(i + 1)
            elif name == "right":
                if not lefts:
                    yield i + 1, "\\right without a \\left before it"
                    return
                lefts.pop()
            i += len(m.group(0))
            continue
        if ch == "$":
            yield i + 1, "no $ in a line: it is mathematics already (write \\text{...} for words)"
            return
        if ch in "%#":
            yield i + 1, f"{ch!r} is not allowed in a line of LaTeX (write \\{ch} for the sign)"
            return
        if ch == "{":
            opened.append(i + 1)
        elif ch == "}":
            if not opened:
                yield i + 1, "this } closes nothing: braces are unbalanced"
                return
            opened.pop()
        i += 1
    if opened:
        yield opened[-1], "this { is never closed: braces are unbalanced"
    elif envs:
        yield envs[-1][1], f"\\begin{{{envs[-1][0]}}} is never ended"
    elif lefts:
        yield lefts[-1], "\\left without a \\right after it"


def _did_you_mean(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(_KNOWN_COMMANDS), n=1, cutoff=0.7)
    return f"; did you mean \\{close[0]}?" if close else ""


def split_terms(tex: str, isolate: Sequence[str] = ()) -> list[str]:
    """A line split into terms: at ``{{ }}`` marks, then around each string of ``isolate``
    found outside braces. Joined, the terms are the line (without the marks).

    >>> split_terms(r"{{A}} \\mathbf{x} = b", [r"\\mathbf{x}"])
    ['A', ' ', '\\\\mathbf{x}', ' = b']
    """
    parts = _double_brace_split(tex)
    out: list[str] = []
    for k, part in enumerate(parts):
        if k % 2 == 1:  # inside {{ }}: one term
            out.append(part)
        else:
            out.extend(_isolate(part, sorted(isolate, key=len, reverse=True)))
    return [p for p in out if p != ""]


def _double_brace_split(tex: str) -> list[str]:
    """``tex`` cut at its ``{{ }}`` terms: plain text and terms alternate (terms at odd indices).
    A term's braces nest: ``{{\frac{a}{b}}}`` is the term ``\frac{a}{b}``."""
    out, plain, i = [], 0, 0
    depth = 0
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        if depth == 0 and tex.startswith("{{", i):
            j, inner = i + 2, 0
            while j < len(tex):
                if tex[j] == "\\":
                    j += 2
                    continue
                if inner == 0 and tex.startswith("}}", j):
                    break
                inner += (tex[j] == "{") - (tex[j] == "}")
                j += 1
            if j >= len(tex):  # unclosed: not a term
                break
            out += [tex[plain:i], tex[i + 2:j]]
            i = plain = j + 2
            continue
        depth += (tex[i] == "{") - (tex[i] == "}")
        i += 1
    out.append(tex[plain:])
    return out


def _isolate(text: str, keys: Sequence[str]) -> list[str]:
    out, start, depth, i = [], 0, 0, 0
    while i < len(text):
        if depth == 0:
            key = next((k for k in keys if k and text.startswith(k, i)
                        and not (k[-1].isalpha() and text[i + len(k):i + len(k) + 1].isalpha())
                        and not (k[0].isalpha() and i and text[i - 1].isalpha())), None)
            if key is not None:
                out += [text[start:i], key]
                i += len(key)
                start = i
                continue
        ch = text[i]
        if ch == "\\":
            command = re.match(r"\\[A-Za-z]+", text[i:])
            i += len(command.group(0)) if command else 2
            continue
        depth += ch == "{"
        depth -= ch == "}"
        i += 1
    out.append(text[start:])
    return out


# -- the plan of lines (no manim) -------------------------------------------------------

@dataclass
class Planned:
    """A line to draw: its terms, where and when it appears, what it shows."""

    parts: list[str]
    step: int
    reveal: str = "write"
    note: str | None = None
    colors: dict[int, str] = field(default_factory=dict)
    #: for a matrix line: the part index of each entry, and the numbers they show
    entries: list[list[int]] | None = None
    numbers: np.ndarray | None = None
    #: what the line states (worked results: "solution", "inverse", "eigenvalues", "product", ...)
    role: str = ""


def _num(x: float) -> str:
    return fraction_tex(x, 2, _MAX_DENOMINATOR)


def _paren(x: float) -> str:
    text = _num(x)
    return f"({text})" if text.startswith("-") else text


def _matrix_line(M: np.ndarray, *, split: int | None = None, changed: Sequence[int] = ()) -> Planned:
    """An (augmented) matrix as terms, one per entry (a bar before column ``split``)."""
    rows, cols = M.shape
    spec = "c" * cols if split is None else "c" * split + "|" + "c" * (cols - split)
    parts = [r"\left[\begin{array}{" + spec + "}"]
    entries: list[list[int]] = []
    colors: dict[int, str] = {}
    for i, row in enumerate(M):
        if i:
            parts.append(r"\\")
        entries.append([])
        for j, x in enumerate(row):
            if j:
                parts.append("&")
            entries[-1].append(len(parts))
            if i in changed:
                colors[len(parts)] = theme.ACCENT
            parts.append(_num(x))
    parts.append(r"\end{array}\right]")
    return Planned(parts, 0, entries=entries, numbers=np.asarray(M, dtype=float), colors=colors)


def _bmatrix(M: Any) -> str:
    rows = np.atleast_2d(np.asarray(M, dtype=float))
    return r"\begin{bmatrix}" + r"\\".join(" & ".join(_num(x) for x in row) for row in rows) + r"\end{bmatrix}"


def _row_note(op: Any) -> str:
    r, s = op.target + 1, (op.source + 1) if op.source is not None else 0
    if op.kind == "swap":
        return rf"R_{r} \leftrightarrow R_{s}"
    if op.kind == "scale":
        return rf"R_{r} \to {_coef(op.factor)}R_{r}"
    sign = "-" if op.factor < 0 else "+"
    return rf"R_{r} \to R_{r} {sign} {_coef(abs(op.factor))}R_{s}"


def _coef(x: float) -> str:
    text = _num(x)
    return "" if text == "1" else ("-" if text == "-1" else text + r"\,")


def polynomial_tex(coeffs: Sequence[float] | np.ndarray, var: str = r"\lambda") -> str:
    """``c0 xⁿ + … + cn`` as LaTeX (unit coefficients unwritten, zero terms dropped)."""
    n = len(coeffs) - 1
    out = ""
    for k, c in enumerate(coeffs):
        power = n - k
        if abs(c) < 1e-12:
            continue
        sign = "-" if c < 0 else "+"
        mag = _num(abs(c))
        body = (mag if power == 0 or mag != "1" else "") + (
            "" if power == 0 else var if power == 1 else f"{var}^{power}")
        out += (("-" if sign == "-" else "") if not out else f" {sign} ") + body
    return out or "0"


def _unknown_names(n: int, names: Sequence[str] | None) -> list[str]:
    if names:
        return list(names)
    return ["x", "y", "z"][:n] if n <= 3 else [f"x_{i + 1}" for i in range(n)]


class EquationLine(VisualParams):
    """One line of a derivation."""

    tex: str = Field(description="The line, LaTeX mathematics without $; mark terms with {{ }}, "
                     "e.g. '{{A}}{{\\mathbf{x}}} = {{\\mathbf{b}}}'.")
    step: int | None = Field(None, ge=1, le=MAX_STEPS, description=(
        "The step beat that reveals the line, 1 to 8 (default: the step after the previous line's)."))
    reveal: Literal["write", "transform", "replace"] = Field("write", description=(
        "write: written below the others; transform: a copy of the line above turns into it term "
        "by term, below it; replace: the line above turns into it in place."))
    note: str | None = Field(None, description="A short LaTeX note shown to the right of the line, "
                             "e.g. '\\text{divide by } 2'.")

class WorkedExample(VisualParams):
    """A worked numeric example; give exactly one of its modes."""

    elimination: Matrix | None = Field(None, description="Solve A x = rhs by Gaussian elimination: "
                                       "the matrix A, as rows.")
    rhs: list[float] | None = Field(None, min_length=1, max_length=4,
                                    description="The right-hand side b (with elimination).")
    inverse: Matrix | None = Field(None, description="Invert this square matrix by reducing [A | I].")
    characteristic: Matrix | None = Field(None, description="Solve det(A − λI) = 0 for this 2×2 "
                                          "or 3×3 matrix's eigenvalues.")
    product: list[Matrix] | None = Field(None, min_length=2, max_length=2,
                                         description="Two matrices [A, B]: their product A B, entry by entry.")
    names: list[str] | None = Field(None, min_length=1, max_length=2, description=(
        "LaTeX names of the matrices (default A, and B for a product)."))
    unknowns: list[str] | None = Field(None, min_length=1, max_length=4, description=(
        "LaTeX names of the unknowns of an elimination (default x, y, z)."))



class Equations(Visual, kind="equations"):
    """A derivation: LaTeX lines revealed step by step, each transforming into the next, and worked examples.

    Lines appear in the step beats (``step_1`` … ``step_8``): by default a
    line each, or as the author groups them (``step:``). A line is written
    (``reveal: write``), grows out of a copy of the line above it term by term
    (``transform``: terms that match keep their glyphs and move to their
    place), or replaces the line above in place (``replace``). Terms are
    marked with ``{{ }}``; the terms named in ``colors`` are isolated and
    coloured with a theme colour, to match the objects they name. The
    ``box_result`` beat boxes the result line.

    ``worked:`` adds a numeric derivation computed by ``mmlanim.maths``:
    Gaussian elimination of ``[A | b]`` row operation by row operation
    (``elimination`` and ``rhs``: ``elimination_steps``, ending in
    ``echelon_form``'s reduced form), the inverse by reducing ``[A | I]``
    (``inverse``: exact fractions where rational), the characteristic
    polynomial det(A − λI) = 0 solved for λ (``characteristic``: ``eigen``),
    or a matrix product entry by entry (``product: [A, B]``). Its lines follow
    the author's, one step per pivot column.
    """

    class Params(VisualParams):
        lines: list[str | EquationLine] = Field([], max_length=12, description=(
            "The derivation's lines: LaTeX strings, or {tex, step, reveal, note}."))
        colors: dict[str, ColorName] = Field({}, description=(
            "Terms coloured to match the objects they name: {LaTeX term: theme colour}, the colours "
            "blue (the first object's colour), orange, green, pink, red, purple, yellow, accent, "
            "foreground, muted."))
        worked: WorkedExample | None = Field(None, description="A worked example computed by mmlanim.maths.")
        boxed: int | None = Field(-1, description=(
            "The line box_result boxes: 1-based, negative from the end (-1, the default: the last; "
            "with worked, its result), null for none."))

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "equations": "write the lines under `lines:`",
        "matrix": "a worked example goes under `worked:`, e.g. worked: {elimination: [[1, 1], [1, -1]], rhs: [3, 1]}",
        "box": "`boxed:` names the line to box (1-based; -1 the last)",
    }

    example = {
        "lines": [r"{{A}}{{\mathbf{x}}} = {{\mathbf{b}}}"],
        "colors": {"A": "blue", r"\mathbf{x}": "orange", r"\mathbf{b}": "accent"},
        "worked": {"elimination": [[1, 1, 3], [1, 2, 4], [1, 1, 2]], "rhs": [15, 21, 13],
                   "unknowns": ["a", "b", "c"]},
    }

    # -- checks ---------------------------------------------------------------------
    def check(self):
        p = self.params
        for i, line in enumerate(p.lines):
            tex = line if isinstance(line, str) else line.tex
            loc: tuple[Any, ...] = ("lines", i) if isinstance(line, str) else ("lines", i, "tex")
            for column, message in tex_problems(tex):
                yield loc, message, column
            if not isinstance(line, str) and line.note:
                for column, message in tex_problems(line.note):
                    yield ("lines", i, "note"), message, column
        for term in p.colors:
            for column, message in tex_problems(term):
                yield ("colors", term), message, column
        if p.lines and not isinstance(p.lines[0], str) and p.lines[0].reveal != "write":
            yield ("lines", 0, "reveal"), "the first line has no line above it to transform: use reveal: write"
        if p.worked is not None:
            worked_problems = list(self._check_worked(p.worked))
            yield from worked_problems
            if worked_problems:
                return
        try:
            plan = self.plan()
        except ValueError as exc:
            yield ("worked",), str(exc)
            return
        last = max((ln.step for ln in plan), default=0)
        if last > MAX_STEPS:
            where: tuple[Any, ...] = ("worked",) if p.worked is not None else ("lines",)
            yield where, (f"the lines need {last} steps, there are {MAX_STEPS} (step_1 to step_{MAX_STEPS}): "
                          "group lines with step:, or split the derivation over two segments")
        if p.boxed is not None and plan and not (1 <= abs(p.boxed) <= len(plan)):
            yield ("boxed",), f"there are {len(plan)} lines: boxed is 1 to {len(plan)} or -1 to -{len(plan)}"

    def _check_worked(self, w: WorkedExample):
        modes = [k for k in ("elimination", "inverse", "characteristic", "product") if getattr(w, k) is not None]
        if len(modes) != 1:
            yield ("worked",), ("give exactly one of elimination, inverse, characteristic, product"
                                + (f" (not {' and '.join(modes)})" if modes else ""))
            return
        mode = modes[0]
        mats = w.product if mode == "product" else [getattr(w, mode)]
        for k, m in enumerate(mats or []):
            where = (mode, k) if mode == "product" else (mode,)
            widths = {len(r) for r in m}
            if len(widths) != 1:
                yield ("worked", *where), "every row of a matrix needs the same number of entries"
                return
            if mode in ("inverse", "characteristic") and len(m) != len(m[0]):
                yield ("worked", *where), f"a {len(m)}×{len(m[0])} matrix: {mode} needs a square one"
                return
        if mode == "characteristic" and len(w.characteristic or []) not in (2, 3):
            yield ("worked", "characteristic"), "the characteristic polynomial is worked for 2×2 and 3×3 matrices"
        if mode == "elimination":
            A = w.elimination or []
            if w.rhs is None:
                yield ("worked",), "elimination needs rhs: the right-hand side b of A x = b"
            elif len(w.rhs) != len(A):
                yield ("worked", "rhs"), f"A has {len(A)} rows, so rhs needs {len(A)} numbers, not {len(w.rhs)}"
            if w.unknowns is not None and A and len(w.unknowns) != len(A[0]):
                yield ("worked", "unknowns"), f"A has {len(A[0])} columns: name {len(A[0])} unknowns"
        elif w.rhs is not None:
            yield ("worked", "rhs"), "rhs goes with elimination"
        if mode == "inverse":
            try:
                problem = too_large_to_draw(inverse(w.inverse), " (an entry of the inverse)")
            except ValueError as exc:
                yield ("worked", "inverse"), str(exc)
                return
            if problem:
                yield ("worked", "inverse"), problem
        if mode == "product":
            try:
                matrix_product(*(w.product or []))
            except ValueError as exc:
                yield ("worked", "product"), str(exc)

    def beats_off(self) -> dict[str, str]:
        """Step beats no line appears in (and box_result without a boxed line)."""
        try:
            steps = {ln.step for ln in self.plan()}
        except ValueError:
            steps = set()
        off = {f"step_{k}": "lines" for k in range(1, MAX_STEPS + 1) if k not in steps}
        if self.params.boxed is None or not steps:
            off["box_result"] = "boxed"
        return off

    # -- the plan --------------------------------------------------------------------
    def plan(self) -> list[Planned]:
        """The lines, in order, with their steps (pure: no manim). Raises ValueError for bad maths."""
        p = self.params
        hexes = {term: theme.COLOR_NAMES[name] for term, name in p.colors.items()}
        out: list[Planned] = []
        step = 0
        for line in p.lines:
            item = EquationLine(tex=line) if isinstance(line, str) else line
            step = item.step or step + 1
            out.append(self._text_line(item.tex, hexes, step, item.reveal, item.note))
        if p.worked is not None:
            out += self._worked_lines(p.worked, hexes, step)
        return out

    @staticmethod
    def _text_line(tex: str, hexes: dict[str, str], step: int, reveal: str = "write",
                   note: str | None = None, role: str = "") -> Planned:
        parts = split_terms(tex, list(hexes))
        colors = {i: hexes[t] for i, t in enumerate(parts) if t in hexes}
        return Planned(parts, step, reveal, note, colors, role=role)

    def _worked_lines(self, w: WorkedExample, hexes: dict[str, str], step: int) -> list[Planned]:
        names = w.names or []
        if w.elimination is not None and w.rhs is not None:
            return self._elimination(np.asarray(w.elimination, float), np.asarray(w.rhs, float),
                                     names[0] if names else "A", w.unknowns, hexes, step)
        if w.inverse is not None:
            return self._inverse(np.asarray(w.inverse, float), names[0] if names else "A", hexes, step)
        if w.characteristic is not None:
            return self._characteristic(np.asarray(w.characteristic, float), names[0] if names else "A",
                                        hexes, step)
        if w.product is not None:
            a, b = (names + ["A", "B"][len(names):])[:2]
            first, second = (np.asarray(m, float) for m in w.product)
            return self._product(first, second, a, b, hexes, step)
        return []

    def _reduction(self, M: np.ndarray, split: int, rhs: np.ndarray, step: int) -> list[Planned]:
        """[A | rhs] reduced row operation by row operation: a step per pivot column, one for back substitution."""
        out = []
        first = _matrix_line(M, split=split)
        first.step, first.role = step + 1, "augmented"
        out.append(first)
        step += 1
        ops = elimination_steps(M[:, :split], rhs)
        group = None
        for op in ops:
            key = (op.stage, op.column if op.stage == "forward" else -1)
            if key != group:
                group, step = key, step + 1
            changed = [op.target] + ([op.source] if op.kind == "swap" and op.source is not None else [])
            line = _matrix_line(op.matrix, split=split, changed=changed)
            line.step, line.reveal, line.note, line.role = step, "replace", _row_note(op), "operation"
            out.append(line)
        final = ops[-1].matrix if ops else M
        reduced = echelon_form(M, reduced=True).matrix  # the same, when every row of A has a pivot
        full = echelon_form(M[:, :split]).rank == M.shape[0]
        if full and not np.allclose(final, reduced, atol=1e-9):  # pragma: no cover - two eliminations disagree
            raise ValueError("elimination did not reach the reduced echelon form")
        return out

    def _elimination(self, A: np.ndarray, b: np.ndarray, name: str, unknowns: Sequence[str] | None,
                     hexes: dict[str, str], step: int) -> list[Planned]:
        n = A.shape[1]
        xs = _unknown_names(n, unknowns)
        unknowns_tex = r"\begin{bmatrix}" + r"\\".join(xs) + r"\end{bmatrix}"
        system = f"{{{{{_bmatrix(A)}}}}}{{{{{unknowns_tex}}}}} = {{{{{_bmatrix(b[:, None])}}}}}"
        lines = [self._text_line(system, hexes, step + 1, role="system")]
        M = np.hstack([A, b[:, None]])
        lines += self._reduction(M, n, b, step + 1)
        last = lines[-1].numbers if lines[-1].numbers is not None else M
        rank = echelon_form(A).rank
        if rank == n == A.shape[0]:
            tex = r",\quad ".join(f"{{{{{x} = {_num(v)}}}}}" for x, v in zip(xs, last[:, -1]))
            result = self._text_line(tex, hexes, lines[-1].step + 1, role="solution")
            result.numbers = last[:, -1].copy()
        elif echelon_form(M).rank > rank:
            result = self._text_line(r"\text{a row } 0 = c \neq 0\text{: no solution}", {}, lines[-1].step + 1,
                                     role="no solution")
        else:
            result = self._text_line(r"\text{a row of zeros: infinitely many solutions}", {},
                                     lines[-1].step + 1, role="many solutions")
        return [*lines, result]

    def _inverse(self, A: np.ndarray, name: str, hexes: dict[str, str], step: int) -> list[Planned]:
        n = A.shape[0]
        lines = [self._text_line(f"{{{{{name}}}}} = {_bmatrix(A)}", hexes, step + 1, role="matrix")]
        lines += self._reduction(np.hstack([A, np.eye(n)]), n, np.eye(n), step + 1)
        inv = inverse(A)
        result = self._text_line(f"{{{{{name}^{{-1}}}}}} = {_bmatrix(inv)}", hexes, lines[-1].step + 1,
                                 role="inverse")
        result.numbers = inv
        return [*lines, result]

    def _characteristic(self, A: np.ndarray, name: str, hexes: dict[str, str], step: int) -> list[Planned]:
        n = A.shape[0]
        lam = r"\lambda"
        shifted = np.empty((n, n), dtype=object)
        for i in range(n):
            for j in range(n):
                a = A[i, j]
                shifted[i, j] = (f"{_num(a)} - {lam}" if a else f"-{lam}") if i == j else _num(a)
        body = r"\\".join(" & ".join(row) for row in shifted)
        coeffs = characteristic_polynomial(A)
        ev = eigen(A)
        texts = [
            (rf"\det({{{{{name}}}}} - {{{{{lam}}}}} I) = 0", "write", "equation"),
            (rf"\det\begin{{bmatrix}}{body}\end{{bmatrix}} = 0", "transform", "determinant"),
        ]
        if n == 2:
            diag = f"({shifted[0, 0]})({shifted[1, 1]})"
            off = f"{_paren(A[0, 1])} \\cdot {_paren(A[1, 0])}"
            texts.append((f"{diag} - {off} = 0", "transform", "expanded"))
        texts.append((f"{polynomial_tex(coeffs)} = 0", "transform", "polynomial"))
        if ev.is_complex:
            z = ev.values[0]
            im = _num(abs(z.imag))
            re_part = "" if abs(z.real) < 1e-12 else f"{_num(z.real)} "
            sol = (rf"{{{{{lam}}}}} = {re_part}\pm {'' if im == '1' else im}i"
                   r"\text{: no real eigenvalues}")
        else:
            sol = r",\quad ".join(f"{{{{{lam}_{k + 1}}}}} = {_num(v)}" for k, v in enumerate(ev.values))
        texts.append((sol, "write", "eigenvalues"))
        lines = []
        for k, (tex, reveal, role) in enumerate(texts):
            lines.append(self._text_line(tex, hexes, step + 1 + k, reveal if (k or step) else "write", role=role))
        lines[-2].numbers = coeffs
        lines[-1].numbers = ev.values
        return lines

    def _product(self, A: np.ndarray, B: np.ndarray, a: str, b: str, hexes: dict[str, str],
                 step: int) -> list[Planned]:
        C = matrix_product(A, B)
        sums = [[" + ".join(f"{_paren(A[i, k])} \\cdot {_paren(B[k, j])}" for k in range(A.shape[1]))
                 for j in range(B.shape[1])] for i in range(A.shape[0])]
        sums_tex = r"\begin{bmatrix}" + r"\\".join(" & ".join(r) for r in sums) + r"\end{bmatrix}"
        lines = [
            self._text_line(f"{{{{{a}}}}}{{{{{b}}}}} = {_bmatrix(A)}{_bmatrix(B)}", hexes, step + 1, role="factors"),
            self._text_line(f"= {sums_tex}", hexes, step + 2, role="sums"),
            self._text_line(f"= {_bmatrix(C)}", hexes, step + 3, role="product"),
        ]
        lines[-1].numbers = C
        return lines

    # -- drawing -------------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        self.planned = self.plan()
        self.lines = []
        self.notes: list[Any] = []
        for item in self.planned:
            mob = self.ctx.label(item.parts, size=theme.TEXT_SIZE)
            if self.ctx.draw_text:
                for i, colour in item.colors.items():
                    mob[i].set_color(colour)
            self.lines.append(mob)
            note = self.ctx.label(item.note, color=theme.ACCENT) if item.note else None
            self.notes.append(note)
        self._layout()
        self.box = None
        index = self._boxed_index()
        if index is not None:
            self.box = mn.SurroundingRectangle(self.lines[index], color=theme.ACCENT, buff=0.15,
                                               stroke_width=3)
        self.current: dict[int, Any] = {}  # slot -> the line shown in it
        self.current_note: dict[int, Any] = {}

    def _boxed_index(self) -> int | None:
        b, n = self.params.boxed, len(self.planned)
        if b is None or n == 0 or not 1 <= abs(b) <= n:
            return None
        if self.params.worked is not None and b == -1:
            results = [i for i, ln in enumerate(self.planned) if ln.role in (
                "solution", "inverse", "eigenvalues", "product", "no solution", "many solutions")]
            return results[-1] if results else n - 1
        return b - 1 if b > 0 else n + b

    def _layout(self) -> None:
        """Slots stacked down the frame, left-aligned, the whole centred; notes in a column to the right.

        The block is scaled as one so that it fills the frame's height or width (lines wider than
        the frame are first narrowed on their own), growing by at most ``MAX_GROWTH``.
        """
        self.slots = []
        slot = -1
        for item in self.planned:
            slot = slot if (item.reveal == "replace" and slot >= 0) else slot + 1
            self.slots.append(slot)
        nslots = slot + 1
        if not nslots:
            return
        has_notes = any(n is not None for n in self.notes)
        note_w = max((n.width for n in self.notes if n is not None), default=0.0)
        gap = 0.6 if has_notes else 0.0
        avail_w = theme.FRAME_WIDTH - 2 * theme.SAFE_MARGIN
        avail_h = theme.FRAME_HEIGHT - 2 * theme.SAFE_MARGIN
        max_line = avail_w - note_w - gap
        for mob in self.lines:
            if mob.width > max_line:
                mob.scale_to_fit_width(max_line)
        heights = [max(m.height for m, s in zip(self.lines, self.slots) if s == k) for k in range(nslots)]
        buff = 0.45
        total = sum(heights) + buff * (nslots - 1)
        widest = max(m.width for m in self.lines)
        # A short derivation grows (up to MAX_GROWTH) to fill the frame; a long one shrinks to fit.
        limits = [MAX_GROWTH]
        if total > 0:
            limits.append(avail_h / total)
        if widest + note_w > 0:
            limits.append((avail_w - gap) / (widest + note_w))
        factor = min(limits)
        if factor != 1.0:
            for mob in self.lines + [n for n in self.notes if n is not None]:
                mob.scale(factor)
            heights = [h * factor for h in heights]
            buff *= factor
            total = sum(heights) + buff * (nslots - 1)
        widest = max(m.width for m in self.lines)
        note_w = max((n.width for n in self.notes if n is not None), default=0.0)
        left = -(widest + gap + note_w) / 2
        y = total / 2
        centres = []
        for h in heights:
            centres.append(y - h / 2)
            y -= h + buff
        for mob, note, s in zip(self.lines, self.notes, self.slots):
            mob.move_to([left + mob.width / 2, centres[s], 0])
            if note is not None:
                note.move_to([left + widest + gap + note.width / 2, centres[s], 0])

    # -- beats ---------------------------------------------------------------------------
    def _reveal(self, k: int, scene: Any) -> Iterator[Any]:
        for i, (item, mob) in enumerate(zip(self.planned, self.lines)):
            if item.step != k:
                continue
            slot = self.slots[i]
            before = self.current.get(slot) if item.reveal == "replace" else self.current.get(slot - 1)
            note_anims = []
            old_note = self.current_note.pop(slot, None)
            if old_note is not None:
                note_anims.append(mn.FadeOut(old_note))
            if self.notes[i] is not None:
                note_anims.append(mn.FadeIn(self.notes[i]))
                self.current_note[slot] = self.notes[i]
            if item.reveal == "write" or before is None:
                write = mn.Write(mob)  # manim's own run time for the line, capped
                write.run_time = min(write.run_time, WRITE_SECONDS)
                yield (write, *note_anims)
            elif item.reveal == "replace" and self._same_shape(before, mob):
                yield (*self._entry_change(before, mob), *note_anims)
            elif not self.ctx.draw_text:  # placeholders have no terms to match
                yield (mn.ReplacementTransform(before.copy(), mob), *note_anims)
            elif item.reveal == "replace":
                yield (mn.TransformMatchingTex(before, mob), *note_anims)
            else:
                yield (mn.TransformMatchingTex(before.copy(), mob), *note_anims)
            self.current[slot] = mob

    def _same_shape(self, a: Any, b: Any) -> bool:
        ia = next((i for i, m in enumerate(self.lines) if m is a), None)
        ib = next((i for i, m in enumerate(self.lines) if m is b), None)
        if ia is None or ib is None:
            return False
        pa, pb = self.planned[ia], self.planned[ib]
        return (pa.entries is not None and pb.entries is not None and len(pa.parts) == len(pb.parts)
                and len(a.submobjects) == len(b.submobjects))

    def _entry_change(self, before: Any, after: Any) -> list[Any]:
        """Entries that keep their number move to their place; those that change fade into the new ones
        (a number is never morphed glyph into glyph)."""
        anims = []
        for old, new in zip(before.submobjects, after.submobjects):
            if getattr(old, "tex_string", None) == getattr(new, "tex_string", None):
                anims.append(mn.ReplacementTransform(old, new))
            else:
                anims += [mn.FadeOut(old), mn.FadeIn(new)]
        return anims

    @beat("Reveal the lines of step 1.")
    def step_1(self, scene: Any):
        yield from self._reveal(1, scene)

    @beat("Reveal the lines of step 2.")
    def step_2(self, scene: Any):
        yield from self._reveal(2, scene)

    @beat("Reveal the lines of step 3.")
    def step_3(self, scene: Any):
        yield from self._reveal(3, scene)

    @beat("Reveal the lines of step 4.")
    def step_4(self, scene: Any):
        yield from self._reveal(4, scene)

    @beat("Reveal the lines of step 5.")
    def step_5(self, scene: Any):
        yield from self._reveal(5, scene)

    @beat("Reveal the lines of step 6.")
    def step_6(self, scene: Any):
        yield from self._reveal(6, scene)

    @beat("Reveal the lines of step 7.")
    def step_7(self, scene: Any):
        yield from self._reveal(7, scene)

    @beat("Reveal the lines of step 8.")
    def step_8(self, scene: Any):
        yield from self._reveal(8, scene)

    @beat("Box the result.")
    def box_result(self, scene: Any):
        if self.box is not None:
            yield mn.Create(self.box)

