"""Parsed SVGs kept on disk: a formula's glyphs are read back, not parsed again, in every later process.

manim turns an SVG (a typeset formula, a text) into mobjects by parsing its
XML with ``svgelements`` and converting every path, some 30 ms for a small
formula, and keeps the result for the rest of the process only
(``SVG_HASH_TO_MOB_MAP``). So every worker process of every render parsed each
formula it draws (or rebuilds, for a segment's opening) again: 5-10 % of a
lecture's drawing CPU. :func:`keep_parsed_svgs` makes manim's ``init_svg_mobject`` look,
after its own in-memory map and before parsing, in a folder beside the LaTeX
cache, and store what it parses there: the mobjects as manim built them,
pickled (a millisecond or two to load), without the parsed ``svgelements``
path each glyph keeps (manim reads it only while building the glyph, see
:mod:`mmlanim.render.copying`).

A stored parse is found by the SVG's contents (not its file name), the
parsing settings manim keys its own map by, the class and manim's version.
Only classes that parse as ``SVGMobject`` does are stored (one overriding a
parsing method, say ``modify_xml_tree``, is parsed as manim does). A file that
cannot be read back (damaged: each file holds the SHA-256 of its bytes, checked
as it is read; or from another version) is parsed again and replaced; one that
cannot be written leaves the parse to this process.
"""

from __future__ import annotations

__all__ = ["PARSING_METHODS", "keep_parsed_svgs", "parsed_dir", "parsed_key"]

import contextlib
import functools
import hashlib
import io
import json
import pickle
from pathlib import Path
from typing import Any

from ..fsutil import atomic_path
from ._replacing import replace_once

#: Bumped when what a stored parse holds changes.
_FORMAT = 1

#: ``SVGMobject`` methods that decide what a parse makes: a class overriding any is not stored.
PARSING_METHODS = (
    "generate_mobject", "modify_xml_tree", "generate_config_style_dict", "get_mobjects_from",
    "get_mob_from_shape_element", "handle_transform", "apply_style_to_mobject", "path_to_mobject",
    "line_to_mobject", "rect_to_mobject", "ellipse_to_mobject", "polygon_to_mobject", "polyline_to_mobject",
    "text_to_mobject", "get_file_path", "hash_seed",
)


def parsed_dir() -> Path:
    """The folder of stored parses: beside the LaTeX cache's slots (whose SVGs most are parsed from),
    shared by every process."""
    from .manim_config import tex_dir

    return tex_dir().parent / "svg-parsed"


def parsed_key(svg: Any, data: bytes) -> str | None:
    """The key (hex SHA-256) a parse of ``svg`` (an ``SVGMobject`` being built) from the file contents
    ``data`` is stored under; None when its class parses differently from ``SVGMobject`` or its
    settings cannot be written as JSON."""
    from manim.mobject.svg.svg_mobject import SVGMobject

    cls = type(svg)
    if any(getattr(cls, name) is not getattr(SVGMobject, name) for name in PARSING_METHODS):
        return None
    from manim import config

    try:
        settings = json.dumps([_FORMAT, _manim_version(), f"{cls.__module__}.{cls.__qualname__}",
                               svg.svg_default, svg.path_string_config, str(config.renderer)],
                              sort_keys=True)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(settings.encode() + b"\0" + hashlib.sha256(data).digest()).hexdigest()


@functools.cache
def _manim_version() -> str:
    from importlib.metadata import version

    return version("manim")


class _Pickler(pickle.Pickler):
    """Pickles a parse without the ``svgelements`` objects its glyphs keep (read back as None)."""

    def persistent_id(self, obj: Any) -> str | None:
        return "svgelements" if type(obj).__module__ == "svgelements.svgelements" else None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> None:
        if pid != "svgelements":
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return None


def _load(path: Path) -> tuple[list[Any], dict[str, Any]] | None:
    """The parse stored at ``path``: None when there is none, or when its bytes do not match the hash
    stored with them (damaged) or cannot be read back (from another version)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        submobjects, groups = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - a class changed since it was stored: parse again
        return None
    if not isinstance(submobjects, list) or not isinstance(groups, dict):
        return None
    return submobjects, groups


def _store(path: Path, submobjects: list[Any], groups: dict[str, Any]) -> None:
    """Store a parse at ``path``, after the SHA-256 of its bytes; a parse that cannot be stored (a full
    disk, an object that does not pickle) is left to this process."""
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((submobjects, groups))
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    payload = buffer.getvalue()
    with contextlib.suppress(OSError), atomic_path(path) as tmp:
        tmp.write_bytes(hashlib.sha256(payload).digest() + payload)


def keep_parsed_svgs() -> None:
    """Make manim's SVG mobjects read their parse from :func:`parsed_dir` when stored there, and store
    it there when they parse. Idempotent; manim's own method stays reachable as
    ``SVGMobject.init_svg_mobject.manims``."""
    from manim.mobject.svg import svg_mobject
    from manim.utils.iterables import hash_obj

    def build(manims: Any) -> Any:
        def init_svg_mobject(self: Any, use_svg_cache: bool) -> Any:
            if not use_svg_cache or hash_obj(self.hash_seed) in svg_mobject.SVG_HASH_TO_MOB_MAP:
                return manims(self, use_svg_cache)
            try:
                data = self.get_file_path().read_bytes()
            except (OSError, ValueError):
                return manims(self, use_svg_cache)  # manim reports the missing file
            key = parsed_key(self, data)
            if key is None:
                return manims(self, use_svg_cache)
            path = parsed_dir() / key[:2] / f"{key}.pickle"
            stored = _load(path)
            if stored is None:
                manims(self, use_svg_cache)  # parses, and keeps a copy in manim's map
                _store(path, self.submobjects, self.id_to_vgroup_dict)
                return self
            submobjects, groups = stored
            self.add(*submobjects)
            self.id_to_vgroup_dict = groups
            svg_mobject.SVG_HASH_TO_MOB_MAP[hash_obj(self.hash_seed)] = self.copy()  # as manim keeps a parse
            return self

        return init_svg_mobject

    replace_once(svg_mobject.SVGMobject, "init_svg_mobject", build)
