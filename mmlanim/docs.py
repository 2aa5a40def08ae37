"""The generated documentation files, as text (written by ``scripts/gen_docs.py``)."""

from __future__ import annotations

__all__ = ["generated_docs"]

from pathlib import Path


def generated_docs(root: Path) -> dict[str, str]:
    """Relative path → generated text, for every generated doc under ``root``.

    Parameters
    ----------
    root : Path
        The repository root (templates are read from ``docs/_templates``).

    Returns
    -------
    dict of str to str
        ``docs/lecture-format.md``, ``docs/visuals.md`` (the visual kinds'
        reference) and ``docs/lecture.schema.json``.
    """
    from .reference import format_reference, format_visuals, json_schema_text
    from .starter import starter_text

    templates = root / "docs" / "_templates"
    starter = starter_text("../docs/lecture.schema.json").rstrip()
    reference = format_reference((templates / "lecture-format.md").read_text(encoding="utf-8"))
    return {
        "docs/lecture-format.md": reference.replace("{{starter}}", starter),
        "docs/visuals.md": format_visuals((templates / "visuals.md").read_text(encoding="utf-8")),
        "docs/lecture.schema.json": json_schema_text(),
    }
