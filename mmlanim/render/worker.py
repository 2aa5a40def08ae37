"""Rendering one segment's picture in a worker process.

A job carries plain data only (the segment as JSON-ready data, its context,
beat durations), so it pickles across processes; the worker rebuilds the
visual from it.
"""

from __future__ import annotations

__all__ = ["IO_ERRNOS", "JobFailure", "SegmentJob", "die_with_parent", "render_job", "render_pooled", "settle_heap",
           "stop_pool", "warm_up"]

import errno
import gc
import os
import sys
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..quality import Quality
from ..visuals import VisualContext

#: errnos of failures of the machine's files, not of a visual.
IO_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EIO})


@dataclass(frozen=True)
class SegmentJob:
    """Everything a worker needs to render one segment's picture."""

    segment_id: str
    segment_data: dict[str, Any]
    context: VisualContext
    beats: tuple[tuple[str, float], ...]
    quality: Quality
    out_path: Path
    verbose: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class JobFailure:
    """A visual raised while rendering; carried back instead of the exception."""

    segment_id: str
    message: str
    details: str
    io_errno: int = 0  # an I/O failure (no space, read-only...), not the visual's fault
    io_path: str = ""


def render_job(job: SegmentJob) -> Path | JobFailure:
    """Render ``job`` to its ``out_path`` (a silent MP4); never raises for visual errors."""
    from ..lecture.model import segment_model
    from ..visuals import registry
    from .segment import render_segment_video

    try:
        segment = segment_model().model_validate(job.segment_data)
        params = segment.visual  # type: ignore[attr-defined]
        visual = registry()[params.kind](params, job.context)
        return render_segment_video(visual, job.beats, job.quality, job.out_path, dry_run=job.dry_run,
                                    verbose=job.verbose, run_times=segment.run_times(),
                                    emphasis=segment.emphasis())
    except OSError as exc:
        if exc.errno in IO_ERRNOS:
            return JobFailure(job.segment_id, f"{type(exc).__name__}: {exc}", traceback.format_exc(),
                              exc.errno, str(exc.filename or ""))
        return JobFailure(job.segment_id, f"{type(exc).__name__}: {exc}", traceback.format_exc())
    except Exception as exc:  # reported with the segment's id by the caller
        return JobFailure(job.segment_id, f"{type(exc).__name__}: {exc}", traceback.format_exc())


def settle_heap() -> None:
    """Collect what the last segment left as garbage, and freeze what outlived it out of the collector's sight.

    What outlives a segment in a worker is kept for the next ones (manim's map of parsed SVGs and formulas,
    the parse and layout caches), and it grows segment after segment: a worker's full collections walked
    it again and again, more each time (over a course, 6 % of a worker's time went to collecting). Frozen
    (:func:`gc.freeze`), it is left out of later collections; it is still freed as usual when nothing
    refers to it. Only for a process that renders one segment at a time: frozen objects that later become
    unreachable cycles are never collected, so nothing in progress may be frozen with them.
    """
    gc.collect()
    gc.freeze()


def render_pooled(job: SegmentJob) -> Path | JobFailure:
    """:func:`render_job` in a pool worker (one segment at a time), then :func:`settle_heap`."""
    try:
        return render_job(job)
    finally:
        settle_heap()


def warm_up() -> None:
    """Import manim, the visual kinds and the lecture model (a second or two) before this worker's
    first segment arrives."""
    from tqdm import tqdm

    from ..lecture.model import segment_model
    from . import scene  # noqa: F401

    segment_model()  # builds every kind's model, loading the registry
    # manim's progress bars (even hidden) would give each worker a multiprocessing lock: a named
    # semaphore that a worker stopped at the end of a render leaves for the resource tracker to
    # complain about. A worker's bars are drawn by one thread: a thread lock does.
    tqdm.set_lock(threading.RLock())


#: Linux's prctl option that sends a signal to this process when its parent ends.
_PR_SET_PDEATHSIG = 1


def die_with_parent(render: int, environ: dict[str, str] | None = None) -> None:
    """End this worker when ``render`` (the process that started it) ends, even by SIGKILL.

    The worker's parent is ``render`` itself, or the fork server that ``render``
    started (see :class:`mmlanim.render.schedule.Workers`). A spawned worker: on
    Linux the kernel sends SIGKILL at the parent's death
    (``prctl(PR_SET_PDEATHSIG)``); everywhere, a thread also checks once a second
    that this process was not handed to another parent. A forked worker keeps its
    fork server alive (it holds the server's lifeline), so a thread waits for
    ``render`` itself to end (a pidfd on Linux, else a check once a second); the
    server ends once its workers have. Workers that die close their end of the
    resource tracker's pipe, so the tracker ends too. Workers ignore Ctrl-C: the
    render stops them (:func:`stop_pool`). ``environ``, the render's
    environment, replaces the one a forked worker inherited from the fork
    server. Called as the worker pool's initializer.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread below does it
            pass
    parent = os.getppid()
    if parent != render and not _alive(render):  # the render died before the lines above
        os._exit(1)
    if environ is not None and environ != os.environ:
        os.environ.clear()
        os.environ.update(environ)
    import signal

    # Ctrl-C in a terminal reaches every process of the group: the render decides what stops, and how.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        if parent != render and hasattr(os, "pidfd_open"):
            try:
                ended = os.pidfd_open(render)
            except OSError:  # already gone
                os._exit(1)
            import select

            select.select([ended], [], [])  # readable once the render has ended
            os._exit(1)
        while os.getppid() == parent and (parent == render or _alive(render)):
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's process took the number
        return False
    return True


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` at once (Ctrl-C, or a failure): drop the waiting segments and end the worker
    processes, whose segments in progress are lost (they write under temporary names, so nothing
    half-written is kept); their futures then fail, so nothing waits on them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)
