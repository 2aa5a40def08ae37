"""Render the missing segments on a Dask cluster (``mmlanim render --cluster``).

The cluster is another engine behind the render's scheduler boundary: the
client (the machine running ``mmlanim render``) still reads the lectures,
speaks and times the narration, looks every segment up in its own cache,
muxes the narration into each picture, stores it and joins the lectures; the
cluster only draws and encodes pictures.

- :func:`connect` reaches a running ``dask.distributed`` scheduler (or starts
  a :class:`~distributed.LocalCluster` for ``--cluster local``) and checks
  every worker's environment with ``client.run`` before anything is
  submitted: the same mmlanim (version and code) and manim, LaTeX and
  dvisvgm, one thread per worker process. A worker that differs is refused
  by name with what it lacks.
- Each missing segment is one task keyed by its content hash (the segment
  cache key): a pure task, so the scheduler runs a segment once however many
  clients ask for it, with ``retries`` for failures of the worker's machine;
  a worker lost mid-task has its task run again elsewhere by the scheduler.
- The task carries the segment as plain data plus the bytes of the files it
  reads (CSV data), and returns the picture's bytes, or with
  ``--shared-cache DIR`` (a folder the client and the workers see at the same
  path) writes it there and returns its path.
- :class:`ClusterScheduler` has the interface of
  :class:`~mmlanim.render.schedule.Scheduler` (``add``, ``finished``,
  ``drain``) and reports each render as ``as_completed`` yields it.

Narration stays on the client: it is needed there anyway (muxing, subtitles,
the beat durations a task needs before it can start), it is cached there, and
it is a small part of the work (``scripts/bench_course.py --cluster local``
measures it against the rendering); the workers therefore need no voice.

``dask`` and ``distributed`` are imported only here, and only when called.
"""

from __future__ import annotations

__all__ = ["ClusterEngine", "ClusterScheduler", "ClusterStats", "ClusterTask", "connect", "render_task",
           "worker_environment"]

import contextlib
import os
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from ..errors import UserError
from ..integrity import store_verified, verified
from .worker import JobFailure, SegmentJob, render_job

T = TypeVar("T")
Outcome = Path | JobFailure

#: The event topic a worker logs each segment it starts under (``client.get_events``).
EVENT_TOPIC = "mmlanim-render"


# -- what a worker has ---------------------------------------------------------------

def worker_environment() -> dict[str, Any]:
    """What this process renders with: versions, code fingerprints, missing tools.

    Runs on every worker (``client.run``) and on the client; two processes
    whose environments are equal draw the same pixels for the same segment.
    """
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__, theme
    from ..doctor import missing_for_render
    from ..visuals import registry
    from .cache import code_fingerprint
    from .encoding import encoder_fingerprint

    try:
        manim_version = version("manim")
    except PackageNotFoundError:  # pragma: no cover - mmlanim requires manim
        manim_version = "missing"
    return {
        "mmlanim": __version__,
        "manim": manim_version,
        "kinds": {kind: code_fingerprint(cls)  # type: ignore[arg-type]  # classes are hashable
                  for kind, cls in sorted(registry().items())},
        "theme": theme.theme_fingerprint(),
        "encoder": encoder_fingerprint(),
        "missing": missing_for_render([]),
    }


def _what_lacks(theirs: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """What a worker with environment ``theirs`` lacks to render as the client (``ours``) would."""
    lacks = list(theirs.get("missing", []))
    for package in ("mmlanim", "manim"):
        if theirs.get(package) != ours[package]:
            lacks.append(f"{package} {theirs.get(package)} (the client has {ours[package]})")
    kinds = theirs.get("kinds", {})
    absent = sorted(set(ours["kinds"]) - set(kinds))
    if absent:
        lacks.append("the visual kinds " + ", ".join(absent) + " (install the same plugins)")
    differ = sorted(k for k in ours["kinds"] if k in kinds and kinds[k] != ours["kinds"][k])
    if differ:
        lacks.append("the client's code for " + ", ".join(differ) + " (install the same mmlanim and plugins)")
    for what in ("theme", "encoder"):
        if theirs.get(what) != ours[what]:
            lacks.append(f"the client's {what} settings")
    return lacks


def _label(name: Any, address: str) -> str:
    return f"worker {address}" if name in (None, "", address) else f"worker '{name}' ({address})"


# -- a task ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ClusterTask:
    """One segment's picture, as a worker receives it (plain data only).

    Attributes
    ----------
    key : str
        The segment's cache key (its content hash).
    job : SegmentJob
        The segment; its ``out_path`` and ``context.base_dir`` are replaced on the worker.
    inputs : tuple of (str, bytes)
        The files the segment reads, by their path relative to the lecture's folder.
    expected : dict
        The client's :func:`worker_environment`; a worker that differs renders nothing.
    shared : str or None
        The shared cache folder, if the workers write pictures there.
    """

    key: str
    job: SegmentJob
    inputs: tuple[tuple[str, bytes], ...]
    expected: dict[str, Any]
    shared: str | None = None


def _shared_path(shared: str | Path, key: str) -> Path:
    return Path(shared) / "pictures" / key[:2] / f"{key}.mp4"


#: One segment at a time in a worker process: manim's configuration is global to the process.
_RENDERING = threading.Lock()


def render_task(task: ClusterTask) -> bytes | str | JobFailure:
    """Render ``task`` on a worker; the picture's bytes, its path in the shared cache, or a failure.

    A visual that raises gives a :class:`JobFailure` (not retried: it would
    raise again); a failure of the worker's files (no space...) raises, so
    that the scheduler retries the task.
    """
    from distributed import get_worker

    worker = get_worker()
    who = _label(worker.name, worker.address)
    worker.log_event(EVENT_TOPIC, {"key": task.key, "worker": worker.address, "segment": task.job.segment_id})
    if task.shared and verified(path := _shared_path(task.shared, task.key)):
        return str(path)
    lacks = _what_lacks(worker_environment(), task.expected)
    if lacks:
        return JobFailure(task.job.segment_id, f"{who} cannot render it: it lacks " + "; ".join(lacks), "")
    with _RENDERING, tempfile.TemporaryDirectory(prefix="mmlanim-task-") as tmp:
        base = Path(tmp) / "lecture"
        base.mkdir()
        for name, data in task.inputs:
            target = base / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        job = replace(task.job, context=replace(task.job.context, base_dir=base), out_path=Path(tmp) / "picture.mp4")
        outcome = render_job(job)
        if isinstance(outcome, JobFailure):
            if outcome.io_errno:  # this machine's disk, not the visual: let the scheduler retry
                raise OSError(outcome.io_errno, f"on {who}: {os.strerror(outcome.io_errno)}", outcome.io_path)
            return replace(outcome, details=f"on {who}:\n{outcome.details}")
        if job.dry_run:
            return b""
        if task.shared:
            picture = outcome

            def copy(out: Path) -> None:
                shutil.copyfile(picture, out)

            return str(store_verified(_shared_path(task.shared, task.key), copy))
        return outcome.read_bytes()


def _warm() -> None:
    """Import manim on a worker before its first segment arrives."""
    from .worker import warm_up

    warm_up()


def _environment_of(dask_worker: Any = None) -> dict[str, Any]:
    env = dict(worker_environment())
    if dask_worker is not None:
        env["name"] = dask_worker.name
        env["nthreads"] = getattr(dask_worker.state, "nthreads", 1)
    return env


# -- the client's side -----------------------------------------------------------------

@dataclass
class ClusterStats:
    """What went over the network: tasks sent, and bytes each way."""

    tasks: int = 0
    bytes_out: int = 0  # the tasks' data (segment, context, input files)
    bytes_back: int = 0  # the pictures returned
    from_shared: int = 0  # pictures read from the shared cache
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def line(self) -> str:
        """One line for the terminal."""
        if not self.tasks:
            return "cluster: nothing rendered"
        per = (self.bytes_out + self.bytes_back) / self.tasks / 1024
        shared = f", {self.from_shared} through the shared cache" if self.from_shared else ""
        return (f"cluster: {self.tasks} segments, {per:.1f} KiB shipped per segment "
                f"({self.bytes_out / self.tasks / 1024:.1f} out, {self.bytes_back / self.tasks / 1024:.1f} back)"
                f"{shared}")


class ClusterEngine:
    """A connected cluster: makes a :class:`ClusterScheduler` for each lecture of a render.

    Made by :func:`connect`, which checks the workers first.
    """

    def __init__(self, client: Any, *, shared_cache: Path | None = None, retries: int = 2) -> None:
        self.client = client
        self.shared_cache = shared_cache
        self.retries = retries
        self.stats = ClusterStats()
        self.cancelled = threading.Event()
        self._futures: set[Any] = set()
        self._lock = threading.Lock()
        self._warming: list[Any] = []
        self.expected = worker_environment()

    @property
    def workers(self) -> int:
        """Threads of every connected worker: how many segments render at once."""
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        return max(1, sum(w.get("nthreads", 1) for w in info.values()))

    def check_workers(self) -> None:
        """Refuse (:class:`UserError`) if any worker lacks what rendering as this client does needs."""
        reports = self.client.run(_environment_of, on_error="return")
        problems = []
        for address, env in sorted(reports.items()):
            if isinstance(env, BaseException):
                problems.append(f"{_label(None, address)} cannot run mmlanim: {type(env).__name__}: {env}")
                continue
            lacks = _what_lacks(env, self.expected)
            if env.get("nthreads", 1) != 1:
                lacks.append(f"one thread per process (it has {env['nthreads']}: start it with --nthreads 1)")
            if lacks:
                problems.append(f"{_label(env.get('name'), address)} lacks " + "; ".join(lacks))
        if problems:
            raise UserError("cannot render on this cluster:\n  " + "\n  ".join(problems))

    def scheduler(self, *, job_for: Callable[[T], SegmentJob], length_of: Callable[[T], float],
                  key_of: Callable[[T], str]) -> ClusterScheduler[T]:
        """A scheduler for one lecture's missing segments."""
        return ClusterScheduler(self, job_for=job_for, length_of=length_of, key_of=key_of)

    def submit(self, task: ClusterTask, priority: int) -> Any:
        """Submit ``task`` keyed by its content hash (pure: one run whoever asks)."""
        from dask.sizeof import sizeof  # dask's estimate of what a task weighs on the wire

        if self.cancelled.is_set():
            raise KeyboardInterrupt
        size = int(sizeof(task))
        prefix = "mmlanim-dry" if task.job.dry_run else "mmlanim-segment"
        future = self.client.submit(render_task, task, key=f"{prefix}-{task.key}", pure=True,
                                    retries=self.retries, priority=priority)
        with self._lock:
            self._futures.add(future)
        with self.stats.lock:
            self.stats.tasks += 1
            self.stats.bytes_out += size
        return future

    def release(self, futures: list[Any], *, cancel: bool = False) -> None:
        """Forget ``futures`` (cancelling them first with ``cancel``) so the workers free their results."""
        with self._lock:
            self._futures.difference_update(futures)
        if cancel and futures:
            with contextlib.suppress(Exception):
                self.client.cancel(futures)

    def warm_up(self) -> None:
        """Have every worker import manim now, while the client speaks the narration (not waiting)."""
        import uuid

        for address in self.client.scheduler_info(n_workers=-1)["workers"]:
            self._warming.append(self.client.submit(_warm, key=f"mmlanim-warm-{uuid.uuid4().hex}",
                                                    workers=[address], allow_other_workers=False, priority=1 << 30))

    def cancel(self) -> None:
        """Cancel every task submitted (Ctrl-C): waiting ones never start; later submissions raise."""
        self.cancelled.set()
        with self._lock:
            futures = list(self._futures)
        self.release(futures, cancel=True)


class ClusterScheduler(Generic[T]):
    """One lecture's missing segments, rendered on the cluster (the interface of
    :class:`~mmlanim.render.schedule.Scheduler`).

    Every segment is submitted as soon as it is added (the longest first by
    priority); :meth:`finished` and :meth:`drain` hand back each render as
    ``as_completed`` yields it, written to its job's ``out_path``.
    """

    def __init__(self, engine: ClusterEngine, *, job_for: Callable[[T], SegmentJob],
                 length_of: Callable[[T], float], key_of: Callable[[T], str]) -> None:
        from distributed import as_completed

        self.engine = engine
        self.job_for = job_for
        self.length_of = length_of
        self.key_of = key_of
        self.missing = 0
        self._done = as_completed(loop=engine.client.loop)
        self._running: dict[Any, list[tuple[T, SegmentJob]]] = {}
        self._ready: list[tuple[T, Outcome]] = []

    def add(self, item: T) -> None:
        """A missing segment: served from the shared cache if there, else submitted."""
        self.missing += 1
        job, key = self.job_for(item), self.key_of(item)
        shared = self.engine.shared_cache
        if shared is not None and not job.dry_run and verified(picture := _shared_path(shared, key)):
            self._ready.append((item, self._from_shared(picture, job)))
            return
        task = ClusterTask(key, replace(job, out_path=Path(f"{key}.mp4")), _inputs(job),
                           self.engine.expected, str(shared) if shared is not None else None)
        future = self.engine.submit(task, priority=int(self.length_of(item) * 1000))
        if future not in self._running:
            self._running[future] = []
            self._done.add(future)
        self._running[future].append((item, job))

    def finished(self) -> list[tuple[T, Outcome]]:
        """The renders done so far (without waiting)."""
        done, self._ready = self._ready, []
        for future in self._done.next_batch(block=False):
            done.extend(self._collect(future))
        return done

    def drain(self) -> Iterator[tuple[T, Outcome]]:
        """Every remaining render, as each finishes."""
        yield from self.finished()
        while self._running:
            for future in self._done.next_batch(block=True):
                yield from self._collect(future)

    def _collect(self, future: Any) -> list[tuple[T, Outcome]]:
        from distributed import CancelledError

        waiting = self._running.pop(future, [])
        self.engine.release([future])
        if future.cancelled() or self.engine.cancelled.is_set():
            raise KeyboardInterrupt
        try:
            result = future.result()
        except CancelledError:
            raise KeyboardInterrupt from None
        except Exception as exc:  # noqa: BLE001 - the task's own failure (after its retries), or the workers died
            result = exc
        return [(item, self._outcome(result, job)) for item, job in waiting]

    def _outcome(self, result: Any, job: SegmentJob) -> Outcome:
        if isinstance(result, JobFailure):
            return replace(result, segment_id=job.segment_id)
        if isinstance(result, BaseException):
            what = "the workers rendering it were lost" if type(result).__name__ == "KilledWorker" else "on the cluster"
            return JobFailure(job.segment_id, f"{what}: {type(result).__name__}: {result}",
                              "".join(traceback.format_exception(result)))
        if isinstance(result, str):
            return self._from_shared(Path(result), job)
        if not job.dry_run:
            job.out_path.write_bytes(result)
        with self.engine.stats.lock:
            self.engine.stats.bytes_back += len(result)
        return job.out_path

    def _from_shared(self, picture: Path, job: SegmentJob) -> Outcome:
        from .outputs import copy_file

        try:
            copy_file(picture, job.out_path)
        except OSError as exc:
            return JobFailure(job.segment_id, f"the shared cache: {exc}", "", exc.errno or 0, str(picture))
        with self.engine.stats.lock:
            self.engine.stats.from_shared += 1
        return job.out_path

    def __enter__(self) -> ClusterScheduler[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._running:  # left early (Ctrl-C, an error): this lecture's tasks are not wanted any more
            self.engine.release(list(self._running), cancel=True)
            self._running.clear()


def _inputs(job: SegmentJob) -> tuple[tuple[str, bytes], ...]:
    """The files ``job``'s visual reads (and the visual of the segment before, whose last picture it
    opens on), relative to the lecture's folder, with their bytes."""
    import json

    from ..lecture.model import segment_model
    from ..visuals import registry

    kinds = registry()
    params = segment_model().model_validate(job.segment_data).visual  # type: ignore[attr-defined]
    named = list(kinds[params.kind](params, job.context).input_files())
    if job.context.opening:  # see mmlanim.render.scene: the picture before is rebuilt on the worker
        before = json.loads(job.context.opening)["visual"]
        cls = kinds.get(before.get("kind"))
        if cls is not None:
            named += cls(cls.model.model_validate(before), job.context).input_files()
    base = Path(job.context.base_dir).resolve()
    files = []
    for path in sorted({Path(p).resolve() for p in named}):
        if path.is_file() and path.is_relative_to(base):
            files.append((path.relative_to(base).as_posix(), path.read_bytes()))
    return tuple(files)


# -- connecting ----------------------------------------------------------------------

@contextlib.contextmanager
def connect(address: str, *, shared_cache: Path | None = None, workers: int | None = None,
            retries: int = 2, timeout: float = 10.0) -> Iterator[ClusterEngine]:
    """Connect to the scheduler at ``address`` (``tcp://HOST:8786``), or with ``"local"`` start a
    LocalCluster of ``workers`` single-thread worker processes on 127.0.0.1; check every worker.

    ``timeout`` bounds the connection (seconds); the first worker is awaited three times as long.

    Raises
    ------
    UserError
        The scheduler cannot be reached, has no workers, or a worker lacks
        something (named, with what it lacks); the shared cache is not a folder.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError("--cluster needs dask.distributed: pip install 'mmlanim[cluster]'") from None
    if shared_cache is not None:
        shared_cache = Path(shared_cache).resolve()
        if not shared_cache.is_dir():
            raise UserError(f"--shared-cache {shared_cache}: no such folder (it must be shared with the workers)")
    with contextlib.ExitStack() as stack:
        if address == "local":
            from .schedule import worker_count

            local = stack.enter_context(LocalCluster(
                n_workers=worker_count(workers, 1 << 16), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=":0"))
            address = local.scheduler_address
        try:
            client = stack.enter_context(Client(address, timeout=timeout, set_as_default=False))
        except (OSError, TimeoutError) as exc:
            raise UserError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        try:
            client.wait_for_workers(1, timeout=3 * timeout)
        except (OSError, TimeoutError):
            raise UserError(f"the Dask scheduler at {address} has no workers "
                            "(start some: dask worker ADDRESS --nthreads 1)") from None
        engine = ClusterEngine(client, shared_cache=shared_cache, retries=retries)
        engine.check_workers()
        engine.warm_up()
        try:
            yield engine
        except BaseException:
            engine.cancel()
            raise
