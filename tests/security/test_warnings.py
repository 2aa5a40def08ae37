"""Warnings: located like problems, printed by validate and render, never an error."""

from __future__ import annotations

import pytest

from mmlanim.errors import Problem
from mmlanim.lecture import load_lecture, validate_file
from mmlanim.progress import NullReporter
from mmlanim.render.pipeline import RenderOptions, render_lecture

PROBE = """
    title: T
    segments:
      - id: calm
        narration: Hi.
        visual: {kind: security_probe}
      - id: loud
        narration: Hi.
        visual:
          kind: security_probe
          warn: true
    """

DIVERGING = """
    title: T
    segments:
      - id: climb
        narration: Too large a step.
        visual:
          kind: gradient_descent
          function: x**2 + 10*y**2
          domain: [[-3, 3], [-2.5, 2.5]]
          start: [-2.5, 0.8]
          learning_rate: 1
          steps: 20
          levels: 2
          field: none
    """



class Recorder(NullReporter):
    """A reporter that remembers what it was told, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def note(self, text: str) -> None:
        self.events.append(("note", text))

    def start(self, total: int, cached: int) -> None:
        self.events.append(("start", total))


def test_warnings_are_located_and_apart_from_problems(probe_kind, write_lecture):
    path = write_lecture(PROBE)
    loaded = load_lecture(path)
    assert loaded.warnings == [Problem(str(path), 10, 13, "warning: this probe warns [on purpose]",
                                       "      warn: true")]
    collected: list[Problem] = []
    assert validate_file(path, warnings=collected) == []
    assert collected == loaded.warnings
    assert validate_file(path) == []


def test_render_notes_the_warnings_before_rendering(probe_kind, write_lecture):
    path = write_lecture(PROBE)
    reporter = Recorder()
    result = render_lecture(path, RenderOptions(dry_run=True, voice={"engine": "silent"}, resolution=(64, 36),
                                                quality="l", jobs=1, out_dir=path.parent / "out"), reporter)
    assert [s.id for s in result.segments] == ["calm", "loud"]
    assert reporter.events[0] == ("note", f"{path}:10:13: warning: this probe warns [on purpose]")
    assert reporter.events.index(("start", 2)) > 0
    assert not (path.parent / "out").exists()


def test_validate_prints_warnings_and_exits_0(probe_kind, cli, write_lecture):
    path = write_lecture(PROBE)
    result = cli("validate", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 lecture valid, 1 warning\n"
    assert result.stderr.splitlines() == [f"{path}:10:13: warning: this probe warns [on purpose]",
                                          "          warn: true", "                ^"]


def test_a_diverging_descent_validates_with_a_located_warning(cli, write_lecture):
    path = write_lecture(DIVERGING)
    result = cli("validate", str(path))
    assert result.exit_code == 0, result.output
    [head] = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert head.startswith(f"{path}:10:22: warning: ") and "diverge" in head


@pytest.mark.render
def test_a_diverging_descent_renders(write_lecture):
    path = write_lecture(DIVERGING)
    loaded = load_lecture(path)
    visual = loaded.visual(loaded.lecture.segments[0])
    assert visual._descent(visual._function()).diverged  # the lecture really diverges
    result = render_lecture(path, RenderOptions(dry_run=True, voice={"engine": "silent"}, resolution=(64, 36),
                                                quality="l", jobs=1, out_dir=path.parent / "out"))
    assert [s.id for s in result.segments] == ["climb"]
