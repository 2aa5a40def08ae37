"""Nothing is drawn outside the frame, and lines on axes stay within them."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim import theme
from mmlanim.visuals import registry

from .conftest import build

KINDS = sorted(registry())
#: Scene units a stroke or a glyph may poke past the edge (anti-aliasing, a tick's half width).
SLACK = 0.05


def _drawn(scene, steps) -> list:
    """Every mobject on screen at some point: those added, those animated and their targets."""
    found = list(scene.added)
    for beat_steps in steps.values():
        for step in beat_steps:
            for anim in step:
                for attr in ("mobject", "target_mobject"):
                    mob = getattr(anim, attr, None)
                    if mob is not None:
                        found.append(mob)
    return found


def _leaves(mob) -> list:
    """The visible pieces of ``mob``, but for grounds and covering grids meant to bleed (``bleeds``)."""
    if getattr(mob, "bleeds", False):
        return []
    if mob.submobjects:
        return [leaf for sub in mob.submobjects for leaf in _leaves(sub)]
    return [mob] if len(mob.points) and mob.get_stroke_width() + mob.get_fill_opacity() > 0 else []


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_draws_inside_the_frame(kind):
    visual, scene, steps = build(kind, draw_text=True)
    half_w, half_h = theme.FRAME_WIDTH / 2 + SLACK, theme.FRAME_HEIGHT / 2 + SLACK
    outside = []
    for mob in _drawn(scene, steps):
        for leaf in _leaves(mob):
            pts = np.asarray(leaf.points)[:, :2]
            if np.abs(pts[:, 0]).max() > half_w or np.abs(pts[:, 1]).max() > half_h:
                outside.append(f"{type(leaf).__name__} reaching ({pts[:, 0].min():.2f}..{pts[:, 0].max():.2f}, "
                               f"{pts[:, 1].min():.2f}..{pts[:, 1].max():.2f})")
    assert outside == [], f"{kind}: {outside[:5]}"


@pytest.mark.parametrize("data", [
    {"csv": "study-hours.csv", "columns": ["hours", "score"]},
    {"dataset": "iris", "columns": ["petal length (cm)", "petal width (cm)"]},
])
def test_regression_lines_stay_within_their_axes(data, tmp_path):
    import shutil

    from conftest import ROOT

    shutil.copy(ROOT / "lectures" / "multivariate-calculus" / "data" / "study-hours.csv", tmp_path / "study-hours.csv")
    v, _, steps = build("linear_regression", {"data": data, "steps": 100, "learning_rate": 0.02}, tmp_path)
    lo, hi = v.plane.get_corner([-1, -1, 0])[:2], v.plane.get_corner([1, 1, 0])[:2]
    lines = [v.line, v.fit_line] + [a.target_mobject for s in steps["descend"] for a in s
                                    if getattr(a, "mobject", None) is v.line and hasattr(a, "target_mobject")]
    for line in lines:
        pts = np.asarray(line.points)[:, :2]
        assert np.all(pts >= lo - SLACK) and np.all(pts <= hi + SLACK)
