"""Every part of lastmile the benchmarks reach into, in one place.

When the store or the ui move things, re-pointing the suite is an edit here
and nowhere else. The store is imported at the top, as
the suite always did: every figure needs it, and the probes' children load it
before they start their clocks. The ui is imported only when a figure asks for
it, so the parent process never loads Textual.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Any

from lastmile_tui.formats.lastmile_json import FORMAT, VERSION
from lastmile_tui.store.interchange import Rows, to_rows, write_export
from lastmile_tui.store.interchange import read as read_export
from lastmile_tui.store.store import Store

__all__ = ["FORMAT", "VERSION", "Rows", "Store", "make_board", "open_tasks", "page_size", "read_export",
           "to_rows", "write_export"]


def make_board(db: Path, config_file: Path) -> Any:
    """The app as ``lastmile`` opens it on *db*, its config kept in *config_file*; no polling."""
    from lastmile_tui.config import Config
    from lastmile_tui.ui.app import make_app

    return make_app(Store(db), config=Config(path=config_file), poll_interval=3600)


def page_size() -> int:
    """How many rows the board reads at once (its first page)."""
    from lastmile_tui.ui.paging import PAGE

    return PAGE


def open_tasks(db: Path) -> list[tuple[int, int | None]]:
    """Every open task with a final step, by id: ``(id, number of its first unchecked step or None)``,
    for the figures that must act on a fresh task each run."""
    import sqlite3

    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return connection.execute(
            "SELECT task.id, min(step.position) + 1 FROM task "
            "LEFT JOIN step ON step.task_id = task.id AND step.done_at IS NULL "
            "WHERE task.status = 'open' AND task.final_step != '' "
            "GROUP BY task.id ORDER BY task.id").fetchall()
