"""Replacing one of manim's methods with a cheaper one that computes the same, once per process."""

from __future__ import annotations

__all__ = ["replace_once"]

from collections.abc import Callable
from typing import Any


def replace_once(cls: type, name: str, build: Callable[[Any], Any]) -> None:
    """Set ``cls.name`` to ``build(manims)``, where ``manims`` is the method it replaces; a second call
    does nothing. manim's own method stays reachable as ``cls.name.manims``, for comparison."""
    manims = getattr(cls, name)
    if hasattr(manims, "manims"):
        return
    ours = build(manims)
    ours.manims = manims
    ours.__doc__ = manims.__doc__
    setattr(cls, name, ours)
