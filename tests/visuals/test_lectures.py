"""Every lecture in lectures/ validates, and follows the house style."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mmlanim.lecture import load_lecture

ROOT = Path(__file__).resolve().parents[2]
LECTURES = sorted((ROOT / "lectures").rglob("*.yaml"))


def schema_line(path: Path) -> str:
    """The first line of a lecture: its editor's schema, relative to the lecture's folder."""
    return f"# yaml-language-server: $schema={os.path.relpath(ROOT / 'docs' / 'lecture.schema.json', path.parent)}"


def test_there_is_a_lecture_per_core_kind():
    kinds = set()
    for path in LECTURES:
        kinds |= {s.visual.kind for s in load_lecture(path).lecture.segments}
    assert {"title", "vectors", "basis_change", "gradient_descent", "linear_regression",
            "pca_projection"} <= kinds


@pytest.mark.parametrize("path", LECTURES, ids=[p.name for p in LECTURES])
def test_lecture_validates(path):
    loaded = load_lecture(path)  # raises LectureError with located problems
    segments = loaded.lecture.segments
    assert path.read_text(encoding="utf-8").splitlines()[0] == schema_line(path)
    assert 5 <= len(segments) <= 9
    assert segments[0].visual.kind == "title"
    cued = [s for s in segments if isinstance(s.narration, list)]
    assert len(cued) >= len(segments) // 2, "most segments attach their narration to beats"
    for segment in segments:
        visual = loaded.visual(segment)
        assert list(visual.check()) == []


def test_demo_lecture_is_a_short_showcase():
    path = next(p for p in LECTURES if p.name == "02-changing-basis.yaml")
    lecture = load_lecture(path).lecture
    kinds = [s.visual.kind for s in lecture.segments]
    assert kinds[0] == "title" and "basis_change" in kinds and "vectors" in kinds
    words = sum(len((s.narration if isinstance(s.narration, str) else
                     " ".join(c.say for c in s.narration)).split()) for s in lecture.segments)
    # at the default 165 words per minute, plus pauses: about 60 to 90 seconds
    assert 150 <= words <= 240, words


def test_validating_the_lectures_does_not_import_manim():
    import subprocess
    import sys

    code = ("import sys\nfrom mmlanim.lecture import load_lecture\n"
            f"for p in {[str(p) for p in LECTURES]!r}:\n    load_lecture(p)\n"
            "print('manim' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
