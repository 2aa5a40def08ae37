"""``mmlanim new``: a starter lecture that validates and renders."""

from __future__ import annotations

__all__ = ["kind_starter_text", "starter_text", "write_starter"]

import json
import os
from importlib.resources import files
from pathlib import Path
from typing import Any

from .errors import UserError
from .fsutil import write_text_atomic

SCHEMA_NAME = "lecture.schema.json"


def starter_text(schema: str = SCHEMA_NAME) -> str:
    """The starter lecture's YAML text, its editor header pointing at ``schema``."""
    text = files("mmlanim").joinpath("templates/starter.yaml").read_text(encoding="utf-8")
    return text.replace("{{schema}}", schema)


def _yaml_value(value: Any) -> str:
    """``value`` as YAML flow text (JSON is YAML; LaTeX backslashes stay escaped in double quotes)."""
    return json.dumps(value, ensure_ascii=False)


def kind_starter_text(kind: str, schema: str = SCHEMA_NAME) -> str:
    """A starter lecture showing visual kind ``kind``: a title card, then one segment with a cue per beat.

    The segment uses the kind's example parameters; beats that those
    parameters turn off are left out, so the lecture validates without warnings.

    Raises
    ------
    UserError
        If ``kind`` is not a visual kind.
    """
    from .suggest import did_you_mean
    from .visuals import VisualContext, registry

    kinds = registry()
    if kind not in kinds:
        raise UserError(f"unknown visual kind '{kind}'{did_you_mean(kind, list(kinds))} "
                        f"(kinds: {', '.join(kinds)})")
    cls = kinds[kind]
    visual = cls(cls.example_params(), VisualContext())
    off: dict[str, str] = getattr(visual, "beats_off", dict)()
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# A starter lecture for the visual kind '{kind}': one cue per beat, in order.",
        f"# `mmlanim visuals {kind}` lists its parameters; docs/lecture-format.md describes the format.",
        "# Check it with `mmlanim validate`, render it with `mmlanim render FILE -q l`.",
        f"title: {_yaml_value(kind.replace('_', ' ').capitalize())}",
        "course: Mathematics for Machine Learning",
        "segments:",
        "  - id: intro",
        "    title: Introduction",
        "    narration: In this short lecture we look at one picture, step by step.",
        "    visual:",
        "      kind: title",
    ]
    if kind != "title":
        lines += [
            "",
            f"  - id: {kind.replace('_', '-')}",
            f"    title: {_yaml_value(kind.replace('_', ' ').capitalize())}",
            "    narration:",
        ]
        for b in cls.beats:
            if b.name in off:
                continue
            lines += [f"      - say: {_yaml_value(b.description)}", f"        beat: {b.name}"]
        lines += ["    visual:", f"      kind: {kind}"]
        lines += [f"      {key}: {_yaml_value(value)}" for key, value in cls.example.items()]
    return "\n".join(lines) + "\n"


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


def write_starter(path: Path, *, force: bool = False, kind: str | None = None) -> Path:
    """Write the starter lecture to ``path`` (refusing to overwrite unless ``force``).

    With ``kind``, the lecture shows that visual kind's beats (:func:`kind_starter_text`).
    """
    path = Path(path)
    if path.suffix not in (".yaml", ".yml"):
        raise UserError(f"{path}: a lecture file ends in .yaml")
    if path.exists() and not force:
        raise UserError(f"{path} already exists (use --force to overwrite it)")
    text = kind_starter_text(kind) if kind else None  # an unknown kind is refused before writing
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = _schema_for(path)
    write_text_atomic(path, text.replace(SCHEMA_NAME, schema, 1) if text else starter_text(schema))
    return path
