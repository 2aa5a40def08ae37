"""Cheaper mobject copies: what no copy ever changes is shared with the original, not deep-copied.

manim copies a mobject (``Mobject.copy``, a deep copy) every time an
animation begins: a transform copies its start and its target, a fade copies
the faded picture. A formula's glyphs each keep the parsed SVG path they were
built from (``path_obj``: a tree of small Python objects) and the LaTeX
template they were typeset with; copying those made up most of a copy's cost,
though neither is read again once the mobject is built (manim reads them in
``__init__`` only). :func:`share_built_inputs` makes copies share them, as
mobjects built from the same inputs do anyway; every attribute a picture is
drawn from (points, colours, submobjects...) is still copied deeply.
"""

from __future__ import annotations

__all__ = ["SHARED_ATTRIBUTES", "share_built_inputs"]

from typing import Any

#: Attributes manim reads only while building a mobject: a copy shares them with its original.
#: ``path_obj`` (a glyph's parsed SVG path), ``tex_template`` (LaTeX preamble), ``file_name`` (a path).
SHARED_ATTRIBUTES = ("path_obj", "tex_template", "file_name")


def share_built_inputs() -> None:
    """Make every deep copy of a manim ``Mobject`` share :data:`SHARED_ATTRIBUTES` with its original.

    Idempotent. The copy is otherwise manim's own (``Mobject.__deepcopy__``,
    which this wraps): seeding the copy's memo with the shared objects makes
    ``copy.deepcopy`` hand back the object itself wherever it meets them.
    """
    from manim import Mobject

    deepcopy = Mobject.__deepcopy__
    if getattr(deepcopy, "_shares_built_inputs", False):
        return

    def __deepcopy__(self: Any, memo: dict[int, Any]) -> Any:
        attributes = self.__dict__
        for name in SHARED_ATTRIBUTES:
            value = attributes.get(name)
            if value is not None:
                memo.setdefault(id(value), value)
        return deepcopy(self, memo)

    __deepcopy__._shares_built_inputs = True  # type: ignore[attr-defined]
    Mobject.__deepcopy__ = __deepcopy__  # type: ignore[method-assign,assignment]
