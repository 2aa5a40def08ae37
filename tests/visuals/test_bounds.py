"""Nothing is drawn outside the frame, and lines on axes stay within them."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim import theme
from mmlanim._lazy import manim as mn
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
    """The visible pieces of ``mob``, but for grounds and covering grids meant to bleed (``bleeds``).

    Mobjects that are never drawn (a ValueTracker an animation drives) have no strokes or fills."""
    if getattr(mob, "bleeds", False):
        return []
    if mob.submobjects:
        return [leaf for sub in mob.submobjects for leaf in _leaves(sub)]
    if isinstance(mob, mn.VMobject):
        return [mob] if len(mob.points) and mob.get_stroke_width() + mob.get_fill_opacity() > 0 else []
    return [mob] if isinstance(mob, (mn.ImageMobject, mn.PMobject)) and len(mob.points) else []


#: Camera turns (degrees about the vertical, from where a 3-D kind points it) at which its space
#: must stay in the frame: a slow orbit over a segment.
TURNS = (-40.0, -20.0, 0.0, 20.0, 40.0)


def _views(kind, scene):
    """Functions taking a leaf's points to screen points: one for a 2-D kind; for a 3-D kind, the
    camera it points (manim's own projection) turned through ``TURNS``, pinned mobjects as they are."""
    if not getattr(registry()[kind], "three_d", False):
        return {"": lambda leaf, pts: pts}
    from mmlanim.visuals._space import SpaceCamera

    camera = SpaceCamera()
    orientation = getattr(scene, "camera_orientation", {})
    camera.set_phi(orientation.get("phi", 0.0))
    camera.set_zoom(orientation.get("zoom", 1.0))
    camera.offset = np.array(getattr(getattr(scene, "camera", None), "offset", np.zeros(3)), dtype=float)
    pinned = {id(leaf) for mob in scene.pinned for leaf in _leaves(mob)}
    views, start = {}, orientation.get("theta", 0.0)
    for turn in TURNS:
        def view(leaf, pts, theta=start + turn * mn.DEGREES):
            if id(leaf) in pinned:
                return pts
            camera.set_theta(theta)
            camera.reset_rotation_matrix()
            return camera.project_points(pts)
        views[f" turned {turn:+.0f}°"] = view
    return views


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_draws_inside_the_frame(kind):
    visual, scene, steps = build(kind, draw_text=True)
    half_w, half_h = theme.FRAME_WIDTH / 2 + SLACK, theme.FRAME_HEIGHT / 2 + SLACK
    outside = []
    for name, view in _views(kind, scene).items():
        for mob in _drawn(scene, steps):
            for leaf in _leaves(mob):
                pts = view(leaf, np.asarray(leaf.points, dtype=float))[:, :2]
                if np.abs(pts[:, 0]).max() > half_w or np.abs(pts[:, 1]).max() > half_h:
                    outside.append(f"{type(leaf).__name__}{name} reaching ({pts[:, 0].min():.2f}.."
                                   f"{pts[:, 0].max():.2f}, {pts[:, 1].min():.2f}..{pts[:, 1].max():.2f})")
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
