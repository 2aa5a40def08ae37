"""A full disk at each write of a render in turn: a clean error, then a healthy render succeeds.

Every file a render writes ends with a rename (``os.replace``) of a temporary
file: the cache's audio, formulas, segments and their records, manim's movie,
the published outputs and the manifest. A healthy render from an empty cache
lists those write sites (the function that renames, and the file's suffix);
then, for each site in turn, a render from an empty cache fails there with
``OSError(ENOSPC)``; the error must be a one-line :class:`UserError`, and the
next render, on a healthy disk, must succeed with a lecture that decodes in
full as its manifest says.
"""

from __future__ import annotations

import errno
import json
import os
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from mmlanim.errors import UserError
from mmlanim.render.pipeline import RenderOptions, render_lecture
from reliability.decoding import assert_decodes_as_manifest_says

pytestmark = pytest.mark.render

Site = tuple[str, str]


def lecture_text() -> str:
    name = "v_{" + uuid.uuid4().hex[:6] + "}"  # a formula no earlier render cached
    return f"""\
title: Faults
voice: {{engine: espeak, voice: en-us, rate: 300}}
segments:
  - id: one
    narration: Hi.
    visual: {{kind: title}}
  - id: two
    narration:
      - say: An arrow.
        beat: show_vectors
    visual: {{kind: vectors, vectors: [[1, 2]], names: ['{name}'], show_sum: false}}
"""


def site_of(dst: str | os.PathLike[str]) -> Site:
    """The mmlanim function that renames a file into place, and the file's suffix."""
    frames = [f for f in traceback.extract_stack()[:-2] if "/mmlanim/" in f.filename and "/tests/" not in f.filename]
    callers = [f.name for f in frames if f.name != "atomic_path"]
    return (callers[-1] if callers else "?", "".join(Path(dst).suffixes[-1:]))


def render_with(tmp_path: Path, run: str) -> Callable[[], dict]:
    lecture = tmp_path / f"{run}.yaml"
    lecture.write_text(lecture_text())
    opts = RenderOptions(quality="l", resolution=(64, 36), out_dir=tmp_path / run / "out", jobs=1,
                         cache_dir=tmp_path / run / "cache")

    def render() -> dict:
        result = render_lecture(lecture, opts)
        return json.loads((result.folder / "manifest.json").read_text())

    return render


def test_a_full_disk_at_each_write_site_fails_cleanly_and_the_next_render_succeeds(tmp_path, monkeypatch) -> None:
    real_replace = os.replace
    sites: list[Site] = []
    failing: dict[str, Site | None] = {"site": None}

    def replace(src, dst, **kwargs):
        site = site_of(dst)
        if site not in sites:
            sites.append(site)
        if site == failing["site"]:
            raise OSError(errno.ENOSPC, "No space left on device", os.fspath(dst))
        return real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    healthy = render_with(tmp_path, "healthy")
    assert_decodes_as_manifest_says(tmp_path / "healthy" / "out" / "healthy" / "36p15", healthy())
    seen = list(sites)
    # Every kind of file a render writes is among them.
    functions = {function for function, _ in seen}
    assert {"store_verified", "store_svg", "render_segment_video", "publish"} <= functions, seen
    assert {suffix for function, suffix in seen if function == "publish"} >= {".mp4", ".srt", ".vtt", ".json"}
    for n, site in enumerate(seen):
        failing["site"] = site
        render = render_with(tmp_path, f"run{n}")
        with pytest.raises(UserError) as info:
            render()
        assert "No space left on device" in str(info.value) and "\n" not in str(info.value), (site, info.value)
        failing["site"] = None
        folder = tmp_path / f"run{n}" / "out" / f"run{n}" / "36p15"
        assert_decodes_as_manifest_says(folder, render())
