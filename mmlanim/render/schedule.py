"""Who renders which missing segment, and when: the render scheduler.

A render plans its segments one after another (narration first, then a
cache look-up); each segment missing from the cache is handed to a
:class:`Scheduler` as soon as it is planned. The scheduler renders in this
process when only one segment is missing (an edit: no worker start-up), and
otherwise starts worker processes, which import manim while later segments
are still being spoken, and hands each idle worker the longest waiting
segment, so that a render does not end waiting on one long segment.
"""

from __future__ import annotations

__all__ = ["Scheduler", "worker_count"]

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from .worker import JobFailure, SegmentJob, die_with_parent, render_job, warm_up

T = TypeVar("T")
Outcome = Path | JobFailure


def worker_count(jobs: int | None, n_segments: int) -> int:
    """Worker processes for ``n_segments``: ``jobs`` (default: the cores this
    process may use), never more than there are segments, at least one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(jobs or cores, n_segments))


class Scheduler(Generic[T]):
    """Renders the segments handed to it, in this process or in worker processes.

    Parameters
    ----------
    jobs : int
        Worker processes to use (1: everything renders in this process).
    job_for : callable
        Makes the :class:`~mmlanim.render.worker.SegmentJob` of an item.
    length_of : callable
        An item's length in seconds (the longest waiting item goes first).
    workers_after : int
        Start the workers once this many items are missing (1 on a first
        render, where most segments miss; 2 otherwise, so that a lone edit
        renders in this process).
    pool : ProcessPoolExecutor, optional
        Warm workers shared with other renders (a course): everything renders
        there, and the pool outlives the scheduler.

    Use as a context manager (the workers stop on leaving it). :meth:`add`
    items as they are planned, collect :meth:`finished` ones on the way, and
    :meth:`drain` the rest at the end.
    """

    def __init__(self, *, jobs: int, job_for: Callable[[T], SegmentJob], length_of: Callable[[T], float],
                 workers_after: int = 2, pool: ProcessPoolExecutor | None = None) -> None:
        self.jobs = jobs
        self.job_for = job_for
        self.length_of = length_of
        self.workers_after = workers_after
        self.missing = 0
        self._waiting: list[T] = []
        self._running: dict[Future[Outcome], T] = {}
        self._pool: ProcessPoolExecutor | None = pool
        self._owns_pool = pool is None
        self._warming: list[Future[None]] = []

    # -- the three calls ---------------------------------------------------------
    def add(self, item: T) -> None:
        """A missing segment, to be rendered."""
        self.missing += 1
        self._waiting.append(item)
        if self._pool is None and self.jobs > 1 and self.missing >= self.workers_after:
            self._start_workers()
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
            for future in wait(watched, return_when=FIRST_COMPLETED)[0]:
                if future in self._running:
                    item = self._running.pop(future)
                    yield item, future.result()
            self._dispatch()

    # -- workers -------------------------------------------------------------------
    def _start_workers(self) -> None:
        """Start every worker now (each imports manim while narration goes on)."""
        self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=get_context("spawn"),
                                         initializer=die_with_parent, initargs=(os.getpid(),))
        self._warming = [self._pool.submit(warm_up) for _ in range(self.jobs)]

    def _dispatch(self) -> None:
        """Hand the longest waiting item to each idle worker."""
        if self._pool is None:
            return
        busy = len(self._running) + sum(not w.done() for w in self._warming)
        while self._waiting and busy < self.jobs:
            item = max(self._waiting, key=self.length_of)
            self._waiting.remove(item)
            self._running[self._pool.submit(render_job, self.job_for(item))] = item
            busy += 1

    def __enter__(self) -> Scheduler[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._pool is not None and self._owns_pool:
            self._pool.shutdown(wait=True, cancel_futures=True)
