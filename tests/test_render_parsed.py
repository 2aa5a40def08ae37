"""Formulas parsed once per machine (mmlanim.render.parsed): loaded from disk, they are manim's own parse."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

mn = pytest.importorskip("manim")

from manim.mobject.svg import svg_mobject  # noqa: E402

from mmlanim.render import parsed  # noqa: E402
from mmlanim.render.parsed import keep_parsed_formulas  # noqa: E402

FORMULA = r"\begin{bmatrix} 2 & 3 \\ 10 & 1 \end{bmatrix} \mathbf{r} = \frac{1}{2}"


@pytest.fixture()
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # manim typesets into ./media
    folder = tmp_path / "parsed"
    keep_parsed_formulas(folder)
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()  # as in a new process
    yield folder
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()


def _drawn(mobject: mn.Mobject) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, float]]:
    return [(type(m).__name__, m.points, m.fill_rgbas, m.stroke_rgbas, m.stroke_width)
            for m in mobject.get_family()]


def _assert_same(got: mn.Mobject, want: mn.Mobject) -> None:
    a, b = _drawn(got), _drawn(want)
    assert [x[0] for x in a] == [x[0] for x in b]
    for (_, points, fill, stroke, width), (_, points_ref, fill_ref, stroke_ref, width_ref) in zip(a, b):
        np.testing.assert_array_equal(points, points_ref)
        np.testing.assert_array_equal(fill, fill_ref)
        np.testing.assert_array_equal(stroke, stroke_ref)
        assert width == width_ref


def _manims_parse(*args: object, cls: type = mn.MathTex, **kwargs: object) -> mn.Mobject:
    """The formula parsed by manim alone: nothing from memory or disk."""
    return cls(*args, use_svg_cache=False, **kwargs)


def test_a_formula_parsed_in_one_process_is_loaded_in_the_next_as_manim_parses_it(
        kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = mn.MathTex(FORMULA, color=mn.BLUE)
    assert len(list(kept.glob("*.pickle"))) == 1
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()  # the next process

    def no_parse(self: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(svg_mobject.SVGMobject, "generate_mobject", no_parse)
    loaded = mn.MathTex(FORMULA, color=mn.BLUE)
    monkeypatch.undo()
    _assert_same(loaded, _manims_parse(FORMULA, color=mn.BLUE))
    _assert_same(loaded, first)
    # The parts of the formula are there too: what colouring by substring reads.
    assert set(loaded.id_to_vgroup_dict) == set(first.id_to_vgroup_dict) and loaded.id_to_vgroup_dict
    # The loaded formula is a mobject of its own, not the kept one.
    loaded.shift(mn.RIGHT)
    _assert_same(mn.MathTex(FORMULA, color=mn.BLUE), first)


def test_the_key_covers_the_svg_the_class_and_the_parse_settings(kept: Path) -> None:
    from mmlanim.render.parsed import parsed_key

    math, text = mn.MathTex("x^2"), mn.Tex("$x^2$")
    svg = math.get_file_path().read_bytes()
    assert parsed_key(math, svg) == parsed_key(mn.MathTex("x^2", color=mn.RED), svg)  # coloured after parsing
    assert parsed_key(math, svg) != parsed_key(text, svg)
    assert parsed_key(math, svg) != parsed_key(math, svg.replace(b"<path", b"<path ", 1))
    math.path_string_config = {**math.path_string_config, "should_subdivide_sharp_curves": False}
    assert parsed_key(math, svg) != parsed_key(mn.MathTex("x^2"), svg)
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    _assert_same(mn.Tex("$x^2$"), _manims_parse("$x^2$", cls=mn.Tex))
    _assert_same(mn.MathTex("x^2", color=mn.RED), _manims_parse("x^2", color=mn.RED))


def test_a_damaged_file_is_parsed_again_and_replaced(kept: Path) -> None:
    mn.MathTex(FORMULA)
    (path,) = kept.glob("*.pickle")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    _assert_same(mn.MathTex(FORMULA), _manims_parse(FORMULA))
    assert parsed._load(path) is not None  # written anew


def test_a_file_naming_anything_but_a_formulas_parts_is_refused_unrun(kept: Path, tmp_path: Path) -> None:
    mn.MathTex(FORMULA)
    (path,) = kept.glob("*.pickle")
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.system, (f"touch {marker}",)

    body = pickle.dumps(Payload())
    import hashlib

    path.write_bytes(hashlib.sha256(body).digest() + body)  # correctly sealed, yet not a formula
    assert parsed._load(path) is None
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    _assert_same(mn.MathTex(FORMULA), _manims_parse(FORMULA))
    assert not marker.exists()
