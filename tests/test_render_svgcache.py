"""Parsed SVGs kept on disk (mmlanim.render.svgcache): read back as manim parses them, parsed again when
the SVG changes or the stored file is damaged, never stored for a class that parses differently."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

mn = pytest.importorskip("manim")

from manim.mobject.svg import svg_mobject  # noqa: E402

from mmlanim.render import svgcache  # noqa: E402
from mmlanim.render.svgcache import keep_parsed_svgs, parsed_dir, parsed_key  # noqa: E402
from tests.conftest import count_calls  # noqa: E402

SQUARE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<path id="a" d="M 1 1 L 9 1 L 9 9 L 1 9 Z" fill="#ff0000"/>
<g id="pair"><path d="M 2 2 C 4 0 6 0 8 2" stroke="#0000ff" fill="none"/><circle cx="5" cy="6" r="2"/></g>
</svg>"""
TRIANGLE = SQUARE.replace("M 1 1 L 9 1 L 9 9 L 1 9 Z", "M 1 9 L 5 1 L 9 9 Z")


@pytest.fixture(autouse=True)
def _kept(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_parsed_svgs()
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})  # nothing parsed in this process yet


def _manims(build):  # noqa: ANN001, ANN202
    """What ``build()`` makes with manim's own parsing (nothing read from or written to disk)."""
    ours = svg_mobject.SVGMobject.init_svg_mobject
    svg_mobject.SVGMobject.init_svg_mobject = ours.manims
    try:
        return build()
    finally:
        svg_mobject.SVGMobject.init_svg_mobject = ours


def _drawn(mobject: mn.Mobject) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, float]]:
    return [(type(m).__name__, m.points, m.fill_rgbas, m.stroke_rgbas, m.stroke_width) for m in mobject.get_family()]


def _assert_same_picture(got: mn.Mobject, want: mn.Mobject) -> None:
    a, b = _drawn(got), _drawn(want)
    assert [x[0] for x in a] == [x[0] for x in b]
    for (_, points, fill, stroke, width), (_, points_ref, fill_ref, stroke_ref, width_ref) in zip(a, b):
        np.testing.assert_array_equal(points, points_ref)
        np.testing.assert_array_equal(fill, fill_ref)
        np.testing.assert_array_equal(stroke, stroke_ref)
        assert width == width_ref


def _stored() -> list[Path]:
    return sorted(parsed_dir().rglob("*.parse")) if parsed_dir().is_dir() else []


def _fresh_process() -> None:
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()  # a later process knows only what is on disk


def test_a_formula_read_back_is_drawn_as_manim_parses_it_and_is_not_parsed_again(monkeypatch) -> None:
    tex = r"\mathbf{u}\cdot\mathbf{v} = \sum_{i=1}^{n} u_i v_i = 2.75"
    want = _manims(lambda: mn.MathTex(tex, color=mn.BLUE).scale(0.8))
    _fresh_process()
    mn.MathTex(tex)  # parsed, and stored
    _fresh_process()
    parses = count_calls(monkeypatch, svg_mobject.se.SVG, "parse")
    got = mn.MathTex(tex, color=mn.BLUE).scale(0.8)
    assert parses == [0]
    _assert_same_picture(got, want)
    assert [len(g) for g in got.submobjects] == [len(g) for g in want.submobjects]
    # The glyphs keep no parsed svgelements path (read only while building), and copy and change as usual.
    glyphs = [m for m in got.get_family() if isinstance(m, svg_mobject.VMobjectFromSVGPath)]
    assert glyphs and all(m.path_obj is None for m in glyphs)
    moved = got.copy().shift(mn.RIGHT)
    np.testing.assert_allclose(moved.get_center(), got.get_center() + mn.RIGHT)


def test_an_svg_file_keeps_its_groups_and_a_changed_file_is_parsed_again(tmp_path: Path, monkeypatch) -> None:
    svg = tmp_path / "shape.svg"
    svg.write_text(SQUARE)
    want = _manims(lambda: mn.SVGMobject(svg))
    _fresh_process()
    mn.SVGMobject(svg)
    _fresh_process()
    got = mn.SVGMobject(svg)
    _assert_same_picture(got, want)
    assert set(got.id_to_vgroup_dict) == set(want.id_to_vgroup_dict)
    pair = got.id_to_vgroup_dict["pair"].submobjects
    members = [m for m in got.get_family() if any(m is p for p in pair)]
    assert len(pair) == 2 and len(members) == 2  # a group holds the very mobjects drawn, as in manim's parse
    svg.write_text(TRIANGLE)  # same name, new picture
    _fresh_process()
    want = _manims(lambda: mn.SVGMobject(svg))
    _fresh_process()
    parses = count_calls(monkeypatch, svg_mobject.se.SVG, "parse")
    got = mn.SVGMobject(svg)
    assert parses == [1]
    _assert_same_picture(got, want)


def _cut_short(data: bytes) -> bytes:  # as a full disk might leave it
    return data[:40]


def _one_number_changed(data: bytes) -> bytes:  # the file still reads back, with one glyph moved
    submobjects, groups = svgcache._decode(data[32:])
    submobjects[0].points[0, 0] += 0.5
    return data[:32] + svgcache._encode(submobjects, groups)


@pytest.mark.parametrize("damage", [_cut_short, _one_number_changed])
def test_a_damaged_stored_parse_is_parsed_again_and_replaced(damage, tmp_path: Path, monkeypatch) -> None:
    svg = tmp_path / "shape.svg"
    svg.write_text(SQUARE.replace("#ff0000", f"#ff{len(damage.__name__):02x}00"))  # a picture no other test stores
    before = set(_stored())
    mn.SVGMobject(svg)
    (path,) = set(_stored()) - before
    path.write_bytes(damage(path.read_bytes()))
    _fresh_process()
    parses = count_calls(monkeypatch, svg_mobject.se.SVG, "parse")
    got = mn.SVGMobject(svg)
    assert parses == [1]
    _fresh_process()
    _assert_same_picture(got, _manims(lambda: mn.SVGMobject(svg)))
    _fresh_process()
    parses[0] = 0
    _assert_same_picture(mn.SVGMobject(svg), got)
    assert parses == [0]  # the damaged file was replaced by a whole one


class Outlined(mn.SVGMobject):
    """Parses differently from SVGMobject: its paths get a stroke."""

    def modify_xml_tree(self, element_tree):  # noqa: ANN001, ANN201
        tree = super().modify_xml_tree(element_tree)
        tree.getroot()[0].set("stroke", "#00ff00")
        return tree


def test_a_class_that_parses_differently_is_not_stored(tmp_path: Path) -> None:
    svg = tmp_path / "shape.svg"
    svg.write_text(SQUARE)
    assert parsed_key(mn.SVGMobject(svg), SQUARE.encode()) is not None
    before = set(_stored())
    outlined = Outlined(svg)
    assert set(_stored()) == before
    plain = mn.SVGMobject(svg)  # the plain class, read back, is not the outlined one
    assert parsed_key(outlined, SQUARE.encode()) is None
    assert any(not np.array_equal(a.stroke_rgbas, b.stroke_rgbas)
               for a, b in zip(outlined.family_members_with_points(), plain.family_members_with_points()))


def test_the_key_follows_contents_and_parsing_settings_not_the_file_name(tmp_path: Path) -> None:
    one, two = tmp_path / "one.svg", tmp_path / "two.svg"
    one.write_text(SQUARE)
    two.write_text(SQUARE)
    a, b = mn.SVGMobject(one), mn.SVGMobject(two)
    assert parsed_key(a, SQUARE.encode()) == parsed_key(b, SQUARE.encode())
    assert parsed_key(a, SQUARE.encode()) != parsed_key(a, TRIANGLE.encode())
    wide = mn.SVGMobject(one, path_string_config={"long_lines": True})
    assert parsed_key(wide, SQUARE.encode()) != parsed_key(a, SQUARE.encode())


def _state(mobject: mn.Mobject) -> dict:
    """Every attribute of ``mobject`` but the parsed path and the id of what it was copied from (a copy's
    note, read by nothing but manim's scene hashing, which skips it); arrays and colours as lists,
    mobjects by class."""
    def plain(v):  # noqa: ANN001, ANN202
        if isinstance(v, np.ndarray):
            return ("array", v.dtype.str, v.tolist())
        if isinstance(v, mn.ManimColor):
            return ("colour", v._internal_value.tolist())
        if isinstance(v, mn.Mobject):
            return ("mobject", type(v).__name__)
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return (type(v).__name__, v)
    return {name: plain(v) for name, v in mobject.__dict__.items() if name not in ("path_obj", "original_id")}


def test_every_attribute_read_back_is_manims_and_the_file_names_no_code(tmp_path: Path) -> None:
    tex = r"\frac{1}{2}\begin{bmatrix} a \\ b \end{bmatrix}"  # a fraction bar is a Rectangle, not a path
    # What manim builds from a parse it keeps: the formula itself is not flipped again (its sheen direction),
    # as the parse, not the formula, was flipped when first parsed.
    want = _manims(lambda: (mn.MathTex(tex), mn.MathTex(tex))[1])
    _fresh_process()
    before = set(_stored())
    mn.MathTex(tex)
    (path,) = set(_stored()) - before
    _fresh_process()
    got = mn.MathTex(tex)
    pairs = list(zip(got.get_family(), want.get_family()))
    assert len(got.get_family()) == len(want.get_family())
    assert {type(a).__name__ for a, _ in pairs} >= {"VMobjectFromSVGPath", "Rectangle"}
    for a, b in pairs:
        assert _state(a) == _state(b)
    data = path.read_bytes()[32:]
    header = json.loads(data[8:8 + int.from_bytes(data[:8], "little")])
    assert {name for name, _ in header["states"]} <= set(svgcache._CLASSES)


def test_a_parse_holding_an_unknown_kind_of_value_is_not_stored(tmp_path: Path) -> None:
    svg = tmp_path / "shape.svg"
    svg.write_text(SQUARE.replace("#ff0000", "#00aa00"))
    parsed = _manims(lambda: mn.SVGMobject(svg))
    parsed.submobjects[0].callback = lambda: None  # a function: nothing a stored parse may hold
    with pytest.raises(svgcache._Unstorable):
        svgcache._encode(parsed.submobjects, parsed.id_to_vgroup_dict)
    before = set(_stored())
    svgcache._store(parsed_dir() / "xx" / "unknown.parse", parsed.submobjects, parsed.id_to_vgroup_dict)
    assert set(_stored()) == before


def test_a_text_read_back_is_drawn_as_manim_parses_it_and_is_not_parsed_again(monkeypatch) -> None:
    from mmlanim import theme

    def build() -> mn.Text:
        return mn.Text("Gram-Schmidt, step 2", font=theme.FONT, font_size=36, t2c={"step": mn.YELLOW})

    want = _manims(build)
    build()  # parsed, and stored (a Text keeps out of manim's map: nothing to clear)
    assert not svg_mobject.SVG_HASH_TO_MOB_MAP
    parses = count_calls(monkeypatch, svg_mobject.se.SVG, "parse")
    first, second = build(), build()
    assert parses == [0]
    _assert_same_picture(first, want)
    _assert_same_picture(second, want)
    first.set_color(mn.RED)  # each read makes mobjects of its own
    _assert_same_picture(second, want)
