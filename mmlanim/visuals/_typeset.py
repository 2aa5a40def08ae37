"""Typesetting a segment's formulas ahead, several at a time.

Each new formula costs a LaTeX and a dvisvgm run (a quarter of a second),
and a visual asks for its formulas one after another while it builds. To
use every core, the segment scene first *rehearses* the visual: it runs the
visual's set-up and beats on a fresh copy with text switched off, while
:func:`mmlanim.visuals._layout.label` records every formula it is asked for;
then it typesets the recorded formulas in parallel into manim's LaTeX cache,
where the real set-up finds them.

A rehearsal only ever saves time: formulas it misses (or that fail) are
typeset by the real pass as usual, which reports any error.
"""

from __future__ import annotations

__all__ = ["record", "rehearsal", "typeset"]

import contextlib
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import theme
from .._lazy import manim as mn

Formula = tuple[tuple[str, ...], dict[str, Any]]  # MathTex's positional and keyword arguments

_recorded: list[Formula] | None = None


@contextlib.contextmanager
def rehearsal() -> Iterator[list[Formula]]:
    """Within: text is not drawn, and the formulas labels ask for are recorded in the list yielded."""
    global _recorded
    previous, _recorded = _recorded, []
    drawing, theme.draw_text = theme.draw_text, False
    try:
        yield _recorded
    finally:
        _recorded = previous
        theme.draw_text = drawing


def record(parts: Sequence[str], kwargs: dict[str, Any]) -> None:
    """Note a formula, if a rehearsal is on."""
    if _recorded is not None:
        _recorded.append((tuple(parts), dict(kwargs)))


def typeset(formulas: Sequence[Formula], workers: int | None = None) -> int:
    """Typeset ``formulas`` into manim's LaTeX cache, ``workers`` at a time.

    Returns the number of distinct formulas attempted. Failures are ignored:
    the real pass typesets those again and reports the error.
    """
    distinct = list({repr(f): f for f in formulas}.values())
    workers = workers or _cores()
    if len(distinct) < 2 or workers < 2:
        return 0  # nothing to gain over typesetting in turn

    def one(formula: Formula) -> None:
        parts, kwargs = formula
        with contextlib.suppress(Exception):
            mn.MathTex(*parts, **kwargs)

    with ThreadPoolExecutor(max_workers=min(workers, len(distinct)), thread_name_prefix="latex") as pool:
        list(pool.map(one, distinct))
    return len(distinct)


def _cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
