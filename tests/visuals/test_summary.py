"""The summary card: its points fit the frame in reading order, and each appears on its own beat."""

from __future__ import annotations

import pytest

from mmlanim import theme
from mmlanim._lazy import manim as mn

from .conftest import build, lecture, problems

LONG = ["An inner product gives every length, distance and angle in the plane",
        "Change A and the unit circle becomes an ellipse", "Angles change with it",
        "So does which vectors are orthogonal", "Functions have inner products too",
        "The integral of their product is one"]


def _box(m):
    return m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]


def test_six_long_points_fit_inside_the_frame_in_reading_order_under_the_heading() -> None:
    v, _, _ = build("summary", {"title": "One operation, all of geometry", "points": LONG,
                                "next": "Next: orthogonal projections"}, draw_text=True)
    half_w, half_h = theme.FRAME_WIDTH / 2, theme.FRAME_HEIGHT / 2
    for m in [v.title, v.rule, v.next, *v.items]:
        left, right, bottom, top = _box(m)
        assert -half_w + theme.SAFE_MARGIN - 1e-6 <= left and right <= half_w - theme.SAFE_MARGIN + 1e-6
        assert -half_h + theme.SAFE_MARGIN - 1e-6 <= bottom and top <= half_h - theme.SAFE_MARGIN + 1e-6
    # Heading, rule, the points top to bottom without overlapping, then the last line.
    column = [v.title, v.rule, *v.items, v.next]
    for upper, lower in zip(column, column[1:]):
        assert _box(upper)[2] > _box(lower)[3]
    # Every point starts at the same left edge, with its bullet beside its words.
    lefts = [item.get_left()[0] for item in v.items]
    assert max(lefts) - min(lefts) < 1e-6
    tops = [words.get_top()[1] for _, words in v.items]
    bullets = [bullet.get_center()[1] for bullet, _ in v.items]
    for values in (tops, bullets):  # lines evenly spaced, with or without descenders
        gaps = [a - b for a, b in zip(values, values[1:])]
        assert max(gaps) - min(gaps) < 1e-6 and min(gaps) > 0
    for bullet, words in v.items:
        assert bullet.get_right()[0] < words.get_left()[0]
        assert words.get_bottom()[1] < bullet.get_center()[1] < words.get_top()[1]


@pytest.mark.parametrize("n", [1, 3, 6])
def test_each_point_appears_on_its_own_beat_and_only_then(n: int) -> None:
    v, _, steps = build("summary", {"title": "T", "points": LONG[:n]})
    for k in range(1, 7):
        if k <= n:
            assert len(steps[f"point_{k}"]) == 1
            (anim,) = steps[f"point_{k}"][0]
            assert isinstance(anim, mn.FadeIn) and anim.mobject is v.items[k - 1]
        else:
            assert steps[f"point_{k}"] == []
    assert steps["show_next"] == []  # no last line given: nothing to show
    shown = {id(a.mobject) for s in steps["show_title"] for a in s}
    assert shown == {id(v.title), id(v.rule)}


def test_a_card_needs_one_to_six_points(tmp_path) -> None:
    seven = "\n".join(f"    - point {i}" for i in range(7))
    found = problems(lecture(tmp_path, f"kind: summary\ntitle: T\npoints:\n{seven}\n"))
    assert any("points" in p and "6" in p for p in found), found
    found = problems(lecture(tmp_path, "kind: summary\ntitle: T\npoints: []\n"))
    assert any("points" in p for p in found), found
