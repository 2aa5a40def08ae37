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
from mmlanim.render.worker import SegmentJob, render_pooled
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
        self.functions: set = set()  # what the workers were asked to run

    def submit(self, fn, job):  # noqa: ANN001, ANN201 - the executor's own signature
        if self.broken:
            raise BrokenProcessPool("a worker died")
        future: Future = Future()
        future.set_running_or_notify_cancel()
        self.functions.add(fn)
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
    assert pool.functions == {render_pooled}  # a worker settles its heap after each segment


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


def test_a_freed_worker_starts_its_next_segment_before_the_finished_one_is_stored() -> None:
    """Storing a render (muxing its narration: a fifth of a second) must not keep a worker idle."""
    from types import SimpleNamespace

    from mmlanim.render.schedule import Scheduler

    pool = _HeldPool()
    lengths = {"a": 5.0, "b": 3.0, "c": 1.0}
    workers = SimpleNamespace(jobs=1, pool=pool, warming=[])
    scheduler: Scheduler[str] = Scheduler(job_for=_job, length_of=lengths.__getitem__, workers=workers)  # type: ignore[arg-type]
    for name in lengths:
        scheduler.add(name)
    assert [name for name, _ in pool.running] == ["a"]
    drained = scheduler.drain()
    pool.finish_first()
    item, outcome = next(drained)
    assert (item, outcome) == ("a", Path("a.mp4"))
    assert [name for name, _ in pool.running] == ["b"]  # already drawing while "a" is handed back
    pool.finish_first()
    assert next(drained)[0] == "b" and [name for name, _ in pool.running] == ["c"]
    pool.finish_first()
    assert [item for item, _ in drained] == ["c"]
    assert pool.functions == {render_pooled}


def _two_segments(tmp_path: Path, valid: bool = True) -> Path:
    visual = "{kind: title, subtitle: One}" if valid else "{kind: title, subtitle: [not, text]}"
    lecture = tmp_path / "two.yaml"
    lecture.write_text("title: Two\nsegments:\n"
                       f"  - id: a\n    narration: The first.\n    visual: {visual}\n"
                       "  - id: b\n    narration: The second.\n    visual: {kind: title, subtitle: Two}\n",
                       encoding="utf-8")
    return lecture


@pytest.mark.render
def test_a_render_starts_its_workers_first_and_leaves_none_behind(tmp_path: Path, monkeypatch) -> None:
    """Workers start before the lecture is read (they import manim meanwhile); whether the render drew
    segments, found them all cached or found the lecture invalid, no worker outlives it."""
    import multiprocessing

    from mmlanim.errors import LectureError
    from mmlanim.render import pipeline, schedule
    from mmlanim.render.pipeline import RenderOptions, render_lecture

    started: list[int] = []
    real_workers = schedule.Workers

    def counted(jobs: int) -> schedule.Workers:
        started.append(jobs)
        return real_workers(jobs)

    loaded: list[int] = []
    real_load = pipeline.load_lecture
    monkeypatch.setattr(pipeline, "Workers", counted)
    monkeypatch.setattr(pipeline, "load_lecture", lambda path: loaded.append(len(started)) or real_load(path))
    opts = RenderOptions(quality="l", resolution=(64, 36), voice={"engine": "silent"}, jobs=2,
                         out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    lecture = _two_segments(tmp_path)
    first = render_lecture(lecture, opts)
    assert (first.rendered, first.cached) == (2, 0)
    assert started == [2] and loaded == [1]  # the two workers were started before the lecture was read
    assert multiprocessing.active_children() == []
    again = render_lecture(lecture, opts)
    assert (again.rendered, again.cached) == (0, 2) and started == [2, 2]
    assert multiprocessing.active_children() == []  # started for nothing, and stopped
    with pytest.raises(LectureError, match="subtitle"):
        render_lecture(_two_segments(tmp_path, valid=False), opts)
    assert started == [2, 2, 2] and multiprocessing.active_children() == []


@pytest.mark.render
def test_a_parallel_render_leaves_nothing_for_the_resource_tracker(tmp_path: Path) -> None:
    """Workers are stopped at the end of a render: anything of theirs a stop would strand (a named
    semaphore, say) the resource tracker reports on stderr when it ends; nothing may be reported."""
    lecture = _two_segments(tmp_path)
    env = {**os.environ, "MMLANIM_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "mmlanim", "render", str(lecture), "-q", "l", "-r", "64,36",
                           "--voice", "silent", "-j", "2", "--quiet", "-o", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "out").rglob("two.mp4"))
    assert "leaked" not in done.stderr and "resource_tracker" not in done.stderr, done.stderr


@pytest.mark.render
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a fork server and select() on pipes")
def test_a_render_that_draws_nothing_leaves_nothing_holding_its_streams(tmp_path: Path) -> None:
    """A render with everything cached forks no worker and ends its (still importing) fork server:
    when it exits, nothing else holds its stderr, so a pipeline reading it is not kept waiting."""
    import select

    lecture = _two_segments(tmp_path)
    env = {**os.environ, "MMLANIM_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "mmlanim", "render", str(lecture), "-q", "l", "-r", "64,36",
               "--voice", "silent", "-j", "2", "--quiet", "-o", str(tmp_path / "out")]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)  # draws both
    warm = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert warm.wait(timeout=120) == 0
        servers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _is_fork_server_of(p, tmp_path)]
        assert servers == []  # ended and reaped by the render before it exited
        # The resource tracker (which the render's lifeline ends at once) may take a moment.
        readable, _, _ = select.select([warm.stderr], [], [], 1.0)
        assert readable, "something the render started still holds its stderr"
        assert warm.stderr is not None and warm.stderr.read() == b""  # closed, and nothing said
    finally:
        warm.kill()
        if warm.stderr is not None:
            warm.stderr.close()


def _is_fork_server_of(proc: Path, tmp_path: Path) -> bool:
    """Whether the process ``proc`` (a /proc entry) is a fork server started with ``tmp_path``'s cache."""
    try:
        command = (proc / "cmdline").read_bytes()
        environ = (proc / "environ").read_bytes()
    except OSError:
        return False
    return b"multiprocessing.forkserver" in command and str(tmp_path / "cache").encode() in environ


def test_the_warmed_fork_server_freezes_what_it_imported_out_of_the_collectors_sight() -> None:
    code = ("import gc; n = gc.get_freeze_count(); import mmlanim.render._preload; import manim; "
            "print(n, gc.get_freeze_count(), sum(map(len, (gc.get_objects(g) for g in range(3)))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    before, frozen, tracked = map(int, out.stdout.split())
    assert before == 0
    assert frozen > 50_000  # manim's and the visual kinds' objects
    assert tracked < frozen / 10  # what a worker's collections still walk


def test_settling_a_workers_heap_collects_the_segments_garbage_and_freezes_what_outlived_it() -> None:
    """After a segment: its cyclic garbage is collected, what it left for the next ones is frozen (out of
    later collections) yet still freed once nothing refers to it."""
    code = """if True:
        import gc, weakref
        from mmlanim.render.worker import settle_heap
        class Node:
            pass
        freed = []
        def cycle():
            a, b = Node(), Node()
            a.other, b.other = b, a
            return a
        garbage = cycle(); weakref.finalize(garbage, freed.append, "garbage"); del garbage
        kept = {"cache": cycle()}  # outlives the segment, as a parse cache does
        weakref.finalize(kept["cache"], freed.append, "kept")
        gc.disable()  # only settle_heap collects from here on
        frozen_before = gc.get_freeze_count()
        settle_heap()
        walked = any(o is kept for g in range(3) for o in gc.get_objects(g))
        print(freed, gc.get_freeze_count() > frozen_before, walked)
        kept["cache"].other.other = None  # no cycle left: plain reference counting frees it
        kept.clear()
        print(freed)
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    first, second = out.stdout.splitlines()
    assert first == "['garbage'] True False"  # collected; the survivor frozen, no longer walked
    assert second == "['garbage', 'kept']"
