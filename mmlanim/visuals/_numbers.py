"""Numbers whose digits are cheap to make: manim's DecimalNumber, copying each glyph without its SVG
groups (imports manim).

manim typesets each character of a number (a digit, the minus sign, the point)
once per process and copies that glyph for every number shown, and again
every time a number changes value (``set_value``: a readout in an updater
does so every frame), then scales the copy to the number's font size. The
copy is a deep copy of everything the glyph holds, including the SVG's
groups (``id_to_vgroup_dict``, a second copy of the glyph, read only to
colour a formula by its TeX parts, which a number never is): with the parsed
path already shared (:data:`~mmlanim.render.copying.SHARED_ATTRIBUTES`),
the groups are about two thirds of a glyph's copy. :class:`LeanDecimal` and
:class:`LeanInteger` give each copy no groups, share what
:mod:`~mmlanim.render.copying` shares (whether or not its copy is installed),
and scale a character's glyph to a font size once, not every copy; the
points, style and class of every glyph are manim's, so the pixels are too.
"""

from __future__ import annotations

__all__ = ["LeanDecimal", "LeanInteger", "lean_copy"]

import copy
from typing import Any

from manim.mobject.text.numbers import DecimalNumber, Integer, string_to_mob_map
from manim.mobject.types.vectorized_mobject import VMobject

from ..render.copying import SHARED_ATTRIBUTES


def lean_copy(glyph: VMobject) -> VMobject:
    """A deep copy of a typeset ``glyph`` (and its family), sharing what construction alone read with it
    and holding no SVG groups."""
    memo: dict[int, Any] = {}
    for member in glyph.get_family():
        groups = member.__dict__.get("id_to_vgroup_dict")
        if groups is not None:
            memo[id(groups)] = {}
        for name in SHARED_ATTRIBUTES:
            value = member.__dict__.get(name)
            if value is not None:
                memo[id(value)] = value
    return copy.deepcopy(glyph, memo)


class _LeanGlyphs:
    """What :class:`LeanDecimal` and :class:`LeanInteger` change: how a character's glyph is copied."""

    def _string_to_mob(self, string: str, mob_class: type | None = None, **kwargs: Any) -> VMobject:
        size: float = self._font_size  # type: ignore[attr-defined]
        glyph = _SIZED.get((string, size))
        if glyph is None:
            # manim's own cache of typeset characters (keyed, as manim keys it, by the string alone)
            if string not in string_to_mob_map:
                make = mob_class or self.mob_class  # type: ignore[attr-defined]
                string_to_mob_map[string] = make(string, **kwargs)
            glyph = _SIZED[string, size] = lean_copy(string_to_mob_map[string])
            glyph.font_size = size  # type: ignore[attr-defined]  # scaled once per size, as manim scales each copy
        return lean_copy(glyph)


#: Each character's glyph at each font size asked for, copied for every number (this process's).
_SIZED: dict[tuple[str, float], VMobject] = {}


class LeanDecimal(_LeanGlyphs, DecimalNumber):
    """A :class:`~manim.DecimalNumber` whose digits are copied cheaply (see the module docstring)."""


class LeanInteger(_LeanGlyphs, Integer):
    """An :class:`~manim.Integer` whose digits are copied cheaply (see the module docstring)."""
