"""A cue's ``emphasis``: the objects it names are pointed at once its beat has drawn them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from reliability.decoding import pictures

from mmlanim.errors import LectureError
from mmlanim.lecture import load_lecture
from mmlanim.render.pipeline import RenderOptions, render_lecture

LECTURE = """\
title: Pointing
voice: {engine: espeak, rate: 200, pause: 0.2}
segments:
  - id: arrows
    narration:
      - say: Two arrows leave the origin, and this sentence goes on for a while after they are drawn.
        beat: show_vectors
        emphasis: %s
    beats: [show_plane, show_vectors]
    visual: {kind: vectors, vectors: [[3, 1], [1, 2]]}
"""


def render(tmp_path: Path, emphasis: str) -> list[tuple[float, np.ndarray]]:
    lecture = tmp_path / f"lecture-{len(emphasis)}.yaml"
    lecture.write_text(LECTURE % emphasis, encoding="utf-8")
    result = render_lecture(lecture, RenderOptions(quality="l", resolution=(192, 108), out_dir=tmp_path / "out",
                                                   cache_dir=tmp_path / "cache"))
    manifest = json.loads((result.folder / "manifest.json").read_text())
    return [(t, picture.astype(float)) for t, picture in pictures(result.folder / manifest["file"], 15)]


@pytest.mark.render
def test_an_emphasised_arrow_is_circled_after_it_is_drawn_and_the_picture_settles_back(tmp_path: Path) -> None:
    plain = render(tmp_path, "[]")
    pointed = render(tmp_path, "[vector2]")
    assert len(plain) == len(pointed)
    differs = [t for (t, a), (_, b) in zip(plain, pointed) if np.abs(a - b).max() > 40]
    # Nothing differs while the arrows grow (the first second or so) ...
    assert differs and min(differs) > 0.9
    # ... then the pointer runs for about a second, and the picture ends as it would have without it.
    assert 0.5 <= max(differs) - min(differs) <= 1.1
    assert np.abs(plain[-1][1] - pointed[-1][1]).max() < 40
    # The pointer is a line drawn round the second arrow, which lies left of the first one's tip (at
    # this size the codec's halved chroma greys a thin line, so only its brightness is checked).
    added = [b - a for (_, a), (_, b) in zip(plain, pointed)]
    k = int(np.argmax([(d.sum(axis=2) > 45).sum() for d in added]))
    ys, xs = np.nonzero(added[k].sum(axis=2) > 45)
    assert xs.size > 30
    assert xs.max() < added[k].shape[1] * 0.45


def test_an_unknown_object_is_a_located_error_with_the_names_to_use(tmp_path: Path) -> None:
    lecture = tmp_path / "bad.yaml"
    lecture.write_text(LECTURE % "[vectr2]", encoding="utf-8")
    with pytest.raises(LectureError, match=r"bad.yaml:8:\d+: unknown object 'vectr2' for visual 'vectors'.*"
                                           r"did you mean 'vector2'.*objects: vector1, vector2"):
        load_lecture(lecture)
