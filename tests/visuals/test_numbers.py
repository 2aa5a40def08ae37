"""Numbers with cheaply copied digits draw exactly as manim's DecimalNumber and Integer do."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim._lazy import manim as mn


def _pixels(mobject) -> np.ndarray:
    camera = mn.Camera(pixel_width=320, pixel_height=180)
    camera.capture_mobject(mobject)
    return camera.pixel_array.astype(int)


def _same_drawing(a, b) -> None:
    fa, fb = a.family_members_with_points(), b.family_members_with_points()
    assert [type(m) for m in fa] == [type(m) for m in fb] and len(fa) > 0
    for x, y in zip(fa, fb):
        assert np.array_equal(x.points, y.points)
        assert np.array_equal(x.get_fill_rgbas(), y.get_fill_rgbas())
        assert np.array_equal(x.get_stroke_rgbas(), y.get_stroke_rgbas())
    assert np.array_equal(_pixels(a), _pixels(b))


@pytest.mark.parametrize(("value", "decimals", "later", "size"),  # digits shared between sizes
                         [(-12.345, 3, 0.5, 30), (0.004, 2, -7.0, 20), (42.0, 0, -3.0, 48), (-2.5, 1, 14.0, 30)])
def test_a_lean_number_draws_as_manims_and_changes_value_as_it_does(tmp_path, monkeypatch, value, decimals, later,
                                                                     size):
    from mmlanim.visuals._numbers import LeanDecimal, LeanInteger

    monkeypatch.chdir(tmp_path)  # manim typesets into ./media
    ours_cls, theirs_cls = (LeanInteger, mn.Integer) if decimals == 0 else (LeanDecimal, mn.DecimalNumber)
    kwargs = {"color": mn.YELLOW, "font_size": size, "group_with_commas": False}
    if decimals:
        kwargs["num_decimal_places"] = decimals
    ours, theirs = ours_cls(value, **kwargs), theirs_cls(value, **kwargs)
    _same_drawing(ours.shift(mn.LEFT), theirs.shift(mn.LEFT))
    ours.set_value(later)
    theirs.set_value(later)
    _same_drawing(ours, theirs)
    assert isinstance(ours, mn.DecimalNumber)  # the visuals' checks for a number still see one


def test_a_lean_copy_shares_only_what_construction_read(tmp_path, monkeypatch):
    from manim.mobject.text.numbers import string_to_mob_map

    from mmlanim.visuals._numbers import lean_copy

    monkeypatch.chdir(tmp_path)
    mn.DecimalNumber(7.0, num_decimal_places=1)
    glyph = string_to_mob_map["7"]
    copied = lean_copy(glyph)
    paths = [(m, c) for m, c in zip(glyph.get_family(), copied.get_family()) if hasattr(m, "path_obj")]
    assert paths and all(c.path_obj is m.path_obj for m, c in paths)
    assert copied.id_to_vgroup_dict == {} and glyph.id_to_vgroup_dict
    # Everything drawn is the copy's own: moving and recolouring it leaves manim's glyph as it was.
    before = [m.points.copy() for m in glyph.family_members_with_points()]
    copied.shift(mn.UP).set_color(mn.RED)
    assert all(np.array_equal(m.points, b) for m, b in zip(glyph.family_members_with_points(), before))
    assert glyph.get_color() != copied.get_color()
