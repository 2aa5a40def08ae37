"""Every shipped segment after the first can rebuild the picture the segment before ended on (to fade from)."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from mmlanim.lecture import load_lecture
from mmlanim.visuals import registry

LECTURES = sorted((ROOT / "lectures").rglob("*.yaml"))


@pytest.mark.render
@pytest.mark.parametrize("lecture", LECTURES, ids=[p.stem for p in LECTURES])
def test_every_opening_rebuilds(lecture):
    import manim as mn

    from mmlanim.render.scene import _opening_visual, rebuild

    loaded = load_lecture(lecture)
    for segment in loaded.lecture.segments[1:]:
        visual = loaded.visual(segment)
        opening = json.loads(visual.context.opening)
        before = _opening_visual(visual, draw_text=False)
        if before is None:  # a 3-D segment, or one after a 3-D segment: it opens on its own, by design
            assert registry()[opening["visual"]["kind"]].three_d or visual.three_d
            continue
        scene = mn.ThreeDScene() if visual.three_d else mn.Scene()
        rebuild(scene, before, opening["beats"])  # raises if the picture cannot be rebuilt
        assert scene.mobjects, f"{segment.id}: the picture before it is empty"
