"""Chapters: one per segment, for chapters.txt and the MP4."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Chapter", "chapter_timestamp", "format_chapters", "write_chapters_txt"]


@dataclass(frozen=True)
class Chapter:
    """A titled stretch of the lecture, in seconds."""

    start: float
    end: float
    title: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(
                f"chapter {self.title!r} needs 0 <= start <= end, got {self.start}, {self.end}"
            )


def chapter_timestamp(seconds: float, hours: bool = False) -> str:
    """``MM:SS`` (or ``H:MM:SS`` with ``hours``), rounded down to the second.

    Examples
    --------
    >>> chapter_timestamp(65.9), chapter_timestamp(3725, hours=True)
    ('01:05', '1:02:05')
    """
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if hours else f"{m + 60 * h:02d}:{s:02d}"


def format_chapters(chapters: Sequence[Chapter]) -> str:
    """Chapters as video sites read them: one ``00:00 Title`` line each.

    All lines use ``H:MM:SS`` when a chapter starts after one hour.

    Raises
    ------
    ValueError
        If the first chapter does not start at 00:00 (video sites require it).
    """
    if not chapters:
        return ""
    if int(chapters[0].start) != 0:
        raise ValueError(f"the first chapter must start at 00:00, not at {chapters[0].start:.3f} s")
    hours = any(c.start >= 3600 for c in chapters)
    lines = (f"{chapter_timestamp(c.start, hours)} {' '.join(c.title.split())}" for c in chapters)
    return "".join(line + "\n" for line in lines)


def write_chapters_txt(path: Path, chapters: Sequence[Chapter]) -> None:
    """Write ``chapters.txt`` (see :func:`format_chapters`)."""
    Path(path).write_text(format_chapters(chapters), encoding="utf-8")
