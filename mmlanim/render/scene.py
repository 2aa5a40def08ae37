"""The scene that renders one segment: a visual's beats, each played as its cue begins."""

from __future__ import annotations

__all__ = ["SegmentScene", "SegmentScene3D", "rebuild", "scene_class_for"]

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import manim as mn

from .. import theme
from ..framing import beat_frames, step_frames
from ..visuals import RenderContext, Visual, _typeset
from ..visuals.context import BeatTime
from .bounds import numpy_boundaries
from .copying import share_built_inputs
from .fading import opacity_fade_in
from .family import plain_families
from .paths import plain_float_paths
from .subpaths import vectorised_subpaths
from .svgcache import keep_parsed_svgs

Step = tuple[Any, ...]  # animations played together


class SegmentScene(mn.Scene):
    """Plays ``visual``'s beats; beat ``i`` lasts ``durations[i]`` seconds.

    Beats get the frames :func:`~mmlanim.framing.beat_frames` gives them
    (the last one holds a little longer, to end on a whole AAC frame). A
    beat starts as its cue's first word is spoken: its steps play at their
    natural length from that frame, and the picture holds still while the
    sentence finishes (:func:`~mmlanim.framing.step_frames`); steps that
    outlast the beat are squeezed into it, and more steps than frames play
    in groups. Frame counts are exact: an animation of ``n`` frames is
    played with run time ``(n - 0.5) / fps`` (manim draws
    ``ceil(run_time * fps)`` frames) and a hold of ``n`` frames waits
    ``(n + 0.5) / fps`` (manim freezes ``floor(duration * fps)`` frames; see
    :meth:`hold_frames` for a hold while something moves on its own), so
    a beat of ``F`` frames takes exactly ``F``; a beat that would not is an
    error, caught by a dry run too.
    """

    def __init__(self, visual: Visual, beats: Sequence[tuple[str, float]], *, draw_text: bool = True,
                 run_times: Mapping[str, float] | None = None,
                 emphasis: Mapping[str, Sequence[str]] | None = None, **kwargs: Any) -> None:
        share_built_inputs()  # animations copy mobjects as they begin: make the copies cheaper
        plain_float_paths()  # and every frame outlines each moving mobject: make that cheaper too
        numpy_boundaries()  # and bounding boxes (placing things; shading 3-D axes in every frame)
        keep_parsed_svgs()  # and a formula's glyphs are read back, not parsed again, in every process
        plain_families()  # and families, listed many times a frame, are listed without generators
        vectorised_subpaths()  # and paths aligned for a transform (or a redraw) are split all at once
        super().__init__(**kwargs)
        self.ctx = RenderContext(draw_text=draw_text)
        self.visual = visual.bound(self.ctx)
        self.beat_plan = list(beats)
        self.run_times = dict(run_times or {})
        self.emphasis = {beat: list(names) for beat, names in (emphasis or {}).items()}

    def construct(self) -> None:
        fps = mn.config.frame_rate
        self.camera.background_color = theme.BACKGROUND  # type: ignore[union-attr]  # the Cairo camera
        # Typesetting: the visual's formulas, all in one LaTeX run.
        self.typeset_ahead()
        # The opening: the picture the segment before ended on, to fade out as this one draws in.
        opening = self.opening_picture()
        # Set-up: the visual builds its mobjects and adds the static ones (under the old picture).
        self.visual.setup(self)
        if opening:
            self.bring_to_front(*opening)
        counts = beat_frames([seconds for _, seconds in self.beat_plan], round(fps))
        first_cued = next((i for i, n in enumerate(counts) if n), len(counts))
        leading = {name for name, _ in self.beat_plan[:first_cued]}
        for k, (names, frames) in enumerate(_slots([name for name, _ in self.beat_plan], counts)):
            steps: list[Step] = []
            for name in names:  # a beat nothing is said on plays inside its neighbour's time
                self.ctx.beat = BeatTime(name, dict(self.beat_plan)[name])
                beat_steps = [tuple(map(opacity_fade_in, s)) if isinstance(s, tuple) else (opacity_fade_in(s),)
                              for s in self.visual.run_beat(name, self)]
                if name in leading:  # uncued beats before the first cue: a quick draw-in
                    beat_steps = _together(beat_steps, LEAD_IN)
                elif name in self.run_times:  # the cue sets how long its beat's animation takes
                    beat_steps = _stretched(beat_steps, self.run_times[name])
                steps += beat_steps
                pointed = [m for m in map(self.visual.target, self.emphasis.get(name, ())) if m is not None]
                if pointed:  # what the cue points at, once drawn, gently indicated
                    steps.append(tuple(_emphasised(m) for m in pointed))
            if k == 0 and opening:  # cross-fade: the old picture leaves as the first step plays
                fade = mn.FadeOut(mn.Group(*opening), run_time=FADE)
                steps = [(*steps[0], fade), *steps[1:]] if steps else [(fade,)]
            steps = _grouped(steps, frames)
            # The beat's animations, from its first frame, each at its natural length ...
            natural = [max(getattr(a, "run_time", 1.0) for a in step) for step in steps]
            parts, hold = step_frames(natural, frames, round(fps))
            for step, n in zip(steps, parts):
                self.play(*step, run_time=(n - 0.5) / fps)
            # ... then the picture holds still while the sentence finishes.
            if hold:
                self.hold_frames(hold, fps)
            if sum(parts) + hold != frames:  # pragma: no cover - step_frames adds up by construction
                raise RuntimeError(f"beats {names} would last {sum(parts) + hold} frames, their narration {frames}")

    def hold_frames(self, frames: int, fps: float) -> None:
        """Hold for exactly ``frames`` frames: a still picture, or, while something keeps moving on its
        own (an orbiting camera, an updater), frames drawn as time passes.

        manim freezes ``floor(duration * fps)`` frames of a still picture but draws
        ``ceil(duration * fps)`` of a moving one, hence the two durations.
        """
        moving = self.always_update_mobjects or self.updaters or any(
            m.has_time_based_updater() for m in self.get_mobject_family_members())
        if moving:
            self.wait((frames - 0.5) / fps, frozen_frame=False)
        else:
            self.wait((frames + 0.5) / fps, frozen_frame=True)

    def opening_picture(self) -> list[mn.Mobject]:
        """Rebuild the picture the segment before ended on (:attr:`VisualContext.opening`), at once,
        and return what is on screen; nothing when there is no opening, when either segment is 3-D,
        or when rebuilding it fails (the segment then opens on a blank frame)."""
        before = _opening_visual(self.visual, self.ctx.draw_text)
        if before is None:
            return []
        try:
            rebuild(self, before, _opening_beats(self.visual))
        except Exception as exc:  # noqa: BLE001 - a picture to fade from is a nicety, never a failure
            logging.getLogger("mmlanim").warning("the segment before's last picture could not be rebuilt "
                                                 "to fade from (%s: %s); opening on a blank frame",
                                                 type(exc).__name__, exc)
            self.clear()
            return []
        if self.visual.context.continues:  # this segment draws the same background: keep it, fade the rest
            self.remove(*before.background_mobjects())
        return list(self.mobjects)

    def typeset_ahead(self) -> int:
        """Rehearse the visual (a copy bound to a recording context, text off) to
        learn the formulas it will ask for, and typeset them together; return how
        many there were (0 when typesetting ahead is off, see :func:`_typeset.enabled`).

        A rehearsal's formulas are remembered (:func:`_typeset.remember`): a segment
        rendered again reads them instead of rehearsing. Anything the rehearsal
        raises is ignored: the real pass meets it again.
        """
        if not self.ctx.draw_text or not _typeset.enabled():  # no formulas, or not ahead
            return 0
        key = _typeset.rehearsal_key(self.visual, [name for name, _ in self.beat_plan])
        formulas = _typeset.remembered(key)
        if formulas is None:
            formulas = self._rehearse()
            _typeset.remember(key, formulas)
        return _typeset.typeset(formulas)

    def _rehearse(self) -> list[Any]:
        """The formulas the visual (and the picture faded out at the start) asks for, in order."""
        rehearsal = RenderContext.rehearsal()
        understudy = self.visual.bound(rehearsal)
        try:
            understudy.setup(self)
            for name, _ in self.beat_plan:
                list(understudy.run_beat(name, self))
        except Exception:  # noqa: BLE001 - what was recorded is still worth typesetting
            pass
        before = _opening_visual(self.visual, True)
        if before is not None:  # the picture faded out at the start has formulas too
            before = before.bound(rehearsal)
            try:
                before.setup(self)
                for name in _opening_beats(self.visual):
                    list(before.run_beat(name, self))
            except Exception:  # noqa: BLE001
                pass
        self.clear()
        return list(rehearsal.formulas or [])


class SegmentScene3D(SegmentScene, mn.ThreeDScene):
    """A :class:`SegmentScene` with manim's 3-D camera, for kinds that set ``three_d``.

    The visual's ``setup`` orients the camera (``scene.set_camera_orientation``), may
    start it orbiting (``scene.begin_ambient_camera_rotation``) and pins flat text to the
    screen (``scene.add_fixed_in_frame_mobjects``); see :mod:`mmlanim.visuals._space`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from ..visuals._space import SpaceCamera

        kwargs.setdefault("camera_class", SpaceCamera)  # a render hands in its renderer; this is for eject
        super().__init__(*args, **kwargs)


def scene_class_for(visual: Visual | type[Visual]) -> type[SegmentScene]:
    """The scene class that renders ``visual``: :class:`SegmentScene3D` for a 3-D kind."""
    return SegmentScene3D if visual.three_d else SegmentScene


#: Seconds the uncued beats before a segment's first cue take, together (a quick draw-in), and the
#: cross-fade from the segment before.
LEAD_IN = 0.6
FADE = 0.6


def _opening_visual(visual: Visual, draw_text: bool) -> Visual | None:
    """The visual of the segment before ``visual``'s (from its context's opening), bound to a fresh
    render context; None when there is none or either of the two is 3-D."""
    from ..visuals import VisualContext, registry

    if not visual.context.opening:
        return None
    data = json.loads(visual.context.opening)
    cls = registry().get(data["visual"]["kind"])
    if cls is None or cls.three_d or visual.three_d:
        # A 3-D picture would be redrawn under the new segment's camera, a visible jump: 3-D segments
        # open on their own picture, and a flat segment after a 3-D one on a blank frame.
        return None
    ctx = visual.context
    context = VisualContext(base_dir=ctx.base_dir, lecture_title=ctx.lecture_title, course=ctx.course,
                            segment_title=data["title"], continues=data["continues"],
                            beats=tuple(data["beats"]))
    return cls(cls.model.model_validate(data["visual"]), context).bound(RenderContext(draw_text=draw_text))


def rebuild(scene: mn.Scene, visual: Visual, beats: Sequence[str]) -> None:
    """Put ``visual``'s picture after ``beats`` on ``scene`` at once (set up, every step finished, no
    frame drawn): the picture a segment ended on."""
    visual.setup(scene)
    for name in beats:
        visual.ctx.beat = BeatTime(name, 1.0)
        for step in visual.run_beat(name, scene):
            for animation in step if isinstance(step, tuple) else (step,):
                _finish_at_once(scene, animation)


def _opening_beats(visual: Visual) -> list[str]:
    return list(json.loads(visual.context.opening or "{}").get("beats", []))


def _finish_at_once(scene: mn.Scene, animation: Any) -> None:
    """Apply ``animation``'s end state to ``scene`` without drawing a frame (what ``play`` does, minus
    the frames). An animation that only draws its mobject in (:func:`_draws_in_only`) ends on the
    mobject as it stands: it is added, and the copies and interpolation of its frames are skipped."""
    from manim.animation.animation import prepare_animation

    animation = prepare_animation(animation)  # ``mobject.animate...`` builders too, as ``play`` takes them
    scene.add_mobjects_from_animations([animation])
    animation._setup_scene(scene)
    if not _draws_in_only(animation):
        animation.begin()
        animation.finish()
    animation.clean_up_from_scene(scene)


def _draws_in_only(animation: Any) -> bool:
    """Whether ``animation`` is one of manim's own that draw a mobject in and end on it as it was (its
    last frame interpolates to the original's values, to a rounding's trace of 1e-16), and nothing in
    the mobject updates itself (finishing an animation runs a mobject's updaters)."""
    return (type(animation) in _DRAW_INS and animation.is_introducer() and not animation.is_remover()
            and not animation.mobject.get_family_updaters())


#: manim's introducers whose last frame is the mobject as it was handed in (fade, draw, write, grow).
_DRAW_INS = frozenset({mn.FadeIn, mn.Create, mn.Write, mn.DrawBorderThenFill, mn.GrowArrow, mn.GrowFromCenter,
                       mn.GrowFromPoint, mn.GrowFromEdge})


def _emphasised(mobject: mn.Mobject) -> mn.Animation:
    """A gentle pointer at ``mobject``: a formula or number briefly grows and takes the accent colour;
    any other object is circled by a line drawn round it that then fades."""
    if isinstance(mobject, (mn.SingleStringMathTex, mn.Text, mn.DecimalNumber)) or (
            isinstance(mobject, mn.VGroup) and mobject.submobjects
            and all(isinstance(m, (mn.SingleStringMathTex, mn.Text)) for m in mobject.submobjects)):
        return mn.Indicate(mobject, color=theme.ACCENT, scale_factor=1.12, run_time=1.0)
    return mn.Circumscribe(mobject, color=theme.ACCENT, buff=0.12, stroke_width=3, fade_out=True, run_time=1.0)


def _together(steps: list[Step], seconds: float) -> list[Step]:
    """``steps`` played all at once, in ``seconds``."""
    animations = [a for step in steps for a in step]
    return [(mn.AnimationGroup(*animations, run_time=seconds),)] if animations else []


def _stretched(steps: list[Step], seconds: float) -> list[Step]:
    """``steps`` with their run times scaled so that, played one after another, they last ``seconds``."""
    natural = sum(max(getattr(a, "run_time", 1.0) for a in step) for step in steps)
    if not natural:
        return steps
    factor = seconds / natural
    for step in steps:
        for animation in step:
            animation.run_time = getattr(animation, "run_time", 1.0) * factor
    return steps


def _grouped(steps: list[Step], frames: int) -> list[Step]:
    """``steps``, or, when there are more steps than ``frames``, consecutive steps played in
    succession within one step each, so that every step gets a frame."""
    if len(steps) <= frames:
        return steps
    size = -(-len(steps) // frames)
    return [(mn.Succession(*(mn.AnimationGroup(*step) for step in steps[i:i + size])),)
            for i in range(0, len(steps), size)]


def _slots(names: list[str], frames: list[int]) -> list[tuple[list[str], int]]:
    """Beats with their frames, those of no frames joined to a neighbour: after the
    beat before them, or, at the start, before the first beat that lasts."""
    slots: list[tuple[list[str], int]] = []
    leading: list[str] = []
    for name, count in zip(names, frames):
        if count == 0:
            (slots[-1][0] if slots else leading).append(name)
        else:
            slots.append(([*leading, name], count))
            leading = []
    return slots
