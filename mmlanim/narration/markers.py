"""Beat markers inside a cue: ``Move v so its tail sits [[show_sum]] on the tip of u.``

A marker ``[[beat]]`` starts the named beat at the word that follows it. The
marker is not spoken and not shown in subtitles or the transcript.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mmlanim.narration.sentences import split_sentences

__all__ = ["MARKER", "Fragment", "Marker", "find_markers", "fragments", "marker_problems", "strip_markers"]

#: A beat marker: ``[[name]]`` (spaces inside the brackets allowed).
MARKER = re.compile(r"\[\[\s*([^\[\]]*?)\s*\]\]")


@dataclass(frozen=True)
class Marker:
    """A marker as written: the beat it names and where it is in the cue's text."""

    beat: str
    start: int
    end: int


@dataclass(frozen=True)
class Fragment:
    """A piece of a sentence spoken on one beat.

    Attributes
    ----------
    beat : str or None
        The beat a marker starts here, ``None`` to stay on the current beat.
    text : str
        The words of this piece (what is synthesised).
    sentence : int
        Index of the sentence it belongs to (in the cue).
    sentence_text : str
        The whole sentence, markers removed (what subtitles show).
    continues : bool
        Whether the sentence goes on in the next fragment.
    """

    beat: str | None
    text: str
    sentence: int
    sentence_text: str
    continues: bool


def find_markers(text: str) -> list[Marker]:
    """Every ``[[beat]]`` marker of ``text``, in order."""
    return [Marker(m.group(1), m.start(), m.end()) for m in MARKER.finditer(text)]


def marker_problems(
    text: str, cue_beat: str | None, beats: Sequence[str], recorded: bool = False
) -> list[tuple[int, str]]:
    """What is wrong with the markers of one cue.

    Parameters
    ----------
    text : str
        The cue's text.
    cue_beat : str or None
        The beat the cue names (markers need one).
    beats : sequence of str
        The visual's beats, in the order they play.
    recorded : bool, default False
        Whether the cue plays a recording (markers need a synthesised voice).

    Returns
    -------
    list of (int, str)
        ``(offset of the marker in text, message)``; empty when all is well.
        A marker must name a beat of the visual that plays after the cue's
        beat and after the marker before it, and words must follow it.
    """
    from mmlanim.suggest import did_you_mean

    markers = find_markers(text)
    if not markers:
        return []
    if cue_beat is None:
        return [(markers[0].start, "beat markers [[...]] need cues that name a beat (`beat:`)")]
    if recorded:
        return [(markers[0].start, "beat markers [[...]] need a synthesised voice, not a recording")]
    order = {beat: i for i, beat in enumerate(beats)}
    problems: list[tuple[int, str]] = []
    previous = cue_beat
    for marker in markers:
        if marker.beat not in order:
            problems.append((marker.start, f"unknown beat '{marker.beat}' in marker"
                             f"{did_you_mean(marker.beat, beats)} (beats: {', '.join(beats)})"))
            continue
        if previous in order and order[marker.beat] <= order[previous]:
            later = [b for b in beats[order[previous] + 1 :]]
            problems.append((marker.start, f"the marker [[{marker.beat}]] must name a beat that plays after "
                             f"'{previous}' (beats play in the order {', '.join(beats)}"
                             + (f"; here: {', '.join(later)})" if later else "; none is left)")))
        previous = marker.beat
    if not any(ch.isalnum() for ch in text[markers[-1].end :]):
        problems.append((markers[-1].start, f"nothing is said after the marker [[{markers[-1].beat}]]"))
    return problems


def strip_markers(text: str) -> str:
    """``text`` without its markers, whitespace around them collapsed."""
    if "[[" not in text:
        return text
    return " ".join(MARKER.sub(" ", text).split())


def fragments(text: str) -> list[Fragment]:
    """Split a cue's text into sentences, and sentences at their markers.

    Parameters
    ----------
    text : str
        The cue's text, with markers.

    Returns
    -------
    list of Fragment
        In spoken order. A marker at the start of a sentence starts its beat
        with that sentence (no split); a marker inside one splits it.
        Whitespace is collapsed.

    Examples
    --------
    >>> [(f.beat, f.text) for f in fragments("Move v [[sum]] onto u. Done.")]
    [(None, 'Move v'), ('sum', 'onto u.'), (None, 'Done.')]
    """
    parts = MARKER.split(text)  # text, beat, text, beat, ...
    clean = ""
    switches: list[tuple[int, str]] = []  # (offset in clean, beat)
    for index, part in enumerate(parts):
        if index % 2:
            switches.append((len(clean), part.strip()))
            continue
        words = " ".join(part.split())
        if words:
            clean = f"{clean} {words}" if clean else words
    out: list[Fragment] = []
    position = 0
    pending = list(switches)
    for number, sentence in enumerate(split_sentences(clean)):
        start = clean.find(sentence, position)
        end = start + len(sentence)
        position = end
        cuts: list[tuple[int, str | None]] = [(start, None)]
        while pending and pending[0][0] <= end:
            offset, beat = pending.pop(0)
            where = max(offset, start)
            if where >= end:
                pending.insert(0, (offset, beat))  # belongs to the next sentence
                break
            if where <= cuts[-1][0]:
                cuts[-1] = (cuts[-1][0], beat)
            else:
                cuts.append((where, beat))
        for i, (cut, switch) in enumerate(cuts):
            stop = cuts[i + 1][0] if i + 1 < len(cuts) else end
            words = clean[cut:stop].strip()
            out.append(Fragment(switch, words, number, sentence, continues=i + 1 < len(cuts)))
    return out
