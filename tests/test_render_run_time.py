"""A cue's ``run_time``: its beat's animation takes that long, and a short cue waits for it."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

from mmlanim.lecture import load_lecture
from mmlanim.render.pipeline import RenderOptions, render_lecture

pytestmark = pytest.mark.render

LECTURE = """\
title: Run times
voice: {engine: espeak, rate: 220, pause: 0.2}
segments:
  - id: arrows
    narration:
      - say: A plane.
        beat: show_plane
      - say: Two arrows.
        beat: show_vectors
        run_time: %s
    beats: [show_plane, show_vectors]
    visual: {kind: vectors, vectors: [[3, 1], [1, 2]]}
"""


def render(tmp_path: Path, run_time: float) -> tuple[dict, list[tuple[float, np.ndarray]]]:
    lecture = tmp_path / f"lecture-{run_time}.yaml"
    lecture.write_text(LECTURE % run_time, encoding="utf-8")
    result = render_lecture(lecture, RenderOptions(quality="l", resolution=(128, 72), out_dir=tmp_path / "out",
                                                   cache_dir=tmp_path / "cache"))
    manifest = json.loads((result.folder / "manifest.json").read_text())
    with av.open(str(result.folder / manifest["file"])) as container:
        stream = container.streams.video[0]
        frames = [(float(f.pts * stream.time_base), f.to_ndarray(format="gray").astype(float))
                  for f in container.decode(stream)]
    return manifest, frames


def last_motion(frames: list[tuple[float, np.ndarray]]) -> float:
    """The time of the last frame that differs from the one before it."""
    moving = [t for (t, f), (_, g) in zip(frames[1:], frames) if np.abs(f - g).max() > 8]
    return moving[-1]


def test_a_cue_run_time_sets_how_long_its_animation_takes_and_the_beat_waits_for_it(tmp_path: Path) -> None:
    short, frames_short = render(tmp_path, 0.6)
    long, frames_long = render(tmp_path, 3.0)
    # "Two arrows." takes well under a second to say; with run_time 3 the video lasts long enough for
    # the animation and a hold after it.
    assert long["duration"] >= short["duration"] + 2.0
    # The arrows grow for about as long as the cue says: the last change in the picture comes later
    # by about the difference in run times (2.4 s), give or take a frame or two.
    assert last_motion(frames_long) - last_motion(frames_short) == pytest.approx(2.4, abs=0.25)


def test_run_time_must_be_positive_and_is_reported_where_it_is_written(tmp_path: Path) -> None:
    from mmlanim.errors import LectureError

    lecture = tmp_path / "bad.yaml"
    lecture.write_text(LECTURE % "-1", encoding="utf-8")
    with pytest.raises(LectureError, match=r"bad.yaml:10:\d+: .*greater than 0"):
        load_lecture(lecture)
