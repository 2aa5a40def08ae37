"""The last stage of a render: its outputs change all together or not at all.

Every new output file (each segment's MP4, the joined lecture, subtitles,
chapters, transcript and the manifest) is first written complete into a
private staging folder beside the outputs; only once all of them are there
are they renamed over the old ones, the manifest last. A render that fails
on the way (a full disk, a read-only folder, Ctrl-C) leaves the previous
outputs exactly as they were.

Segment files are **copies** of the cache's entries (a reflink where the file
system offers one), never hard links: editing an output never changes the
cache. The manifest records each file's SHA-256 (``files``), so the check
whether the joined outputs are current (:func:`outputs_current`) verifies their
bytes, not only that they exist; ``--no-cache`` rebuilds them all.
"""

from __future__ import annotations

__all__ = ["OutputPlan", "copy_file", "outputs_current", "publish", "read_manifest"]

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fsutil import private_dir
from ..integrity import file_digest, record_for

#: Linux's FICLONE ioctl: share the source's blocks (a reflink), on file systems that can.
_FICLONE = 0x40049409


def copy_file(src: Path, dst: Path) -> None:
    """Copy ``src`` to the new file ``dst``: a reflink when the file system can, else the bytes."""
    import fcntl

    with open(src, "rb") as fin, open(dst, "wb") as fout:
        try:
            fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
            return
        except OSError:
            pass
        shutil.copyfileobj(fin, fout, 1 << 20)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest in ``folder`` if it is a JSON object, else None (missing, damaged or odd)."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _joined_names(manifest: dict[str, Any]) -> list[Any]:
    subtitles = manifest.get("subtitles")
    return [manifest.get("file"), *(subtitles if isinstance(subtitles, list) else [None]),
            manifest.get("chapters"), manifest.get("transcript")]


def outputs_current(folder: Path, video_name: str, key: str) -> dict[str, str] | None:
    """The recorded hashes of the joined outputs in ``folder`` if they were made from exactly these
    inputs (``key``) and their bytes are intact, else None."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("outputs_key") != key or manifest.get("file") != video_name:
        return None
    hashes = manifest.get("files")
    if not isinstance(hashes, dict):
        return None
    names = _joined_names(manifest)
    current: dict[str, str] = {}
    for name in names:
        if not isinstance(name, str) or "/" in name or not isinstance(hashes.get(name), str):
            return None
        path = folder / name
        try:
            if path.is_symlink() or not path.is_file() or file_digest(path) != hashes[name]:
                return None
        except OSError:
            return None
        current[name] = hashes[name]
    return current


def _recorded_digest(entry: Path) -> str | None:
    try:
        return record_for(entry).read_text(encoding="ascii").split()[0]
    except (OSError, IndexError):
        return None


def _holds(path: Path, digest: str | None) -> bool:
    """Whether ``path`` is a regular file (not a link) whose bytes hash to ``digest``."""
    if digest is None:
        return False
    try:
        return not path.is_symlink() and path.is_file() and file_digest(path) == digest
    except OSError:
        return False


@dataclass
class OutputPlan:
    """What a render publishes.

    Attributes
    ----------
    segments : sequence of (str, Path)
        Each segment's output name (``segments/<id>.mp4``) and its cache entry.
    joined : callable or None
        ``joined(stage) -> dict`` writes the joined lecture, subtitles, chapters
        and transcript into ``stage`` (None: they are current, or only some
        segments were rendered); returns nothing useful.
    joined_names : sequence of str
        The joined outputs' file names (to hash once staged).
    manifest : callable or None
        ``manifest(files) -> dict``: the manifest, given every output's hash
        (None: no manifest, as when only some segments were rendered).
    kept : dict
        Hashes of joined outputs that are current and kept as they are.
    """

    segments: Sequence[tuple[str, Path]]
    joined: Callable[[Path], None] | None = None
    joined_names: Sequence[str] = ()
    manifest: Callable[[dict[str, str]], dict[str, Any]] | None = None
    kept: dict[str, str] | None = None


def publish(folder: Path, plan: OutputPlan, *, remove_unlisted: bool) -> None:
    """Stage every new output in a private folder beside ``folder``'s files, then rename them in.

    Parameters
    ----------
    folder : Path
        The output folder (locked by the caller).
    plan : OutputPlan
    remove_unlisted : bool
        Delete segment files of segments the lecture no longer has (after the swap).

    Raises
    ------
    OSError
        Writing failed; ``folder`` is then as it was.
    """
    stage = private_dir(folder, "stage")
    try:
        staged: list[tuple[Path, Path]] = []
        hashes: dict[str, str] = dict(plan.kept or {})
        (stage / "segments").mkdir()
        for name, entry in plan.segments:
            digest = _recorded_digest(entry)
            if not _holds(folder / name, digest):  # else the right bytes are already there
                copy_file(entry, stage / name)
                digest = file_digest(stage / name)
                staged.append((stage / name, folder / name))
            assert digest is not None
            hashes[name] = digest
        if plan.joined is not None:
            plan.joined(stage)
            for name in plan.joined_names:
                hashes[name] = file_digest(stage / name)
                staged.append((stage / name, folder / name))
        if plan.manifest is not None:
            manifest = plan.manifest(hashes)
            (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            staged.append((stage / "manifest.json", folder / "manifest.json"))  # last: it names this generation
        # The swap: renames only (nothing left to write), the manifest last.
        (folder / "segments").mkdir(exist_ok=True)
        for src, dst in staged:
            if dst.is_dir() and not dst.is_symlink():
                shutil.rmtree(dst)
            os.replace(src, dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if remove_unlisted:
        keep = {Path(name).name for name, _ in plan.segments}
        for f in (folder / "segments").glob("*.mp4"):
            if f.name not in keep:
                with contextlib.suppress(FileNotFoundError):
                    f.unlink()
