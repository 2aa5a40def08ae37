"""Parsed SVGs kept on disk: a formula's glyphs are read back, not parsed again, in every later process.

manim turns an SVG (a typeset formula, a text) into mobjects by parsing its
XML with ``svgelements`` and converting every path, some 30 ms for a small
formula, and keeps the result for the rest of the process only
(``SVG_HASH_TO_MOB_MAP``). So every worker process of every render parsed each
formula it draws (or rebuilds, for a segment's opening) again: 5-10 % of a
lecture's drawing CPU. :func:`keep_parsed_svgs` makes manim's ``init_svg_mobject`` look,
after its own in-memory map and before parsing, in a folder beside the LaTeX
cache, and store what it parses there: the mobjects as manim built them
(their classes and attributes as JSON, their arrays as raw bytes; a
millisecond or two to read back, and reading runs no code, unlike a pickle),
without the parsed ``svgelements`` path each glyph keeps (manim reads it only
while building the glyph, see :mod:`mmlanim.render.copying`).

A ``Text`` keeps out of manim's in-memory map (it is built with
``use_svg_cache`` off, so manim parsed its SVG afresh for every title and
heading, 60-150 ms each); it is read from the disk all the same: each read
makes new mobjects, which the ``Text`` then colours and arranges as its own.

A stored parse is found by the SVG's contents (not its file name), the
parsing settings manim keys its own map by, the class and manim's version.
Only classes that parse as ``SVGMobject`` does are stored (one overriding a
parsing method, say ``modify_xml_tree``, is parsed as manim does). A file that
cannot be read back (damaged: each file holds the SHA-256 of its bytes, checked
as it is read; or from another version) is parsed again and replaced. A parse
holding anything but manim's SVG classes, plain values, arrays and colours is
not stored.
"""

from __future__ import annotations

__all__ = ["PARSING_METHODS", "keep_parsed_svgs", "parsed_dir", "parsed_key"]

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ..fsutil import atomic_path
from ._replacing import replace_once
from .cache import _manim_version

#: Bumped when what a stored parse holds changes.
_FORMAT = 2

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


#: What a stored parse may hold: mobjects of these classes (manim's SVG parse makes no others), plain
#: values, numeric arrays, colours and these enumerations. A parse holding anything else is not stored;
#: reading one back never runs code (no pickle: the classes are looked up here, not named by the file).
_CLASSES = ("VMobjectFromSVGPath", "VGroup", "VMobject", "Line", "Rectangle", "RoundedRectangle", "Polygon",
            "Circle")
_ENUMS = ("CapStyleType", "LineJointType")
_PLAIN = (type(None), bool, int, float, str)


class _Unstorable(Exception):
    """A parse holds something :data:`_CLASSES` and the value kinds do not cover."""


def _known() -> tuple[dict[str, Any], dict[str, Any]]:
    from manim import constants
    from manim.mobject.svg import svg_mobject

    return ({name: getattr(svg_mobject, name) for name in _CLASSES},
            {name: getattr(constants, name) for name in _ENUMS})


def _encode(submobjects: list[Any], groups: dict[str, Any]) -> bytes:
    """A parse as bytes: a JSON header (every mobject's class and attributes, arrays by reference)
    followed by the arrays' bytes."""
    from manim import ManimColor

    classes, enums = _known()
    index: dict[int, int] = {}
    states: list[list[Any]] = []
    arrays: list[np.ndarray] = []
    meta: list[list[Any]] = []

    def mobject(m: Any) -> int:
        at = index.get(id(m))
        if at is None:
            if type(m).__name__ not in classes or classes[type(m).__name__] is not type(m):
                raise _Unstorable(type(m).__name__)
            at = index[id(m)] = len(states)
            state: list[Any] = [type(m).__name__, {}]
            states.append(state)
            state[1] = {name: value_of(v) for name, v in m.__dict__.items() if name != "path_obj"}
        return at

    def value_of(v: Any) -> Any:
        kind = type(v)
        if kind in _PLAIN and not (kind is float and not math.isfinite(v)):
            return v
        if kind is np.ndarray and not v.dtype.hasobject:
            arrays.append(np.ascontiguousarray(v))
            meta.append([v.dtype.str, list(v.shape)])
            return {"a": len(arrays) - 1}
        if isinstance(v, np.generic) and not isinstance(v, np.object_):
            return {"s": [v.dtype.str, v.item()]}
        if kind is ManimColor:
            return {"c": [float(x) for x in v._internal_value]}
        if kind.__name__ in enums and enums[kind.__name__] is kind:
            return {"e": [kind.__name__, v.name]}
        if kind is list and all(hasattr(x, "submobjects") for x in v):
            return {"m": [mobject(x) for x in v]}
        if hasattr(v, "submobjects"):
            return {"m1": mobject(v)}
        if kind is dict and all(type(k) is str for k in v):
            return {"d": {k: value_of(x) for k, x in v.items()}}
        if kind is tuple:
            return {"t": [value_of(x) for x in v]}
        raise _Unstorable(kind.__name__)

    header = {"format": _FORMAT, "submobjects": [mobject(m) for m in submobjects],
              "groups": {name: mobject(g) for name, g in groups.items()}, "states": states, "arrays": meta}
    head = json.dumps(header, allow_nan=False).encode()
    return len(head).to_bytes(8, "little") + head + b"".join(a.tobytes() for a in arrays)


def _decode(data: bytes) -> tuple[list[Any], dict[str, Any]]:
    """The mobjects :func:`_encode` wrote; raises ValueError (or KeyError, TypeError) on anything else."""
    from manim import ManimColor

    classes, enums = _known()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + size])
    if header["format"] != _FORMAT:
        raise ValueError("another format")
    arrays: list[np.ndarray] = []
    offset = 8 + size
    for dtype_str, shape in header["arrays"]:
        dtype = np.dtype(dtype_str)
        if dtype.hasobject:
            raise ValueError("an object array")
        count = math.prod(shape)
        arrays.append(np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(shape).copy())
        offset += count * dtype.itemsize
    if offset != len(data):
        raise ValueError("arrays and header disagree")
    mobjects = [classes[name].__new__(classes[name]) for name, _ in header["states"]]

    def value(v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        ((tag, x),) = v.items()
        if tag == "a":
            return arrays[x]
        if tag == "s":
            dtype = np.dtype(x[0])
            if dtype.hasobject:
                raise ValueError("an object scalar")
            return dtype.type(x[1])
        if tag == "c":
            return ManimColor(np.array(x, dtype=np.float64))
        if tag == "e":
            return enums[x[0]][x[1]]
        if tag == "m":
            return [mobjects[i] for i in x]
        if tag == "m1":
            return mobjects[x]
        if tag == "d":
            return {k: value(y) for k, y in x.items()}
        if tag == "t":
            return tuple(value(y) for y in x)
        raise ValueError(f"unknown value {tag!r}")

    for m, (_, state) in zip(mobjects, header["states"]):
        m.__dict__.update({name: value(v) for name, v in state.items()})
        if "path_obj" not in m.__dict__ and isinstance(m, classes["VMobjectFromSVGPath"]):
            m.path_obj = None  # read only while building the glyph
    return ([mobjects[i] for i in header["submobjects"]],
            {name: mobjects[i] for name, i in header["groups"].items()})


def _load(path: Path) -> tuple[list[Any], dict[str, Any]] | None:
    """The parse stored at ``path``: None when there is none, or when its bytes do not match the hash
    stored with them (damaged) or do not read back (another version)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return _decode(payload)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _store(path: Path, submobjects: list[Any], groups: dict[str, Any]) -> None:
    """Store a parse at ``path``, after the SHA-256 of its bytes; a parse holding what cannot be stored
    is left to this process. A full disk fails the render, as the LaTeX cache beside it would."""
    try:
        payload = _encode(submobjects, groups)
    except (_Unstorable, ValueError):
        return
    with atomic_path(path) as tmp:
        tmp.write_bytes(hashlib.sha256(payload).digest() + payload)


def keep_parsed_svgs() -> None:
    """Make manim's SVG mobjects read their parse from :func:`parsed_dir` when stored there, and store
    it there when they parse. Idempotent; manim's own method stays reachable as
    ``SVGMobject.init_svg_mobject.manims``."""
    from manim.mobject.svg import svg_mobject
    from manim.utils.iterables import hash_obj

    def build(manims: Any) -> Any:
        def init_svg_mobject(self: Any, use_svg_cache: bool) -> Any:
            # manim's key for its own map; a Text keeps out of that map (use_svg_cache off), not off the disk
            seen = hash_obj(self.hash_seed) if use_svg_cache else None
            if seen is not None and seen in svg_mobject.SVG_HASH_TO_MOB_MAP:
                return manims(self, use_svg_cache)
            try:
                data = self.get_file_path().read_bytes()
            except (OSError, ValueError):
                return manims(self, use_svg_cache)  # manim reports the missing file
            key = parsed_key(self, data)
            if key is None:
                return manims(self, use_svg_cache)
            path = parsed_dir() / key[:2] / f"{key}.parse"
            stored = _load(path)
            if stored is None:
                manims(self, use_svg_cache)  # parses, and keeps a copy in manim's map
                _store(path, self.submobjects, self.id_to_vgroup_dict)
                return self
            submobjects, groups = stored
            self.add(*submobjects)
            self.id_to_vgroup_dict = groups
            if seen is not None:
                svg_mobject.SVG_HASH_TO_MOB_MAP[seen] = self.copy()  # as manim keeps a parse
            return self

        return init_svg_mobject

    replace_once(svg_mobject.SVGMobject, "init_svg_mobject", build)
