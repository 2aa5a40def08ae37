"""Render a lecture: narration, cached and parallel segment renders, the joined lecture.

Everything is written under a temporary name and renamed, under a lock on
the output folder; nothing is written until the lecture has validated.
"""

from __future__ import annotations

__all__ = ["RenderOptions", "RenderResult", "SegmentResult", "preview_segment", "render_lecture"]

import json
import os
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..errors import LectureError, UserError
from ..fsutil import atomic_path, folder_lock, private_dir, remove_stale_partials, slug, write_text_atomic
from ..lecture import LoadedLecture, load_lecture
from ..lecture.model import SegmentBase
from ..narration.cache import AudioCache, default_cache_dir
from ..narration.errors import NarrationError
from ..narration.plan import CueSpec, SegmentAudio, plan_segment
from ..progress import NullReporter, Reporter
from ..quality import Quality, quality
from ..visuals import Visual
from .cache import SegmentCache, segment_key
from .timing import segment_seconds
from .worker import JobFailure, SegmentJob, render_job, warm_up


@dataclass(frozen=True)
class RenderOptions:
    """How to render (the CLI's options).

    Attributes
    ----------
    quality : str
        manim's letter: l, m, h, p or k.
    resolution : (int, int) or None
        Override the pixel size (tests render tiny).
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
    """

    quality: str = "h"
    resolution: tuple[int, int] | None = None
    out_dir: Path = Path("renders")
    segments: tuple[str, ...] = ()
    voice: dict[str, Any] = field(default_factory=dict)
    voice_model: Path | None = None
    jobs: int | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    verbose: bool = False
    dry_run: bool = False


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
class _Planned:
    index: int
    segment: SegmentBase
    visual: Visual
    audio: SegmentAudio
    key: str
    file: Path | None  # the cached segment file, once available
    cached: bool = False


def cue_specs(segment: SegmentBase) -> list[CueSpec]:
    """A segment's narration as cues for :func:`plan_segment`."""
    if isinstance(segment.narration, str):
        return [CueSpec(segment.narration, None, segment.audio)]
    return [CueSpec(c.say, c.beat, c.audio) for c in segment.narration]


def _check_tools(voices: Sequence[Any]) -> None:
    from ..doctor import missing_for_render

    problems = missing_for_render(voices)
    if problems:
        raise UserError("cannot render: " + "; ".join(problems) + " (run `mmlanim doctor`)")


def _plan_one(loaded: LoadedLecture, i: int, opts: RenderOptions, q: Quality,
              audio_cache: AudioCache, seg_cache: SegmentCache) -> _Planned:
    """Speak segment ``i``'s narration (through the cache) and look its render up."""
    seg = loaded.lecture.segments[i]
    visual = loaded.visual(seg)
    voice = loaded.voice_for(seg, opts.voice)
    try:
        audio = plan_segment(cue_specs(seg), visual.beat_names(), voice, loaded.base_dir, audio_cache,
                             model_file=opts.voice_model)
    except NarrationError as exc:
        raise LectureError([loaded.problem(("segments", i, "narration"), str(exc))]) from None
    # The video's exact length (whole frames and whole AAC frames); the narration is padded to it.
    audio = audio.padded_to(float(segment_seconds([b.duration for b in audio.beats], q.fps)))
    key = segment_key(visual, seg.model_dump(mode="json"), audio.fingerprint, q)
    hit = seg_cache.get(key) if opts.use_cache and not opts.dry_run else None
    return _Planned(i, seg, visual, audio, key, hit, cached=hit is not None)


def _job(p: _Planned, q: Quality, tmp: Path, opts: RenderOptions) -> SegmentJob:
    beats = tuple((b.beat, b.duration) for b in p.audio.beats)
    return SegmentJob(p.segment.id, p.segment.model_dump(mode="json"), p.visual.context, beats, q,
                      tmp / f"{p.key}.mp4", opts.verbose, opts.dry_run)


def _plan_and_render(loaded: LoadedLecture, indices: Sequence[int], opts: RenderOptions, q: Quality,
                     audio_cache: AudioCache, seg_cache: SegmentCache, reporter: Reporter,
                     many_misses: bool = False) -> tuple[list[_Planned], list[JobFailure]]:
    """Plan every segment's narration and render the ones not cached, overlapping the two.

    Narration is synthesised in a few threads (the voices are subprocesses).
    Once two segments are missing from the cache (or the first, when
    ``many_misses`` are expected: a first render), worker processes start and
    import manim while later segments are still being spoken; each idle
    worker is then handed the longest missing segment whose audio is timed,
    so the render does not end waiting on one long segment. A single missing
    segment (an edit) renders in this process, sparing a worker's start-up.
    Each render is stored in the cache as soon as it finishes, so an
    interruption keeps the finished ones.
    """
    from ..media import mux_segment

    failures: list[JobFailure] = []
    n_jobs = worker_count(opts.jobs, len(indices))
    tmp = private_dir(seg_cache.root, "render")
    pool: ProcessPoolExecutor | None = None
    planners = ThreadPoolExecutor(max_workers=min(4, len(indices)), thread_name_prefix="narration")
    pending: dict[Future[Any], _Planned] = {}

    def finish(p: _Planned, outcome: Path | JobFailure) -> None:
        if isinstance(outcome, JobFailure):
            failures.append(outcome)
            return
        if not opts.dry_run:
            p.file = seg_cache.store(p.key, lambda out: mux_segment(outcome, p.audio.samples, out))
            outcome.unlink(missing_ok=True)
        reporter.segment_done(p.segment.id, cached=False)

    waiting: list[_Planned] = []  # misses for the workers, not handed over yet
    warming: list[Future[Any]] = []  # workers importing manim

    def dispatch() -> None:
        """Hand the longest waiting miss to each idle worker: longest first keeps the
        end of a render, when workers run out of segments, short."""
        busy = len(pending) + sum(not w.done() for w in warming)
        while pool is not None and waiting and busy < n_jobs:
            miss = max(waiting, key=lambda w: w.audio.duration)
            waiting.remove(miss)
            pending[pool.submit(render_job, _job(miss, q, tmp, opts))] = miss
            busy += 1

    def harvest(block: bool) -> None:
        watched = [*pending, *(w for w in warming if not w.done())]
        done = wait(watched, return_when=FIRST_COMPLETED)[0] if block else [f for f in pending if f.done()]
        for fut in done:
            if fut in pending:
                finish(pending.pop(fut), fut.result())
        dispatch()

    try:
        reporter.start(len(indices), 0)
        planned: list[_Planned] = []
        inline: list[_Planned] = []  # misses not handed to workers (yet)
        for fut in [planners.submit(_plan_one, loaded, i, opts, q, audio_cache, seg_cache) for i in indices]:
            p = fut.result()
            planned.append(p)
            if p.cached:
                reporter.segment_done(p.segment.id, cached=True)
            else:
                inline.append(p)
            if n_jobs > 1 and (pool is not None or len(inline) > 1 or (many_misses and inline)):
                if pool is None:
                    pool, warming = _start_workers(n_jobs)
                waiting.extend(inline)
                inline.clear()
            harvest(block=False)
        for p in inline:
            finish(p, render_job(_job(p, q, tmp, opts)))
        while pending or waiting:
            harvest(block=True)
    finally:
        planners.shutdown(wait=True, cancel_futures=True)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return planned, failures


def worker_count(jobs: int | None, n_segments: int) -> int:
    """Worker processes for ``n_segments``: ``jobs`` (default: the cores this
    process may use), never more than there are segments, at least one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(jobs or cores, n_segments))


def _start_workers(n_jobs: int) -> tuple[ProcessPoolExecutor, list[Future[Any]]]:
    """``n_jobs`` worker processes, all of them starting (and importing manim) now;
    with the futures of their warm-ups."""
    pool = ProcessPoolExecutor(max_workers=n_jobs, mp_context=get_context("spawn"))
    return pool, [pool.submit(warm_up) for _ in range(n_jobs)]


def render_lecture(path: str | Path, options: RenderOptions | None = None,
                   reporter: Reporter | None = None) -> RenderResult:
    """Render a lecture file (or some of its segments).

    Parameters
    ----------
    path : str or Path
        The lecture YAML.
    options : RenderOptions
        Quality, output folder, segment selection, cache and parallelism.
    reporter : Reporter, optional
        Progress reporting (default: silent).

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
    loaded = load_lecture(path)
    q = quality(opts.quality, opts.resolution)
    indices = [loaded.segment_index(s) for s in opts.segments] or list(range(len(loaded.lecture.segments)))
    _check_tools([loaded.voice_for(loaded.lecture.segments[i], opts.voice) for i in indices])
    for warning in loaded.warnings:
        reporter.note(str(warning))

    cache_root = opts.cache_dir or default_cache_dir()
    audio_cache = AudioCache(cache_root / "audio")
    seg_cache = SegmentCache(cache_root / "segments")
    folder = Path(opts.out_dir) / slug(loaded.stem) / q.folder

    if opts.dry_run:
        return _dry_run(loaded, indices, opts, q, audio_cache, seg_cache, folder, reporter, t0)

    with folder_lock(folder, on_wait=reporter.note):
        remove_stale_partials(folder)
        remove_stale_partials(seg_cache.root)
        # A first render (no manifest yet) misses the cache for most segments.
        first = not opts.use_cache or not (folder / "manifest.json").is_file()
        planned, failures = _plan_and_render(loaded, indices, opts, q, audio_cache, seg_cache, reporter, first)
        if failures:
            reporter.close()
            raise _failure_error(loaded, failures, opts.verbose, reporter)

        # The segment files, with their place in the lecture.
        reporter.stage("joining")
        for p in planned:
            assert p.file is not None
            with atomic_path(folder / "segments" / f"{p.segment.id}.mp4") as tmp:
                _link_or_copy(p.file, tmp)
        results = _timeline(planned, folder)
        video = None
        if not opts.segments:
            _remove_unlisted_segments(folder / "segments", {r.file.name for r in results})
            video = _write_lecture_outputs(loaded, planned, results, folder, q)
        reporter.close()

    n_cached = sum(p.cached for p in planned)
    return RenderResult(video, folder, tuple(results), len(planned) - n_cached, n_cached,
                        time.perf_counter() - t0)


def _failure_error(loaded: LoadedLecture, failures: Sequence[JobFailure], verbose: bool,
                   reporter: Reporter) -> LectureError:
    """Segments whose visual raised, as problems located at each segment's visual.

    The message names the segment and the exception's first line; with
    ``verbose`` the tracebacks are noted first.
    """
    problems = []
    for f in failures:
        first, *more = f.message.splitlines() or [""]
        more_hint = " (more with --verbose)" if more and not verbose else ""
        problems.append(loaded.problem(("segments", loaded.segment_index(f.segment_id), "visual"),
                                       f"segment '{f.segment_id}' failed to render: {first}{more_hint}"))
        if verbose:
            reporter.note(f.details)
    return LectureError(problems)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _remove_unlisted_segments(folder: Path, keep: set[str]) -> None:
    """Delete segment files of segments the lecture no longer has."""
    for f in folder.glob("*.mp4"):
        if f.name not in keep:
            f.unlink(missing_ok=True)


def _dry_run(loaded: LoadedLecture, indices: Sequence[int], opts: RenderOptions, q: Quality,
             audio_cache: AudioCache, seg_cache: SegmentCache, folder: Path, reporter: Reporter,
             t0: float) -> RenderResult:
    """Plan the narration and play every selected segment's scene; write no video."""
    planned, failures = _plan_and_render(loaded, indices, opts, q, audio_cache, seg_cache, reporter, True)
    reporter.close()
    if failures:
        raise _failure_error(loaded, failures, opts.verbose, reporter)
    return RenderResult(None, folder, tuple(_timeline(planned, folder)), len(planned), 0,
                        time.perf_counter() - t0)


def _timeline(planned: list[_Planned], folder: Path) -> list[SegmentResult]:
    """Each segment's place in the lecture: its narration's length, which equals its video's."""
    results, start = [], 0.0
    for p in planned:
        end = start + p.audio.duration
        results.append(SegmentResult(p.segment.id, p.segment.chapter_title(), start, end,
                                     folder / "segments" / f"{p.segment.id}.mp4", p.cached))
        start = end
    return results


def _write_lecture_outputs(loaded: LoadedLecture, planned: list[_Planned],
                           results: list[SegmentResult], folder: Path, q: Quality) -> Path:
    """The joined MP4, subtitles, chapters, transcript and manifest (manifest last)."""
    stem = slug(loaded.stem)
    title = loaded.lecture.title
    video = folder / f"{stem}.mp4"
    outputs_key = _outputs_key(loaded, planned, results)
    if not _outputs_current(folder, video, outputs_key):  # else nothing that shapes them changed
        _write_media(loaded, planned, results, folder, video)
    manifest = {
        "title": title,
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
             "file": str(r.file.relative_to(folder)), "cached": r.cached}
            for r in results
        ],
        "subtitles": [f"{stem}.srt", f"{stem}.vtt"],
        "chapters": "chapters.txt",
        "transcript": "transcript.md",
        "outputs_key": outputs_key,
    }
    write_text_atomic(folder / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return video


def _write_media(loaded: LoadedLecture, planned: list[_Planned], results: list[SegmentResult],
                 folder: Path, video: Path) -> None:
    """The joined MP4, subtitles, chapters and transcript."""
    from ..media import join_segments
    from ..narration.chapters import Chapter, write_chapters_txt
    from ..narration.subtitles import subtitles_for, write_srt, write_vtt
    from ..narration.transcript import write_transcript

    title = loaded.lecture.title
    chapters = [Chapter(r.start, r.end, r.title) for r in results]
    with atomic_path(video) as tmp:
        join_segments([p.file for p in planned if p.file], tmp, chapters, title)
    subs = subtitles_for((r.start, p.audio) for r, p in zip(results, planned))
    for suffix, writer in ((".srt", write_srt), (".vtt", write_vtt)):
        with atomic_path(video.with_suffix(suffix)) as tmp:
            writer(tmp, subs)
    with atomic_path(folder / "chapters.txt") as tmp:
        write_chapters_txt(tmp, chapters)
    sections = [(r.title, " ".join(s.text for s in p.audio.sentences)) for r, p in zip(results, planned)]
    with atomic_path(folder / "transcript.md") as tmp:
        write_transcript(tmp, title, sections)


def _outputs_key(loaded: LoadedLecture, planned: list[_Planned], results: list[SegmentResult]) -> str:
    """Hash of everything the joined outputs depend on: segments in order, titles, narration."""
    import hashlib

    payload = [loaded.lecture.title, loaded.lecture.course,
               [(p.key, r.title, r.start, r.end) for p, r in zip(planned, results)]]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def _outputs_current(folder: Path, video: Path, key: str) -> bool:
    """Whether the joined outputs in ``folder`` were made from exactly these inputs."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("outputs_key") != key or manifest.get("file") != video.name:
        return False
    names = [manifest["file"], *manifest.get("subtitles", []), manifest.get("chapters"), manifest.get("transcript")]
    return all(isinstance(n, str) and (folder / n).is_file() for n in names)


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
    from .segment import render_segment_video

    loaded = load_lecture(path)
    seg = loaded.lecture.segments[loaded.segment_index(segment_id)]
    _check_tools([])
    visual = loaded.visual(seg)
    q = quality(quality_letter, resolution)
    out = Path(out_dir) / slug(loaded.stem) / q.folder / "stills" / f"{seg.id}.png"
    beats = [(name, 1.0) for name in visual.beat_names()]  # the last frame does not depend on timing
    try:
        with atomic_path(out) as tmp:
            render_segment_video(visual, beats, q, tmp, still=True, verbose=verbose)
    except UserError:
        raise
    except Exception as exc:  # a visual that raises: reported as render reports a failed segment
        import traceback

        failure = JobFailure(seg.id, f"{type(exc).__name__}: {exc}", traceback.format_exc())
        raise _failure_error(loaded, [failure], verbose, reporter or NullReporter()) from exc
    return out
