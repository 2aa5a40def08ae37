"""Mobject copies share what manim reads only while building (mmlanim.render.copying), and nothing else."""

from __future__ import annotations

import copy

import numpy as np
import pytest

mn = pytest.importorskip("manim")

from mmlanim.render.copying import SHARED_ATTRIBUTES, share_built_inputs  # noqa: E402


@pytest.fixture(autouse=True)
def _shared() -> None:
    share_built_inputs()


def _formula() -> mn.VGroup:
    return mn.VGroup(mn.MathTex(r"A\mathbf{v} = \lambda \mathbf{v}", color=mn.BLUE),
                     mn.Arrow(mn.ORIGIN, [2.0, 1.0, 0.0]), mn.DecimalNumber(3.16, num_decimal_places=2))


def _drawn(mobject: mn.Mobject) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """What a picture is drawn from: every family member's class, points and colours."""
    return [(type(m).__name__, m.points, m.fill_rgbas, m.stroke_rgbas) for m in mobject.get_family()]


def test_a_copy_draws_as_a_mobject_built_afresh_from_the_same_inputs() -> None:
    original, afresh = _formula(), _formula()
    duplicate = original.copy()
    got, want = _drawn(duplicate), _drawn(afresh)
    assert [g[0] for g in got] == [w[0] for w in want]
    for (_, points, fill, stroke), (_, points_ref, fill_ref, stroke_ref) in zip(got, want):
        np.testing.assert_array_equal(points, points_ref)
        np.testing.assert_array_equal(fill, fill_ref)
        np.testing.assert_array_equal(stroke, stroke_ref)


def test_a_copy_shares_the_parsed_glyphs_and_template_but_nothing_it_is_drawn_from() -> None:
    original = _formula()
    duplicate = original.copy()
    glyphs = [(a, b) for a, b in zip(original.get_family(), duplicate.get_family()) if "path_obj" in a.__dict__]
    assert glyphs, "a formula is made of glyphs built from SVG paths"
    assert all(a.path_obj is b.path_obj for a, b in glyphs)
    assert original[0].tex_template is duplicate[0].tex_template
    for a, b in zip(original.get_family(), duplicate.get_family()):
        assert a is not b
        assert a.points is not b.points or a.points.size == 0
        assert a.fill_rgbas is not b.fill_rgbas
    assert "points" not in SHARED_ATTRIBUTES and "submobjects" not in SHARED_ATTRIBUTES


def test_changing_a_copy_leaves_the_original_as_it_was() -> None:
    original = _formula()
    before = copy.deepcopy(_drawn(original))
    duplicate = original.copy()
    duplicate.shift(2 * mn.RIGHT).set_color(mn.RED).scale(0.5)
    for (_, points, fill, stroke), (_, points_ref, fill_ref, stroke_ref) in zip(_drawn(original), before):
        np.testing.assert_array_equal(points, points_ref)
        np.testing.assert_array_equal(fill, fill_ref)
        np.testing.assert_array_equal(stroke, stroke_ref)
    # and the copy did move: its centre is 2 to the right of the original's
    np.testing.assert_allclose(duplicate.get_center() - original.get_center(), [2.0, 0.0, 0.0], atol=1e-9)


def test_installing_twice_replaces_manims_copy_once() -> None:
    share_built_inputs()
    installed = mn.Mobject.__deepcopy__
    share_built_inputs()
    assert mn.Mobject.__deepcopy__ is installed
    assert not getattr(installed.manims, "_shares_built_inputs", False)  # manim's own, kept for reference


def ref_id(mobject: mn.Mobject) -> str:
    return str(id(mobject))


def _scene_like() -> mn.VGroup:
    plane = mn.NumberPlane(x_range=[-3, 3, 1], y_range=[-2, 2, 1])
    dot = mn.Dot(color=mn.YELLOW).add_updater(lambda m: m)
    return mn.VGroup(plane, _formula(), dot, mn.Line(mn.LEFT, mn.RIGHT, stroke_width=6))


def test_a_copy_holds_what_manims_own_copy_holds() -> None:
    """Attribute by attribute, family member by family member, our copy against manim's
    ``Mobject.__deepcopy__`` (the reference): same types and values, nothing of the original's
    mutable state shared but the built inputs."""
    original = _scene_like()
    ours = copy.deepcopy(original)
    manims = mn.Mobject.__deepcopy__.manims(original, {})
    for orig, a, b in zip(original.get_family(), ours.get_family(), manims.get_family(), strict=True):
        assert type(a) is type(b) and a is not orig
        assert a.__dict__.keys() == b.__dict__.keys()
        for name, value in a.__dict__.items():
            if name == "original_id":  # set by the copy
                assert value == ref_id(orig) == b.original_id
                continue
            ref, was = b.__dict__[name], orig.__dict__[name]
            assert type(value) is type(ref), name
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(value, ref)
                assert value is not was and value.flags.c_contiguous == was.flags.c_contiguous
            elif isinstance(value, list):
                assert len(value) == len(ref) and (value is not was)
            elif name in SHARED_ATTRIBUTES:
                assert value is was
            elif isinstance(value, (int, float, str, type(None))):
                assert value == ref, name


def test_a_copy_keeps_what_two_attributes_share_shared() -> None:
    line = mn.Line(mn.LEFT, mn.RIGHT)
    line.alias = line.points  # one array under two names
    line.empty, line.also_empty = [], []
    line.same_empty = line.empty
    duplicate = line.copy()
    assert duplicate.alias is duplicate.points and duplicate.points is not line.points
    assert duplicate.same_empty is duplicate.empty and duplicate.empty is not line.empty
    assert duplicate.also_empty is not duplicate.empty
