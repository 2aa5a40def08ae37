"""Typesetting ahead: the rehearsal names the formulas the real pass builds, and
typesetting them together leaves the real pass nothing to compile."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest

from mmlanim.quality import quality
from mmlanim.visuals import _typeset, registry

pytestmark = pytest.mark.render


def _spy_on_latex(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The formulas typeset one by one from now on."""
    from mmlanim.render import latex

    calls: list[str] = []
    real = latex.compile_svg

    def compile_svg(code, *args, **kwargs):
        calls.append(code)
        return real(code, *args, **kwargs)

    monkeypatch.setattr(latex, "compile_svg", compile_svg)
    return calls


@pytest.mark.parametrize("kind", ["vectors", "basis_change"])
def test_rehearsal_names_the_formulas_of_the_real_pass(kind: str, tmp_path: Path, monkeypatch) -> None:
    import manim

    from mmlanim.render.segment import render_segment_video

    built: list[tuple[str, ...]] = []
    real_mathtex = manim.MathTex

    def spy(*parts, **kwargs):
        built.append(parts)
        return real_mathtex(*parts, **kwargs)

    rehearsed: list[tuple[str, ...]] = []

    def note(formulas):  # only note them: every MathTex built is then the real pass's
        rehearsed.extend(parts for parts, _ in formulas)
        return len(formulas)

    monkeypatch.setattr(_typeset, "typeset", note)
    monkeypatch.setattr(manim, "MathTex", spy)
    cls = registry()[kind]
    render_segment_video(cls(cls.example_params()), [(b.name, 0.3) for b in cls.beats],
                         quality("l", (64, 36)), tmp_path / "out.mp4", dry_run=True)
    assert rehearsed, "the rehearsal found no formula"
    # Every formula the visual builds, and besides them only the characters of numbers (manim builds
    # those inside DecimalNumber, out of this spy's sight).
    assert set(built) <= set(rehearsed)
    assert {parts[0] for parts in set(rehearsed) - set(built)} <= set("0123456789-.")


def test_typesetting_ahead_can_be_switched_off(tmp_path: Path, monkeypatch) -> None:
    from mmlanim.render.segment import render_segment_video

    asked: list[int] = []
    monkeypatch.setattr(_typeset, "typeset", lambda formulas: asked.append(len(formulas)) or 0)
    cls = registry()["vectors"]
    beats = [(b.name, 0.3) for b in cls.beats]
    render_segment_video(cls(cls.example_params()), beats, quality("l", (64, 36)), tmp_path / "a.mp4",
                         dry_run=True)
    assert len(asked) == 1 and asked[0] > 0
    monkeypatch.setenv("MMLANIM_TYPESET_AHEAD", "0")
    render_segment_video(cls(cls.example_params()), beats, quality("l", (64, 36)), tmp_path / "b.mp4",
                         dry_run=True)
    assert len(asked) == 1  # not asked again


def test_typesetting_ahead_only_with_a_checked_manim(monkeypatch) -> None:
    import importlib.metadata

    real = importlib.metadata.version
    assert _typeset.enabled()
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.99.0" if name == "manim" else real(name))
    assert not _typeset.enabled()


def test_formulas_typeset_together_match_formulas_typeset_alone(tmp_path: Path, monkeypatch) -> None:
    import manim

    from mmlanim.render.manim_config import manim_settings

    tag = uuid.uuid4().hex[:8]  # formulas no earlier run has cached
    formulas = [((rf"\text{{{tag}}}", rf"x_{{{n}}} = \begin{{bmatrix}} {n} \\ -1 \end{{bmatrix}}"), {"font_size": 30})
                for n in range(3)]
    formulas.append(formulas[0])  # a repeat is typeset once
    with manim_settings(quality("l", (64, 36)), tmp_path / "media"):
        calls = _spy_on_latex(monkeypatch)
        assert _typeset.typeset(formulas) == 3
        assert calls == []  # one run for all three, not one each
        shapes = [manim.MathTex(*parts, **kwargs) for parts, kwargs in formulas[:3]]
        assert calls == []  # the real pass finds every formula typeset
        assert all(len(tex.submobjects) == 2 for tex in shapes)  # the two parts, as typeset
        # The same shapes as manim makes of each formula alone.
        together = [_svg_of(parts, kwargs) for parts, kwargs in formulas[:3]]
        for svg in together:
            svg.unlink()
        alone = [manim.MathTex(*parts, **kwargs) for parts, kwargs in formulas[:3]]
        assert len(calls) == 3 and all(svg.exists() for svg in together)
        for a, b in zip(shapes, alone):
            assert [len(part.submobjects) for part in a] == [len(part.submobjects) for part in b]
            np.testing.assert_allclose(a.get_all_points(), b.get_all_points(), atol=1e-9)


def _svg_of(parts, kwargs) -> Path:
    """Where manim caches a MathTex's SVG."""
    import manim

    from mmlanim.render import latex
    from mmlanim.visuals._typeset import _Source, _sources_only

    try:
        with _sources_only():
            manim.MathTex(*parts, **kwargs)
    except _Source as src:
        expression, environment, template = src.args
        code = latex.texcode(expression, environment, template or manim.config.tex_template)
        return Path(manim.config.get_dir("tex_dir")) / latex.svg_name(code)
    raise AssertionError("MathTex did not reach LaTeX")


@pytest.mark.parametrize("latex", [
    r"x \gdef\alpha{0}", r"\def\x{1} \x", r"\catcode`\@=11", r"\csname gdef\endcsname", r"x % \end",
    r"\input{/etc/passwd}", r"x^^5c", r"{x", r"x}", r"\end{align*} x \begin{align*}", r"\let\a\b",
    r"\newcommand{\x}{1}", r"$x$", r"\special{dvisvgm:raw <script>}", r"\expandafter\x",
])
def test_only_plain_mathematics_shares_a_run(latex: str) -> None:
    assert not _typeset.batchable(latex)


@pytest.mark.parametrize("latex", [
    r"\vec{v} = \begin{bmatrix} 2 \\ -1 \end{bmatrix}", r"\lambda_1 = 0.5", r"\frac{\partial f}{\partial x}",
    r"\special{dvisvgm:raw <g id='unique000'>}x\special{dvisvgm:raw </g>}", r"\mathbf{u} \cdot \mathbf{v}",
    r"\left( x^{2} \right) \quad \text{step } 3",
])
def test_plain_mathematics_shares_a_run(latex: str) -> None:
    assert _typeset.batchable(latex)




def test_a_segment_rendered_again_reads_its_rehearsal_instead_of_rehearsing(tmp_path: Path, monkeypatch) -> None:
    from mmlanim.render.scene import SegmentScene
    from mmlanim.render.segment import render_segment_video

    rehearsals: list[int] = []
    real = SegmentScene._rehearse

    def counted(self):
        rehearsals.append(1)
        return real(self)

    asked: list[list] = []
    monkeypatch.setattr(SegmentScene, "_rehearse", counted)
    monkeypatch.setattr(_typeset, "typeset", lambda formulas: asked.append(list(formulas)) or len(formulas))
    from mmlanim.visuals import VisualContext

    cls = registry()["vectors"]
    context = VisualContext(base_dir=tmp_path)  # part of the key: no earlier run rehearsed this one
    beats = [(b.name, 0.3) for b in cls.beats]
    q = quality("l", (64, 36))
    render_segment_video(cls(cls.example_params(), context), beats, q, tmp_path / "a.mp4", dry_run=True)
    assert len(rehearsals) == 1
    render_segment_video(cls(cls.example_params(), context), [(name, 0.7) for name, _ in beats], q,
                         tmp_path / "b.mp4", dry_run=True)
    assert len(rehearsals) == 1 and len(asked) == 2  # new timing, same picture: read back
    assert asked[0] and asked[1] == asked[0]
    # Another picture (one beat fewer) is rehearsed afresh.
    render_segment_video(cls(cls.example_params(), context), beats[:-1], q, tmp_path / "c.mp4", dry_run=True)
    assert len(rehearsals) == 2 and len(asked) == 3


def test_a_remembered_rehearsal_round_trips_and_refuses_what_json_cannot_hold(tmp_path: Path) -> None:
    from mmlanim.render.manim_config import manim_settings

    formulas = [((r"\mathbf{v}", "= 3"), {"color": "#58C4DD", "font_size": 30.0}), ((r"\lambda",), {})]
    key = uuid.uuid4().hex
    with manim_settings(quality("l", (64, 36)), tmp_path / "media"):
        assert _typeset.remembered(key) is None
        assert _typeset.remember(key, formulas)
        assert _typeset.remembered(key) == formulas
        assert not _typeset.remember(key + "x", [((r"x",), {"color": object()})])
        assert _typeset.remembered(key + "x") is None
        path = _typeset._remembered_path(key)
        path.write_text("{not json", encoding="utf-8")
        assert _typeset.remembered(key) is None  # a damaged file means: rehearse


@pytest.mark.parametrize("kind", ["vectors", "gradient_descent"])
def test_from_a_cold_latex_cache_the_real_pass_typesets_nothing_alone(kind: str, tmp_path: Path,
                                                                     monkeypatch) -> None:
    """Tick numbers and readouts (DecimalNumber digits, built by manim, not asked for by name) are
    typeset ahead with the visual's formulas: every digit a number may change to, the sign and the point."""
    from mmlanim.render import manim_config
    from mmlanim.render.segment import render_segment_video

    slot = tmp_path / "tex" / "0"
    slot.mkdir(parents=True)
    monkeypatch.setattr(manim_config, "tex_dir", lambda: slot)
    calls = _spy_on_latex(monkeypatch)
    cls = registry()[kind]
    render_segment_video(cls(cls.example_params()), [(b.name, 0.3) for b in cls.beats],
                         quality("l", (64, 36)), tmp_path / "out.mp4", dry_run=True)
    assert calls == []
    typeset = {p.name for p in slot.glob("*.svg")}
    assert len(typeset) >= 12  # the visual's formulas, and the ten digits, the minus sign and the point
