"""Render one segment's picture: its own scene, in its own temporary media folder."""

from __future__ import annotations

__all__ = ["render_last_frame", "render_segment_video"]

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..fsutil import private_dir
from ..quality import Quality
from ..visuals import Visual
from .encoding import ENCODER, EncoderSettings
from .manim_config import manim_settings


@contextlib.contextmanager
def _stderr_into(log: Path, enabled: bool) -> Iterator[None]:
    """Send this process's standard error (its file descriptor, so LaTeX's
    messages too) into ``log``; on an error, add the log's tail to it."""
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(log, "wb") as fh:
            os.dup2(fh.fileno(), 2)
            try:
                yield
            except Exception as exc:
                sys.stderr.flush()
                os.dup2(saved, 2)
                tail = [line for line in log.read_text(errors="replace").splitlines()
                        if line.strip() and "openin_any" not in line][-15:]
                if tail and _reraisable(exc):
                    raise type(exc)(f"{exc}\n" + "\n".join(tail)) from exc
                raise
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _reraisable(exc: Exception) -> bool:
    try:
        type(exc)("probe")
    except Exception:
        return False
    return True


def render_segment_video(visual: Visual, beats: Sequence[tuple[str, float]], q: Quality,
                         out_path: Path, *, still: bool = False, dry_run: bool = False,
                         verbose: bool = False, draw_text: bool = True, encoder: EncoderSettings = ENCODER,
                         cheap_holds: bool = True) -> Path:
    """Render ``visual`` with the given beat durations to ``out_path``.

    Parameters
    ----------
    visual : Visual
        The segment's visual.
    beats : sequence of (str, float)
        Beat names and their durations in seconds, in order.
    q : Quality
        Size and frame rate.
    out_path : Path
        Where the silent MP4 (or, with ``still``, the PNG of the last frame) goes.
        Written under a temporary name first, then renamed.

    dry_run : bool
        Build and play every beat but write nothing (``out_path`` is not created).
    verbose : bool
        Keep manim's logs and progress bars.
    draw_text : bool
        Draw text and formulas (the graphical tests turn them off).
    encoder : EncoderSettings
        The H.264 settings (the encoder benchmark varies them).
    cheap_holds : bool
        Convert a held frame once (:class:`~mmlanim.render.writer.HoldingEncoder`);
        off, manim's own writer converts it at every frame.

    Returns
    -------
    Path
        ``out_path``.
    """
    from .scene import SegmentScene
    from .writer import segment_renderer

    tmp = private_dir(out_path.parent, "manim")
    if dry_run:
        try:
            with manim_settings(q, tmp, dry_run=True, verbose=verbose), _stderr_into(tmp / "log", not verbose):
                SegmentScene(visual, beats, draw_text=draw_text).render()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return out_path
    try:
        with manim_settings(q, tmp, still=still, verbose=verbose, encoder=encoder), \
                _stderr_into(tmp / "log", not verbose):
            scene = SegmentScene(visual, beats, draw_text=draw_text, renderer=segment_renderer(cheap_holds))
            scene.render()
        suffix = ".png" if still else ".mp4"
        produced = [p for p in tmp.rglob(f"*{suffix}") if "partial_movie_files" not in p.parts]
        if len(produced) != 1:
            raise RuntimeError(f"manim produced {len(produced)} {suffix} files, expected one")
        os.replace(produced[0], out_path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_path


def render_last_frame(visual: Visual, q: Quality, out_path: Path, *, beats: Sequence[str] | None = None,
                      draw_text: bool = True, verbose: bool = False) -> Path:
    """Render ``visual``'s last frame (``beats`` played, by default all) as a PNG at ``out_path``.

    The last frame does not depend on timing, so each beat is given one second.
    Used by ``mmlanim preview --still``, the contact sheet and the graphical tests.
    """
    timed = [(name, 1.0) for name in (beats or visual.beat_names())]
    return render_segment_video(visual, timed, q, out_path, still=True, verbose=verbose, draw_text=draw_text)
