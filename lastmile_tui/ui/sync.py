"""Sync from the app: "Sync now" in the palette, on start and every N minutes (``[sync] every``),
and what the board's header says of it ("synced 14:02", "syncing…", "sync failed").

The sync itself is ``sync/``'s, with the settings resolved as ``lastmile sync`` resolves them.
It runs in a Textual thread worker (the caldav client blocks), one at a time, on a ``Store`` of
its own opened on the same database file (an sqlite3 connection belongs to its thread; the busy
timeout covers the moments both write). The worker touches no widget: it returns what happened,
and the app handles that on its own thread (``Worker.StateChanged``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState, get_current_worker

from lastmile_tui.config import SyncConfig
from lastmile_tui.domain.errors import LastmileError, NoSuchCalendar

if TYPE_CHECKING:
    from lastmile_tui.store.reader import Clock
    from lastmile_tui.sync.caldav_sync import Report
    from lastmile_tui.ui.host import SyncHost

WORKER_NAME = "sync"
ABANDON_CHECK = 0.1
"""How often (seconds) a running sync looks whether the app is quitting, and lets it go."""


@dataclass
class Outcome:
    """What one sync in the worker came to: a *report*, or the one line that says why not."""

    report: Report | None = None
    problem: str = ""
    automatic: bool = False
    configured: bool = False


def run_sync(db: Path, clock: Clock, config_path: Path | None, *, automatic: bool) -> Outcome:
    """One whole sync, as the worker thread runs it: read ``[sync]`` again (an edit since the app
    opened counts), run the password command (with no keyboard: the app has it), open a store of
    this thread's own, sync. Never raises: every failure is one line."""
    from lastmile_tui.store.store import Store
    from lastmile_tui.sync.caldav_sync import sync
    from lastmile_tui.sync.settings import resolve

    config = SyncConfig.load(config_path)
    outcome = Outcome(automatic=automatic, configured=bool(config.url))
    try:
        settings = resolve(config, terminal=False)
        with Store(db, clock=clock, create=False) as store:
            outcome.report = sync(store, settings, now=clock)
    except NoSuchCalendar as exc:
        outcome.problem = f"{exc}; make it once with: lastmile sync --create"
    except LastmileError as exc:
        outcome.problem = str(exc)
    except Exception as exc:  # noqa: BLE001 - the app keeps running, and says what stopped it
        outcome.problem = f"the sync stopped: unexpected error {exc!r}"
    return outcome


class AppSync:
    """The app's syncs and what its header says of them."""

    def __init__(self, app: SyncHost, config_path: Path | None) -> None:
        self.app = app
        self.config_path = config_path
        self.configured = False
        self.running = False
        self.failed = False
        self.last_sync: str | None = None
        self.timer: object | None = None
        self._last_problem = ""

    # -- starting ------------------------------------------------------------------------------

    def start(self) -> None:
        """When the app opens: see whether sync is configured; with ``every``, sync now and then
        every N minutes. A nonsense ``every`` is one line, and no timer."""
        from lastmile_tui.domain.errors import SyncSettingsProblem
        from lastmile_tui.sync.settings import every_minutes

        config = SyncConfig.load(self.config_path)
        self.configured = bool(config.url)
        self.read_last_sync()
        try:
            minutes = every_minutes(config.every)
        except SyncSettingsProblem as exc:
            self.app.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        if minutes is not None:
            self.timer = self.app.set_interval(minutes * 60, self.automatic, name="sync every")
            self.automatic()

    def automatic(self) -> None:
        """The timer's (and the start's) sync: quiet when nothing came in, and skipped while one runs."""
        self.now(automatic=True)

    def now(self, *, automatic: bool = False) -> None:
        """Start a sync in a thread worker, unless one is running already (then say so)."""
        if self.running:
            if not automatic:
                self.app.notify("A sync is running already: its summary comes when it is done.",
                                severity="warning")
            return
        self.running = True
        self.app.refresh_header()
        self.app.run_worker(partial(self._work, automatic), name=WORKER_NAME, group=WORKER_NAME,
                            thread=True, exit_on_error=False)

    def _work(self, automatic: bool) -> Outcome | None:
        """The worker: the sync runs in a daemon thread of its own, which the worker waits for,
        so that quitting the app (which cancels the worker) is not held up by a slow server; an
        abandoned sync is safe, as a server gone mid-sync is: the next one picks up from there."""
        worker = get_current_worker()
        store = self.app.store
        done: list[Outcome] = []
        thread = threading.Thread(
            target=lambda: done.append(run_sync(store.path, store.clock, self.config_path,
                                                automatic=automatic)),
            name="lastmile sync", daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(ABANDON_CHECK)
            if worker.is_cancelled:
                return None
        return done[0] if done else Outcome(problem="the sync stopped unexpectedly", automatic=automatic)

    # -- finishing -------------------------------------------------------------------------------

    def on_state_changed(self, worker: Worker[Outcome | None], state: WorkerState) -> bool:
        """The app's ``Worker.StateChanged`` (*state* is the message's: the worker may be further
        on by the time it is handled): True when it was a sync's end (now handled)."""
        if worker.name != WORKER_NAME or state not in (
                WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return False
        self.running = False
        if state is WorkerState.CANCELLED:  # the app is closing: nothing left to show
            return True
        outcome = worker.result if state is WorkerState.SUCCESS else None
        self.finished(outcome or Outcome(problem=f"the sync stopped: unexpected error {worker.error!r}"))
        return True

    def finished(self, outcome: Outcome) -> None:
        """Reload the board (new tasks, claims), update the header, and say what happened."""
        from lastmile_tui.sync.summary import detail_lines, summary_line

        self.configured = outcome.configured or self.configured
        self.failed = bool(outcome.problem)
        self.read_last_sync()
        self.app.reload_board()
        if outcome.problem:
            if not (outcome.automatic and outcome.problem == self._last_problem):
                self.app.notify(outcome.problem, title="Sync failed", severity="error", timeout=10,
                                markup=False)
            self._last_problem = outcome.problem
            return
        self._last_problem = ""
        report = outcome.report
        if report is None:
            return
        news = report.added or report.updated or report.conflicts or report.skipped or report.dropped
        if outcome.automatic and not news:
            return
        warn = report.conflicts or report.skipped
        named = detail_lines(report)  # the same words as lastmile sync; the first few of them
        if len(named) > 3:
            named = [*named[:3], f"… and {len(named) - 3} more"]
        self.app.notify("\n".join([*named, summary_line(report)]), markup=False,
                        severity="warning" if warn else "information", timeout=10 if warn else None)

    # -- the header --------------------------------------------------------------------------------

    def read_last_sync(self) -> None:
        """When the last sync completed, from the database (a ``lastmile sync`` elsewhere counts)."""
        if not self.configured:
            return
        try:
            found = self.app.store.sync_state().get("last_sync")
        except LastmileError:
            found = None
        if found is not None and found != self.last_sync:
            self.failed = False  # a sync completed since (here, or lastmile sync in a shell)
        self.last_sync = found

    def header(self) -> tuple[str, str] | None:
        """(words, style) for the board's header; None when sync is not configured."""
        from lastmile_tui.sync.summary import last_synced

        if not self.configured:
            return None
        if self.running:
            return "syncing…", "$accent"
        if self.failed:
            return "sync failed", "bold $error"
        return last_synced(self.last_sync, self.app.store.clock()), "$text-muted"
