"""What a visual draws with: the render context the scene hands in.

A visual never reads module globals to learn how it is being drawn. The
scene binds it to a :class:`RenderContext` (:meth:`Visual.bound
<mmlanim.visuals.base.Visual.bound>`), and the visual makes every piece of
text through the context's :meth:`~RenderContext.label`,
:meth:`~RenderContext.number`, :meth:`~RenderContext.text` and
:meth:`~RenderContext.axis_numbers`. The context says

- whether text is drawn at all (``draw_text``: the graphical tests turn it
  off, since fonts and LaTeX differ between machines; off, the helpers
  return invisible points);
- where formulas are recorded (``formulas``: a rehearsal collects what the
  visual will typeset, so that they are typeset together ahead of time);
- the timing of the beat being played (``beat``), set by the scene.

Importing this module never imports manim.
"""

from __future__ import annotations

__all__ = ["DIGITS", "BeatTime", "Formula", "RenderContext"]

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import theme
from .._lazy import manim as mn

#: A formula as MathTex is asked for it: its positional parts and keyword arguments.
Formula = tuple[tuple[str, ...], dict[str, Any]]


@dataclass(frozen=True)
class BeatTime:
    """The beat being played: its name and the seconds the narration gives it."""

    name: str
    seconds: float


@dataclass
class RenderContext:
    """How a visual is being drawn (see the module docstring).

    Attributes
    ----------
    draw_text : bool
        Draw text, labels and formulas (False: invisible placeholders).
    formulas : list of Formula or None
        When a list, every formula asked for is appended to it (a rehearsal).
    beat : BeatTime or None
        The beat the scene is playing, if any.
    """

    draw_text: bool = True
    formulas: list[Formula] | None = None
    beat: BeatTime | None = field(default=None)

    @classmethod
    def rehearsal(cls) -> RenderContext:
        """A context that draws no text and records the formulas asked for."""
        return cls(draw_text=False, formulas=[])

    # -- text --------------------------------------------------------------------
    def label(self, tex: str | Sequence[str], *, color: str = theme.FOREGROUND,
              size: float = theme.LABEL_SIZE, **kwargs: Any) -> Any:
        """A MathTex of ``tex`` (a string, or a list of MathTex's parts), recorded when rehearsing."""
        parts = [tex] if isinstance(tex, str) else list(tex)
        if self.formulas is not None:
            self.formulas.append((tuple(parts), dict(color=color, font_size=size, **kwargs)))
        if not self.draw_text:
            return _placeholder()
        return mn.MathTex(*parts, color=color, font_size=size, **kwargs)

    def number(self, value: float, decimals: int = 2, *, color: str = theme.FOREGROUND,
               size: float = theme.LABEL_SIZE) -> Any:
        """A DecimalNumber (its digits typeset once per process and copied cheaply, so a number
        that changes value every step is cheap and changes in place)."""
        self._note_digits(decimals)
        if not self.draw_text:
            return _placeholder()
        from ._numbers import LeanDecimal, LeanInteger

        if decimals == 0:
            return LeanInteger(int(round(value)), color=color, font_size=size, group_with_commas=False)
        return LeanDecimal(float(value), num_decimal_places=decimals, color=color, font_size=size,
                           group_with_commas=False)

    def _note_digits(self, decimals: int) -> None:
        """When rehearsing, record the characters a number may show as it changes value: manim
        typesets each digit, the minus sign and the point as a formula of its own."""
        if self.formulas is not None:
            self.formulas.extend(((c,), {}) for c in DIGITS + ("." if decimals else ""))

    def text(self, s: str, *, color: str = theme.FOREGROUND, size: float = theme.TEXT_SIZE,
             **kwargs: Any) -> Any:
        """A Text in the theme's font (plain text, not LaTeX)."""
        if not self.draw_text or not s:
            return _placeholder()
        return mn.Text(s, font=theme.FONT, color=color, font_size=size, **kwargs)

    def axis_numbers(self, plane: Any, *, every: int = 1, size: float = theme.SMALL_SIZE) -> Any:
        """Tick numbers along the bottom and left edges of ``plane`` (a NumberPlane or Axes).

        Built from DecimalNumber digits (typeset once per process), not one
        MathTex per tick.
        """
        group = mn.VGroup()
        self._note_digits(max(_decimals(plane.x_range[2]), _decimals(plane.y_range[2])))
        if not self.draw_text:
            return group
        (x0, x1, xs), (y0, y1, ys) = plane.x_range, plane.y_range
        for x in _ticks(x0, x1, xs, every):
            if x0 < x < x1 and not math.isclose(x, x0):
                lab = self.number(x, _decimals(xs), color=theme.MUTED, size=size)
                lab.next_to(plane.c2p(x, y0), mn.DOWN, buff=0.12)
                group.add(lab)
        for y in _ticks(y0, y1, ys, every):
            if y0 < y < y1 and not math.isclose(y, y0):
                lab = self.number(y, _decimals(ys), color=theme.MUTED, size=size)
                lab.next_to(plane.c2p(x0, y), mn.LEFT, buff=0.12)
                group.add(lab)
        return group


#: The characters of any number :meth:`RenderContext.number` shows without a point.
DIGITS = "0123456789-"


def _placeholder() -> Any:
    return mn.VGroup(mn.VectorizedPoint())


def _ticks(lo: float, hi: float, step: float, every: int) -> np.ndarray:
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return np.asarray(np.arange(first, last + 1)[::every] * step)


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
