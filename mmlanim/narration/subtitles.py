"""Subtitles (SRT and WebVTT), one per sentence, timed to its audio."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mmlanim.narration.plan import SegmentAudio
from mmlanim.narration.sentences import wrap_subtitle

__all__ = [
    "SubtitleCue",
    "format_srt",
    "format_vtt",
    "subtitles_for",
    "timestamp",
    "write_srt",
    "write_vtt",
]


@dataclass(frozen=True)
class SubtitleCue:
    """One subtitle: at most two lines, shown from ``start`` to ``end`` (seconds)."""

    start: float
    end: float
    lines: tuple[str, ...]


def timestamp(seconds: float, decimal: str = ",") -> str:
    """Format seconds as ``HH:MM:SS,mmm`` (SRT) or, with ``decimal="."``, WebVTT.

    Examples
    --------
    >>> timestamp(3723.4567)
    '01:02:03,457'
    """
    millis = int(round(max(seconds, 0.0) * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"


def subtitles_for(
    timeline: Iterable[tuple[float, SegmentAudio]], width: int = 42, max_lines: int = 2
) -> list[SubtitleCue]:
    """Subtitles for a lecture's narration.

    Each sentence gets one subtitle timed to its audio; a sentence too long
    for ``max_lines`` lines of ``width`` characters gets several consecutive
    subtitles sharing its time in proportion to their characters.

    Parameters
    ----------
    timeline : iterable of (float, SegmentAudio)
        Each segment's start in the lecture (seconds) and its narration.
    width, max_lines : int
        Line length and lines per subtitle (see
        :func:`~mmlanim.narration.sentences.wrap_subtitle`).

    Returns
    -------
    list of SubtitleCue
        In time order.
    """
    cues: list[SubtitleCue] = []
    for offset, segment in timeline:
        for sentence in segment.sentences:
            blocks = wrap_subtitle(sentence.text, width, max_lines)
            sizes = [len(" ".join(block)) for block in blocks]
            start = offset + sentence.start
            done = 0
            for block, size in zip(blocks, sizes):
                begin = start + sentence.duration * done / sum(sizes)
                done += size
                end = start + sentence.duration * done / sum(sizes)
                cues.append(SubtitleCue(begin, end, tuple(block)))
    return cues


def format_srt(cues: Sequence[SubtitleCue]) -> str:
    """The text of an SRT file: numbered cues, ``HH:MM:SS,mmm`` times."""
    return "".join(
        f"{number}\n{timestamp(cue.start)} --> {timestamp(cue.end)}\n"
        + "\n".join(cue.lines)
        + "\n\n"
        for number, cue in enumerate(cues, start=1)
    )


def _vtt_text(line: str) -> str:
    """Escape the characters WebVTT cue text reserves."""
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_vtt(cues: Sequence[SubtitleCue]) -> str:
    """The text of a WebVTT file: ``WEBVTT`` header, ``HH:MM:SS.mmm`` times."""
    body = "".join(
        f"{timestamp(cue.start, '.')} --> {timestamp(cue.end, '.')}\n"
        + "\n".join(map(_vtt_text, cue.lines))
        + "\n\n"
        for cue in cues
    )
    return "WEBVTT\n\n" + body


def write_srt(path: Path, cues: Sequence[SubtitleCue]) -> None:
    """Write ``cues`` as an SRT file (UTF-8)."""
    Path(path).write_text(format_srt(cues), encoding="utf-8")


def write_vtt(path: Path, cues: Sequence[SubtitleCue]) -> None:
    """Write ``cues`` as a WebVTT file (UTF-8)."""
    Path(path).write_text(format_vtt(cues), encoding="utf-8")
