"""Render a course: several lectures in one run, on one pool of warm workers.

:func:`render_course` starts the worker processes once (each imports manim
as it starts) and renders the lectures side by side, a few at a time, each
through :func:`~mmlanim.render.pipeline.render_lecture`. Their missing
segments go to one :class:`~mmlanim.render.schedule.SegmentQueue`, which
hands each worker that frees up the longest segment waiting in any lecture;
while one lecture is being spoken or joined, the workers render another's
segments, and each lecture is joined as soon as its own segments are ready.
One progress bar counts the whole course. A lecture that fails (invalid, or
a visual that raises) is reported with its file and line and does not stop
the others; Ctrl-C drops every waiting segment at once.
"""

from __future__ import annotations

__all__ = ["CourseFailure", "CourseResult", "lecture_paths", "render_course", "start_workers"]

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import UserError
from ..fsutil import slug
from ..lecture import LoadedLecture, load_lecture
from ..lecture.files import lecture_paths
from ..progress import NullReporter, Reporter
from .pipeline import RenderOptions, RenderResult, render_lecture
from .schedule import SegmentQueue, Workers, warm_fork_server, worker_count
from .worker import stop_pool

#: Lectures in progress at once besides one per worker.
_LECTURES_AT_ONCE = 2


@dataclass(frozen=True)
class CourseFailure:
    """A lecture that did not render, and why (``file:line:col: message`` lines)."""

    path: Path
    message: str


@dataclass(frozen=True)
class CourseResult:
    """What a course render produced.

    Attributes
    ----------
    results : tuple of (Path, RenderResult)
        The lectures that rendered, in the order given.
    failures : tuple of CourseFailure
        The lectures that did not.
    workers : int
        Worker processes started (once, for the whole course).
    seconds : float
        Wall time.
    """

    results: tuple[tuple[Path, RenderResult], ...]
    failures: tuple[CourseFailure, ...]
    workers: int
    seconds: float


def start_workers(jobs: int) -> ProcessPoolExecutor:
    """Start ``jobs`` worker processes, each importing manim at once (not waiting for them)."""
    return Workers(jobs).pool


class _CourseProgress:
    """One progress bar over the course: segments done and cached of all, lectures done."""

    def __init__(self, bar: Reporter, lectures: int, segments: int) -> None:
        self.bar = bar
        self.lectures = lectures
        self.done = 0
        self.lock = threading.Lock()
        bar.start(segments, 0)
        bar.stage(self.description())

    def description(self) -> str:
        return f"course: {self.done}/{self.lectures} lectures"

    def lecture_done(self) -> None:
        with self.lock:
            self.done += 1
            self.bar.stage(self.description())

    def for_lecture(self, name: str) -> Reporter:
        return _LectureProgress(self, name)


class _LectureProgress:
    """A lecture's reporter, counting into the course's bar."""

    def __init__(self, course: _CourseProgress, name: str) -> None:
        self.course = course
        self.name = name

    def note(self, text: str) -> None:
        with self.course.lock:
            self.course.bar.note(f"{self.name}: {text}")

    def start(self, total: int, cached: int) -> None:  # the course's bar is already counting
        pass

    def segment_done(self, segment_id: str, cached: bool) -> None:
        with self.course.lock:
            self.course.bar.segment_done(f"{self.name}/{segment_id}", cached)

    def stage(self, text: str) -> None:
        with self.course.lock:
            self.course.bar.stage(f"{self.course.description()} · {self.name}: {text}")

    def close(self) -> None:
        pass


def _same_folder(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """``(lecture, the earlier lecture)`` for each lecture whose output folder (its name, made a slug)
    an earlier one already takes."""
    first: dict[str, Path] = {}
    clashes = []
    for path in paths:
        name = slug(path.stem)
        if name in first:
            clashes.append((path, first[name]))
        else:
            first[name] = path
    return clashes


def render_course(items: Sequence[str | Path], options: RenderOptions | None = None,
                  reporter: Reporter | None = None) -> CourseResult:
    """Render every lecture named by ``items`` (see :func:`lecture_paths`) on one pool of workers.

    Parameters
    ----------
    items : sequence of str or Path
        Lecture files, folders of lectures, or globs.
    options : RenderOptions
        As for one lecture (``segments`` must be empty); ``jobs`` workers serve the whole course.
    reporter : Reporter, optional
        The course's progress: ``start`` once with every segment of the course.

    Returns
    -------
    CourseResult
        The lectures rendered and those that failed; a failure never stops the others.
    """
    t0 = time.perf_counter()
    opts = options or RenderOptions()
    if opts.segments:
        raise UserError("--segment names segments of one lecture; render a course without it")
    bar = reporter or NullReporter()
    paths = lecture_paths(items)
    if opts.cluster is None:  # the workers' imports run while the lectures are read
        warm_fork_server()
    failures: list[CourseFailure] = []
    loaded: dict[Path, LoadedLecture] = {}
    for path in paths:  # invalid lectures are reported now, and the others still render
        try:
            loaded[path] = load_lecture(path)
        except UserError as exc:
            failures.append(CourseFailure(path, str(exc)))
    sizes = {path: len(lecture.lecture.segments) for path, lecture in loaded.items()}
    for path, other in _same_folder(list(sizes)):  # two lectures would write one output folder
        del sizes[path]
        failures.append(CourseFailure(path, f"{path}: its outputs would go to the same folder as {other}'s "
                                            f"({slug(path.stem)}/); rename one of them"))
    todo = sorted(sizes, key=lambda p: -sizes[p])  # the biggest lectures first
    if not todo:
        bar.close()
        return CourseResult((), tuple(failures), 0, time.perf_counter() - t0)
    # On a Dask cluster (opts.cluster) its workers serve the course; otherwise a local pool does.
    jobs = opts.cluster.workers if opts.cluster is not None else worker_count(opts.jobs, sum(sizes.values()))
    progress = _CourseProgress(bar, len(paths), sum(sizes.values()))
    results: dict[Path, RenderResult] = {}
    pool = start_workers(jobs) if opts.cluster is None else None
    queue = SegmentQueue(pool, jobs) if pool is not None else None

    def one(path: Path) -> None:
        try:
            results[path] = render_lecture(path, replace(opts, queue=queue), progress.for_lecture(path.stem),
                                           loaded=loaded.pop(path))
        except UserError as exc:
            failures.append(CourseFailure(path, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one lecture's failure must not stop the course
            failures.append(CourseFailure(path, f"{path}: {type(exc).__name__}: {exc}"))
        finally:
            progress.lecture_done()

    try:
        # A few lectures at a time: enough that the queue always holds segments of several lectures
        # (the longest go first), few enough that lectures finish, and are joined, along the way.
        with ThreadPoolExecutor(max_workers=min(len(todo), _LECTURES_AT_ONCE + jobs),
                                thread_name_prefix="lecture") as lectures:
            futures = [lectures.submit(one, p) for p in todo]
            try:
                for future in futures:
                    future.result()
            except BaseException:  # Ctrl-C: no lecture starts, no segment is drawn any more
                for future in futures:
                    future.cancel()
                if pool is not None:
                    stop_pool(pool)
                if queue is not None:
                    queue.stop()
                if opts.cluster is not None:
                    opts.cluster.cancel()
                raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
    order = {p: i for i, p in enumerate(paths)}
    return CourseResult(tuple((p, results[p]) for p in paths if p in results),
                        tuple(sorted(failures, key=lambda f: order[f.path])), jobs, time.perf_counter() - t0)
