"""A plain fade played by scaling opacities (mmlanim.render.fading) draws manim's FadeIn's frames."""

from __future__ import annotations

import numpy as np
import pytest

mn = pytest.importorskip("manim")

from mmlanim.render.fading import OpacityFadeIn, opacity_fade_in  # noqa: E402


@pytest.fixture(autouse=True)
def _media(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)  # manim typesets into ./media


def _picture() -> mn.VGroup:
    """Strokes, fills, a translucent arrow, a formula and a plane: what lectures fade in."""
    arrow = mn.Arrow(mn.ORIGIN, [2.0, 1.0, 0.0], color=mn.YELLOW)
    arrow.set_opacity(0.55)
    disc = mn.Circle(color=mn.RED).set_fill(mn.BLUE, opacity=0.4)
    formula = mn.MathTex(r"A\mathbf{v} = \lambda\mathbf{v}").scale(1.5).to_edge(mn.UP)
    return mn.VGroup(mn.NumberPlane(x_range=[-4, 4, 1], y_range=[-2, 2, 1]), arrow, disc, formula)


def _frames(animation: mn.Animation, alphas: list[float]) -> list[np.ndarray]:
    camera = mn.Camera(pixel_width=320, pixel_height=180)
    animation.begin()
    frames = []
    for alpha in alphas:
        animation.interpolate(alpha)
        camera.reset()
        camera.capture_mobject(animation.mobject)
        frames.append(camera.pixel_array.astype(int))
    animation.finish()
    return frames


@pytest.mark.parametrize("lag_ratio", [0.0, 0.1])
def test_each_frame_is_manims_fade_in(lag_ratio: float) -> None:
    alphas = [0.0, 0.15, 0.5, 0.8, 1.0]
    ours = _frames(opacity_fade_in(mn.FadeIn(_picture(), lag_ratio=lag_ratio)), alphas)
    manims = _frames(mn.FadeIn(_picture(), lag_ratio=lag_ratio), alphas)
    assert not ours[0][..., :3].any() and ours[-1][..., :3].any()  # it did fade in
    assert not np.array_equal(ours[1], ours[2])
    for alpha, a, b in zip(alphas, ours, manims):
        difference = np.abs(a - b)
        # manim's frames interpolate between a copy and a faded copy: equal to rounding, a level at most
        assert difference.max() <= 1, alpha
        assert difference.mean() < 1e-3, alpha


def test_it_copies_nothing_and_ends_on_the_very_colours_it_began_with(monkeypatch: pytest.MonkeyPatch) -> None:
    picture = _picture()
    before = [(m.fill_rgbas.copy(), m.stroke_rgbas.copy(), m.background_stroke_rgbas.copy(), m.points.copy())
              for m in picture.family_members_with_points()]
    copies = []
    copy = mn.Mobject.copy
    monkeypatch.setattr(mn.Mobject, "copy", lambda self, *a, **k: copies.append(self) or copy(self, *a, **k))
    fade = opacity_fade_in(mn.FadeIn(picture, run_time=2.0, rate_func=mn.linear, lag_ratio=0.2))
    assert isinstance(fade, OpacityFadeIn) and fade.run_time == 2.0 and fade.lag_ratio == 0.2
    assert fade.rate_func is mn.linear
    fade.begin()
    fade.interpolate(0.4)
    members = picture.family_members_with_points()
    halfway = [max(m.stroke_rgbas[:, 3].max(), m.fill_rgbas[:, 3].max()) for m in members]
    fade.finish()
    assert copies == []
    full = [max(stroke[:, 3].max(), fill[:, 3].max()) for fill, stroke, *_ in before]
    # with a lag, the first members are in, the last not begun, and some are on their way
    assert halfway[0] == full[0] > 0 and halfway[-1] == 0.0 < full[-1]
    assert any(0.0 < h < f for h, f in zip(halfway, full))
    for member, colours in zip(picture.family_members_with_points(), before):
        for now, then in zip((member.fill_rgbas, member.stroke_rgbas, member.background_stroke_rgbas,
                              member.points), colours):
            np.testing.assert_array_equal(now, then)


@pytest.mark.parametrize("make", [
    lambda: mn.FadeIn(mn.Square(), shift=mn.UP),
    lambda: mn.FadeIn(mn.Square(), scale=0.5),
    lambda: mn.FadeIn(mn.Square(), target_position=mn.LEFT),
    lambda: mn.FadeOut(mn.Square()),
    lambda: mn.Create(mn.Square()),
    lambda: mn.FadeIn(mn.Group(mn.Square(), mn.Mobject())),
], ids=["shift", "scale", "target", "fade-out", "create", "not-vectorized"])
def test_anything_but_a_plain_fade_in_of_vectorized_mobjects_is_left_to_manim(make) -> None:  # noqa: ANN001
    animation = make()
    assert opacity_fade_in(animation) is animation


def test_a_segment_plays_a_visuals_fades_this_way(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    from mmlanim.quality import quality
    from mmlanim.render import scene as scenes
    from mmlanim.render.segment import render_segment_video
    from mmlanim.visuals import registry

    played: list[str] = []
    play = scenes.SegmentScene.play
    monkeypatch.setattr(scenes.SegmentScene, "play",
                        lambda self, *a, **k: played.extend(type(x).__name__ for x in a) or play(self, *a, **k))
    cls = registry()["gradient_descent"]
    visual = cls(cls.example_params())
    beats = [(name, 1.0) for name in cls.beat_names()]
    render_segment_video(visual, beats, quality("l"), tmp_path / "s.mp4", dry_run=True, draw_text=False)
    assert "OpacityFadeIn" in played


def test_a_member_rebuilt_while_the_fade_lasts_fades_in_with_the_rest() -> None:
    old, new = mn.Square(color=mn.RED), mn.Circle(color=mn.GREEN).set_stroke(opacity=0.8)
    picture = mn.VGroup(mn.Triangle(), old)
    fade = opacity_fade_in(mn.FadeIn(picture, rate_func=mn.linear))
    fade.begin()
    fade.interpolate(0.3)
    picture.submobjects[1] = new  # another animation of the step rebuilt this part (as a number's digits are)
    fade.interpolate(0.6)
    assert new.get_stroke_opacity() == pytest.approx(0.6 * 0.8)
    assert picture[0].get_stroke_opacity() == pytest.approx(0.6)
    fade.finish()
    assert new.get_stroke_opacity() == 0.8 and picture[0].get_stroke_opacity() == 1.0
    assert old.get_stroke_opacity() == pytest.approx(0.3)  # left where it was when it left the picture
