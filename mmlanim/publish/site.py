"""The static lecture site and the presenter slides, written from rendered lectures' manifests.

Nothing in the pages is fetched from the network: the script, the style
sheet and the text tracks are in the site (the tracks inline, as ``data:``
URLs, because browsers refuse to load track files next to a page opened
from ``file://``); the fonts are the reader's own.
"""

from __future__ import annotations

__all__ = ["SITE_MARKER", "chapters_vtt", "publish_site", "write_slides"]

import dataclasses
import json
import os
import shutil
import urllib.parse
from collections.abc import Callable, Sequence
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LectureError, UserError
from ..fsutil import folder_lock, private_dir, slug, write_text_atomic
from ..lecture.files import lecture_paths
from ..progress import NullReporter, Reporter
from .handout import clock, write_handout
from .manifest import LectureRecord, read_manifest
from .stills import frame_stills, last_frame_of

if TYPE_CHECKING:
    from ..render.pipeline import RenderOptions

#: A file in a site's root marking it as written by :func:`publish_site` (so it may be replaced).
SITE_MARKER = ".mmlanim-site"
_ASSETS = ("site.css", "player.js", "slides.js")


@dataclasses.dataclass(frozen=True)
class _Page:
    record: LectureRecord
    name: str  # the lecture's folder in the site


def _rendered(lectures: Sequence[Path], options: RenderOptions,
              reporter_for: Callable[[Path], Reporter]) -> list[LectureRecord]:
    """Validate every lecture, then render each (through the cache) and read its manifest."""
    from ..lecture import validate_file
    from ..render.pipeline import render_lecture

    problems = [p for f in lectures for p in validate_file(f)]
    if problems:
        raise LectureError(problems)
    folders: dict[str, Path] = {}
    for f in lectures:
        other = folders.setdefault(slug(f.stem), f)
        if other is not f:
            raise UserError(f"{other} and {f} would render into the same folder ({slug(f.stem)}); rename one")
    opts = dataclasses.replace(options, segments=(), dry_run=False)
    records = []
    for f in lectures:
        reporter = reporter_for(f)
        reporter.note(f"{f}:")
        records.append(read_manifest(render_lecture(f, opts, reporter).folder))
    return records


def publish_site(lectures: Sequence[Path], out: Path, options: RenderOptions,
                 reporter_for: Callable[[Path], Reporter] | None = None, title: str = "Lectures") -> Path:
    """Render what is missing or stale and write the static site; return its ``index.html``.

    Parameters
    ----------
    lectures : sequence of Path
        Lecture files or folders of them (see :func:`~mmlanim.lecture.files.lecture_paths`); the
        site lists them in this order, grouped by course.
    out : Path
        The site's folder: new, empty, or a site written before (replaced whole,
        only once the new one is complete).
    options : RenderOptions
        How to render (quality, cache, voice ...).
    reporter_for : callable, optional
        A progress reporter for each lecture file.
    title : str
        The index page's title.

    Raises
    ------
    LectureError
        A lecture is invalid (nothing is rendered or written).
    UserError
        ``out`` is a folder holding something other than a site.
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / SITE_MARKER).is_file())):
        raise UserError(f"{out}: exists and is not a site written by `mmlanim publish`; "
                        "choose a new or empty folder")
    records = _rendered(lecture_paths(lectures), options, reporter_for or (lambda _f: NullReporter()))
    pages, used = [], set()
    for record in records:
        name = base = slug(record.video.stem)
        n = 1
        while name in used or name == "assets":
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        pages.append(_Page(record, name))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = private_dir(out.parent, "site")
    try:
        _write_assets(tmp / "assets")
        for i, page in enumerate(pages):
            folder = tmp / page.name
            _copy_files(page.record, folder)
            _write_poster(page.record, folder / "poster.jpg")
            write_handout(page.record, folder / "handout.pdf")
            neighbours = (pages[i - 1] if i else None, pages[i + 1] if i + 1 < len(pages) else None)
            (folder / "index.html").write_text(_lecture_page(page, *neighbours), encoding="utf-8")
            (folder / "slides.html").write_text(_slides_page(page.record, "../assets/", "index.html"),
                                                encoding="utf-8")
        (tmp / "index.html").write_text(_index_page(pages, title), encoding="utf-8")
        (tmp / SITE_MARKER).write_text("written by mmlanim publish; replaced whole on the next publish\n",
                                       encoding="utf-8")
        _swap_in(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out / "index.html"


def write_slides(lecture: Path, options: RenderOptions, reporter: Reporter | None = None) -> Path:
    """Render a lecture (through the cache) and write its slides and handout into its render folder.

    Returns
    -------
    Path
        ``slides.html`` beside the lecture's MP4 (with ``handout.pdf`` and ``assets/``).
    """
    (record,) = _rendered([Path(lecture)], options, lambda _f: reporter or NullReporter())
    folder = record.folder
    with folder_lock(folder):
        _write_assets(folder / "assets")
        write_handout(record, folder / "handout.pdf")
        write_text_atomic(folder / "slides.html", _slides_page(record, "assets/", None))
    return folder / "slides.html"


def _swap_in(new: Path, out: Path) -> None:
    """Put the finished folder ``new`` at ``out``, removing what was there."""
    if not out.exists():
        os.replace(new, out)
        return
    old = private_dir(out.parent, "old-site")
    os.replace(out, old / "site")
    try:
        os.replace(new, out)
    except OSError:
        os.replace(old / "site", out)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _write_assets(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    source = resources.files("mmlanim.publish") / "assets"
    for name in _ASSETS:
        write_text_atomic(folder / name, (source / name).read_text(encoding="utf-8"))


def _link_or_copy(src: Path, dst: Path) -> None:
    """A copy of a render's output (a reflink where the file system can): never a hard link,
    so editing the site's file leaves the render, and its cache, alone."""
    from ..render.outputs import copy_file

    copy_file(src, dst)


def _copy_files(record: LectureRecord, folder: Path) -> None:
    """The lecture's video, subtitles and transcript, and a WebVTT file of its chapters."""
    folder.mkdir(parents=True)
    for path in (record.video, record.srt, record.vtt, record.transcript):
        _link_or_copy(path, folder / path.name)
    (folder / "chapters.vtt").write_text(chapters_vtt(record), encoding="utf-8")


def _write_poster(record: LectureRecord, out: Path) -> None:
    """The last frame of the first chapter (a title, as a rule), as a JPEG at most 640 pixels wide."""
    end = record.chapters[0].end if record.chapters else record.duration
    (still,) = frame_stills(record.video, [last_frame_of(end, record.fps)], record.fps, max_width=640)
    still.convert("RGB").save(out, format="JPEG", quality=85)


def chapters_vtt(record: LectureRecord) -> str:
    """A WebVTT chapters track: one cue per chapter, titled."""
    from ..narration.subtitles import timestamp

    cues = "".join(f"{c.id}\n{timestamp(c.start, '.')} --> {timestamp(c.end, '.')}\n{c.title}\n\n"
                   for c in record.chapters)
    return "WEBVTT\n\n" + cues


def _data_url(text: str) -> str:
    return "data:text/vtt;charset=utf-8," + urllib.parse.quote(text, safe="")


def _json_script(element_id: str, data: object) -> str:
    text = json.dumps(data).replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _tracks(record: LectureRecord, with_chapters: bool = True, default: bool = True) -> str:
    subtitles = record.vtt.read_text(encoding="utf-8")
    tracks = [f'<track kind="subtitles" srclang="en" label="English" src="{_data_url(subtitles)}"'
              + (" default>" if default else ">")]
    if with_chapters:
        tracks.append(f'<track kind="chapters" srclang="en" label="Chapters" src="{_data_url(chapters_vtt(record))}">')
    return "\n      ".join(tracks)


def _head(title: str, assets: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mmlanim">
<link rel="icon" href="data:,">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{assets}site.css">
</head>"""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{max(1, round(size / 1e3))} kB"


def _index_page(pages: Sequence[_Page], title: str) -> str:
    courses: dict[str, list[_Page]] = {}
    for page in pages:
        courses.setdefault(page.record.course or "Other lectures", []).append(page)
    sections = []
    for n, (course, members) in enumerate(courses.items(), start=1):
        cards = "\n".join(f"""      <li class="card">
        <a href="{p.name}/index.html">
          <img src="{p.name}/poster.jpg" alt="" width="{p.record.width}" height="{p.record.height}">
          <span class="card-title">{escape(p.record.title)}</span>
        </a>
        <p class="meta"><span class="visually-hidden">Duration </span>{clock(p.record.duration)}
          · {_plural(len(p.record.chapters), "chapter")}</p>
      </li>""" for p in members)
        sections.append(f"""  <section aria-labelledby="course-{n}">
    <h2 id="course-{n}">{escape(course)}</h2>
    <ul class="cards">
{cards}
    </ul>
  </section>""")
    body = "\n".join(sections)
    return f"""{_head(title, "assets/")}
<body>
<main id="main">
  <h1>{escape(title)}</h1>
  <p class="meta">{_plural(len(pages), "lecture")} in {_plural(len(courses), "course")}.
    Each has captions, chapters, an interactive transcript, slides and a handout.</p>
{body}
</main>
</body>
</html>
"""


def _lecture_page(page: _Page, prev: _Page | None, nxt: _Page | None) -> str:
    r = page.record
    chapters = "\n".join(
        f'        <li><button type="button" class="chapter" data-start="{c.start}" data-end="{c.end}">'
        f'<span class="time">{clock(c.start)}</span> {escape(c.title)}</button></li>'
        for c in r.chapters)
    transcript = []
    for c in r.chapters:
        sentences = [s for b in c.beats for s in b.sentences]
        buttons = "\n".join(
            f'          <li><button type="button" class="sentence" data-start="{s.start}" data-end="{s.end}">'
            f'{escape(s.text)}</button></li>' for s in sentences)
        transcript.append(f"""        <h3>{escape(c.title)} <span class="time">{clock(c.start)}</span></h3>
        <ol class="sentences">
{buttons}
        </ol>""")
    downloads = [(r.video.name, f"Video (MP4, {_size(r.video)})"), (r.srt.name, "Subtitles (SRT)"),
                 (r.vtt.name, "Subtitles (WebVTT)"), (r.transcript.name, "Transcript (Markdown)"),
                 ("handout.pdf", "Handout (PDF): a still and the narration of every step")]
    links = "\n".join(f'        <li><a href="{escape(href)}" download>{escape(text)}</a></li>'
                      for href, text in downloads)
    pager = []
    if prev is not None:
        pager.append(f'<a rel="prev" href="../{prev.name}/index.html">← Previous: {escape(prev.record.title)}</a>')
    if nxt is not None:
        pager.append(f'<a rel="next" href="../{nxt.name}/index.html">Next: {escape(nxt.record.title)} →</a>')
    course = f'<p class="course">{escape(r.course)}</p>' if r.course else ""
    return f"""{_head(r.title, "../assets/")}
<body>
<a class="skip" href="#transcript">Skip to the transcript</a>
<header class="top"><nav aria-label="Site"><a href="../index.html">All lectures</a></nav></header>
<main id="main">
  {course}
  <h1>{escape(r.title)}</h1>
  <p class="meta"><span class="visually-hidden">Duration </span>{clock(r.duration)}
    · {_plural(len(r.chapters), "chapter")}</p>
  <div class="layout">
    <div class="watch">
      <video id="video" controls preload="metadata" playsinline poster="poster.jpg"
             width="{r.width}" height="{r.height}" aria-label="Lecture video: {escape(r.title)}">
      <source src="{escape(r.video.name)}" type="video/mp4">
      {_tracks(r)}
      </video>
      <section aria-labelledby="chapters-heading">
        <h2 id="chapters-heading">Chapters</h2>
        <ol class="chapters">
{chapters}
        </ol>
      </section>
      <section aria-labelledby="downloads-heading">
        <h2 id="downloads-heading">Downloads and slides</h2>
        <ul class="downloads">
        <li><a href="slides.html">Present as slides, step by step, with the narration</a></li>
{links}
        </ul>
      </section>
    </div>
    <section id="transcript" class="transcript" aria-labelledby="transcript-heading" tabindex="-1">
      <h2 id="transcript-heading">Transcript</h2>
      <p class="hint">The sentence being spoken is highlighted. Choose a sentence to play the lecture from it.</p>
      <div class="transcript-body">
{chr(10).join(transcript)}
      </div>
    </section>
  </div>
  <nav class="pager" aria-label="Other lectures">{" ".join(pager)}</nav>
</main>
<script src="../assets/player.js"></script>
</body>
</html>
"""


def _slides_page(r: LectureRecord, assets: str, back: str | None) -> str:
    steps = [{"start": b.start, "end": b.end, "chapter": c.title, "notes": b.notes}
             for c in r.chapters for b in c.beats if b.lasts]
    back_link = f'<a class="button" href="{back}">Back to the lecture page</a>' if back else ""
    return f"""{_head(f"{r.title} (slides)", assets)}
<body class="slides">
<main id="main">
  <h1 class="visually-hidden">{escape(r.title)}: slides</h1>
  <div class="stage">
    <video id="video" preload="auto" playsinline poster="" width="{r.width}" height="{r.height}"
           aria-label="Lecture video: {escape(r.title)}, paused at the end of each step">
      <source src="{escape(r.video.name)}" type="video/mp4">
      {_tracks(r, with_chapters=False, default=False)}
    </video>
  </div>
  <div class="controls" role="toolbar" aria-label="Slides">
    <button type="button" id="prev" aria-keyshortcuts="ArrowLeft PageUp">← Back</button>
    <button type="button" id="next" aria-keyshortcuts="ArrowRight Space PageDown">Next →</button>
    <span id="counter" class="counter" aria-live="polite">Step 0 of {len(steps)}</span>
    <button type="button" id="mute" aria-pressed="false" aria-keyshortcuts="M">Mute narration</button>
    <button type="button" id="captions" aria-pressed="false" aria-keyshortcuts="C">Captions</button>
    <button type="button" id="notes-toggle" aria-pressed="true" aria-controls="notes"
            aria-keyshortcuts="N">Notes</button>
    <button type="button" id="fullscreen" aria-keyshortcuts="F">Full screen</button>
    <button type="button" id="presenter-view" aria-keyshortcuts="P">Presenter window</button>
    {back_link}
  </div>
  <aside id="notes" class="notes" aria-labelledby="notes-heading">
    <h2 id="notes-heading">Speaker notes</h2>
    <p id="notes-chapter" class="notes-chapter"></p>
    <p id="notes-text" class="notes-text"></p>
    <p id="notes-then" class="notes-then"></p>
    <p class="hint">→, space or a clicker: play the next step · ←: back · M: mute · C: captions ·
      N: notes · F: full screen · P: a presenter window with the notes, steering this one</p>
  </aside>
</main>
{_json_script("deck", {"title": r.title, "fps": r.fps, "duration": r.duration, "steps": steps})}
<script src="{assets}slides.js"></script>
</body>
</html>
"""
