"""Progress for long work: a bar on a terminal, per-step counts in the log elsewhere."""

from __future__ import annotations

import sys

from flows.pipeline import LogProgress, Progress


class BarProgress:
    """A rich progress bar per step (discover, fetch, extract and load, ...)."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        # Time left is measured on the step's own pace: at the SEC's 10 requests/s a long fetch step is
        # steady, so it converges on the estimate the run prints before it starts.
        self._bars = Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), transient=False)
        self._task = None

    def __enter__(self) -> BarProgress:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()

    def start(self, step: str, total: int | None) -> None:
        if self._task is not None:
            self._bars.update(self._task, completed=self._bars.tasks[-1].total or self._bars.tasks[-1].completed)
        self._task = self._bars.add_task(step, total=total)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._bars.advance(self._task, n)

    def note(self, message: str) -> None:
        self._bars.console.print(message)


def progress_for_terminal() -> Progress:
    return BarProgress() if sys.stderr.isatty() else LogProgress()
