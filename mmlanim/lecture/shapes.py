"""Shape and type errors told in a field's own terms.

Pydantic says ``List should have at most 2 items after validation, not 3``,
once per row. :func:`shape_message` says instead what the field holds and
what is wrong with the value written, e.g. ``basis needs two 2-D vectors
[x, y], like [[2, 1], [-1, 1]]; this row has 3 numbers``; the loader reports
one such message per field and kind of mistake.
"""

from __future__ import annotations

__all__ = ["SHAPE_ERRORS", "describe", "shape_message", "strip_annotated"]

import json
import types
import typing
from typing import Any

import annotated_types
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

#: Pydantic error types that :func:`shape_message` words in the field's terms.
SHAPE_ERRORS = frozenset({"too_short", "too_long", "list_type", "float_parsing", "float_type",
                          "int_parsing", "int_type", "int_from_float"})

_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def strip_annotated(t: Any) -> tuple[Any, list[Any]]:
    """``t`` without Annotated (returning its metadata) and without ``| None``."""
    meta: list[Any] = []
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            args = typing.get_args(t)
            t = args[0]
            for m in args[1:]:
                meta.extend(m.metadata if isinstance(m, FieldInfo) else [m])
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(t) if a is not type(None)]
            if len(rest) != 1:
                return t, meta
            t = rest[0]
        else:
            return t, meta


def _lengths(meta: list[Any]) -> tuple[int | None, int | None]:
    lo = next((m.min_length for m in meta if isinstance(m, annotated_types.MinLen)), None)
    hi = next((m.max_length for m in meta if isinstance(m, annotated_types.MaxLen)), None)
    return lo, hi


def _count(lo: int | None, hi: int | None, noun: str) -> str:
    """``two 2-D vectors [x, y]``, ``1 to 8 2-D vectors [x, y]``, ``a list of numbers``..."""
    word, _, tail = noun.partition(" [")
    tail = f" [{tail}" if tail else ""
    plural = word if word.endswith("s") else word + "s"
    if lo is not None and lo == hi:
        return f"{_WORDS.get(lo, str(lo))} {word if lo == 1 else plural}{tail}"
    if hi is not None:
        return f"{lo or 0} to {hi} {plural}{tail}"
    if lo is not None and lo > 1:
        return f"at least {lo} {plural}{tail}"
    return f"a list of {plural}{tail}"


def _number_noun(name: str, k: int | None) -> str:
    """What a fixed-length list of numbers is, by the field's name."""
    if name.endswith("range") or name == "domain":
        return "range [low, high]"
    if k == 2:
        return "2-D vector [x, y]"
    if k is not None:
        return f"{k}-D vector"
    return "row of numbers"


def describe(name: str, info: FieldInfo) -> tuple[str, str | None] | None:
    """``(what the field needs, noun of one row)`` for list-of-numbers fields, else None.

    The row noun is None when the field is one flat list of numbers.
    """
    t, meta = strip_annotated(info.annotation)
    meta = list(info.metadata) + meta
    if typing.get_origin(t) is not list:
        return None
    (item,) = typing.get_args(t) or (Any,)
    item_t, item_meta = strip_annotated(item)
    lo, hi = _lengths(meta)
    if item_t in (float, int):
        if lo is not None and lo == hi:
            return f"a {_number_noun(name, lo)}", None
        return _count(lo, hi, "number"), None
    if typing.get_origin(item_t) is list and strip_annotated(typing.get_args(item_t)[0])[0] in (float, int):
        ilo, ihi = _lengths(item_meta)
        noun = _number_noun(name, ilo if ilo == ihi else None)
        need = _count(lo, hi, noun)
        if ilo != ihi or ilo is None:
            need += ", all the same length"
        return need, noun
    return None


def _shown(value: Any) -> str:
    text = json.dumps(value) if isinstance(value, (list, dict, int, float, bool)) or value is None else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def shape_message(name: str, info: FieldInfo, example: Any, err: dict[str, Any], depth: int,
                  count: int = 1) -> str | None:
    """The message for a shape or type error in list-of-numbers field ``name``, or None.

    Parameters
    ----------
    name : str
        The field's key.
    info : FieldInfo
        The field (its annotation and length bounds).
    example : any
        A valid value for the field (the kind's example or the default), or None.
    err : dict
        The pydantic error.
    depth : int
        How many list indices deep in the field the error is (0: the field itself).
    count : int
        How many errors of this kind the field has (told once, with this count).
    """
    described = describe(name, info)
    if described is None:
        return None
    need, row = described
    kind, got = err["type"], err.get("input")
    actual = (err.get("ctx") or {}).get("actual_length")
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        wrong = f"{_shown(got)} is not a number"
    elif depth == 0 and kind == "list_type":
        wrong = f"got {_shown(got)}"
    elif depth == 0 and actual is not None:
        wrong = f"this list has {actual} {'numbers' if row is None else 'rows'}"
    elif depth == 1 and row is not None and kind == "list_type":
        wrong = f"this row is {_shown(got)}, not a list of numbers"
    elif depth == 1 and row is not None and actual is not None:
        wrong = f"this row has {actual} number{'s' if actual != 1 else ''}"
    else:
        return None
    if count > 1:
        wrong += f" (and {count - 1} more like it)"
    like = f", like {_shown(example)}" if example not in (None, PydanticUndefined) else ""
    return f"`{name}` needs {need}{like}; {wrong}"
