"""The importer's progress bar: a rich bar for one large file at a time, on stderr when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PROGRESS_MIN_ROWS = 5000


class Bar:
    """A rich progress bar for one large file at a time; does nothing when disabled or for small files."""

    def __init__(self, progress: Any | None) -> None:
        self._progress = progress
        self._task: Any = None

    def start(self, name: str, lines: int) -> None:
        self.finish()
        if self._progress is not None and lines > PROGRESS_MIN_ROWS:
            # each row is counted twice: once when validated, once when written or found unchanged
            self._task = self._progress.add_task(name, total=2 * lines)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, n)

    def finish(self) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
            self._task = None


@contextmanager
def progress_bar(enabled: bool | None) -> Iterator[Bar]:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield Bar(None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Bar(progress)
