"""The rules a segment's cues follow, in one place: validation locates them, the narration plan enforces them.

Importing this module is cheap (no numpy, no audio): ``mmlanim validate`` uses it.
"""

from __future__ import annotations

__all__ = ["MIXED_CUES", "CueProblem", "cue_problems"]

from collections.abc import Sequence
from dataclasses import dataclass

from ..suggest import did_you_mean

#: Cues that mix beats and no beats.
MIXED_CUES = ("this cue has no `beat:` while others have one; give every cue a beat, or none "
              "(then they are spread over the beats)")


@dataclass(frozen=True)
class CueProblem:
    """A broken rule: the cue (0-based), whether it is the cue's ``beat:`` at fault, and what to do."""

    cue: int
    at_beat: bool
    message: str


def cue_problems(cue_beats: Sequence[str | None], beats: Sequence[str], playing: Sequence[str] | None = None,
                 kind: str = "") -> list[CueProblem]:
    """What is wrong with the beats a segment's cues name.

    Parameters
    ----------
    cue_beats : sequence of str or None
        Each cue's ``beat:`` (None when it names none), in order.
    beats : sequence of str
        The visual's beats, in the order they play.
    playing : sequence of str, optional
        The beats the segment plays (its ``beats:``; default all of them).
    kind : str
        The visual kind, for messages.

    Returns
    -------
    list of CueProblem
        Cues that mix beats and no beats (reported at the first cue without
        one); beats the kind lacks (with a suggestion); beats the segment
        leaves out.
    """
    playing = list(beats) if playing is None else list(playing)
    found: list[CueProblem] = []
    attached = [b is not None for b in cue_beats]
    if any(attached) and not all(attached):
        found.append(CueProblem(attached.index(False), False, MIXED_CUES))
    of_kind = f" for visual '{kind}'" if kind else ""
    for k, name in enumerate(cue_beats):
        if name is None:
            continue
        if name not in beats:
            found.append(CueProblem(k, True, f"unknown beat '{name}'{of_kind}{did_you_mean(name, list(beats))} "
                                             f"(beats: {', '.join(beats)})"))
        elif name not in playing:
            found.append(CueProblem(k, True, f"beat '{name}' is not among the segment's `beats:` "
                                             f"({', '.join(playing)}); add it there or attach the cue to one of them"))
    return found
