"""Typesetting a segment's formulas ahead, together.

Each new formula costs a LaTeX and a dvisvgm run (a quarter of a second,
mostly their start-up), and a visual asks for its formulas one after another
while it builds. So the segment scene first *rehearses* the visual: it runs
the visual's set-up and beats on a copy bound to a recording
:class:`~mmlanim.visuals.context.RenderContext` (text off), which notes every
formula asked for.
The recorded formulas not cached yet are then typeset by one LaTeX run and
one dvisvgm run, a formula on each page, and each page's SVG is stored under
the name manim gives that formula, where the real set-up finds it. Formulas
that are not plain mathematics (:func:`batchable`) are typeset on their own,
by the real pass.

A rehearsal only ever saves time: formulas it misses (or that fail) are
typeset by the real pass as usual, which reports any error.

A rehearsal's formulas are remembered beside the LaTeX cache, under a key of
the visual (its kind's code, parameters and context) and its beats
(:func:`rehearsal_key`, :func:`remembered`, :func:`remember`): rendering the
segment again (new narration timing, another quality) reads them instead of
rehearsing. A stale list costs time only: formulas it lacks are typeset by
the real pass.

Learning what MathTex would hand to LaTeX means standing in for manim's
``tex_to_svg_file`` while a MathTex is built (:func:`_sources_only`): that is
manim's internals, so typesetting ahead is only done with the manim versions
it was checked with (:data:`CHECKED_MANIM`), and can be switched off with
``MMLANIM_TYPESET_AHEAD=0``.
"""

from __future__ import annotations

__all__ = ["CHECKED_MANIM", "SAFE_COMMANDS", "SAFE_ENVIRONMENTS", "batchable", "enabled", "rehearsal_key",
           "remember", "remembered", "typeset"]

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .._lazy import manim as mn
from ..fsutil import atomic_path
from ..render import latex
from .context import Formula

#: manim versions (major.minor) whose MathTex internals typesetting ahead relies on.
CHECKED_MANIM = ("0.22",)


def enabled() -> bool:
    """Whether to typeset ahead: not switched off (``MMLANIM_TYPESET_AHEAD=0``), and a checked manim."""
    if os.environ.get("MMLANIM_TYPESET_AHEAD", "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    from importlib.metadata import version

    return ".".join(version("manim").split(".")[:2]) in CHECKED_MANIM


def typeset(formulas: Sequence[Formula]) -> int:
    """Typeset ``formulas`` not cached yet into manim's LaTeX cache, together.

    One LaTeX run and one dvisvgm run make them all (a formula on each page)
    when their LaTeX is plain mathematics (see :func:`batchable`). The real
    pass typesets any others, and those of a run that failed, one by one as
    usual, and reports errors. Returns the number of distinct formulas.
    """
    distinct = list({repr(f): f for f in formulas}.values())
    if len(distinct) >= 2:  # one formula gains nothing
        _typeset_together(distinct)
    return len(distinct)


# -- a rehearsal remembered ------------------------------------------------------

#: Bumped when what a remembered rehearsal holds changes.
_REHEARSAL_FORMAT = 1


def rehearsal_key(visual: Any, beats: Sequence[str]) -> str:
    """The key a rehearsal of ``visual`` playing ``beats`` is remembered under (hex SHA-256): its kind's
    code, its parameters, its context (the opening picture, rehearsed too, included) and the beat names."""
    from ..render.cache import code_fingerprint

    ctx = visual.context
    payload = [_REHEARSAL_FORMAT, code_fingerprint(type(visual)),  # type: ignore[arg-type]  # classes hash
               visual.params.model_dump(mode="json"),
               [str(ctx.base_dir), ctx.lecture_title, ctx.course, ctx.segment_title, ctx.continues, ctx.opening,
                list(ctx.beats or ())], list(beats), CHECKED_MANIM]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _remembered_path(key: str) -> Path:
    # Beside the per-process LaTeX cache slots (see mmlanim.render.manim_config.tex_dir), shared by all.
    return Path(mn.config.get_dir("tex_dir")).parent / "rehearsals" / f"{key}.json"


def remembered(key: str) -> list[Formula] | None:
    """The formulas a rehearsal under ``key`` asked for, if remembered (None: rehearse)."""
    try:
        data = json.loads(_remembered_path(key).read_text(encoding="utf-8"))
        return [(tuple(parts), dict(kwargs)) for parts, kwargs in data["formulas"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(key: str, formulas: Sequence[Formula]) -> bool:
    """Remember ``formulas`` under ``key``; False when they cannot be written as JSON (then not kept).

    Raises
    ------
    OSError
        The file could not be written (no space, read-only cache...), as for any cache write.
    """
    try:
        text = json.dumps({"formulas": [[list(parts), kwargs] for parts, kwargs in formulas]})
    except (TypeError, ValueError):
        return False
    # Written like the LaTeX cache beside it: a full disk fails the render, as it would the next write.
    with atomic_path(_remembered_path(key)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return True


# -- many formulas, one LaTeX run ----------------------------------------------

#: What a batched formula's LaTeX may use: commands that typeset mathematics and
#: cannot define anything (``\gdef`` in one formula would change the others,
#: which are cached under their own names, and stay so).
SAFE_COMMANDS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
    pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
    Lambda Xi Pi Sigma Upsilon Phi Psi Omega
    begin end frac dfrac tfrac sqrt left right middle big Big bigg Bigg bigl bigr Bigl Bigr
    cdot cdots ldots dots vdots ddots times div pm mp ast star circ bullet approx neq ne leq geq
    le ge ll gg equiv sim simeq propto to rightarrow leftarrow Rightarrow Leftarrow
    leftrightarrow Leftrightarrow mapsto infty partial nabla sum prod int oint lim min max arg
    sin cos tan exp log ln tanh sinh cosh det dim ker operatorname mathrm mathbf mathit
    mathcal mathbb mathsf boldsymbol vec hat bar tilde dot ddot overline underline widehat
    widetilde text textrm textbf textit quad qquad top intercal perp parallel in notin ni
    subset subseteq supset supseteq cup cap setminus emptyset forall exists neg land lor
    lVert rVert lvert rvert Vert vert langle rangle lceil rceil lfloor rfloor displaystyle
    textstyle scriptstyle limits nolimits prime
""".split())
#: Environments a batched formula may open (its own ``align*`` is put around it).
SAFE_ENVIRONMENTS = frozenset(
    "matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases array aligned split gathered".split()
)
_MARKER = re.compile(r"\\special\{dvisvgm:raw (<g id='unique\d{3}'>|</g>)\}")  # MathTex's part markers
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^}]*)\}")
_PAGE_ENV = "mmlanimformula"
_STANDALONE = r"\documentclass[preview]{standalone}"


def batchable(expression: str) -> bool:
    """Whether ``expression`` may share a LaTeX run with other formulas.

    Only plain mathematics may: every command in :data:`SAFE_COMMANDS`,
    environments in :data:`SAFE_ENVIRONMENTS`, braces balanced, and no
    ``%``, ``#``, ``$`` or ``^^`` (comments, parameters, math shifts and
    character codes). Anything else is typeset on its own.
    """
    text = _MARKER.sub("", expression)
    if "^^" in text or any(env not in SAFE_ENVIRONMENTS for env in _ENVIRONMENT.findall(text)):
        return False
    depth = 0
    for match in re.finditer(r"\\.|[{}%#$]", text, re.DOTALL):
        token = match.group()
        if token in "%#$":
            return False
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    if depth:
        return False
    for name in _COMMAND.findall(text):
        if name.isalpha() and name not in SAFE_COMMANDS:
            return False
        if not name.isalpha() and name not in " ,;:!|{}_&\\%#$>":
            return False
    return True


class _Source(Exception):
    """What MathTex would hand to LaTeX: (expression, environment, template)."""


@contextlib.contextmanager
def _sources_only() -> Iterator[None]:
    """Within: building a MathTex raises :class:`_Source` instead of typesetting."""
    from manim.mobject.text import tex_mobject

    real = tex_mobject.tex_to_svg_file

    def source(expression: str, environment: str | None = None, tex_template: Any = None) -> Any:
        raise _Source(expression, environment, tex_template)

    tex_mobject.tex_to_svg_file = source
    try:
        yield
    finally:
        tex_mobject.tex_to_svg_file = real


def _typeset_together(formulas: Sequence[Formula]) -> None:
    """Typeset the batchable formulas not cached yet in one run per LaTeX preamble."""
    # (preamble, compiler, output format) -> [(page body, SVG to make)]
    groups: dict[tuple[str, str, str], list[tuple[str, Path]]] = {}
    for parts, kwargs in formulas:
        try:
            with _sources_only():
                mn.MathTex(*parts, **kwargs)
            continue  # did not reach LaTeX
        except _Source as src:
            expression, environment, template = src.args
        except Exception:  # noqa: BLE001 - the real pass reports it
            continue
        template = template or mn.config.tex_template
        source = latex.texcode(expression, environment, template)
        svg = Path(mn.config.get_dir("tex_dir")) / latex.svg_name(source)
        if latex.cached_svg(svg.parent, svg.name):
            continue
        head, _, body = source.partition("\\begin{document}")
        body = body.rpartition("\\end{document}")[0]
        simple = (isinstance(template.tex_compiler, str) and template.output_format in (".dvi", ".xdv")
                  and head.lstrip().startswith(_STANDALONE) and batchable(expression))
        if simple:
            key = (head, template.tex_compiler, template.output_format)
            groups.setdefault(key, []).append((body, svg))
    for (head, compiler, output_format), pages in groups.items():
        if len(pages) >= 2:
            _run_batch(head, compiler, output_format, pages)


def _run_batch(head: str, compiler: str, output_format: str, pages: Sequence[tuple[str, Path]]) -> bool:
    """One document, a formula per page: LaTeX once, dvisvgm once, in a fresh private folder
    (see :mod:`mmlanim.render.latex`); each page's SVG, once checked, is stored under its
    formula's cache name. False if anything failed (nothing is kept)."""
    from manim.utils import tex_file_writing as tfw

    head = head.replace(_STANDALONE, _STANDALONE.replace("[preview]", f"[preview,multi={_PAGE_ENV}]"), 1)
    document = head + "\\begin{document}\n" + "".join(
        f"\\begin{{{_PAGE_ENV}}}{body}\\end{{{_PAGE_ENV}}}\n" for body, _ in pages
    ) + "\\end{document}\n"
    what = f"{len(pages)} formulas typeset together"
    try:
        with latex.work_folder() as work:
            tex = work / "batch.tex"
            tex.write_text(document, encoding="utf-8")
            command = tfw.make_tex_compilation_command(compiler, output_format, tex, work)
            if latex.run_bounded(command, work, what):
                return False
            latex.run_bounded(["dvisvgm", "--page=1-", "--no-fonts", "--verbosity=0",
                               f"--output={work / 'batch'}-%p.svg", str(tex.with_suffix(output_format))], work, what)
            made = {int(p.stem.rpartition("-")[2]): p.read_bytes() for p in work.glob("batch-*.svg")}
            if sorted(made) != list(range(1, len(pages) + 1)) or not all(map(latex.check_svg, made.values())):
                return False
            for number, (_, svg) in enumerate(pages, start=1):
                latex.store_svg(svg.parent, svg.name, made[number])
            return True
    except latex.LatexError:
        return False  # the real pass typesets each on its own, and reports
