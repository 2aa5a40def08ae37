"""Formulas parsed once per machine: a formula's SVG is turned into mobjects once, then kept on disk.

Building a formula (``MathTex``/``Tex``) reads the SVG that LaTeX made and
parses it into outlines: about 15 ms a formula, a fifth of a segment's work
when it shows a labelled plane or a few equations. manim keeps what it
parsed in memory (``SVG_HASH_TO_MOB_MAP``), but every render and every worker
process starts with that memory empty, so each parsed the same tick labels
and formulas again. :func:`keep_parsed_formulas` keeps them on disk as well,
beside the LaTeX cache: a formula another process parsed is loaded (about
1 ms) into manim's memory, and manim carries on as if it had parsed it.

The key covers everything the parse depends on: the SVG's bytes, the
formula's class and drawing defaults, the path settings, manim's version and
this file's format. A file is written under a temporary name and renamed,
sealed with a hash of its bytes; one that is damaged or from another version
is ignored and parsed again. A glyph's parsed SVG path (``path_obj``, which
manim reads only while building the glyph) is not kept: loading a formula then
costs little more than copying it from memory. Files are pickles, read back only from the
user's private cache folder and through :class:`_Loader`, which builds
nothing but the plain data, numpy arrays, colours, paths and mobject classes
a parsed formula is made of.
"""

from __future__ import annotations

__all__ = ["FORMAT", "keep_parsed_formulas", "parsed_key"]

import hashlib
import io
import json
import pickle
from pathlib import Path
from typing import Any

from ..fsutil import atomic_path

#: Version of the files' layout: part of every key.
FORMAT = 1
_SEAL = 32  # bytes of sha256 before the pickle

#: What a parsed formula is made of: the only globals a file may name.
_ALLOWED = {
    "builtins": {"set", "frozenset", "complex", "slice", "bytearray"},
    "copyreg": {"_reconstructor"},
    "numpy": {"dtype", "ndarray"},
    "numpy._core.numeric": {"_frombuffer"},
    "numpy._core.multiarray": {"_reconstruct", "scalar"},
    "numpy.core.numeric": {"_frombuffer"},
    "numpy.core.multiarray": {"_reconstruct", "scalar"},
    "pathlib": {"PosixPath", "WindowsPath", "PurePosixPath", "Path"},
    "manim.constants": {"CapStyleType", "LineJointType"},
    "manim.utils.color.core": {"ManimColor"},
    "manim.utils.tex": {"TexTemplate"},
    "manim.mobject.svg.svg_mobject": {"VMobjectFromSVGPath", "SVGMobject"},
    "manim.mobject.text.tex_mobject": {"SingleStringMathTex", "MathTex", "Tex"},
    "manim.mobject.types.vectorized_mobject": {"VGroup", "VMobject"},
    "manim.mobject.geometry.polygram": {"Rectangle", "Polygon", "Polygram", "RoundedRectangle"},
    "manim.mobject.geometry.arc": {"Circle", "Ellipse", "Arc", "Dot"},
    "manim.mobject.geometry.line": {"Line"},
}


class _Loader(pickle.Unpickler):
    """Unpickles a parsed formula, refusing every global outside :data:`_ALLOWED`."""

    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a parsed formula")


def parsed_key(mobject: Any, svg: bytes) -> str:
    """The file name of ``mobject``'s parse of the SVG ``svg`` (its bytes)."""
    import manim

    seed = {
        "format": FORMAT,
        "manim": manim.__version__,
        "class": type(mobject).__qualname__,
        "defaults": repr(sorted(mobject.svg_default.items())),
        "paths": repr(sorted(mobject.path_string_config.items())),
        "svg": hashlib.sha256(svg).hexdigest(),
    }
    return hashlib.sha256(json.dumps(seed, sort_keys=True).encode()).hexdigest()


def _load(path: Path) -> Any | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = data[_SEAL:]
    if hashlib.sha256(body).digest() != data[:_SEAL]:
        return None
    try:
        return _Loader(io.BytesIO(body)).load()
    except Exception:  # noqa: BLE001 - a file we cannot read is parsed again
        return None


def _store(path: Path, mobject: Any) -> None:
    kept = mobject.copy()
    for member in kept.get_family():
        if getattr(member, "path_obj", None) is not None:
            member.path_obj = None  # the parsed SVG path a glyph was built from: read only while building
    body = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(hashlib.sha256(body).digest() + body)
    except OSError:  # a full disk costs time only: the formula is parsed again next time
        pass


def keep_parsed_formulas(folder: Path) -> None:
    """Keep the formulas manim parses (``MathTex``, ``Tex``) in ``folder``, and load them from there.

    Applies until called with another folder; manim's own method stays reachable
    as ``SVGMobject.init_svg_mobject.manims``.
    """
    from manim.mobject.svg import svg_mobject
    from manim.mobject.svg.svg_mobject import SVGMobject
    from manim.mobject.text.tex_mobject import SingleStringMathTex
    from manim.utils.iterables import hash_obj

    installed = SVGMobject.init_svg_mobject
    if hasattr(installed, "manims"):
        installed.folder = folder  # type: ignore[attr-defined]
        return
    manims = installed

    def init_svg_mobject(self: Any, use_svg_cache: bool) -> Any:
        where: Path = init_svg_mobject.folder  # type: ignore[attr-defined]
        if not use_svg_cache or not isinstance(self, SingleStringMathTex):
            return manims(self, use_svg_cache)
        memory = svg_mobject.SVG_HASH_TO_MOB_MAP
        hash_val = hash_obj(self.hash_seed)
        if hash_val in memory:
            return manims(self, use_svg_cache)
        try:
            svg = self.get_file_path().read_bytes()
        except (OSError, ValueError):
            return manims(self, use_svg_cache)
        path = where / f"{parsed_key(self, svg)}.pickle"
        kept = _load(path)
        if not isinstance(kept, SVGMobject):
            kept = None
        else:
            memory[hash_val] = kept
        result = manims(self, use_svg_cache)  # builds from memory, or parses and puts the parse there
        if kept is None and hash_val in memory:
            _store(path, memory[hash_val])
        return result

    init_svg_mobject.manims = manims  # type: ignore[attr-defined]
    init_svg_mobject.folder = folder  # type: ignore[attr-defined]
    init_svg_mobject.__doc__ = manims.__doc__
    SVGMobject.init_svg_mobject = init_svg_mobject  # type: ignore[method-assign]
