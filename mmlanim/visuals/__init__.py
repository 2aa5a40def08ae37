"""Visual kinds: one module each, registered by one entry-point line.

Every kind, built-in or from a plugin, is declared under the
``mmlanim.visuals`` entry-point group (for the built-in ones, in this
project's ``pyproject.toml``)::

    [project.entry-points."mmlanim.visuals"]
    vectors = "mmlanim.visuals.vectors:Vectors"

:func:`registry` builds the kinds from those entry points alone: nothing is
registered by importing a module, and no package is scanned. Importing a
visual module never imports manim.
"""

from __future__ import annotations

__all__ = ["ENTRY_POINT_GROUP", "RenderContext", "Visual", "VisualContext", "VisualParams", "beat",
           "get_kind", "registry"]

import sys
from collections.abc import Mapping
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType

from ..errors import UserError
from .base import Visual, VisualContext, VisualParams, beat
from .context import RenderContext

ENTRY_POINT_GROUP = "mmlanim.visuals"
#: The distribution whose kinds are built in (they have ``plugin = None``).
_BUILTIN_DISTRIBUTION = "mmlanim"


def registry() -> Mapping[str, type[Visual]]:
    """All visual kinds, built-in and from plugins, sorted by name.

    Built from the ``mmlanim.visuals`` entry points of the distributions on
    ``sys.path`` (so a distribution added to the path, as a test does, is seen
    at once). An entry point's name is the kind; its value names the
    :class:`Visual` subclass (``module:Class``). A plugin's kinds get
    ``plugin`` set to its distribution's name; built-in kinds have ``None``.

    Raises
    ------
    UserError
        A plugin failed to import, does not name a Visual subclass of its
        kind, or two distributions declare the same kind.
    """
    return _registry_for(tuple(sys.path))


@cache
def _registry_for(path: tuple[str, ...]) -> Mapping[str, type[Visual]]:
    """The registry of the distributions on ``path`` (cached per ``sys.path``)."""
    declared: dict[str, tuple[EntryPoint, str]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else ep.value.split(":")[0]
        if ep.name in declared:
            other, other_dist = declared[ep.name]
            if (other.value, other_dist) == (ep.value, dist):  # the same distribution seen twice on the path
                continue
            raise UserError(f"visual kind {ep.name!r} is declared twice: by {other_dist} ({other.value}) and "
                            f"by {dist} ({ep.value}); uninstall one of them")
        declared[ep.name] = (ep, dist)
    kinds: dict[str, type[Visual]] = {}
    for name, (ep, dist) in sorted(declared.items()):
        cls = _load(ep, dist)
        cls.plugin = None if dist == _BUILTIN_DISTRIBUTION else dist
        kinds[name] = cls
    return MappingProxyType(kinds)


def _load(ep: EntryPoint, dist: str) -> type[Visual]:
    """The Visual subclass an entry point names, checked."""
    where = f"visual plugin {ep.name!r} ({ep.value}, from {dist})"
    try:
        cls = ep.load()
    except Exception as exc:  # report which plugin is broken, not a traceback
        raise UserError(f"{where} failed to load: {exc}; fix or uninstall it") from exc
    if not (isinstance(cls, type) and issubclass(cls, Visual) and getattr(cls, "kind", None)):
        raise UserError(f"{where} does not name a visual kind: the entry point's value must be "
                        "'module:Class', a Visual subclass declared with kind=...")
    if cls.kind != ep.name:
        raise UserError(f"{where} names the class of kind {cls.kind!r}: the entry point's name "
                        "must be the kind")
    return cls


def get_kind(kind: str) -> type[Visual]:
    """The visual class of ``kind``; raises UserError with a suggestion."""
    kinds = registry()
    if kind not in kinds:
        from ..suggest import did_you_mean

        raise UserError(f"unknown visual kind {kind!r}{did_you_mean(kind, list(kinds))}; "
                        "see `mmlanim visuals`")
    return kinds[kind]
