"""Which lecture files a command line names: files, folders (searched through their sub-folders) and globs."""

from __future__ import annotations

__all__ = ["lecture_paths"]

import glob
from collections.abc import Sequence
from pathlib import Path

from ..errors import UserError

_SUFFIXES = (".yaml", ".yml")


def _in_folder(folder: Path) -> list[Path]:
    """The lecture files under ``folder`` and its sub-folders (hidden ones skipped), sorted by path."""
    found = [p for p in folder.rglob("*") if p.suffix in _SUFFIXES and p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return sorted(found)


def lecture_paths(items: Sequence[str | Path]) -> list[Path]:
    """The lecture files named by ``items``, each once, in order.

    A file names itself; a folder names its ``*.yaml`` / ``*.yml`` files and those of its sub-folders
    (a course folder holding one folder per course), sorted by path; a glob names the files it matches.

    Raises
    ------
    UserError
        An item names nothing, or a folder holds no lecture.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for item in items:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            matches = _in_folder(path)
            if not matches:
                raise UserError(f"{text}: no lecture (*.yaml) in this folder or its sub-folders")
        elif path.is_file():
            matches = [path]
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
                raise UserError(f"{text}: matches no file")
        else:
            raise UserError(f"{text}: no such file or folder")
        for match in matches:
            if match.resolve() not in seen:
                seen.add(match.resolve())
                found.append(match)
    return found
