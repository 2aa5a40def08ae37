"""Between segments: a cross-fade from the picture the segment before ended on, not a cut to a blank frame."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import av
import numpy as np
import pytest

from mmlanim.lecture import load_lecture
from mmlanim.render.pipeline import RenderOptions, render_lecture

TEST_DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.render


def frames_with_times(video: Path) -> list[tuple[float, np.ndarray]]:
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return [(float(f.pts * stream.time_base), f.to_ndarray(format="gray").astype(float))
                for f in container.decode(stream)]


def test_each_segment_opens_on_the_picture_the_one_before_ended_on(tmp_path: Path) -> None:
    lecture = tmp_path / "lecture.yaml"
    shutil.copyfile(TEST_DATA / "three-segments.yaml", lecture)
    result = render_lecture(lecture, RenderOptions(quality="l", resolution=(128, 72), out_dir=tmp_path / "out",
                                                   cache_dir=tmp_path / "cache", voice={"engine": "silent"}))
    manifest = json.loads((result.folder / "manifest.json").read_text())
    frames = frames_with_times(result.folder / manifest["file"])
    background = frames[0][1].min()  # the title card's first frame is mostly background
    for before, after in zip(manifest["segments"], manifest["segments"][1:]):
        last = [f for t, f in frames if t < after["start"] - 1e-6][-1]
        first = [f for t, f in frames if t >= after["start"] - 1e-6][0]
        # The segment before ended on something drawn ...
        assert (last > background + 40).mean() > 0.002, before["id"]
        # ... and the next one opens on it, not on a blank frame: what was drawn is still there.
        drawn = last > background + 40
        assert (first[drawn] > background + 40).mean() > 0.9, after["id"]
        # Well into the segment, the old picture has gone: the frame differs from it.
        later = [f for t, f in frames if t >= after["start"] + 0.9][0]
        assert np.abs(later - last).mean() > 1.0, after["id"]


def test_the_opening_is_the_segment_before_and_a_continuing_segment_has_none() -> None:
    loaded = load_lecture(TEST_DATA / "three-segments.yaml")
    intro, first, second = (loaded.visual(s) for s in loaded.lecture.segments)
    assert intro.context.opening is None  # nothing comes before the first segment
    opening = json.loads(first.context.opening)
    assert opening["visual"]["kind"] == "title" and opening["title"] == "Introduction"
    assert json.loads(second.context.opening)["visual"]["vectors"] == [[2.0, 1.0], [-1.0, 2.0]]
    beats = json.loads(second.context.opening)["beats"]
    drawn = ["show_plane", "show_vectors", "show_sum"]
    assert [b for b in beats if b in drawn] == drawn


CONTINUED = """\
title: One plane
voice: {engine: silent}
segments:
  - id: arrows
    narration:
      - say: Two arrows.
        beat: show_vectors
    beats: [show_plane, show_vectors]
    visual: {kind: vectors, vectors: [[3, 1], [1, 2]]}
  - id: dot
    narration:
      - say: The same two, and their dot product.
        beat: show_vectors
      - say: Three plus two, five.
        beat: show_dot
    beats: [show_plane, show_vectors, show_dot]
    visual: {kind: vectors, vectors: [[3, 1], [1, 2]], dot_product: true, axis_labels: %s}
"""


@pytest.mark.parametrize(("labels", "continues"), [("null", True), ("[x, y]", False)])
def test_a_segment_on_the_same_plane_continues_it(labels: str, continues: bool, tmp_path: Path) -> None:
    lecture = tmp_path / "lecture.yaml"
    lecture.write_text(CONTINUED % labels, encoding="utf-8")
    loaded = load_lecture(lecture)
    # The same vectors fit the same plane; naming the axes makes it another background.
    assert loaded.visual(loaded.lecture.segments[1]).context.continues is continues


def test_the_plane_stays_still_while_the_next_segment_redraws_what_is_on_it(tmp_path: Path) -> None:
    lecture = tmp_path / "lecture.yaml"
    lecture.write_text(CONTINUED % "null", encoding="utf-8")
    result = render_lecture(lecture, RenderOptions(quality="l", resolution=(192, 108), out_dir=tmp_path / "out",
                                                   cache_dir=tmp_path / "cache"))
    manifest = json.loads((result.folder / "manifest.json").read_text())
    frames = frames_with_times(result.folder / manifest["file"])
    start = manifest["segments"][1]["start"]
    last = [f for t, f in frames if t < start - 1e-6][-1]
    opening = [f for t, f in frames if start - 1e-6 <= t < start + 1.5]
    h, w = last.shape
    grid = (slice(int(0.08 * h), int(0.3 * h)), slice(int(0.35 * w), int(0.6 * w)))  # grid lines, nothing else
    assert max(np.abs(f[grid] - last[grid]).max() for f in opening) < 8
    # Meanwhile the arrows fade and grow again: the picture does change.
    assert max(np.abs(f - last).max() for f in opening) > 40
