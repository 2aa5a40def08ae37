"""Render one segment's picture: its own scene, in its own temporary media folder."""

from __future__ import annotations

__all__ = ["render_segment_video"]

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..fsutil import private_dir
from ..quality import Quality
from ..visuals import Visual
from .manim_config import manim_settings


def render_segment_video(visual: Visual, beats: Sequence[tuple[str, float]], q: Quality,
                         out_path: Path, *, still: bool = False, dry_run: bool = False,
                         verbose: bool = False) -> Path:
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

    Returns
    -------
    Path
        ``out_path``.
    """
    from .scene import SegmentScene

    if dry_run:
        with manim_settings(q, Path(os.devnull).parent, dry_run=True, verbose=verbose):
            SegmentScene(visual, beats).render()
        return out_path
    tmp = private_dir(out_path.parent, "manim")
    try:
        with manim_settings(q, tmp, still=still, verbose=verbose):
            scene = SegmentScene(visual, beats)
            scene.render()
        suffix = ".png" if still else ".mp4"
        produced = [p for p in tmp.rglob(f"*{suffix}") if "partial_movie_files" not in p.parts]
        if len(produced) != 1:
            raise RuntimeError(f"manim produced {len(produced)} {suffix} files, expected one")
        os.replace(produced[0], out_path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_path
