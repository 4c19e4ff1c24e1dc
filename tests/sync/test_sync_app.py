"""Sync from the app, against the real Radicale: "Sync now" in the palette, the header's words,
``[sync] every``, failures as one line while the app keeps running, and a board that answers keys
while a slow server keeps the sync waiting."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lastmile_tui.config import Config
from lastmile_tui.store.store import Store
from lastmile_tui.sync.caldav_sync import sync
from lastmile_tui.ui.app import LastmileApp, make_app
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.widgets.task_list import TaskList

from .conftest import PASSWORD, USER

NOW = datetime(2026, 11, 30, 14, 2)


class Laptop:
    """A lastmile database, its config.toml, and the app on them (not yet running)."""

    def __init__(self, folder: Path) -> None:
        self.config = folder / "config" / "config.toml"
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.now = NOW
        self.store = Store(folder / "laptop.db", clock=lambda: self.now, create=True)

    def configure(self, **sync: str) -> None:
        table = "".join(f'{key} = "{value}"\n' for key, value in sync.items())
        self.config.write_text(f'theme = "textual-dark"\n\n[sync]\n{table}', encoding="utf-8")

    def app(self) -> LastmileApp:
        return make_app(self.store, config=Config.load(self.config), poll_interval=0.2)


@pytest.fixture
def laptop_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LASTMILE_SYNC_PASSWORD", PASSWORD)
    machine = Laptop(tmp_path / "laptop-app")
    yield machine
    machine.store.close()


def header(app: LastmileApp) -> str:
    return app.screen.query_one("#counts").render().plain


def screen_text(app: LastmileApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notes(app: LastmileApp) -> list[str]:
    return [n.message for n in app._notifications]


async def until_synced(pilot, app: LastmileApp, timeout: float = 20) -> None:
    """Let the worker finish and the app handle what it returned."""
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while app.sync.running:
        assert time.monotonic() < deadline, "the sync did not finish"
        await pilot.pause(0.05)
    await pilot.pause()


async def sync_from_palette(pilot) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"sync now")
    await pilot.pause(0.3)
    assert "Sync now" in screen_text(pilot.app)
    assert "with the CalDAV server in config.toml's [sync]" in screen_text(pilot.app)  # not markup
    await pilot.press("enter")
    await pilot.pause()


async def test_sync_now_brings_in_a_task_added_elsewhere_and_the_header_says_when(
        laptop_app, desktop, radicale, settings):
    desktop.store.add("Send the invoice", final_step="email the PDF", steps=["export hours"])
    desktop.sync()  # makes the calendar, and sends the task
    laptop_app.configure(url=radicale.url, username=USER, calendar=settings.calendar)
    app = laptop_app.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert header(app).rstrip().endswith("never synced")
        await sync_from_palette(pilot)
        assert app.sync.running or notes(app), "the palette's Sync now did not start a sync"
        await until_synced(pilot, app)
        assert [t.title for t in laptop_app.store.all_tasks()] == ["Send the invoice"]
        assert app.screen.query_one(TaskList).highlighted_id == 1  # on the board, no restart
        line = header(app)
        assert line.rstrip().endswith("synced 14:02") and len(line) <= 80
        summary = [n for n in notes(app) if n.startswith("Synced:")]
        assert len(summary) == 1 and summary[0].startswith("Synced: 1 added here, 0 updated here, 0 sent")
        assert "\n" not in summary[0]
        # the next day, the header says so
        laptop_app.now = datetime(2026, 12, 1, 9, 0)
        app.reload_board()
        assert header(app).rstrip().endswith("synced yesterday")


async def test_a_wrong_password_is_one_line_the_app_keeps_running_and_the_next_sync_mends_it(
        laptop_app, desktop, radicale, settings, monkeypatch):
    desktop.store.add("Pay rent", final_step="check the bank")
    desktop.sync()
    laptop_app.configure(url=radicale.url, username=USER, calendar=settings.calendar)
    monkeypatch.setenv("LASTMILE_SYNC_PASSWORD", "wrong")
    app = laptop_app.app()
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await pilot.pause()
        app.action_sync_now()
        await until_synced(pilot, app)
        failed = notes(app)
        assert len(failed) == 1 and "refused user 'alice'" in failed[0] and "\n" not in failed[0]
        assert header(app).rstrip().endswith("sync failed")
        assert list(laptop_app.store.all_tasks()) == []
        assert app.is_running and isinstance(app.screen, BoardScreen)
        # a good lastmile sync in another terminal clears "sync failed" (a tester found it kept)
        with Store(laptop_app.store.path, clock=laptop_app.store.clock) as shell:
            sync(shell, settings, now=laptop_app.store.clock)
        app.reload_board()  # what the app's poll does when another program wrote
        await pilot.pause()
        assert header(app).rstrip().endswith("synced 14:02")
        monkeypatch.setenv("LASTMILE_SYNC_PASSWORD", PASSWORD)
        app.action_sync_now()
        await until_synced(pilot, app)
        assert header(app).rstrip().endswith("synced 14:02")
        assert [t.title for t in laptop_app.store.all_tasks()] == ["Pay rent"]


async def test_every_syncs_on_start_then_on_its_timer_quietly_unless_something_came(
        laptop_app, desktop, radicale, settings):
    desktop.store.add("First", final_step="done it")
    desktop.sync()
    laptop_app.configure(url=radicale.url, username=USER, calendar=settings.calendar, every="15m")
    app = laptop_app.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until_synced(pilot, app)  # on start
        assert [t.title for t in laptop_app.store.all_tasks()] == ["First"]
        timer = app.sync.timer
        assert timer is not None and timer._interval == 15 * 60
        assert len([n for n in notes(app) if n.startswith("Synced: 1 added")]) == 1
        app.sync.automatic()  # nothing new: no notification
        await until_synced(pilot, app)
        assert len(notes(app)) == 1
        desktop.advance(5)
        desktop.store.add("Second", final_step="done that")
        desktop.sync()
        app.sync.automatic()  # what the timer calls
        await until_synced(pilot, app)
        assert sorted(t.title for t in laptop_app.store.all_tasks()) == ["First", "Second"]
        assert notes(app)[-1].startswith("Synced: 1 added here")
        assert "Second" in screen_text(app)


async def test_settings_problems_are_one_line_each_and_not_configured_shows_nothing(laptop_app, monkeypatch):
    laptop_app.store.add("Something", final_step="finish it")
    app = laptop_app.app()  # no [sync] at all
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert "sync" not in header(app)
        app.action_sync_now()
        await until_synced(pilot, app)
        assert notes(app) == ["sync needs a server and a user: set [sync] url and username in config.toml"]
        assert "sync" not in header(app)
    laptop_app.configure(url="http://127.0.0.1:9/", username=USER, every="soon")
    app = laptop_app.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert notes(app) == ["[sync] every = 'soon' in config.toml: write how often as minutes or hours, "
                              'e.g. "15m" or "1h"']
        assert app.sync.timer is None and not app.sync.running
        assert header(app).rstrip().endswith("never synced")
    monkeypatch.delenv("LASTMILE_SYNC_PASSWORD")
    laptop_app.configure(url="http://127.0.0.1:9/", username=USER, password_cmd="false")
    app = laptop_app.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.action_sync_now()
        await until_synced(pilot, app)
        assert notes(app) == ["the password command 'false' failed (exit 1)"]
        assert header(app).rstrip().endswith("sync failed")
        assert app.is_running


class _Slow(BaseHTTPRequestHandler):
    """A server that takes its time, then refuses everyone."""

    delay = 1.5

    def _answer(self) -> None:
        time.sleep(self.delay)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="slow"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PROPFIND = do_REPORT = do_PUT = do_OPTIONS = _answer

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def slow_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


async def test_the_board_answers_keys_while_a_slow_server_keeps_the_sync_waiting(laptop_app, slow_server):
    for title in ("One", "Two", "Three"):
        laptop_app.store.add(title, final_step="finish")
    laptop_app.configure(url=slow_server, username=USER, calendar="tasks")
    app = laptop_app.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        tasks = app.screen.query_one(TaskList)
        first = tasks.highlighted_id
        started = time.monotonic()
        app.action_sync_now()
        await pilot.pause()
        assert header(app).rstrip().endswith("syncing…")
        await pilot.press("j", "j")
        await pilot.pause()
        assert time.monotonic() - started < 1.0 and app.sync.running  # answered during the wait
        assert tasks.highlighted_id != first
        app.action_sync_now()  # a second one while the first runs
        await pilot.pause()
        assert notes(app) == ["A sync is running already: its summary comes when it is done."]
        [worker] = [w for w in app.workers if w.name == "sync"]
        assert worker._thread_worker  # a thread: caldav blocks
        await until_synced(pilot, app)
        assert header(app).rstrip().endswith("sync failed")
        assert "refused user 'alice'" in notes(app)[-1]
