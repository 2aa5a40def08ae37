"""Numbers whose digits are cheap to make: manim's DecimalNumber, copying each glyph without its SVG
parse tree (imports manim).

manim typesets each character of a number (a digit, the minus sign, the point)
once per process and copies that glyph for every number shown, and again
every time a number changes value (``set_value``: a readout in an updater
does so every frame). The copy is a deep copy of everything the glyph
holds, including what only its construction needed: the parsed SVG path
(``path_obj``, a tree of segment objects) and the SVG's groups
(``id_to_vgroup_dict``, a second copy of the glyph). Copying those is about
five sixths of the cost. :class:`LeanDecimal` and :class:`LeanInteger`
share the parsed path between copies (nothing reads it after construction)
and give each copy no groups, and they scale a character's glyph to a font
size once, not every copy; the points, style and class of every glyph are
manim's, so the pixels are too.
"""

from __future__ import annotations

__all__ = ["LeanDecimal", "LeanInteger", "lean_copy"]

import copy
from typing import Any

from manim.mobject.text.numbers import DecimalNumber, Integer, string_to_mob_map
from manim.mobject.types.vectorized_mobject import VMobject


def lean_copy(glyph: VMobject) -> VMobject:
    """A deep copy of a typeset ``glyph`` (and its family), sharing the parsed SVG paths with it and
    holding no SVG groups."""
    memo: dict[int, Any] = {}
    for member in glyph.get_family():
        groups = member.__dict__.get("id_to_vgroup_dict")
        if groups is not None:
            memo[id(groups)] = {}
        path = member.__dict__.get("path_obj")
        if path is not None:
            memo[id(path)] = path
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
