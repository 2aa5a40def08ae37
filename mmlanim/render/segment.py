"""Render one segment's picture: its own scene, in its own temporary media folder."""

from __future__ import annotations

__all__ = ["render_last_frame", "render_segment_video"]

import contextlib
import logging
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..fsutil import private_dir
from ..quality import Quality
from ..visuals import Visual
from .encoding import EncoderSettings
from .manim_config import manim_settings


class _RenderLog(logging.Handler):
    """What manim logs while one scene renders, kept for the error message."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.extend(line for line in record.getMessage().splitlines() if line.strip())


@contextlib.contextmanager
def _manim_log_into_errors(enabled: bool) -> Iterator[None]:
    """Within: manim's log goes to a :class:`_RenderLog` instead of the terminal, and an error
    raised is re-raised with the log's tail added to its message. (LaTeX's own output never
    reaches the terminal: it runs confined, its output captured, see :mod:`mmlanim.render.latex`.)"""
    if not enabled:
        yield
        return
    logger = logging.getLogger("manim")
    log = _RenderLog()
    handlers, logger.handlers = logger.handlers, [log]
    try:
        yield
    except Exception as exc:
        tail = log.lines[-15:]
        if tail and _reraisable(exc):
            raise type(exc)(f"{exc}\n" + "\n".join(tail)) from exc
        raise
    finally:
        logger.handlers = handlers


def _reraisable(exc: Exception) -> bool:
    try:
        type(exc)("probe")
    except Exception:
        return False
    return True


def render_segment_video(visual: Visual, beats: Sequence[tuple[str, float]], q: Quality,
                         out_path: Path, *, still: bool = False, dry_run: bool = False,
                         verbose: bool = False, draw_text: bool = True, encoder: EncoderSettings | None = None,
                         cheap_holds: bool = True, run_times: Mapping[str, float] | None = None,
                         emphasis: Mapping[str, Sequence[str]] | None = None) -> Path:
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
    encoder : EncoderSettings, optional
        The H.264 settings (default: ``q``'s; the encoder benchmark varies them).
    cheap_holds : bool
        Hand each frame to the encoder uncopied, and convert a held frame once
        (:mod:`mmlanim.render.writer`); off, manim's own renderer and writer
        copy every frame and convert a held one at every repeat.
    run_times : mapping of str to float, optional
        Seconds a beat's animation takes, where a cue sets it (default: its natural length).
    emphasis : mapping of str to sequence of str, optional
        The objects pointed at after each beat (the cues' ``emphasis``).

    Returns
    -------
    Path
        ``out_path``.
    """
    from .scene import scene_class_for
    from .writer import segment_renderer

    scene_class = scene_class_for(visual)

    tmp = private_dir(out_path.parent, "manim")
    if dry_run:
        try:
            with manim_settings(q, tmp, dry_run=True, verbose=verbose), _manim_log_into_errors(not verbose):
                scene_class(visual, beats, draw_text=draw_text, run_times=run_times,
                            emphasis=emphasis).render()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return out_path
    try:
        with manim_settings(q, tmp, still=still, verbose=verbose, encoder=encoder), \
                _manim_log_into_errors(not verbose):
            renderer = segment_renderer(cheap_holds, _camera_class(visual))
            scene = scene_class(visual, beats, draw_text=draw_text, run_times=run_times, emphasis=emphasis,
                                renderer=renderer)
            scene.render()
        suffix = ".png" if still else ".mp4"
        produced = [p for p in tmp.rglob(f"*{suffix}") if "partial_movie_files" not in p.parts]
        if len(produced) != 1:
            raise RuntimeError(f"manim produced {len(produced)} {suffix} files, expected one")
        os.replace(produced[0], out_path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_path


def _camera_class(visual: Visual) -> type | None:
    """manim's 3-D camera (drawing space where the visual asks) for a 3-D kind, else None (the flat default)."""
    if not visual.three_d:
        return None
    from ..visuals._space import SpaceCamera
    return SpaceCamera


def render_last_frame(visual: Visual, q: Quality, out_path: Path, *, beats: Sequence[str] | None = None,
                      draw_text: bool = True, verbose: bool = False) -> Path:
    """Render ``visual``'s last frame (``beats`` played, by default all) as a PNG at ``out_path``.

    The last frame does not depend on timing, so each beat is given one second.
    Used by ``mmlanim preview --still``, the contact sheet and the graphical tests.
    """
    timed = [(name, 1.0) for name in (beats or visual.beat_names())]
    return render_segment_video(visual, timed, q, out_path, still=True, verbose=verbose, draw_text=draw_text)
