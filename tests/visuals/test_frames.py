"""Graphical regression: the last frame of each kind's example, without text, against stored control data.

In the manner of manim's ``frames_comparison``: a small render (160×90),
compared with ``control/<kind>.npz`` (uint8 RGB) within a tolerance, because
anti-aliasing may differ slightly between machines. Text is switched off
(``draw_text=False`` in the render context): fonts and LaTeX differ between machines, and the
numbers are checked exactly in test_values.py.

After an intended change of look, rewrite the control data with::

    pytest tests/visuals --regen-control      (or MMLANIM_REGEN_CONTROL=1 pytest ...)

and look at the frames before committing them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mmlanim.visuals import registry

CONTROL = Path(__file__).resolve().parent / "control"
SIZE = (160, 90)
#: A pixel "differs" when a channel is off by more than this.
PIXEL_TOLERANCE = 48
#: The test fails when more than this share of the pixels differ ...
MAX_DIFFERENT = 0.001
#: ... or when the mean absolute difference exceeds this.
MAX_MEAN_DIFFERENCE = 0.25

BUILTIN = sorted(k for k, cls in registry().items() if cls.plugin is None)


def render_last_frame(kind: str, folder: Path) -> np.ndarray:
    from PIL import Image

    from mmlanim.quality import quality
    from mmlanim.render.segment import render_last_frame

    cls = registry()[kind]
    out = render_last_frame(cls(cls.example_params()), quality("l", SIZE), folder / f"{kind}.png", draw_text=False)
    return np.asarray(Image.open(out).convert("RGB"), dtype=np.uint8)


def save_png(array: np.ndarray, path: Path) -> Path:
    from PIL import Image

    Image.fromarray(array).save(path)
    return path


@pytest.mark.render
@pytest.mark.parametrize("kind", BUILTIN)
def test_last_frame_matches_control(kind, tmp_path, regen_control):
    frame = render_last_frame(kind, tmp_path)
    assert frame.shape == (SIZE[1], SIZE[0], 3)
    control = CONTROL / f"{kind}.npz"
    if regen_control:
        CONTROL.mkdir(exist_ok=True)
        np.savez_compressed(control, frame=frame)
        return
    if not control.exists():
        pytest.fail(f"no control data for {kind!r}: run `pytest tests/visuals --regen-control` and "
                    f"look at the frame ({save_png(frame, tmp_path / f'{kind}-actual.png')})")
    expected = np.load(control)["frame"]
    assert expected.shape == frame.shape, f"control frame of {kind!r} has shape {expected.shape}"
    diff = np.abs(frame.astype(np.int16) - expected.astype(np.int16))
    different = float((diff.max(axis=2) > PIXEL_TOLERANCE).mean())
    mean = float(diff.mean())
    if different > MAX_DIFFERENT or mean > MAX_MEAN_DIFFERENCE:
        actual = save_png(frame, tmp_path / f"{kind}-actual.png")
        wanted = save_png(expected, tmp_path / f"{kind}-expected.png")
        heat = np.zeros_like(frame)
        heat[..., 0] = np.clip(diff.max(axis=2) * 4, 0, 255)
        heat[..., 1] = frame.mean(axis=2).astype(np.uint8) // 3
        diff_png = save_png(heat, tmp_path / f"{kind}-diff.png")
        pytest.fail(f"last frame of {kind!r} differs from the control data: {different:.2%} of pixels "
                    f"differ (allowed {MAX_DIFFERENT:.2%}), mean difference {mean:.2f} "
                    f"(allowed {MAX_MEAN_DIFFERENCE}).\nactual: {actual}\nexpected: {wanted}\n"
                    f"diff: {diff_png}\nIf the change is intended: pytest tests/visuals --regen-control")


def test_text_switch_removes_every_glyph():
    """With draw_text off, the context's helpers give invisible points: no Text or MathTex is built."""
    import manim as mn

    from mmlanim.visuals import RenderContext

    ctx = RenderContext(draw_text=False)
    plane = mn.NumberPlane(x_range=(-2, 2, 1), y_range=(-2, 2, 1))
    for mob in (ctx.label("x^2"), ctx.text("hello"), ctx.number(3.14), ctx.axis_numbers(plane)):
        assert not any(isinstance(m, (mn.MathTex, mn.Text, mn.DecimalNumber)) for m in mob.get_family())
        assert mob.width == 0 and mob.height == 0
