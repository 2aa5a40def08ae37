"""The scene that renders one segment: a visual's beats, each stretched to its time."""

from __future__ import annotations

__all__ = ["SegmentScene", "frames_for_steps"]

from collections.abc import Sequence
from typing import Any

import manim as mn

from .. import theme
from ..framing import beat_frames
from ..visuals import RenderContext, Visual, _typeset
from ..visuals.context import BeatTime

#: Seconds (at most a quarter of the beat) that the picture holds still at a beat's end.
HOLD_SECONDS = 0.4


def frames_for_steps(weights: Sequence[float], frames: int) -> list[int]:
    """Split ``frames`` among steps in proportion to ``weights``, at least one each.

    Largest-remainder rounding, so the parts add up to ``frames`` exactly
    (when ``frames >= len(weights)``).
    """
    n = len(weights)
    if n == 0:
        return []
    w = [max(float(x), 1e-6) for x in weights]
    total = sum(w)
    spare = max(frames - n, 0)
    raw = [x / total * spare for x in w]
    parts = [int(r) for r in raw]
    order = sorted(range(n), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [p + 1 for p in parts]


class SegmentScene(mn.Scene):
    """Plays ``visual``'s beats; beat ``i`` lasts ``durations[i]`` seconds.

    Beats get the frames :func:`~mmlanim.framing.beat_frames` gives
    them (the last one holds a little longer, to end on a whole AAC frame).
    Frame counts are exact: an animation of ``n`` frames is played with
    run time ``(n - 0.5) / fps`` (manim draws ``ceil(run_time * fps)`` frames)
    and a hold of ``n`` frames waits ``(n + 0.5) / fps`` (manim freezes
    ``floor(duration * fps)`` frames), so a beat of ``F`` frames takes exactly ``F``.
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
        for (name, seconds), frames in zip(self.beat_plan, counts):
            self.ctx.beat = BeatTime(name, seconds)
            steps = [s if isinstance(s, tuple) else (s,) for s in self.visual.run_beat(name, self)]
            hold = min(round(HOLD_SECONDS * fps), frames // 4) if steps else frames
            # The beat's animations, stretched to fill it.
            weights = [max(getattr(a, "run_time", 1.0) for a in step) for step in steps]
            for step, n in zip(steps, frames_for_steps(weights, frames - hold)):
                self.play(*step, run_time=(n - 0.5) / fps)
            # The picture holds still for the rest of the beat.
            if hold:
                self.wait((hold + 0.5) / fps)

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
