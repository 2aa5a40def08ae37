"""The ``summary`` visual: a lecture's closing card, its points appearing one by one as they are said."""

from __future__ import annotations

__all__ = ["SummaryCard"]

from typing import Any

from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from .base import Visual, VisualParams, beat
from .title import heading

#: The most points a card holds (one beat each: ``point_1`` ... ``point_6``).
MAX_POINTS = 6
#: Seconds the heading takes to write.
WRITE_SECONDS = 1.0


class SummaryCard(Visual, kind="summary"):
    """A closing card: a heading, a few short points and a line on what comes next.

    Each point appears on its own beat (``point_1``, ``point_2`` ...): give the
    sentence that states it the cue ``beat: point_N``, so the card fills in as
    the summary is said instead of standing still under it.
    """

    class Params(VisualParams):
        title: str = Field(..., min_length=1, description="The card's heading: the lecture's idea in a few words.")
        points: list[str] = Field(..., min_length=1, max_length=MAX_POINTS,
                                  description="Short phrases, one per idea, in the order they are said; "
                                              "point N appears on the beat `point_N`.")
        next: str | None = Field(None, description="A last line, on what comes next (shown on `show_next`).")

    params: Params
    example = {"title": "Add and scale",
               "points": ["A vector is a list of numbers and an arrow", "Add entry by entry, tip to tail",
                          "Scale by multiplying every entry"],
               "next": "Next: length, dot product and projection"}

    def setup(self, scene: Any) -> None:
        p, ctx = self.params, self.ctx
        safe_width = theme.FRAME_WIDTH - 2 * theme.SAFE_MARGIN
        safe_height = theme.FRAME_HEIGHT - 2 * theme.SAFE_MARGIN
        self.title, self.rule = heading(ctx, p.title, theme.TITLE_SIZE * 0.8)
        # The points hang from their tops at a fixed pitch, each bullet at its line's capital height:
        # lines with and without descenders sit evenly.
        cap = ctx.text("H", size=theme.TEXT_SIZE).height
        lines = [ctx.text(text, size=theme.TEXT_SIZE, color=theme.FOREGROUND) for text in p.points]
        pitch = max(line.height for line in lines) + 0.4
        self.items = []
        for k, words in enumerate(lines):
            top = -k * pitch
            words.shift([0.45 - words.get_left()[0], top - words.get_top()[1], 0])
            bullet = mn.Dot([0.15, top - cap / 2, 0], radius=0.07, color=theme.ACCENT)
            self.items.append(mn.VGroup(bullet, words))
        self.point_list = mn.VGroup(*self.items)
        if self.point_list.width > safe_width:
            self.point_list.scale_to_fit_width(safe_width)
        self.next = ctx.text(p.next or "", size=theme.TEXT_SIZE * 0.8, color=theme.MUTED)
        if self.next.width > safe_width:
            self.next.scale_to_fit_width(safe_width)
        parts = [mn.VGroup(self.title, self.rule), self.point_list, *([self.next] if p.next else [])]
        self.card = mn.VGroup(*parts).arrange(mn.DOWN, buff=0.6)
        if self.card.height > safe_height:
            self.card.scale_to_fit_height(safe_height)
        self.card.move_to(mn.ORIGIN)

    @beat("Write the heading and underline it.")
    def show_title(self, scene: Any):
        yield mn.Write(self.title, run_time=WRITE_SECONDS), mn.Create(self.rule, run_time=WRITE_SECONDS)

    def _point(self, n: int):
        if n <= len(self.items):
            yield mn.FadeIn(self.items[n - 1], shift=0.25 * mn.RIGHT)

    @beat("Show the first point.")
    def point_1(self, scene: Any):
        yield from self._point(1)

    @beat("Show the second point.")
    def point_2(self, scene: Any):
        yield from self._point(2)

    @beat("Show the third point.")
    def point_3(self, scene: Any):
        yield from self._point(3)

    @beat("Show the fourth point.")
    def point_4(self, scene: Any):
        yield from self._point(4)

    @beat("Show the fifth point.")
    def point_5(self, scene: Any):
        yield from self._point(5)

    @beat("Show the sixth point.")
    def point_6(self, scene: Any):
        yield from self._point(6)

    @beat("Show the line on what comes next.")
    def show_next(self, scene: Any):
        if self.params.next:
            yield mn.FadeIn(self.next, shift=0.2 * mn.UP)
