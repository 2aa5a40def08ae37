"""The ``title`` visual: a title card with the course and the lecture title."""

from __future__ import annotations

__all__ = ["TitleCard", "heading"]

from typing import Any

from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from .base import Visual, VisualParams, beat

#: Seconds the title takes to write (manim's Write takes up to 2 s for a long title).
WRITE_SECONDS = 1.2


def heading(ctx: Any, text: str, size: float) -> tuple[Any, Any]:
    """A bold title of ``text`` in the theme's font, fitted to the safe width, and the accent rule
    under it (three fifths of its width): the head of the title card and of the summary card."""
    max_width = theme.FRAME_WIDTH - 2 * theme.SAFE_MARGIN
    title = ctx.text(text, size=size, color=theme.FOREGROUND, weight=mn.BOLD)
    if title.width > max_width:
        title.scale_to_fit_width(max_width)
    rule = mn.Line(mn.LEFT, mn.RIGHT, color=theme.ACCENT, stroke_width=4)
    rule.scale_to_fit_width(title.width * 0.6 or 4.0)
    rule.next_to(title, mn.DOWN, buff=0.35)
    return title, rule


class TitleCard(Visual, kind="title"):
    """A title card: the course name above the lecture title, and an optional subtitle.

    Texts left empty are taken from the lecture (``title:`` and ``course:``).
    """

    class Params(VisualParams):
        title: str | None = Field(None, description="The big title (default: the lecture's title).")
        course: str | None = Field(None, description="The line above it (default: the lecture's course).")
        subtitle: str | None = Field(None, description="A smaller line under the title.")

    params: Params
    example = {"title": "Changing basis", "course": "Linear Algebra",
               "subtitle": "Mathematics for Machine Learning"}

    def setup(self, scene: Any) -> None:
        p, ctx = self.params, self.context
        title = p.title or ctx.lecture_title or ctx.segment_title or ""
        course = p.course if p.course is not None else ctx.course
        max_width = theme.FRAME_WIDTH - 2 * theme.SAFE_MARGIN
        self.title, self.rule = heading(self.ctx, title, theme.TITLE_SIZE)
        self.course = self.ctx.text(course or "", size=theme.TEXT_SIZE, color=theme.ACCENT)
        self.course.next_to(self.title, mn.UP, buff=0.5)
        self.subtitle = self.ctx.text(p.subtitle or "", size=theme.TEXT_SIZE, color=theme.MUTED)
        self.subtitle.next_to(self.rule, mn.DOWN, buff=0.4)
        for line in (self.course, self.subtitle):
            if line.width > max_width:
                line.scale_to_fit_width(max_width)
        mn.VGroup(self.course, self.title, self.rule, self.subtitle).move_to(mn.ORIGIN)

    @beat("Write the course and the title.")
    def show_title(self, scene: Any):
        # Together and brisk: the title is on screen while its first sentence is still being said.
        write = mn.Write(self.title, run_time=WRITE_SECONDS)
        if self.params.course is not None or self.context.course:
            yield mn.FadeIn(self.course, shift=0.3 * mn.DOWN, run_time=WRITE_SECONDS), write
        else:
            yield write

    @beat("Underline the title and show the subtitle.")
    def show_subtitle(self, scene: Any):
        if self.params.subtitle:
            yield mn.Create(self.rule), mn.FadeIn(self.subtitle, shift=0.3 * mn.UP)
        else:
            yield mn.Create(self.rule)
