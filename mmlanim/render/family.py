"""Cheaper families: a mobject's family listed by a plain walk instead of nested generators.

manim lists a mobject's family (itself and its submobjects, recursively) many
times a frame: to find what to draw, what moves, what an animation touches.
``Mobject.get_family`` walks the tree with a generator per mobject, each item
passed up through every generator above it, and then removes duplicates. For
a formula or a plane (hundreds of mobjects, a few levels deep) that walk was
5-10 % of a segment's drawing CPU.

:func:`plain_families` replaces it with one that appends to a list as it
walks, and removes duplicates only when there are any. It returns the very
same list as manim's: the mobjects in the same order (each first met before
its submobjects, a mobject met twice kept at its last place), a mobject that
contains itself (a cycle) walked once. A mobject whose class lists its family
its own way (overriding ``_iter_family``) is walked by that method.
"""

from __future__ import annotations

__all__ = ["plain_families"]

from typing import Any

from ._replacing import replace_once

#: manim's ``Mobject._iter_family``, set by :func:`plain_families`.
_ITER_FAMILY: Any = None


def _walk(submobjects: list[Any], out: list[Any], active: set[Any]) -> None:
    """Append ``submobjects`` and their families to ``out``, skipping a mobject in ``active`` (being
    walked: met again below itself). A mobject without submobjects is never being walked."""
    for mobject in submobjects:
        below = mobject.submobjects
        if not below:
            out.append(mobject)
        elif type(mobject)._iter_family is not _ITER_FAMILY:  # lists its family its own way
            out.extend(mobject._iter_family(active))
        elif mobject not in active:
            active.add(mobject)
            out.append(mobject)
            _walk(below, out, active)
            active.discard(mobject)


def plain_families() -> None:
    """Make manim's ``Mobject.get_family`` walk without generators. Idempotent; manim's own method stays
    reachable as ``Mobject.get_family.manims``."""
    global _ITER_FAMILY
    from manim.mobject.mobject import Mobject
    from manim.utils.iterables import remove_list_redundancies

    _ITER_FAMILY = Mobject._iter_family

    def build(manims: Any) -> Any:
        def get_family(self: Any, recurse: bool = True) -> list[Any]:
            below = self.submobjects
            if not below:
                return [self]
            if type(self)._iter_family is not _ITER_FAMILY:
                return manims(self, recurse)
            out = [self]
            _walk(below, out, {self})
            if len(set(out)) != len(out):  # a mobject met twice: at its last place, as manim keeps it
                return remove_list_redundancies(out)
            return out

        return get_family

    replace_once(Mobject, "get_family", build)
