"""``mmlanim new``: a starter lecture that validates and renders."""

from __future__ import annotations

__all__ = ["starter_text", "write_starter"]

import os
from importlib.resources import files
from pathlib import Path

from .errors import UserError
from .fsutil import write_text_atomic

SCHEMA_NAME = "lecture.schema.json"


def starter_text(schema: str = SCHEMA_NAME) -> str:
    """The starter lecture's YAML text, its editor header pointing at ``schema``."""
    text = files("mmlanim").joinpath("templates/starter.yaml").read_text(encoding="utf-8")
    return text.replace("{{schema}}", schema)


def _schema_for(lecture: Path) -> str:
    """The schema path for the lecture's editor header (relative to the lecture).

    A ``docs/lecture.schema.json`` in a folder above the lecture (a checkout of
    this project) is used as is; otherwise the schema is written beside the lecture.
    """
    folder = lecture.resolve().parent
    for parent in (folder, *folder.parents):
        candidate = parent / "docs" / SCHEMA_NAME
        if candidate.is_file():
            return os.path.relpath(candidate, folder)
    beside = folder / SCHEMA_NAME
    if not beside.exists():
        from .reference import json_schema_text

        write_text_atomic(beside, json_schema_text())
    return SCHEMA_NAME


def write_starter(path: Path, *, force: bool = False) -> Path:
    """Write the starter lecture to ``path`` (refusing to overwrite unless ``force``)."""
    path = Path(path)
    if path.suffix not in (".yaml", ".yml"):
        raise UserError(f"{path}: a lecture file ends in .yaml")
    if path.exists() and not force:
        raise UserError(f"{path} already exists (use --force to overwrite it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, starter_text(_schema_for(path)))
    return path
