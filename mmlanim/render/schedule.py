"""Who renders which missing segment, and when: the render scheduler.

A render starts its worker processes first (:class:`Workers`): each imports
manim (a second or two) while the lecture is read and its segments planned
(narration first, then a cache look-up). Each segment missing from the cache
is handed to a :class:`Scheduler` as soon as it is planned, which hands each
idle worker the longest waiting segment, so that a render does not end
waiting on one long segment. The render stops its workers when it ends.
With one job, everything renders in this process.

Several renders at once (a course) share one :class:`SegmentQueue` instead:
one queue of every lecture's missing segments, served longest first by one
pool of warm workers.
"""

from __future__ import annotations

__all__ = ["Scheduler", "SegmentQueue", "Workers", "warm_fork_server", "worker_count"]

import atexit
import contextlib
import functools
import heapq
import itertools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, wait
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from .worker import JobFailure, SegmentJob, die_with_parent, render_job, render_pooled, stop_pool, warm_up

T = TypeVar("T")
Outcome = Path | JobFailure


def worker_count(jobs: int | None, n_segments: int) -> int:
    """Worker processes for ``n_segments``: ``jobs`` (default: the cores this
    process may use), never more than there are segments, at least one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(jobs or cores, n_segments))


class Workers:
    """Worker processes that start warm (manim, the visual kinds and the lecture model imported).

    Where the platform has one, workers are forked from a *fork server* that
    imports all that once (:mod:`mmlanim.render._preload`): it starts warming
    at once, and each worker, forked when the first segment needs it, is ready
    in milliseconds instead of importing for a second or two itself. The server
    is started by the first pool of this process and serves every later one; a
    render that finds nothing to draw forks no worker. Elsewhere each worker is
    a fresh interpreter, started at once, that imports it all itself. Each
    worker ends when this process does (:func:`~mmlanim.render.worker.die_with_parent`).

    Parameters
    ----------
    jobs : int
        How many at most.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        context = _start_method()
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                        initializer=die_with_parent, initargs=(os.getpid(), dict(os.environ)))
        #: Done as each worker is ready (none to wait for when forked warm).
        self.warming: list[Future[None]] = []
        if not warm_fork_server():  # pragma: no cover - Windows: each worker imports while the lecture is read
            self.warming = [self.pool.submit(warm_up) for _ in range(jobs)]

    def stop(self) -> None:
        """End the workers now, whatever they are doing (see :func:`~mmlanim.render.worker.stop_pool`).
        The fork server stays, warm, for this process's next pool; it is ended at exit."""
        stop_pool(self.pool)


def _stop_fork_server() -> None:
    """End this process's fork server now, and reap it. Registered to run at exit: the server may
    still be importing (a render that found everything cached forks no worker), it holds this
    process's standard streams (a pipeline reading them would wait for it), and once reaped, the CPU
    time of the workers it reaped counts as this process's children's, as a spawned worker's does.
    Killed rather than left to tear down its imports (a second or more); multiprocessing starts
    another when next asked."""
    import signal
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    if server is None or pid is None or not hasattr(server, "_stop"):  # pragma: no cover - another Python
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)  # it reads its lifeline only once warm: do not wait for that
    server._stop()  # reaps it and forgets it


def warm_fork_server() -> bool:
    """Start the fork server's imports now, where workers are forked from one (False: they are not).

    A worker forked before they end waits for them; idempotent (the server serves every pool of
    this process)."""
    if _start_method().get_start_method() != "forkserver":  # pragma: no cover - Windows
        return False
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return True


@functools.cache
def _start_method() -> BaseContext:
    """The fork server, warmed by :mod:`mmlanim.render._preload`, where there is one; else spawn."""
    if "forkserver" not in get_all_start_methods():  # pragma: no cover - Windows
        return get_context("spawn")
    context = get_context("forkserver")
    context.set_forkserver_preload(["mmlanim.render._preload"])
    atexit.register(_stop_fork_server)
    return context


class SegmentQueue:
    """The missing segments of several renders in one queue, on one pool of workers, longest first.

    Parameters
    ----------
    pool : ProcessPoolExecutor
        The warm workers (a :class:`Workers`' pool); the queue never owns it.
    jobs : int
        Its worker processes: the queue keeps at most this many segments in
        the pool, so that a worker that frees up gets the longest segment
        waiting *then*, whichever lecture it belongs to.

    :meth:`submit` is safe from any thread; :meth:`cancel` drops what waits
    (a render that failed), :meth:`stop` everything (Ctrl-C).
    """

    def __init__(self, pool: ProcessPoolExecutor, jobs: int) -> None:
        self.pool = pool
        self.jobs = jobs
        self._lock = threading.Lock()
        self._waiting: list[tuple[float, int, SegmentJob, Future[Outcome]]] = []
        self._order = itertools.count()
        self._in_pool = 0
        self._in_flight: set[Future[Outcome]] = set()  # outer futures of the segments in the pool
        self._stopped = False

    def submit(self, job: SegmentJob, length: float) -> Future[Outcome]:
        """Queue ``job`` (``length`` seconds long); its future holds the render's outcome."""
        outer: Future[Outcome] = Future()
        with self._lock:
            if self._stopped:
                outer.set_exception(CancelledError("the render was stopped"))
                return outer
            heapq.heappush(self._waiting, (-length, next(self._order), job, outer))
        self._dispatch()
        return outer

    def waiting(self) -> int:
        """Segments queued and not yet handed to a worker."""
        with self._lock:
            return len(self._waiting)

    def cancel(self, futures: Iterator[Future[Outcome]] | None = None) -> None:
        """Drop the waiting segments whose futures are given (default: all); running ones finish."""
        with self._lock:
            chosen = None if futures is None else set(futures)
            keep = []
            for entry in self._waiting:
                if chosen is None or entry[3] in chosen:
                    # cancel() alone does not wake a concurrent.futures.wait() on the future (an executor
                    # does that as its worker picks the item up): tell the waiters it was cancelled.
                    entry[3].cancel()
                    entry[3].set_running_or_notify_cancel()
                else:
                    keep.append(entry)
            heapq.heapify(keep)
            self._waiting = keep

    def stop(self) -> None:
        """Stop for good (Ctrl-C; the workers were stopped): every waiting segment, every segment
        being drawn and every segment submitted from now on fails at once, so no render waits."""
        with self._lock:
            self._stopped = True
            flying, self._in_flight = list(self._in_flight), set()
        self.cancel()
        for outer in flying:
            if not outer.done():
                outer.set_exception(CancelledError("the render was stopped"))

    def _dispatch(self) -> None:
        """Hand the longest waiting segments to the free workers."""
        while True:
            with self._lock:
                if self._in_pool >= self.jobs or not self._waiting:
                    return
                _, _, job, outer = heapq.heappop(self._waiting)
                if not outer.set_running_or_notify_cancel():
                    continue  # cancelled while it waited
                self._in_pool += 1
                self._in_flight.add(outer)
            try:
                inner = self.pool.submit(render_pooled, job)
            except BaseException as exc:  # a broken pool, or one shut down: the render hears of it
                with self._lock:
                    self._in_pool -= 1
                    self._in_flight.discard(outer)
                outer.set_exception(exc)
                continue
            inner.add_done_callback(functools.partial(self._finished, outer))

    def _finished(self, outer: Future[Outcome], inner: Future[Outcome]) -> None:
        with self._lock:
            self._in_pool -= 1
            self._in_flight.discard(outer)
        if outer.done():  # given up by stop()
            return
        if inner.cancelled():
            outer.set_exception(RuntimeError("the worker pool was shut down"))
        elif inner.exception() is not None:
            outer.set_exception(inner.exception())  # type: ignore[arg-type]
        else:
            outer.set_result(inner.result())
        self._dispatch()


class Scheduler(Generic[T]):
    """Renders the segments handed to it, in this process or in worker processes.

    Parameters
    ----------
    job_for : callable
        Makes the :class:`~mmlanim.render.worker.SegmentJob` of an item.
    length_of : callable
        An item's length in seconds (the longest waiting item goes first).
    workers : Workers, optional
        Workers started ahead, by the caller, who stops them. Without them,
        everything renders in this process.
    queue : SegmentQueue, optional
        The queue of a course, shared with other renders: every item goes
        there at once (the queue decides the order), and its workers outlive
        the scheduler.

    Use as a context manager (the workers stop on leaving it). :meth:`add`
    items as they are planned, collect :meth:`finished` ones on the way, and
    :meth:`drain` the rest at the end.
    """

    def __init__(self, *, job_for: Callable[[T], SegmentJob], length_of: Callable[[T], float],
                 workers: Workers | None = None, queue: SegmentQueue | None = None) -> None:
        self.jobs = workers.jobs if workers is not None else 1
        self.job_for = job_for
        self.length_of = length_of
        self.missing = 0
        self._waiting: list[T] = []
        self._running: dict[Future[Outcome], T] = {}
        self._queue = queue
        self._pool: ProcessPoolExecutor | None = (
            queue.pool if queue is not None else workers.pool if workers is not None else None)
        self._warming: list[Future[None]] = workers.warming if workers is not None else []

    # -- the three calls ---------------------------------------------------------
    def add(self, item: T) -> None:
        """A missing segment, to be rendered."""
        self.missing += 1
        if self._queue is not None:
            self._running[self._queue.submit(self.job_for(item), self.length_of(item))] = item
            return
        self._waiting.append(item)
        self._dispatch()

    def finished(self) -> list[tuple[T, Outcome]]:
        """The renders done so far (without waiting); idle workers get more work."""
        done = [(self._running.pop(f), f.result()) for f in list(self._running) if f.done()]
        self._dispatch()
        return done

    def drain(self) -> Iterator[tuple[T, Outcome]]:
        """Every remaining render, as each finishes (in this process when no worker was started)."""
        if self._pool is None:
            while self._waiting:
                item = self._waiting.pop(0)
                yield item, render_job(self.job_for(item))
            return
        while self._running or self._waiting:
            watched: list[Future[Any]] = [*self._running, *(w for w in self._warming if not w.done())]
            ready = [f for f in wait(watched, return_when=FIRST_COMPLETED)[0] if f in self._running]
            done = [(self._running.pop(f), f.result()) for f in ready]
            self._dispatch()  # the freed workers start their next segment before the caller stores these
            yield from done

    # -- workers -------------------------------------------------------------------
    def _dispatch(self) -> None:
        """Hand the longest waiting item to each idle worker."""
        if self._pool is None or self._queue is not None:
            return
        busy = len(self._running) + sum(not w.done() for w in self._warming)
        while self._waiting and busy < self.jobs:
            item = max(self._waiting, key=self.length_of)
            self._waiting.remove(item)
            self._running[self._pool.submit(render_pooled, self.job_for(item))] = item
            busy += 1

    def __enter__(self) -> Scheduler[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._queue is not None:  # a failure or Ctrl-C: this render's waiting segments are dropped
            self._queue.cancel(iter(self._running))
