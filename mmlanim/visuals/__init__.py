"""Visual kinds: one module each, registered by defining a :class:`Visual` subclass.

:func:`registry` imports every module of this package and every plugin
declared under the ``mmlanim.visuals`` entry-point group, and returns the kinds
by name. Importing a visual module never imports manim.
"""

from __future__ import annotations

__all__ = ["Visual", "VisualContext", "VisualParams", "beat", "get_kind", "registry"]

import importlib
import pkgutil
from functools import cache
from importlib.metadata import entry_points

from ..errors import UserError
from .base import Visual, VisualContext, VisualParams, beat, registered_kinds

ENTRY_POINT_GROUP = "mmlanim.visuals"


@cache
def registry() -> dict[str, type[Visual]]:
    """All visual kinds, built-in and from plugins, sorted by name.

    Built-in kinds are the :class:`Visual` subclasses defined in this
    package's modules; a plugin is an installed package declaring a module
    under the ``mmlanim.visuals`` entry-point group, whose import defines its
    kinds. A plugin's kinds get ``plugin`` set to its distribution's name.

    Raises
    ------
    UserError
        A plugin failed to import (or redefined an existing kind).
    """
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"{__name__}.{info.name}")
    builtin = registered_kinds()
    owners: dict[str, str] = {}  # plugin top-level module -> distribution name
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception as exc:  # report which plugin is broken, not a traceback
            raise UserError(f"visual plugin {ep.name!r} ({ep.value}) failed to load: {exc}; "
                            "fix or uninstall it") from exc
        replaced = [kind for kind, cls in registered_kinds().items() if kind in builtin and cls is not builtin[kind]]
        if replaced:
            raise UserError(f"visual plugin {ep.name!r} ({ep.value}) redefines the built-in kind "
                            f"{replaced[0]!r}; a plugin's kinds need names of their own")
        owners.setdefault(_top_module(ep.module), ep.dist.name if ep.dist else ep.name)
    kinds = registered_kinds()
    for cls in kinds.values():
        top = _top_module(cls.__module__)
        if top != _top_module(__name__):
            cls.plugin = owners.get(top, top)
    return dict(sorted(kinds.items()))


def _top_module(module: str) -> str:
    return module.split(".", 1)[0]


def get_kind(kind: str) -> type[Visual]:
    """The visual class of ``kind``; raises UserError with a suggestion."""
    kinds = registry()
    if kind not in kinds:
        from ..suggest import did_you_mean

        raise UserError(f"unknown visual kind {kind!r}{did_you_mean(kind, kinds)}; "
                        "see `mmlanim visuals`")
    return kinds[kind]
