"""The segment cache: rendered segments stored under a key of everything that shapes them.

A segment's key hashes the segment after defaults are applied, its visual's
context (titles), the code that shapes its pixels or sound (the visual kind's
module and every module of mmlanim that is not another kind's or one that
shapes no output, see :func:`code_fingerprint`), the files it reads, the
narration's audio fingerprint, the theme, the quality, the encoder settings, and the mmlanim and
manim versions. Entries are written under a
temporary name and renamed, with a hash of their bytes recorded beside them
(:mod:`mmlanim.integrity`): an interrupted render never leaves an entry that
a later render would serve, and a damaged entry is rendered again.
"""

from __future__ import annotations

__all__ = ["CacheInfo", "SegmentCache", "cache_info", "clear_cache", "code_fingerprint", "segment_key"]

import hashlib
import inspect
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .. import __version__, theme
from .._memo import shared_cache
from ..integrity import store_verified, verified
from ..paths import default_cache_dir
from ..quality import Quality
from ..visuals import Visual
from .encoding import encoder_fingerprint

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Modules of mmlanim that shape no segment's pixels or sound (commands, docs, authoring tools).
NOT_SHAPING = frozenset({
    "__main__.py", "cli.py", "docs.py", "doctor.py", "eject.py", "progress.py", "reference.py",
    "starter.py", "suggest.py", "watch.py", "render/pipeline.py", "render/schedule.py",
    "render/cluster.py",  # ships segments to a cluster and pictures back; draws nothing
})


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shared_code(package_dir: Path, kind_modules: frozenset[Path]) -> list[Path]:
    """The modules of the package at ``package_dir`` that shape every segment: all of its
    ``.py`` files (the maths, narration, drawing and rendering code) but the kinds' own
    modules (``kind_modules``) and those in :data:`NOT_SHAPING`."""
    return sorted(p for p in package_dir.rglob("*.py")
                  if p.resolve() not in kind_modules
                  and p.relative_to(package_dir).as_posix() not in NOT_SHAPING)


@shared_cache()  # asked by every narration thread at once: hashed once
def _shared_code_hash(package_dir: Path) -> str:
    from ..visuals import registry

    kinds = frozenset(Path(f).resolve() for cls in registry().values() if (f := inspect.getsourcefile(cls)))
    h = hashlib.sha256()
    for module in shared_code(package_dir, kinds):
        h.update(module.relative_to(package_dir).as_posix().encode())
        h.update(_file_hash(module).encode())
    return h.hexdigest()


@shared_cache()
def code_fingerprint(cls: type[Visual], package_dir: Path = _PACKAGE_DIR) -> str:
    """Hash of the visual kind's module source and of the code shared by every segment
    (:func:`shared_code` of the package at ``package_dir``)."""
    source = inspect.getsourcefile(cls)
    own = _file_hash(Path(source)) if source else cls.__qualname__
    return hashlib.sha256(f"{own}:{_shared_code_hash(package_dir)}".encode()).hexdigest()


@cache
def _manim_version() -> str:
    try:
        return version("manim")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def segment_key(visual: Visual, segment_data: dict[str, Any], audio_fingerprint: str,
                q: Quality, *, inputs: Sequence[Path] = ()) -> str:
    """The cache key of a rendered segment (hex SHA-256).

    Parameters
    ----------
    visual : Visual
        The segment's visual (its class, context and input files count).
    segment_data : dict
        The segment as validated, defaults applied (``model_dump(mode="json")``).
    audio_fingerprint : str
        :attr:`SegmentAudio.fingerprint` of its narration.
    q : Quality
        Size and frame rate.
    inputs : sequence of Path
        The files the segment reads (see ``LoadedLecture.input_files``); the
        visual's own :meth:`~mmlanim.visuals.Visual.input_files` always count.
    """
    ctx = visual.context
    files = sorted({*inputs, *visual.input_files()})
    payload = {
        "format": 2,
        "segment": segment_data,
        "context": [ctx.lecture_title, ctx.course, ctx.segment_title, ctx.continues, ctx.opening],
        "code": code_fingerprint(type(visual)),  # type: ignore[arg-type]  # classes are hashable
        "inputs": [[p.name, _file_hash(p) if p.is_file() else None] for p in files],
        "audio": audio_fingerprint,
        "theme": theme.theme_fingerprint(),
        "quality": [q.width, q.height, q.fps],
        "encoder": encoder_fingerprint(q),
        "versions": [__version__, _manim_version()],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    root: Path
    entries: int
    bytes: int


class SegmentCache:
    """Rendered segment MP4s (picture and narration) stored by key.

    Parameters
    ----------
    root : Path, optional
        Folder of the cache; default ``default_cache_dir() / "segments"``.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir() / "segments"

    def path_for(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.mp4"

    def get(self, key: str) -> Path | None:
        """The cached file of ``key`` if its bytes match the hash recorded when stored, else None."""
        path = self.path_for(key)
        return path if verified(path) else None

    def store(self, key: str, produce: Any) -> Path:
        """Store the file that ``produce(tmp_path)`` writes, atomically, with its hash recorded."""
        return store_verified(self.path_for(key), produce)


def cache_info(root: Path | None = None) -> CacheInfo:
    """Size and entry count of every cache under ``root`` (default: all of mmlanim's)."""
    root = Path(root) if root is not None else default_cache_dir()
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    entries = [p for p in files if p.suffix not in (".sha256", ".lock")]  # records and locks are no entries
    return CacheInfo(root, len(entries), sum(p.stat().st_size for p in files))


def clear_cache(root: Path | None = None) -> CacheInfo:
    """Empty the cache (and, for the default cache, LaTeX's folder kept outside it); returns what was removed."""
    info = cache_info(root)
    folders = [info.root]
    if root is None:
        from .manim_config import _tex_root

        tex = _tex_root()
        if not tex.is_relative_to(info.root) and tex.exists():
            extra = cache_info(tex)
            info = CacheInfo(info.root, info.entries + extra.entries, info.bytes + extra.bytes)
            folders.append(tex)
    for folder in folders:
        if folder.exists():
            _empty(folder, keep_locks=folder != info.root)  # the other folder is LaTeX's
    return info


def _empty(folder: Path, *, keep_locks: bool) -> None:
    """Remove everything in ``folder`` but, with ``keep_locks``, the LaTeX slots' lock files
    (``N.lock``, perhaps held by a render: removing one would free its slot while in use);
    a ``tex`` folder inside is emptied the same way."""
    for child in folder.iterdir():
        if keep_locks and child.suffix == ".lock" and child.is_file() and not child.is_symlink():
            continue
        if child.is_dir() and not child.is_symlink():
            if child.name == "tex":
                _empty(child, keep_locks=True)
            else:
                shutil.rmtree(child)
        else:
            os.unlink(child)
