"""The PDF handout: one still per beat (its last frame), with its narration beside it."""

from __future__ import annotations

__all__ = ["clock", "write_handout"]

import io
from pathlib import Path

from .manifest import LectureRecord
from .pdf import PdfDocument, PdfPage, wrap_text
from .stills import frame_stills, last_frame_of

_PAGE_W, _PAGE_H, _MARGIN = 595.0, 842.0, 48.0  # A4 portrait, points
_PICTURE_W = 250.0
_GAP = 16.0
_BODY, _LEADING = 10.0, 13.0


def clock(seconds: float) -> str:
    """``M:SS`` (or ``H:MM:SS``)."""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def write_handout(record: LectureRecord, out: Path) -> int:
    """Write the lecture's handout PDF to ``out``; return its number of pages.

    Each beat that takes time is one row: the beat's last frame on the left
    (so the animation of the beat has finished), its step number, time and
    what is said during it on the right. Chapters start with their title.
    """
    stills = frame_stills(record.video, [last_frame_of(b.end, record.fps) for b in record.steps], record.fps,
                          max_width=960)
    doc = PdfDocument(record.title)
    picture_h = _PICTURE_W * record.height / record.width
    text_x = _MARGIN + _PICTURE_W + _GAP
    text_w = _PAGE_W - _MARGIN - text_x
    page: PdfPage | None = None
    y = 0.0

    def new_page() -> PdfPage:
        nonlocal y
        p = doc.page(_PAGE_W, _PAGE_H)
        p.text(_MARGIN, _PAGE_H - _MARGIN + 14, 8, f"{record.title}  -  page {len(doc.pages)}", gray=0.35)
        y = _PAGE_H - _MARGIN - 8
        return p

    page = new_page()
    page.text(_MARGIN, y - 18, 18, record.title, bold=True)
    y -= 34
    step = 0
    for chapter in record.chapters:
        first = True
        for beat in (b for b in chapter.beats if b.lasts):
            lines = wrap_text(beat.notes, _BODY, text_w) or ["(no narration)"]
            row_h = max(picture_h, 16 + _LEADING * len(lines))
            heading_h = 26.0 if first else 0.0
            if y - heading_h - row_h < _MARGIN:
                page = new_page()
            if first:
                page.text(_MARGIN, y - 16, 13, chapter.title, bold=True)
                y -= heading_h
                first = False
            buffer = io.BytesIO()
            image = stills[step].convert("RGB")
            image.save(buffer, format="JPEG", quality=85)
            page.image(buffer.getvalue(), image.size, _MARGIN, y - picture_h, _PICTURE_W, picture_h)
            step += 1
            page.text(text_x, y - 9, 8, f"Step {step}  -  {clock(beat.start)}", gray=0.35)
            for n, line in enumerate(lines):
                page.text(text_x, y - 16 - _LEADING * (n + 1) + 3, _BODY, line)
            y -= row_h + 12
            page.rule(_MARGIN, y + 6, _PAGE_W - _MARGIN, y + 6, gray=0.8)
    doc.save(out)
    return len(doc.pages)
