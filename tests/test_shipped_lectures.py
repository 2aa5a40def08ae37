"""Every lecture in lectures/ renders end to end (tiny, silent voice): sound and picture the same length."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

LECTURES = sorted((ROOT / "lectures").rglob("*.yaml"))


@pytest.mark.render
@pytest.mark.parametrize("lecture", LECTURES, ids=[p.stem for p in LECTURES])
def test_shipped_lecture_renders(lecture, tmp_path):
    from mmlanim.render.media import probe
    from mmlanim.render.pipeline import RenderOptions, render_lecture

    # Tiny and at 5 frames a second: every beat, step and hold still lands on its frames.
    result = render_lecture(lecture, RenderOptions(quality="l", resolution=(64, 36), frame_rate=5,
                                                   voice={"engine": "silent"}, jobs=1, out_dir=tmp_path,
                                                   cache_dir=tmp_path / "cache"))
    assert result.video is not None
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    info = probe(result.video)
    assert info.video_duration == pytest.approx(manifest["duration"], abs=1 / 5)
    assert info.audio_duration == pytest.approx(manifest["duration"], abs=0.03)
    assert len(info.chapters) == len(manifest["segments"]) == len(result.segments)
