"""The lecture's narration as a readable Markdown transcript."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["format_transcript", "write_transcript"]


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of ``text`` (split at blank lines), whitespace collapsed."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def format_transcript(title: str, sections: Sequence[tuple[str, str]]) -> str:
    """Markdown: ``# title``, then a ``## heading`` and the narration per chapter.

    Parameters
    ----------
    title : str
        The lecture's title.
    sections : sequence of (str, str)
        ``(chapter title, narration text)``; blank lines in the text separate
        paragraphs, other whitespace is collapsed. Sections without text keep
        their heading.
    """
    parts = [f"# {' '.join(title.split())}\n"]
    for heading, text in sections:
        parts.append(f"\n## {' '.join(heading.split())}\n")
        parts.extend(f"\n{paragraph}\n" for paragraph in _paragraphs(text))
    return "".join(parts)


def write_transcript(path: Path, title: str, sections: Sequence[tuple[str, str]]) -> None:
    """Write ``transcript.md`` (see :func:`format_transcript`)."""
    Path(path).write_text(format_transcript(title, sections), encoding="utf-8")
