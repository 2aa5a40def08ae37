"""The ``mmlanim`` command line: each command parses its arguments and calls one library function.

Importing this module, and running ``mmlanim validate``, never imports manim.
"""

from __future__ import annotations

__all__ = ["main", "run"]

import gc
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import LectureError, UserError
from .fsutil import io_error

if TYPE_CHECKING:
    from .watch import WatchEvent

QUALITY = click.Choice(["l", "m", "h", "p", "k"])


def _resolution(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        w, h = (int(x) for x in value.replace("x", ",").split(","))
    except ValueError:
        raise click.BadParameter("use WIDTH,HEIGHT, for example 640,360") from None
    if not (16 <= w <= 7680 and 16 <= h <= 4320) or w % 2 or h % 2:
        raise click.BadParameter("width and height must be even numbers between 16 and 7680")
    return w, h


def _error_text(exc: BaseException) -> str:
    """An error as the user reads it: every located problem with its line, or one line."""
    if isinstance(exc, LectureError):
        return "\n".join(p.render() for p in exc.problems)
    if isinstance(exc, UserError):
        return f"error: {exc}"
    return f"error: {type(exc).__name__}: {exc}"


def _fail(exc: UserError) -> None:
    """Print a user error and exit 1."""
    click.echo(_error_text(exc), err=True)
    sys.exit(1)


def _reporter(quiet: bool) -> Any:
    from .progress import NullReporter, RichReporter

    return NullReporter() if quiet else RichReporter()


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            _fail(exc)
        except OSError as exc:  # no space, read-only, not a folder, no permission: one line, the path, what to do
            _fail(io_error(exc))
        except KeyboardInterrupt:
            click.echo("interrupted: nothing half-written was kept", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mmlanim")
def main() -> None:
    """Turn YAML lecture scripts into narrated Manim video lectures.

    \b
    Start here:
      mmlanim new lectures/my-lecture.yaml
      mmlanim validate lectures/my-lecture.yaml
      mmlanim preview lectures/my-lecture.yaml intro --still
      mmlanim render lectures/my-lecture.yaml -q l
    """


_VOICE = click.Choice(["espeak", "piper", "recorded", "silent"])


@main.command()
@click.argument("lectures", nargs=-1, required=True, metavar="LECTURE_OR_FOLDER...")
@click.option("-q", "--quality", type=QUALITY, default="h", show_default=True,
              help="manim's quality: l 480p15, m 720p30, h 1080p60, p 1440p60, k 2160p60.")
@click.option("-r", "--resolution", help="Pixel size WIDTH,HEIGHT (overrides the quality's).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("renders"), show_default=True, help="Output folder.")
@click.option("--segment", "segments", multiple=True, metavar="ID",
              help="Render only this segment (repeatable); no lecture file is joined.")
@click.option("--voice", type=_VOICE, help="Override the voice engine (silent: a quick draft).")
@click.option("--voice-model", type=click.Path(dir_okay=False), help="Piper voice model file.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Parallel render processes (default: cores).")
@click.option("--no-cache", is_flag=True, help="Render every segment again.")
@click.option("--dry-run", is_flag=True, help="Build and play every scene, writing no video (a full check).")
@click.option("--quiet", is_flag=True, help="No progress bar; print only the result.")
@click.option("--verbose", is_flag=True, help="Show manim's own logs and progress bars.")
@click.option("--cluster", metavar="tcp://HOST:8786|local",
              help="Render the missing segments on this Dask scheduler's workers (local: a LocalCluster "
                   "of -j single-thread workers here). See docs/cluster.md.")
@click.option("--shared-cache", type=click.Path(file_okay=False, path_type=Path),
              help="With --cluster: a folder the workers and this machine share; pictures go through it.")
def render(lectures: tuple[str, ...], quality: str, resolution: str | None, out_dir: Path,
           segments: tuple[str, ...], voice: str | None, voice_model: str | None, jobs: int | None,
           no_cache: bool, dry_run: bool, quiet: bool, verbose: bool, cluster: str | None,
           shared_cache: Path | None) -> None:
    """Render LECTURE into a narrated MP4 with subtitles and chapters.

    \b
    Example:
      mmlanim render lectures/linear-algebra/02-changing-basis.yaml -q l
    writes renders/02-changing-basis/480p15/changing-basis.mp4, one file per
    segment in segments/, manifest.json, .srt/.vtt subtitles, chapters.txt
    and transcript.md.

    \b
    Several lectures (files, folders, globs) render as a course, in one run
    on one pool of workers:
      mmlanim render lectures/ -q l
    A lecture that fails is reported and the others still render (exit 1).

    \b
    On a Dask cluster (docs/cluster.md), or a local one to try it:
      mmlanim render lectures/ -q h --cluster tcp://scheduler:8786
    """
    if shared_cache is not None and cluster is None:
        raise click.BadParameter("needs --cluster", param_hint="--shared-cache")
    if cluster is None:
        _render(lectures, quality, resolution, out_dir, segments, voice, voice_model, jobs, no_cache, dry_run,
                quiet, verbose, None)
        return
    from .render.cluster import connect

    with connect(cluster, shared_cache=shared_cache, workers=jobs) as engine:
        _render(lectures, quality, resolution, out_dir, segments, voice, voice_model, jobs, no_cache, dry_run,
                quiet, verbose, engine)
        if not quiet:
            click.echo(engine.stats.line(), err=True)


def _render(lectures: tuple[str, ...], quality: str, resolution: str | None, out_dir: Path,
            segments: tuple[str, ...], voice: str | None, voice_model: str | None, jobs: int | None,
            no_cache: bool, dry_run: bool, quiet: bool, verbose: bool, cluster: Any) -> None:
    """``mmlanim render``'s work, on the local workers or (``cluster``) a Dask cluster."""
    from .render.pipeline import RenderOptions, render_lecture

    overrides = {"engine": voice} if voice else {}
    if voice_model and not voice:
        overrides["engine"] = "piper"
    opts = RenderOptions(quality=quality, resolution=_resolution(resolution), out_dir=out_dir,
                         segments=segments, voice=overrides,
                         voice_model=Path(voice_model).resolve() if voice_model else None,
                         jobs=jobs, use_cache=not no_cache, verbose=verbose, dry_run=dry_run, cluster=cluster)
    if len(lectures) != 1 or not Path(lectures[0]).is_file():
        _render_course(lectures, opts, quiet)
        return
    result = render_lecture(Path(lectures[0]), opts, _reporter(quiet))
    if dry_run:
        click.echo(f"dry run: {len(result.segments)} segments built and played, nothing written")
        return
    if not quiet:
        click.echo(f"{len(result.segments)} segments: {result.rendered} rendered, {result.cached} cached, "
                   f"in {result.seconds:.1f} s", err=True)
    if result.video is not None:
        click.echo(result.video)
    else:
        for seg in result.segments:
            click.echo(seg.file)


def _publish_options(quality: str, resolution: str | None, out_dir: Path, voice: str | None,
                     jobs: int | None, verbose: bool) -> Any:
    from .render.pipeline import RenderOptions

    return RenderOptions(quality=quality, resolution=_resolution(resolution), out_dir=out_dir,
                         voice={"engine": voice} if voice else {}, jobs=jobs, verbose=verbose)


@main.command()
@click.argument("lectures", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "site", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The site's folder (new, empty, or a site published before: replaced whole).")
@click.option("-q", "--quality", type=QUALITY, default="h", show_default=True, help="manim's quality letter.")
@click.option("-r", "--resolution", help="Pixel size WIDTH,HEIGHT (overrides the quality's).")
@click.option("--renders", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("renders"), show_default=True, help="Where the lectures are rendered.")
@click.option("--voice", type=_VOICE, help="Override the voice engine.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Parallel render processes (default: cores).")
@click.option("--title", default="Lectures", show_default=True, help="The index page's title.")
@click.option("--quiet", is_flag=True, help="No progress bar; print only the result.")
@click.option("--verbose", is_flag=True, help="Show manim's own logs.")
def publish(lectures: tuple[Path, ...], site: Path, quality: str, resolution: str | None, out_dir: Path,
            voice: str | None, jobs: int | None, title: str, quiet: bool, verbose: bool) -> None:
    """Write a static website of LECTURES (files or folders of them), rendering what is missing.

    \b
    The site works opened from disk or from any static host, with nothing
    fetched from the network: an index by course; per lecture the video with
    captions and chapters, an interactive transcript, downloads, slides and
    a PDF handout. Prints the path of its index.html.

    \b
    Example:
      mmlanim publish lectures/ -o site/ -q m
    """
    from .publish import publish_site

    opts = _publish_options(quality, resolution, out_dir, voice, jobs, verbose)
    click.echo(publish_site(list(lectures), site, opts, lambda _f: _reporter(quiet), title=title))


@main.command()
@click.argument("lecture", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-q", "--quality", type=QUALITY, default="h", show_default=True, help="manim's quality letter.")
@click.option("-r", "--resolution", help="Pixel size WIDTH,HEIGHT (overrides the quality's).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("renders"), show_default=True, help="Output folder (as for render).")
@click.option("--voice", type=_VOICE, help="Override the voice engine.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Parallel render processes (default: cores).")
@click.option("--quiet", is_flag=True, help="No progress bar; print only the result.")
@click.option("--verbose", is_flag=True, help="Show manim's own logs.")
def slides(lecture: Path, quality: str, resolution: str | None, out_dir: Path, voice: str | None,
           jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Write presenter slides with sound and a PDF handout for LECTURE; print the slides' path.

    \b
    Each beat of a visual is a step: the lecture plays to the end of the
    step and pauses; right arrow, space or a clicker play the next step,
    left arrow goes back; M mutes the narration (for a live speaker), N
    shows the narration as speaker notes, F goes full screen. The handout
    (handout.pdf) has one still per step with its narration.

    \b
    Example:
      mmlanim slides lectures/linear-algebra/02-changing-basis.yaml -q m
    """
    from .publish import write_slides

    opts = _publish_options(quality, resolution, out_dir, voice, jobs, verbose)
    click.echo(write_slides(lecture, opts, _reporter(quiet)))


def _render_course(lectures: tuple[str, ...], opts: Any, quiet: bool) -> None:
    """Render several lectures in one run; list the failures and exit 1 if any."""
    from .render.course import render_course

    course = render_course(lectures, opts, _reporter(quiet))
    n_segments = sum(len(r.segments) for _, r in course.results)
    rendered = sum(r.rendered for _, r in course.results)
    if not quiet:
        click.echo(f"{len(course.results)} lectures, {n_segments} segments: {rendered} rendered, "
                   f"{n_segments - rendered} cached, on {course.workers} workers in {course.seconds:.1f} s", err=True)
    for _, result in course.results:
        if result.video is not None:
            click.echo(result.video)
    if course.failures:
        click.echo(f"{len(course.failures)} of {len(course.results) + len(course.failures)} lectures failed:",
                   err=True)
        for failure in course.failures:
            click.echo(failure.message, err=True)
        sys.exit(1)


@main.command()
@click.argument("lecture", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("segment")
@click.option("--still", is_flag=True, help="Render only the last frame, as a PNG.")
@click.option("-q", "--quality", type=QUALITY, default="l", show_default=True, help="manim's quality letter.")
@click.option("-r", "--resolution", help="Pixel size WIDTH,HEIGHT.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("renders"), show_default=True)
@click.option("--voice", type=_VOICE, help="Override the voice engine.")
@click.option("--watch", is_flag=True,
              help="Render again whenever the lecture or a file it uses changes; Ctrl-C stops.")
@click.option("--verbose", is_flag=True, help="Show manim's own logs.")
def preview(lecture: Path, segment: str, still: bool, quality: str, resolution: str | None,
            out_dir: Path, voice: str | None, watch: bool, verbose: bool) -> None:
    """Render one SEGMENT of LECTURE quickly and print the file's path.

    \b
    Examples:
      mmlanim preview lectures/linear-algebra/02-changing-basis.yaml morph --still
      mmlanim preview lectures/linear-algebra/02-changing-basis.yaml morph --still --watch
    """
    from functools import partial

    from .render.pipeline import preview_segment

    render = partial(preview_segment, lecture, segment, quality_letter=quality,
                     resolution=_resolution(resolution), still=still, out_dir=out_dir,
                     voice={"engine": voice} if voice else None, verbose=verbose)
    if not watch:
        click.echo(render())
        return
    from .watch import watch_segment

    try:
        watch_segment(lecture, segment, render, _print_watch_event)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)


def _print_watch_event(event: WatchEvent) -> None:
    """Report ``preview --watch``'s progress: rendered files on stdout, the rest on stderr."""
    if event.kind == "rendered":
        click.echo(event.result)
    elif event.kind == "error" and event.error is not None:
        click.echo(_error_text(event.error), err=True)
    elif event.kind == "changed":
        click.echo("changed: " + ", ".join(f.name for f in event.files) + "; rendering again", err=True)
    else:
        click.echo(f"watching {len(event.files)} file{'s' if len(event.files) != 1 else ''} "
                   "(Ctrl-C to stop): " + ", ".join(f.name for f in event.files), err=True)


@main.command()
@click.argument("lectures", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: {valid, problems, warnings}, each problem with path, line, col, "
                   "message and severity, for editors and CI.")
def validate(lectures: tuple[Path, ...], fmt: str) -> None:
    """Check LECTURES without rendering; exit 0 when all are valid (warnings allowed), 1 if not.

    \b
    Example:
      mmlanim validate lectures/*.yaml
    """
    from .lecture import validate_file

    warnings: list[Any] = []
    problems = [p for path in lectures for p in validate_file(path, warnings=warnings)]
    if fmt == "json":
        click.echo(json.dumps({
            "valid": not problems,
            "problems": [{**p.to_dict(), "severity": "error"} for p in problems],
            "warnings": [{**w.to_dict(), "severity": "warning"} for w in warnings],
        }, indent=2))
    else:
        for p in [*problems, *warnings]:
            click.echo(p.render(), err=True)
        if not problems:
            n, w = len(lectures), len(warnings)
            click.echo(f"{n} lecture{'s' if n != 1 else ''} valid"
                       + (f", {w} warning{'s' if w != 1 else ''}" if w else ""))
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("kind", required=False)
def visuals(kind: str | None) -> None:
    """List the visual kinds; with KIND, its parameters, beats and an example.

    \b
    Example:
      mmlanim visuals basis_change
    """
    from .reference import describe_kind, list_kinds

    click.echo(describe_kind(kind) if kind else list_kinds())


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the lecture format (for editor completion).

    \b
    Example:
      mmlanim schema -o docs/lecture.schema.json
    """
    from .reference import json_schema_text

    text = json_schema_text()
    if output:
        from .fsutil import write_text_atomic

        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)


@main.command()
def doctor() -> None:
    """Check the system pieces rendering needs, and say how to install what is missing."""
    from .doctor import check_system

    checks = check_system()
    for c in checks:
        mark = "ok " if c.ok else "MISSING"
        click.echo(f"[{mark:^7}] {c.name}: {c.detail}")
        if not c.ok:
            click.echo(f"          install: {c.fix}")
    sys.exit(0 if all(c.ok for c in checks) else 1)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--kind", metavar="KIND", help="Start from this visual kind: a segment with one cue per beat "
              "(see `mmlanim visuals`).")
def new(path: Path, force: bool, kind: str | None) -> None:
    """Write a starter lecture at PATH that validates and renders.

    \b
    Examples:
      mmlanim new lectures/my-lecture.yaml
      mmlanim new lectures/descent.yaml --kind gradient_descent
    """
    from .starter import write_starter

    click.echo(write_starter(path, force=force, kind=kind))


@main.command()
@click.argument("lecture", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("segment")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The Python file to write (default: SEGMENT.py here).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def eject(lecture: Path, segment: str, output: Path | None, force: bool) -> None:
    """Write SEGMENT of LECTURE as a plain manim Python file, to go beyond the YAML.

    \b
    Example:
      mmlanim eject lectures/linear-algebra/02-changing-basis.yaml morph -o morph.py
      manim -ql morph.py Morph
    """
    from .eject import eject_segment

    click.echo(eject_segment(lecture, segment, output, force=force))


@main.group()
def cache() -> None:
    """Inspect or empty the render cache."""


@cache.command("info")
def cache_info_cmd() -> None:
    """Show the cache's folder, size and number of entries."""
    from .render.cache import cache_info

    info = cache_info()
    click.echo(f"{info.root}: {info.entries} files, {info.bytes / 1e6:.1f} MB")


@cache.command("clear")
def cache_clear_cmd() -> None:
    """Empty the cache."""
    from .render.cache import clear_cache

    info = clear_cache()
    click.echo(f"removed {info.entries} files ({info.bytes / 1e6:.1f} MB) from {info.root}")


if __name__ == "__main__":  # pragma: no cover
    main()


def run() -> None:
    """The ``mmlanim`` program: :func:`main`, then exit without a last garbage
    collection over every object (manim's among them), which takes a quarter
    of a second after a render."""
    try:
        main()
    finally:
        gc.freeze()
