"""``count_to``: a readout shows its new numbers from the first frame, copied in once."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim._lazy import manim as mn
from mmlanim.visuals._layout import count_to, take_on


def _digits(*xs: float):
    return mn.VGroup(*(mn.Square(side_length=0.3).move_to([x, 0, 0]) for x in xs))


def _points(m) -> list[np.ndarray]:
    return [sub.points.copy() for sub in m.family_members_with_points()]


def test_count_to_shows_the_new_readout_from_its_first_frame_and_keeps_it():
    old, new = _digits(0, 1), _digits(0, 1, 2, 3)  # a longer number: more glyphs
    new.set_color(mn.RED)
    before = _points(old)
    anim = count_to(old, new)
    anim.begin()
    assert all(np.array_equal(a, b) for a, b in zip(_points(old), before))  # nothing at alpha 0
    anim.interpolate(0.05)
    got, want = _points(old), _points(new)
    assert len(got) == 4 and all(np.allclose(a, b) for a, b in zip(got, want))
    assert old[0].get_color() == new[0].get_color()
    old.shift(mn.UP)  # another animation of the step moves the readout: later frames do not undo it
    anim.interpolate(0.6)
    anim.finish()
    assert np.allclose(old.get_center(), new.get_center() + mn.UP)


def _readout(ctx, *values: float):
    """A panel readout: a label and numbers (the glyph counts differ with the values)."""
    label = ctx.label(r"\mathbf{x}_k =")
    numbers = [ctx.number(v, 3) for v in values]
    return mn.VGroup(label, *numbers).arrange(mn.RIGHT, buff=0.1).set_z_index(9)


def _pixels(mobject) -> np.ndarray:
    camera = mn.Camera(pixel_width=480, pixel_height=270)
    camera.capture_mobject(mobject)
    return camera.pixel_array.astype(int)


@pytest.mark.parametrize(("before", "after"), [((0.427, 12.5), (-0.09, 3.0)), ((1.0, -2.0), (-123.456, 0.004))])
def test_take_on_draws_the_new_readout_as_manims_become_does(tmp_path, monkeypatch, before, after):
    from mmlanim.visuals.context import RenderContext

    monkeypatch.chdir(tmp_path)  # manim typesets into ./media
    ctx = RenderContext()
    ours, theirs = _readout(ctx, *before), _readout(ctx, *before)
    new = _readout(ctx, *after).set_color(mn.YELLOW).shift(0.5 * mn.DOWN)
    members = ours.get_family()
    take_on(ours, new.copy())
    theirs.become(new.copy())
    assert all(m in ours.get_family() for m in members)  # the readout's own members stay (and are drawn)
    assert [m.z_index for m in ours.get_family()] == [m.z_index for m in theirs.get_family()]
    a, b, wanted = _pixels(ours), _pixels(theirs), _pixels(new)
    assert a[..., :3].any() and not np.array_equal(a, _pixels(_readout(ctx, *before)))
    assert np.array_equal(a, wanted)  # pixel for pixel the new readout as typeset
    difference = np.abs(a - b)  # manim's resamples the curves first: its edges differ by a few levels
    assert difference.max() <= 8 and difference.mean() < 1e-3


def test_count_to_copies_nothing_of_the_readout(monkeypatch):
    old, new = _digits(0, 1, 2), _digits(5, 6)
    copied = []
    copy = mn.Mobject.copy
    monkeypatch.setattr(mn.Mobject, "copy", lambda self, *a, **k: copied.append(self) or copy(self, *a, **k))
    members = old.get_family()
    anim = count_to(old, new)
    anim.begin()
    for alpha in (0.1, 0.5, 1.0):
        anim.interpolate(alpha)
    anim.finish()
    assert not [m for m in copied if any(m is o for o in members)]  # no starting copy of the readout
    assert len(copied) == 1  # new's family grows by one square to match old's three, once
    assert len(old.get_family()) == 4
    assert np.allclose(old[2].get_center(), new[2].get_center())
