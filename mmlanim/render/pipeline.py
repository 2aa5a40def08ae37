"""Render a lecture: the story of a render, step by step.

:func:`render_lecture` starts its worker processes
(:class:`~mmlanim.render.schedule.Workers`, warming while it goes on) and
stops them when it ends; it reads and validates the lecture, then for every
segment **plans** (:func:`plan_segment`: the narration is spoken and timed,
the segment's cache key computed and looked up), **schedules** the misses
(:class:`~mmlanim.render.schedule.Scheduler`: in this process or in worker
processes, longest first) and **stores** each render in the segment cache as
it finishes; last it **publishes** the outputs (segment files, the joined
lecture, subtitles, chapters, transcript, and the manifest last), all
together or not at all (:mod:`mmlanim.render.outputs`).

Everything is written under a temporary name and renamed, under a lock on
the output folder; nothing is written until the lecture has validated.
"""

from __future__ import annotations

__all__ = ["PlannedSegment", "RenderOptions", "RenderResult", "SegmentResult", "plan_segment", "preview_segment",
           "render_lecture", "render_segments"]

import hashlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import LectureError, UserError
from ..framing import segment_seconds
from ..fsutil import atomic_path, folder_lock, io_error, private_dir, remove_stale_partials, slug
from ..lecture import LoadedLecture, load_lecture
from ..lecture.model import SegmentBase
from ..narration.cache import AudioCache
from ..narration.errors import NarrationError
from ..narration.plan import SegmentAudio
from ..narration.plan import plan_segment as plan_narration
from ..narration.timeline import beat_times
from ..paths import default_cache_dir
from ..progress import NullReporter, Reporter
from ..quality import Quality, quality
from ..visuals import Visual
from .cache import SegmentCache, segment_key
from .manim_config import sweep_tex_cache
from .schedule import Scheduler, SegmentQueue, Workers, worker_count
from .worker import JobFailure, SegmentJob

if TYPE_CHECKING:
    from .cluster import ClusterEngine, ClusterScheduler


@dataclass(frozen=True)
class RenderOptions:
    """How to render (the CLI's options).

    Attributes
    ----------
    quality : str
        manim's letter: l, m, h, p or k.
    resolution : (int, int) or None
        Override the pixel size (tests render tiny).
    frame_rate : int or None
        Override the frame rate (tests render few frames).
    out_dir : Path
        Output root; files go to ``out_dir/<stem>/<quality folder>/``.
    segments : tuple of str
        Render only these segment ids (no lecture file is joined).
    voice : dict
        Voice settings overriding the lecture's (e.g. ``{"engine": "silent"}``).
    voice_model : Path or None
        A piper model file given on the command line (not relative to the lecture).
    jobs : int or None
        Worker processes (default: the number of cores).
    use_cache : bool
        Serve unchanged segments from the cache.
    cache_dir : Path or None
        Cache root (default ``$MMLANIM_CACHE_DIR`` or ``~/.cache/mmlanim``).
    verbose : bool
        Show manim's own logs and progress bars.
    dry_run : bool
        Synthesise the narration and play every segment's scene, writing no
        video and nothing in the output folder (checks that everything builds).
    queue : SegmentQueue or None
        The queue of warm workers shared by several renders (a course, see
        :mod:`mmlanim.render.course`); every missing segment then goes there.
    cluster : ClusterEngine or None
        A connected Dask cluster (:mod:`mmlanim.render.cluster`); every
        missing segment then renders there.
    """

    quality: str = "h"
    resolution: tuple[int, int] | None = None
    frame_rate: int | None = None
    out_dir: Path = Path("renders")
    segments: tuple[str, ...] = ()
    voice: dict[str, Any] = field(default_factory=dict)
    voice_model: Path | None = None
    jobs: int | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    verbose: bool = False
    dry_run: bool = False
    queue: SegmentQueue | None = None
    cluster: ClusterEngine | None = None


@dataclass(frozen=True)
class SegmentResult:
    """A rendered segment and its place in the lecture (seconds)."""

    id: str
    title: str
    start: float
    end: float
    file: Path
    cached: bool


@dataclass(frozen=True)
class RenderResult:
    """What a render produced.

    Attributes
    ----------
    video : Path or None
        The lecture MP4 (None when only some segments were rendered).
    folder : Path
        The output folder.
    segments : tuple of SegmentResult
    rendered, cached : int
        Segments rendered now, and served from the cache.
    seconds : float
        Wall time.
    """

    video: Path | None
    folder: Path
    segments: tuple[SegmentResult, ...]
    rendered: int
    cached: int
    seconds: float


@dataclass
class PlannedSegment:
    """A segment of the render: its narration, its cache key, and its file once there."""

    index: int
    segment: SegmentBase
    visual: Visual
    audio: SegmentAudio
    key: str
    file: Path | None  # the cached segment file, once available
    cached: bool = False


@dataclass(frozen=True)
class _Caches:
    audio: AudioCache
    segments: SegmentCache

    @classmethod
    def at(cls, root: Path | None) -> _Caches:
        root = root or default_cache_dir()
        return cls(AudioCache(root / "audio"), SegmentCache(root / "segments"))


def _check_tools(voices: Sequence[Any]) -> None:
    from ..doctor import missing_for_render

    problems = missing_for_render(voices)
    if problems:
        raise UserError("cannot render: " + "; ".join(problems) + " (run `mmlanim doctor`)")


# -- 1. plan: speak the narration, time the beats, look the render up --------------

def plan_segment(loaded: LoadedLecture, i: int, *, opts: RenderOptions, q: Quality,
                 caches: _Caches) -> PlannedSegment:
    """Speak segment ``i``'s narration (through the audio cache), fit it to whole
    video and AAC frames, and look its render up in the segment cache."""
    seg = loaded.lecture.segments[i]
    visual = loaded.visual(seg)
    voice = loaded.voice_for(seg, opts.voice)
    try:
        audio = plan_narration(seg.cue_specs(), loaded.beats_for(seg), voice, loaded.base_dir, caches.audio,
                               model_file=opts.voice_model, at_least=seg.beat_minimums())
    except NarrationError as exc:
        raise LectureError([loaded.problem(("segments", i, "narration"), str(exc))]) from None
    # The video's exact length (whole frames and whole AAC frames); the narration is padded to it.
    audio = audio.padded_to(float(segment_seconds([b.duration for b in audio.beats], q.fps)))
    # The key covers the samples themselves, not only how they were made.
    heard = f"{audio.fingerprint}:{hashlib.sha256(np.ascontiguousarray(audio.samples).tobytes()).hexdigest()}"
    key = segment_key(visual, seg.model_dump(mode="json"), heard, q,
                      inputs=loaded.input_files(seg))
    hit = caches.segments.get(key) if opts.use_cache and not opts.dry_run else None
    return PlannedSegment(i, seg, visual, audio, key, hit, cached=hit is not None)


# -- 2. schedule and 3. store: render the misses, keep each in the cache -----------

def render_segments(loaded: LoadedLecture, indices: Sequence[int], *, opts: RenderOptions, q: Quality,
                    caches: _Caches, reporter: Reporter,
                    workers: Workers | None = None) -> tuple[list[PlannedSegment], list[JobFailure]]:
    """Plan every segment, render those not cached, and store each render as it finishes.

    Narration is spoken in a few threads (the voices are subprocesses), and
    each miss goes to the :class:`~mmlanim.render.schedule.Scheduler` as soon
    as it is timed, so rendering overlaps narration. A render is stored in
    the cache as soon as it finishes, so an interruption keeps the finished
    ones. Returns the planned segments in order, and the renders that failed.
    """
    tmp = private_dir(caches.segments.root, "render")
    planned: list[PlannedSegment] = []
    failures: list[JobFailure] = []

    def store(p: PlannedSegment, outcome: Path | JobFailure) -> None:
        if isinstance(outcome, JobFailure):
            failures.append(outcome)
            return
        if not opts.dry_run:
            from .media import mux_segment

            p.file = caches.segments.store(p.key, lambda out: mux_segment(outcome, p.audio.samples, out,
                                                                       cache=caches.audio))
            outcome.unlink(missing_ok=True)
        reporter.segment_done(p.segment.id, cached=False)

    def job_for(p: PlannedSegment) -> SegmentJob:
        beats = tuple((b.beat, b.duration) for b in p.audio.beats)
        return SegmentJob(p.segment.id, p.segment.model_dump(mode="json"), p.visual.context, beats, q,
                          tmp / f"{p.key}.mp4", opts.verbose, opts.dry_run)

    scheduler: Scheduler[PlannedSegment] | ClusterScheduler[PlannedSegment] = Scheduler(
        job_for=job_for, length_of=lambda p: p.audio.duration, workers=workers, queue=opts.queue
    ) if opts.cluster is None else opts.cluster.scheduler(  # the same three calls, on a Dask cluster
        job_for=job_for, length_of=lambda p: p.audio.duration, key_of=lambda p: p.key)
    narrators = ThreadPoolExecutor(max_workers=min(4, len(indices)), thread_name_prefix="narration")
    try:
        reporter.start(len(indices), 0)
        with scheduler:
            plans = [narrators.submit(plan_segment, loaded, i, opts=opts, q=q, caches=caches) for i in indices]
            for future in plans:
                p = future.result()
                planned.append(p)
                if p.cached:
                    reporter.segment_done(p.segment.id, cached=True)
                else:
                    scheduler.add(p)
                for done, outcome in scheduler.finished():
                    store(done, outcome)
            for done, outcome in scheduler.drain():
                store(done, outcome)
    finally:
        narrators.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return planned, failures


def render_lecture(path: str | Path, options: RenderOptions | None = None,
                   reporter: Reporter | None = None, *, loaded: LoadedLecture | None = None) -> RenderResult:
    """Render a lecture file (or some of its segments).

    Parameters
    ----------
    path : str or Path
        The lecture YAML.
    options : RenderOptions
        Quality, output folder, segment selection, cache and parallelism.
    reporter : Reporter, optional
        Progress reporting (default: silent).
    loaded : LoadedLecture, optional
        ``path`` already read and validated (a course reads every lecture first); default: read now.

    Returns
    -------
    RenderResult

    Raises
    ------
    LectureError
        The lecture is invalid (nothing is written), or a segment's visual
        failed to render: located at that segment's visual, naming it (the
        other segments' results stay cached).
    UserError
        A tool is missing (the message names it and ``mmlanim doctor``).
    """
    t0 = time.perf_counter()
    opts = options or RenderOptions()
    reporter = reporter or NullReporter()
    # The workers first: each imports manim while the lecture is read and narrated.
    workers = _workers_ahead(opts)
    try:
        return _render_lecture(loaded or load_lecture(path), opts, reporter, workers, t0)
    finally:
        if workers is not None:  # done with them (or failed): nothing waits for them any more
            workers.stop()


def _workers_ahead(opts: RenderOptions) -> Workers | None:
    """Worker processes for a render, started before anything is known of what is missing (None: the
    render runs in this process (one job), or on a course's or a cluster's workers)."""
    if opts.queue is not None or opts.cluster is not None:
        return None
    jobs = worker_count(opts.jobs, len(opts.segments) if opts.segments else 1 << 16)
    return Workers(jobs) if jobs > 1 else None


def _render_lecture(loaded: LoadedLecture, opts: RenderOptions, reporter: Reporter, workers: Workers | None,
                    t0: float) -> RenderResult:
    """:func:`render_lecture`, with its workers started and the lecture read and validated (nothing is
    written before it is valid)."""
    q = quality(opts.quality, opts.resolution, opts.frame_rate)
    indices = [loaded.segment_index(s) for s in opts.segments] or list(range(len(loaded.lecture.segments)))
    _check_tools([loaded.voice_for(loaded.lecture.segments[i], opts.voice) for i in indices])
    for warning in loaded.warnings:
        reporter.note(str(warning))
    caches = _Caches.at(opts.cache_dir)
    folder = Path(opts.out_dir) / slug(loaded.stem) / q.folder

    if opts.dry_run:  # play every scene, write nothing
        planned, failures = render_segments(loaded, indices, opts=opts, q=q, caches=caches, reporter=reporter,
                                            workers=workers)
        reporter.close()
        if failures:
            raise _failure_error(loaded, failures, opts.verbose, reporter)
        return RenderResult(None, folder, tuple(_timeline(planned, folder)), len(planned), 0,
                            time.perf_counter() - t0)

    with folder_lock(folder, on_wait=reporter.note):
        remove_stale_partials(folder)
        remove_stale_partials(caches.segments.root)
        sweep_tex_cache()
        # Plan, render what the cache lacks, store it.
        try:
            planned, failures = render_segments(loaded, indices, opts=opts, q=q, caches=caches,
                                                reporter=reporter, workers=workers)
        except OSError as exc:  # the cache's disk: no space, read-only...
            reporter.close()
            raise io_error(exc) from None
        if failures:
            reporter.close()
            raise _failure_error(loaded, failures, opts.verbose, reporter)
        # The outputs, all together or not at all: each segment's file, the joined lecture,
        # subtitles, chapters, transcript, and the manifest last.
        reporter.stage("joining")
        results = _timeline(planned, folder)
        try:
            video = _publish_outputs(loaded, planned, results, folder, q, opts)
        except OSError as exc:
            reporter.close()
            raise io_error(exc) from None
        reporter.close()

    n_cached = sum(p.cached for p in planned)
    return RenderResult(video, folder, tuple(results), len(planned) - n_cached, n_cached,
                        time.perf_counter() - t0)


def _failure_error(loaded: LoadedLecture, failures: Sequence[JobFailure], verbose: bool,
                   reporter: Reporter) -> UserError:
    """Segments whose visual raised, as problems located at each segment's visual.

    The message names the segment and the exception's first line; with
    ``verbose`` the tracebacks are noted first.
    """
    for f in failures:  # the disk failed, not the visual: one line naming the path and what to do
        if f.io_errno:
            return io_error(OSError(f.io_errno, os.strerror(f.io_errno), f.io_path or None))
    problems = []
    for f in failures:
        first, *more = f.message.splitlines() or [""]
        more_hint = " (more with --verbose)" if more and not verbose else ""
        problems.append(loaded.problem(("segments", loaded.segment_index(f.segment_id), "visual"),
                                       f"segment '{f.segment_id}' failed to render: {first}{more_hint}"))
        if verbose:
            reporter.note(f.details)
    return LectureError(problems)


def _timeline(planned: list[PlannedSegment], folder: Path) -> list[SegmentResult]:
    """Each segment's place in the lecture: its narration's length, which equals its video's."""
    results, start = [], 0.0
    for p in planned:
        end = start + p.audio.duration
        results.append(SegmentResult(p.segment.id, p.segment.chapter_title(), start, end,
                                     folder / "segments" / f"{p.segment.id}.mp4", p.cached))
        start = end
    return results


def _publish_outputs(loaded: LoadedLecture, planned: list[PlannedSegment], results: list[SegmentResult],
                     folder: Path, q: Quality, opts: RenderOptions) -> Path | None:
    """Stage the outputs and swap them in (see :mod:`mmlanim.render.outputs`); the lecture MP4, if joined."""
    from .outputs import OutputPlan, outputs_current, publish

    segments = []
    for p, r in zip(planned, results):
        assert p.file is not None
        segments.append((r.file.relative_to(folder).as_posix(), p.file))
    if opts.segments:  # only some segments: their files, no lecture, no manifest
        publish(folder, OutputPlan(segments), remove_unlisted=False)
        return None
    stem = slug(loaded.stem)
    video = folder / f"{stem}.mp4"
    outputs_key = _outputs_key(loaded, planned, results)
    names = [video.name, f"{stem}.srt", f"{stem}.vtt", "chapters.txt", "transcript.md"]
    # Joined outputs made from exactly these inputs, and intact, are kept (not with --no-cache).
    kept = outputs_current(folder, video.name, outputs_key) if opts.use_cache else None

    def manifest(files: dict[str, str]) -> dict[str, Any]:
        return {
            "title": loaded.lecture.title,
            "course": loaded.lecture.course,
            "file": video.name,
            "quality": q.folder,
            "width": q.width,
            "height": q.height,
            "fps": q.fps,
            "duration": round(results[-1].end, 6) if results else 0.0,
            "rendered": [r.id for r in results if not r.cached],
            "cached": [r.id for r in results if r.cached],
            "segments": [
                {"id": r.id, "title": r.title, "start": round(r.start, 6), "end": round(r.end, 6),
                 "file": str(r.file.relative_to(folder)), "cached": r.cached,
                 "beats": beat_times(r.start, p.audio)}
                for r, p in zip(results, planned)
            ],
            "subtitles": names[1:3],
            "chapters": names[3],
            "transcript": names[4],
            "outputs_key": outputs_key,
            "files": dict(sorted(files.items())),
        }

    plan = OutputPlan(segments, manifest=manifest, kept=kept)
    if kept is None:
        plan.joined = lambda stage: _write_media(loaded, planned, results, stage, names)
        plan.joined_names = names
    publish(folder, plan, remove_unlisted=True)
    return video


def _write_media(loaded: LoadedLecture, planned: list[PlannedSegment], results: list[SegmentResult],
                 out: Path, names: Sequence[str]) -> None:
    """The joined MP4, subtitles (SRT, VTT), chapters and transcript, as ``names`` in the folder ``out``."""
    from ..narration.chapters import Chapter, write_chapters_txt
    from ..narration.subtitles import subtitles_for, write_srt, write_vtt
    from ..narration.transcript import write_transcript
    from .media import join_segments

    title = loaded.lecture.title
    chapters = [Chapter(r.start, r.end, r.title) for r in results]
    join_segments([p.file for p in planned if p.file], out / names[0], chapters, title)
    subs = subtitles_for((r.start, p.audio) for r, p in zip(results, planned))
    write_srt(out / names[1], subs)
    write_vtt(out / names[2], subs)
    write_chapters_txt(out / names[3], chapters)
    sections = [(r.title, " ".join(s.text for s in p.audio.sentences)) for r, p in zip(results, planned)]
    write_transcript(out / names[4], title, sections)


def _outputs_key(loaded: LoadedLecture, planned: list[PlannedSegment], results: list[SegmentResult]) -> str:
    """Hash of everything the joined outputs depend on: segments in order, titles, narration."""
    payload = [loaded.lecture.title, loaded.lecture.course,
               [(p.key, r.title, r.start, r.end) for p, r in zip(planned, results)]]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def preview_segment(path: str | Path, segment_id: str, *, quality_letter: str = "l",
                    resolution: tuple[int, int] | None = None, still: bool = False,
                    out_dir: Path = Path("renders"), voice: dict[str, Any] | None = None,
                    use_cache: bool = True, cache_dir: Path | None = None,
                    verbose: bool = False, reporter: Reporter | None = None) -> Path:
    """Render one segment (or, with ``still``, its last frame as a PNG); return the file."""
    if not still:
        opts = RenderOptions(quality=quality_letter, resolution=resolution, out_dir=out_dir,
                             segments=(segment_id,), voice=voice or {}, jobs=1, use_cache=use_cache,
                             cache_dir=cache_dir, verbose=verbose)
        return render_lecture(path, opts, reporter).segments[0].file
    from .segment import render_last_frame

    loaded = load_lecture(path)
    seg = loaded.lecture.segments[loaded.segment_index(segment_id)]
    _check_tools([])
    visual = loaded.visual(seg)
    q = quality(quality_letter, resolution)
    out = Path(out_dir) / slug(loaded.stem) / q.folder / "stills" / f"{seg.id}.png"
    try:
        with atomic_path(out) as tmp:
            render_last_frame(visual, q, tmp, beats=loaded.beats_for(seg), verbose=verbose)
    except UserError:
        raise
    except Exception as exc:  # a visual that raises: reported as render reports a failed segment
        import traceback

        failure = JobFailure(seg.id, f"{type(exc).__name__}: {exc}", traceback.format_exc())
        raise _failure_error(loaded, [failure], verbose, reporter or NullReporter()) from exc
    return out
