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
        reference), ``docs/lecture.schema.json`` and ``docs/curriculum.md`` (the
        lectures in ``lectures/``, course by course).
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
        "docs/curriculum.md": curriculum_text(root / "lectures", root / "docs"),
    }


def curriculum_text(lectures: Path, docs: Path) -> str:
    """docs/curriculum.md: every lecture under ``lectures`` (one folder per course, files in teaching
    order), with its segments and the visual kinds they show."""
    import os

    from .lecture import load_lecture
    from .lecture.files import lecture_paths

    out = ["# The curriculum", "",
           "The lectures in `lectures/`, one folder per course, in teaching order (generated from the",
           "lecture files by `make docs`). Render a course with `mmlanim render lectures/<course>/`.", ""]
    folder = None
    paths = lecture_paths([lectures])  # course folders first, then lectures outside any course
    for path in sorted(paths, key=lambda p: (p.parent == lectures, paths.index(p))):
        lecture = load_lecture(path).lecture
        if path.parent != folder:
            folder = path.parent
            name = lecture.course or folder.name
            out += [f"## {name}" if folder != lectures else "## Other lectures", ""]
        link = os.path.relpath(path, docs).replace(os.sep, "/")
        minutes = sum(len(s.narration if isinstance(s.narration, str) else " ".join(c.say for c in s.narration))
                      for s in lecture.segments) / 15 / 60  # about 15 characters a second, spoken
        out += [f"### [{lecture.title}]({link})", "",
                f"{len(lecture.segments)} segments, about {max(1, round(minutes))} min.", "",
                "| segment | shows |", "|---|---|"]
        out += [f"| {s.chapter_title()} | `{s.visual.kind}` |" for s in lecture.segments]  # type: ignore[attr-defined]
        out.append("")
    return "\n".join(out)
