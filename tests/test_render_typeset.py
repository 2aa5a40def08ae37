"""Typesetting ahead: the rehearsal names the formulas the real pass builds, and
typesetting them in parallel leaves the real pass nothing to compile."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from mmlanim.quality import quality
from mmlanim.visuals import _typeset, registry

pytestmark = pytest.mark.render


def _spy_on_latex(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the threads that run LaTeX from now on."""
    import manim.utils.tex_file_writing as tfw

    calls: list[str] = []
    real = tfw.compile_tex

    def compile_tex(*args, **kwargs):
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(tfw, "compile_tex", compile_tex)
    return calls


@pytest.mark.parametrize("kind", ["vectors", "basis_change"])
def test_rehearsal_names_the_formulas_of_the_real_pass(kind: str, tmp_path: Path, monkeypatch) -> None:
    import manim

    from mmlanim.render.segment import render_segment_video

    built: list[tuple[str, ...]] = []
    real_mathtex = manim.MathTex

    def spy(*parts, **kwargs):
        if threading.current_thread() is threading.main_thread():  # the real pass, not the typesetters
            built.append(parts)
        return real_mathtex(*parts, **kwargs)

    rehearsed: list[tuple[str, ...]] = []
    real_typeset = _typeset.typeset

    def typeset(formulas, workers=None):
        rehearsed.extend(parts for parts, _ in formulas)
        return real_typeset(formulas, workers)

    monkeypatch.setattr(_typeset, "typeset", typeset)
    monkeypatch.setattr(manim, "MathTex", spy)
    cls = registry()[kind]
    render_segment_video(cls(cls.example_params()), [(b.name, 0.3) for b in cls.beats],
                         quality("l", (64, 36)), tmp_path / "out.mp4", dry_run=True)
    assert rehearsed, "the rehearsal found no formula"
    assert set(built) == set(rehearsed)


def test_typeset_compiles_in_parallel_and_the_real_pass_finds_the_cache(tmp_path: Path, monkeypatch) -> None:
    import manim

    from mmlanim.render.manim_config import manim_settings

    tag = uuid.uuid4().hex[:8]  # formulas no earlier run has cached
    formulas = [((rf"\text{{{tag}}}", rf"x_{{{n}}}"), {"font_size": 30}) for n in range(4)]
    formulas.append(formulas[0])  # a repeat is typeset once
    with manim_settings(quality("l", (64, 36)), tmp_path / "media"):
        calls = _spy_on_latex(monkeypatch)
        assert _typeset.typeset(formulas, workers=2) == 4
        assert len(calls) == 4 and all(name.startswith("latex") for name in calls)
        calls.clear()
        for parts, kwargs in formulas:
            tex = manim.MathTex(*parts, **kwargs)
            assert len(tex.submobjects) == 2  # the two parts, as typeset
        assert calls == []  # every formula came from the cache


def test_typeset_in_turn_is_left_to_the_real_pass() -> None:
    one = [((r"x",), {})]
    assert _typeset.typeset(one, workers=2) == 0  # a single formula: nothing to gain
    assert _typeset.typeset(one * 3, workers=1) == 0  # a single core: nothing to gain
