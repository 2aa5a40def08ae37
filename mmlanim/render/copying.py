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

The copy is also done with less machinery than ``copy.deepcopy`` uses for
every attribute (a mobject has some forty, and a plane or formula thousands
of mobjects): values deep copy would return as they are (numbers, strings,
None, enum members, numpy scalars) are assigned, and plain numeric arrays and
empty lists are copied directly (each once, through the memo, so what two
attributes share stays shared in the copy);
everything else goes through ``copy.deepcopy`` as manim's own copy does.
"""

from __future__ import annotations

__all__ = ["SHARED_ATTRIBUTES", "share_built_inputs"]

import copy
import enum
from typing import Any

import numpy as np

#: Attributes manim reads only while building a mobject: a copy shares them with its original.
#: ``path_obj`` (a glyph's parsed SVG path), ``tex_template`` (LaTeX preamble), ``file_name`` (a path).
SHARED_ATTRIBUTES = ("path_obj", "tex_template", "file_name")

#: Per type: whether its values are assigned to a copy as they are (``copy.deepcopy`` returns
#: numbers, strings, None and enum members as they are; numpy scalars are immutable).
_ATOMIC: dict[type, bool] = dict.fromkeys((type(None), bool, int, float, complex, str, bytes), True)


def _atomic(kind: type) -> bool:
    known = _ATOMIC.get(kind)
    if known is None:
        known = _ATOMIC[kind] = issubclass(kind, (enum.Enum, np.generic))
    return known


def share_built_inputs() -> None:
    """Make every deep copy of a manim ``Mobject`` share :data:`SHARED_ATTRIBUTES` with its original.

    Idempotent. The copy is otherwise manim's own (``Mobject.__deepcopy__``,
    which this wraps): seeding the copy's memo with the shared objects makes
    ``copy.deepcopy`` hand back the object itself wherever it meets them.
    """
    from manim import Mobject

    if getattr(Mobject.__deepcopy__, "_shares_built_inputs", False):
        return

    def __deepcopy__(self: Any, memo: dict[int, Any]) -> Any:
        # manim's Mobject.__deepcopy__, attribute by attribute, with the shortcuts above.
        attributes = self.__dict__
        for name in SHARED_ATTRIBUTES:
            value = attributes.get(name)
            if value is not None:
                memo.setdefault(id(value), value)
        cls = self.__class__
        result = cls.__new__(cls)
        memo[id(self)] = result
        for name, value in attributes.items():
            kind = type(value)
            if _atomic(kind):
                setattr(result, name, value)
            elif (kind is np.ndarray and not value.dtype.hasobject) or (kind is list and not value):
                copied = memo.get(id(value))
                if copied is None:
                    copied = memo[id(value)] = value.copy(order="K") if kind is np.ndarray else []
                    copy._keep_alive(value, memo)  # type: ignore[attr-defined]  # as deepcopy does
                setattr(result, name, copied)
            else:
                setattr(result, name, copy.deepcopy(value, memo))
        result.original_id = str(id(self))
        return result

    __deepcopy__._shares_built_inputs = True  # type: ignore[attr-defined]
    __deepcopy__.manims = Mobject.__deepcopy__  # type: ignore[attr-defined]  # manim's own, for comparison
    Mobject.__deepcopy__ = __deepcopy__  # type: ignore[method-assign,assignment]
