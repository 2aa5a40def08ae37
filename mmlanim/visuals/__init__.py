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
    """All visual kinds, built-in and from plugins, sorted by name."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"{__name__}.{info.name}")
    builtin = set(registered_kinds())
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception as exc:  # a broken plugin must not break the tool
            raise UserError(f"visual plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
        for kind, cls in registered_kinds().items():
            if kind not in builtin and cls.plugin is None:
                cls.plugin = ep.dist.name if ep.dist else ep.name
    return dict(sorted(registered_kinds().items()))


def get_kind(kind: str) -> type[Visual]:
    """The visual class of ``kind``; raises UserError with a suggestion."""
    kinds = registry()
    if kind not in kinds:
        from ..suggest import did_you_mean

        raise UserError(f"unknown visual kind {kind!r}{did_you_mean(kind, kinds)}; "
                        "see `mmlanim visuals`")
    return kinds[kind]
