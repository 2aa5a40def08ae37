"""A rendered lecture as the site and the slides see it, read from its ``manifest.json``.

Everything published (pages, tracks, slides, handout) derives from these
records: the media files are copied, never parsed for timing.
"""

from __future__ import annotations

__all__ = ["Beat", "Chapter", "LectureRecord", "Spoken", "read_manifest"]

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError


@dataclass(frozen=True)
class Spoken:
    """A sentence of narration, timed in seconds from the lecture's start."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Beat:
    """A beat of a segment's visual (a step of the slides), in lecture seconds."""

    name: str
    start: float
    end: float
    sentences: tuple[Spoken, ...]

    @property
    def lasts(self) -> bool:
        """Whether the beat takes time (a beat with nothing said may play inside a neighbour's time)."""
        return self.end > self.start

    @property
    def notes(self) -> str:
        """The narration said during the beat (the speaker notes)."""
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True)
class Chapter:
    """A segment: one chapter of the lecture, with its beats."""

    id: str
    title: str
    start: float
    end: float
    beats: tuple[Beat, ...]


@dataclass(frozen=True)
class LectureRecord:
    """A rendered lecture.

    Attributes
    ----------
    folder : Path
        The render folder holding ``manifest.json`` and the files it names.
    title, course : str, str or None
    video, srt, vtt, transcript : Path
        The lecture's files.
    width, height, fps : int
    duration : float
        Seconds (the video's and the narration's).
    chapters : tuple of Chapter
    """

    folder: Path
    title: str
    course: str | None
    video: Path
    srt: Path
    vtt: Path
    transcript: Path
    width: int
    height: int
    fps: int
    duration: float
    chapters: tuple[Chapter, ...]

    @property
    def beats(self) -> tuple[Beat, ...]:
        """Every beat, in order: shape ``(n_beats,)``; those that last are contiguous over ``[0, duration]``."""
        return tuple(b for c in self.chapters for b in c.beats)

    @property
    def steps(self) -> tuple[Beat, ...]:
        """The beats that take time, in order: the steps of the slides and the rows of the handout."""
        return tuple(b for b in self.beats if b.lasts)

    @property
    def sentences(self) -> tuple[Spoken, ...]:
        """Every sentence, in order."""
        return tuple(s for b in self.beats for s in b.sentences)


def _beat(data: dict[str, Any]) -> Beat:
    return Beat(str(data["name"]), float(data["start"]), float(data["end"]),
                tuple(Spoken(str(s["text"]), float(s["start"]), float(s["end"])) for s in data["sentences"]))


def read_manifest(folder: Path) -> LectureRecord:
    """Read a render folder's ``manifest.json``.

    Raises
    ------
    UserError
        If the manifest is missing or unreadable, was written before beat
        times were recorded, or names a file that is not there (render the
        lecture again).
    """
    folder = Path(folder)
    path = folder / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        srt, vtt = (folder / name for name in data["subtitles"])
        chapters = tuple(
            Chapter(str(s["id"]), str(s["title"]), float(s["start"]), float(s["end"]),
                    tuple(_beat(b) for b in s["beats"]))
            for s in data["segments"]
        )
        record = LectureRecord(folder, str(data["title"]), data.get("course"), folder / data["file"], srt, vtt,
                               folder / data["transcript"], int(data["width"]), int(data["height"]),
                               int(data["fps"]), float(data["duration"]), chapters)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{path}: not a complete lecture manifest ({type(exc).__name__}: {exc}); "
                        "render the lecture again") from None
    missing = [p.name for p in (record.video, srt, vtt, record.transcript) if not p.is_file()]
    if missing:
        raise UserError(f"{folder}: missing {', '.join(missing)}; render the lecture again")
    return record
