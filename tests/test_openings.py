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
def test_every_opening_rebuilds_to_manims_very_picture(lecture, monkeypatch: pytest.MonkeyPatch):
    """Each opening rebuilds (raises if it cannot), to what manim's way of finishing every animation
    gives, though animations that only draw a mobject in are skipped (no copies, no interpolation)."""
    from mmlanim.render.scene import _opening_visual

    loaded = load_lecture(lecture)
    cases = []
    for segment in loaded.lecture.segments[1:]:
        visual = loaded.visual(segment)
        opening = json.loads(visual.context.opening)
        if _opening_visual(visual, draw_text=False) is None:
            # a 3-D segment, or one after a 3-D segment: it opens on its own, by design
            assert registry()[opening["visual"]["kind"]].three_d or visual.three_d
            continue
        cases.append((segment.id, lambda v=visual: _opening_visual(v, False), opening["beats"]))
    skipped = _compare_rebuilds(cases, monkeypatch)
    assert skipped or not cases


@pytest.mark.render
def test_every_flat_kinds_example_rebuilds_to_manims_very_picture(monkeypatch: pytest.MonkeyPatch):
    from mmlanim.visuals import RenderContext

    cases = [(kind, lambda c=cls: c(c.example_params()).bound(RenderContext(draw_text=False)), list(cls.beat_names()))
             for kind, cls in sorted(registry().items()) if not cls.three_d]
    skipped = _compare_rebuilds(cases, monkeypatch)
    assert len(skipped) > 50 and {"FadeIn", "Create", "Write"} <= set(skipped), set(skipped)

def _picture(scene) -> list[tuple]:
    """What ``scene`` would draw: each member in drawing order, with its points, colours and widths."""
    import numpy as np

    rows = []
    for member in scene.get_mobject_family_members():
        drawn = [np.array(getattr(member, name, ()), dtype=float) for name in (
            "points", "fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "stroke_width",
            "background_stroke_width", "sheen_factor", "sheen_direction")]
        rows.append((type(member).__name__, member.z_index, drawn))
    return rows


def _same_picture(a: list[tuple], b: list[tuple], where: str) -> None:
    import numpy as np

    assert [(k, z) for k, z, _ in a] == [(k, z) for k, z, _ in b], where
    for (kind, _, ours), (_, _, manims) in zip(a, b):
        for x, y in zip(ours, manims):
            # manim's last frame interpolates to the end state, which can leave a rounding's trace (an
            # opacity of 0.5499999999999999 for 0.55): equal up to that, far below a pixel's 1/255
            np.testing.assert_allclose(x, y, rtol=0, atol=1e-12, err_msg=f"{where}: {kind}")



def _compare_rebuilds(cases, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Rebuild each (where, fresh visual, beats) with and without the shortcut; the same picture each
    time. Returns the names of the animations the shortcut skipped."""
    import manim as mn

    from mmlanim.render import scene as scenes

    skipped: list[str] = []
    draws_in_only = scenes._draws_in_only
    counting = lambda a: draws_in_only(a) and not skipped.append(type(a).__name__)  # noqa: E731
    for where, fresh, beats in cases:
        pictures = []
        for check in (counting, lambda a: False):  # ours, then manim's way: every animation begun and finished
            monkeypatch.setattr(scenes, "_draws_in_only", check)
            scene = mn.Scene()
            scenes.rebuild(scene, fresh(), beats)
            pictures.append(_picture(scene))
        assert pictures[0], f"{where}: the picture before it is empty"
        _same_picture(pictures[0], pictures[1], where)
    return skipped
