"""User-facing errors: every problem in a lecture points at a file, line and column."""

from __future__ import annotations

__all__ = ["Problem", "LectureError", "UserError"]

from dataclasses import dataclass
from pathlib import Path


class UserError(Exception):
    """An error caused by the user's input or environment.

    The CLI prints its message and exits with status 1, without a traceback.
    """


@dataclass(frozen=True)
class Problem:
    """One problem found in a lecture file.

    Attributes
    ----------
    path : str
        The lecture file, as the user named it.
    line, col : int
        1-based position of the offending YAML node.
    message : str
        What is wrong, in the author's terms.
    source_line : str or None
        The text of the offending line, shown under the message with a caret.
    """

    path: str
    line: int
    col: int
    message: str
    source_line: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    def render(self, *, context: bool = True) -> str:
        """The one-line form, followed by the source line and a caret."""
        text = str(self)
        if context and self.source_line is not None:
            src = self.source_line.rstrip("\n").expandtabs(1)
            text += f"\n    {src}\n    {' ' * (self.col - 1)}^"
        return text

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message}


class LectureError(UserError):
    """A lecture file failed to load or validate; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, path: str | Path, line: int, col: int, message: str) -> LectureError:
        return cls([Problem(str(path), line, col, message)])
