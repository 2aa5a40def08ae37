"""Progress reporting for long work: one bar over the whole lecture.

The library reports through a :class:`Reporter`; the CLI picks the rich bar
or silence (``--quiet``).
"""

from __future__ import annotations

__all__ = ["NullReporter", "Reporter", "RichReporter"]

from typing import Any, Protocol


class Reporter(Protocol):
    def note(self, text: str) -> None: ...
    def start(self, total: int, cached: int) -> None: ...
    def segment_done(self, segment_id: str, cached: bool) -> None: ...
    def stage(self, text: str) -> None: ...
    def close(self) -> None: ...


class NullReporter:
    """Reports nothing (``--quiet`` and library use)."""

    def note(self, text: str) -> None:
        pass

    def start(self, total: int, cached: int) -> None:
        pass

    def segment_done(self, segment_id: str, cached: bool) -> None:
        pass

    def stage(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class RichReporter:
    """A rich progress bar on stderr: segments done of total, cached count, ETA."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self._progress: Any = None
        self._task: Any = None
        self._cached = 0

    def note(self, text: str) -> None:
        self.console.print(text, highlight=False, markup=False)

    def start(self, total: int, cached: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._cached = 0
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("segments · {task.fields[cached]} cached"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=not self.console.is_terminal,  # nothing is drawn elsewhere
        )
        self._progress.start()
        self._task = self._progress.add_task("rendering", total=total, cached=0)

    def segment_done(self, segment_id: str, cached: bool) -> None:
        if self._progress is None:
            return
        self._cached += int(cached)
        self._progress.update(self._task, advance=1, cached=self._cached)

    def stage(self, text: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=text)
        else:
            self.console.print(f"[dim]{text}[/dim]")

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
