"""``mmlanim preview --watch``: render a segment again whenever a file it uses changes.

The files are the lecture itself, the data files its visual reads
(:meth:`~mmlanim.visuals.Visual.input_files`), its recordings (``audio:`` of
the segment and its cues) and a piper voice model; the set is worked out again
after every successful load. Editors often save by writing a new file and
renaming it over the old one, so the watcher observes the files' folders and
filters events by path. A burst of events is collapsed into one render once
the files have been quiet for ``debounce`` seconds. An invalid lecture or a
failed render is reported and the watching goes on.

Nothing here imports manim; watchdog is imported when watching starts.
"""

from __future__ import annotations

__all__ = ["WatchEvent", "segment_inputs", "watch_segment"]

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

#: Kinds of file-system events that mean a file's content may have changed.
_CHANGES = frozenset({"created", "modified", "moved", "deleted"})


@dataclass(frozen=True)
class WatchEvent:
    """What the watcher reports to its ``on_event`` callback.

    Attributes
    ----------
    kind : {"rendered", "error", "changed", "watching"}
        ``rendered``: the render function returned ``result``.
        ``error``: loading or rendering raised ``error`` (a
        :class:`~mmlanim.errors.LectureError` carries located problems).
        ``changed``: ``files`` changed; a render follows.
        ``watching``: ``files`` are now watched (sent when the set changes).
    files : tuple of Path
        The files concerned (``changed``, ``watching``).
    result : Any
        What the render function returned (``rendered``).
    error : BaseException or None
        The exception (``error``).
    """

    kind: Literal["rendered", "error", "changed", "watching"]
    files: tuple[Path, ...] = ()
    result: Any = None
    error: BaseException | None = field(default=None, compare=False)


def segment_inputs(path: str | Path, segment_id: str) -> set[Path]:
    """The files a segment's render reads: the lecture, data files, recordings, voice model.

    Parameters
    ----------
    path : str or Path
        The lecture file.
    segment_id : str
        The segment's id.

    Returns
    -------
    set of Path
        Absolute paths (files named in the lecture are relative to its folder).

    Raises
    ------
    LectureError
        The lecture is invalid or has no such segment.
    """
    from .lecture import load_lecture

    loaded = load_lecture(path)
    seg = loaded.lecture.segments[loaded.segment_index(segment_id)]
    return {Path(path).absolute(), *loaded.input_files(seg)}


def watch_segment(path: str | Path, segment_id: str, render: Callable[[], Any],
                  on_event: Callable[[WatchEvent], None], stop: threading.Event | None = None,
                  *, debounce: float = 0.3) -> None:
    """Render a segment now and again after each change to a file it uses, until stopped.

    Parameters
    ----------
    path : str or Path
        The lecture file.
    segment_id : str
        The segment to render.
    render : callable
        Renders the segment (for instance :func:`~mmlanim.render.pipeline.preview_segment`
        with its arguments bound); its return value is reported as ``rendered``.
        It is called only when the lecture loads.
    on_event : callable
        Receives every :class:`WatchEvent`, in the calling thread.
    stop : threading.Event, optional
        Set it to end the watching (from another thread); without it, watching
        ends with ``KeyboardInterrupt`` (Ctrl-C), which propagates.
    debounce : float, default 0.3
        Seconds without further changes before rendering again.
    """
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    stop = stop or threading.Event()
    lecture = Path(path).absolute()
    changed: list[Path] = []
    lock = threading.Lock()
    wake = threading.Event()
    targets: frozenset[Path] = frozenset()  # replaced whole, read by the observer's thread

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.event_type not in _CHANGES or event.event_type == "modified" and event.is_directory:
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                hit = _affected(os.fsdecode(raw), targets) if raw else None
                if hit is not None:
                    with lock:
                        changed.append(hit)
                    wake.set()

    observer = Observer()
    handler = Handler()
    folders: dict[Path, Any] = {}
    watched: set[Path] = set()
    pending: list[Path] = []
    observer.start()
    try:
        while not stop.is_set():
            if pending:
                on_event(WatchEvent("changed", tuple(sorted(set(pending)))))
            try:
                files: set[Path] | None = segment_inputs(lecture, segment_id)
                error = None
            except Exception as exc:  # an invalid lecture (LectureError) or a visual's failing hook
                files, error = None, exc
            new = watched | {lecture} if files is None else files | {lecture}
            # Watch before reporting or rendering, so no change is missed; a folder may have appeared.
            targets = frozenset(key for f in new for key in _match_keys(f))
            _schedule(observer, handler, {_existing_folder(t.parent) for t in targets}, folders)
            if new != watched:
                watched = new
                on_event(WatchEvent("watching", tuple(sorted(watched))))
            if error is not None:
                on_event(WatchEvent("error", error=error))
            else:
                _render(render, on_event)
            pending = _wait_for_quiet(wake, lock, changed, stop, debounce)
    finally:
        observer.stop()
        observer.join(timeout=5)


def _render(render: Callable[[], Any], on_event: Callable[[WatchEvent], None]) -> None:
    try:
        result = render()
    except Exception as exc:  # a failing render must not end the watching
        on_event(WatchEvent("error", error=exc))
    else:
        on_event(WatchEvent("rendered", result=result))


def _wait_for_quiet(wake: threading.Event, lock: threading.Lock, changed: list[Path],
                    stop: threading.Event, debounce: float) -> list[Path]:
    """Wait for a change, then until none has come for ``debounce`` seconds; return the changed files."""
    while not wake.wait(0.1):
        if stop.is_set():
            return []
    while True:
        wake.clear()
        if stop.wait(debounce):
            return []
        if not wake.is_set():
            break
    with lock:
        out = list(changed)
        changed.clear()
    return out


def _match_keys(path: Path) -> set[Path]:
    """The paths under which events about ``path`` can arrive (as named, and with symlinks followed)."""
    named = Path(os.path.realpath(path.parent)) / path.name
    return {named, Path(os.path.realpath(path))}


def _affected(raw: str, targets: Iterable[Path]) -> Path | None:
    """The watched file an event path concerns: the file itself, or a folder created or moved above it."""
    p = Path(raw)
    for target in targets:
        if p == target or p in target.parents:
            return target
    return None


def _existing_folder(folder: Path) -> Path:
    """``folder`` or its nearest existing ancestor (a data folder may not exist yet)."""
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def _schedule(observer: Any, handler: Any, wanted: set[Path], folders: dict[Path, Any]) -> None:
    """Watch exactly the ``wanted`` folders (not recursively)."""
    for folder in set(folders) - wanted:
        observer.unschedule(folders.pop(folder))
    for folder in wanted - set(folders):
        try:
            folders[folder] = observer.schedule(handler, str(folder), recursive=False)
        except OSError:  # vanished meanwhile: the next load retries
            pass
