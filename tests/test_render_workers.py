"""How many worker processes a render starts."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from mmlanim.quality import quality
from mmlanim.render.schedule import SegmentQueue, worker_count
from mmlanim.render.worker import SegmentJob
from mmlanim.visuals import VisualContext


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
@pytest.mark.parametrize("cores", [1, 2])
def test_worker_count_defaults_to_the_cores_the_process_may_use(cores: int) -> None:
    """A process allowed on ``cores`` cores (whatever the machine has) starts that many workers."""
    if cores > os.cpu_count():  # type: ignore[operator]
        pytest.skip(f"the machine has fewer than {cores} cores")
    code = (f"import os; os.sched_setaffinity(0, set(range({cores}))); "
            "from mmlanim.render.schedule import worker_count; print(worker_count(None, 100))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(out) == cores


def test_worker_count_never_exceeds_the_segments_nor_falls_below_one() -> None:
    assert worker_count(None, 1) == 1
    assert worker_count(3, 2) == 2 and worker_count(3, 10) == 3 and worker_count(1, 0) == 1


class _HeldPool:
    """Stands in for a ProcessPoolExecutor: keeps each submitted job until the test finishes it."""

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken
        self.running: list[tuple[str, Future]] = []

    def submit(self, fn, job):  # noqa: ANN001, ANN201 - the executor's own signature
        if self.broken:
            raise BrokenProcessPool("a worker died")
        future: Future = Future()
        future.set_running_or_notify_cancel()
        self.running.append((job.segment_id, future))
        return future

    def finish_first(self) -> str:
        name, future = self.running.pop(0)
        future.set_result(Path(f"{name}.mp4"))
        return name


def _job(name: str) -> SegmentJob:
    return SegmentJob(name, {}, VisualContext(), (), quality("l"), Path(f"{name}.mp4"))


def test_a_course_queue_hands_each_free_worker_the_longest_segment_of_any_lecture() -> None:
    pool = _HeldPool()
    queue = SegmentQueue(pool, jobs=2)  # type: ignore[arg-type]
    # Two lectures' segments arrive as they are planned; the first two find free workers at once.
    lengths = {"a1": 3.0, "b1": 4.0, "a2": 12.0, "b2": 30.0, "a3": 1.0, "b3": 20.0}
    futures = {name: queue.submit(_job(name), length) for name, length in lengths.items()}
    assert [name for name, _ in pool.running] == ["a1", "b1"] and queue.waiting() == 4
    order = []
    while pool.running:
        order.append(pool.finish_first())
    assert order == ["a1", "b1", "b2", "b3", "a2", "a3"]  # then the longest waiting, whichever lecture
    assert {name: f.result() for name, f in futures.items()} == {n: Path(f"{n}.mp4") for n in lengths}


def test_a_course_queue_drops_cancelled_segments_and_reports_a_broken_pool() -> None:
    pool = _HeldPool()
    queue = SegmentQueue(pool, jobs=1)  # type: ignore[arg-type]
    first, long, short = (queue.submit(_job(n), s) for n, s in (("first", 1.0), ("long", 9.0), ("short", 2.0)))
    queue.cancel(iter([long]))  # one render's segments (an interrupted lecture)
    assert long.cancelled() and not short.cancelled() and queue.waiting() == 1
    assert [pool.finish_first(), pool.finish_first()] == ["first", "short"] and not pool.running
    assert first.result() == Path("first.mp4") and short.result() == Path("short.mp4")
    queue.cancel()  # nothing waits: nothing changes
    broken = SegmentQueue(_HeldPool(broken=True), jobs=1)  # type: ignore[arg-type]
    with pytest.raises(BrokenProcessPool, match="a worker died"):
        broken.submit(_job("x"), 1.0).result(timeout=5)


def test_a_stopped_course_queue_fails_every_segment_at_once() -> None:
    from concurrent.futures import CancelledError

    pool = _HeldPool()
    queue = SegmentQueue(pool, jobs=1)  # type: ignore[arg-type]
    drawing, waiting = queue.submit(_job("drawing"), 5.0), queue.submit(_job("waiting"), 3.0)
    queue.stop()  # Ctrl-C: the workers were stopped, so the segment being drawn never comes back
    assert waiting.cancelled()
    with pytest.raises(CancelledError, match="stopped"):
        drawing.result(timeout=5)
    with pytest.raises(CancelledError, match="stopped"):
        queue.submit(_job("late"), 1.0).result(timeout=5)  # a lecture still being planned hears at once
    pool.finish_first()  # a late answer from the pool changes nothing
    assert [name for name, _ in pool.running] == [] and queue.waiting() == 0
