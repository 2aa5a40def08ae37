"""The scene that renders one segment: a visual's beats, each played as its cue begins."""

from __future__ import annotations

__all__ = ["SegmentScene", "SegmentScene3D", "scene_class_for"]

from collections.abc import Sequence
from typing import Any

import manim as mn

from .. import theme
from ..framing import beat_frames, step_frames
from ..visuals import RenderContext, Visual, _typeset
from ..visuals.context import BeatTime

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
    ``(n + 0.5) / fps`` (manim freezes ``floor(duration * fps)`` frames), so
    a beat of ``F`` frames takes exactly ``F``; a beat that would not is an
    error, caught by a dry run too.
    """

    def __init__(self, visual: Visual, beats: Sequence[tuple[str, float]], *, draw_text: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = RenderContext(draw_text=draw_text)
        self.visual = visual.bound(self.ctx)
        self.beat_plan = list(beats)

    def construct(self) -> None:
        fps = mn.config.frame_rate
        self.camera.background_color = theme.BACKGROUND  # type: ignore[union-attr]  # the Cairo camera
        # Typesetting: the visual's formulas, all in one LaTeX run.
        self.typeset_ahead()
        # Set-up: the visual builds its mobjects and adds the static ones.
        self.visual.setup(self)
        counts = beat_frames([seconds for _, seconds in self.beat_plan], round(fps))
        for names, frames in _slots([name for name, _ in self.beat_plan], counts):
            steps: list[Step] = []
            for name in names:  # a beat nothing is said on plays inside its neighbour's time
                self.ctx.beat = BeatTime(name, dict(self.beat_plan)[name])
                steps += [s if isinstance(s, tuple) else (s,) for s in self.visual.run_beat(name, self)]
            steps = _grouped(steps, frames)
            # The beat's animations, from its first frame, each at its natural length ...
            natural = [max(getattr(a, "run_time", 1.0) for a in step) for step in steps]
            parts, hold = step_frames(natural, frames, round(fps))
            for step, n in zip(steps, parts):
                self.play(*step, run_time=(n - 0.5) / fps)
            # ... then the picture holds still while the sentence finishes.
            if hold:
                self.wait((hold + 0.5) / fps)
            if sum(parts) + hold != frames:  # pragma: no cover - step_frames adds up by construction
                raise RuntimeError(f"beats {names} would last {sum(parts) + hold} frames, their narration {frames}")

    def typeset_ahead(self) -> int:
        """Rehearse the visual (a copy bound to a recording context, text off) to
        learn the formulas it will ask for, and typeset them together; return how
        many there were (0 when typesetting ahead is off, see :func:`_typeset.enabled`).

        Anything the rehearsal raises is ignored: the real pass meets it again.
        """
        if not self.ctx.draw_text or not _typeset.enabled():  # no formulas, or not ahead
            return 0
        rehearsal = RenderContext.rehearsal()
        understudy = self.visual.bound(rehearsal)
        try:
            understudy.setup(self)
            for name, _ in self.beat_plan:
                list(understudy.run_beat(name, self))
        except Exception:  # noqa: BLE001 - what was recorded is still worth typesetting
            pass
        self.clear()
        return _typeset.typeset(rehearsal.formulas or [])


class SegmentScene3D(SegmentScene, mn.ThreeDScene):
    """A :class:`SegmentScene` with manim's 3-D camera, for kinds that set ``three_d``.

    The visual's ``setup`` orients the camera (``scene.set_camera_orientation``), may
    start it orbiting (``scene.begin_ambient_camera_rotation``) and pins flat text to the
    screen (``scene.add_fixed_in_frame_mobjects``); see :mod:`mmlanim.visuals._space`.
    """


def scene_class_for(visual: Visual | type[Visual]) -> type[SegmentScene]:
    """The scene class that renders ``visual``: :class:`SegmentScene3D` for a 3-D kind."""
    return SegmentScene3D if visual.three_d else SegmentScene


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
