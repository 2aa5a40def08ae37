"""A tiny render of tests/data/three-segments.yaml, again and again, for the reliability tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import TEST_DATA

from mmlanim.render.pipeline import RenderOptions, render_lecture


def three_segments(tmp_path: Path, **defaults: Any) -> tuple[Path, Path, Path, Callable[..., dict[str, Any]]]:
    """The lecture, its output folder, the cache, and ``render(**options)`` returning the manifest.

    ``defaults`` are render options every call uses unless it gives its own.
    """
    lecture = tmp_path / "lecture.yaml"
    shutil.copyfile(TEST_DATA / "three-segments.yaml", lecture)
    cache = tmp_path / "cache"

    def render(**changes: Any) -> dict[str, Any]:
        opts = dict(quality="l", resolution=(64, 36), out_dir=tmp_path / "out", jobs=1, cache_dir=cache)
        opts.update(defaults)
        opts.update(changes)
        result = render_lecture(lecture, RenderOptions(**opts))
        return json.loads((result.folder / "manifest.json").read_text())

    return lecture, tmp_path / "out" / "lecture" / "36p15", cache, render
