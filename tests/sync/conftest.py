"""A real Radicale CalDAV server for the sync tests, started and stopped by the tests themselves
(127.0.0.1, a free port, a temporary storage folder, htpasswd auth: Radicale's default is to
deny everyone), and "machines": lastmile databases, each with a clock the test moves."""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from lastmile_tui.store.store import Store
from lastmile_tui.sync.caldav_sync import Report, Settings, sync

pytest.importorskip("radicale", reason="the sync tests need Radicale: pip install -e '.[test]'")
pytest.importorskip("caldav")

USER, PASSWORD = "alice", "secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Radicale:
    """One Radicale process; ``stop`` and ``start`` again keep its port and its storage."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        (folder / "users").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", "",
             "--server-hosts", f"127.0.0.1:{self.port}",
             "--storage-filesystem-folder", str(self.folder / "storage"),
             "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(self.folder / "users"),
             "--auth-htpasswd-encryption", "plain"],
            stdout=subprocess.DEVNULL, stderr=(self.folder / "radicale.log").open("ab"),
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=1)  # noqa: S310 - our own local server
                return
            except urllib.error.HTTPError:
                return  # it answers (401: it wants a password)
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError((self.folder / "radicale.log").read_text()) from None
                time.sleep(0.05)
        raise RuntimeError("Radicale did not answer within 20 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    server.start()
    yield server
    server.stop()


_names = itertools.count(1)


class Machine:
    """A lastmile database synced with one calendar; its clock stands still until moved."""

    def __init__(self, path: Path, settings: Settings, now: datetime) -> None:
        self.now = now
        self.settings = settings
        self.store = Store(path, clock=lambda: self.now, create=True)

    def advance(self, minutes: float = 1) -> None:
        self.now += timedelta(minutes=minutes)

    def sync(self) -> Report:
        return sync(self.store, self.settings, now=lambda: self.now)

    def task(self, uid: str):
        return next(t for t in self.store.all_tasks() if t.uid == uid)


@pytest.fixture
def calendar_name() -> str:
    return f"tasks-{next(_names)}"


@pytest.fixture
def settings(radicale: Radicale, calendar_name: str) -> Settings:
    return Settings(radicale.url, USER, PASSWORD, calendar_name, create=True, timeout=10)


@pytest.fixture
def laptop(tmp_path: Path, settings: Settings) -> Iterator[Machine]:
    machine = Machine(tmp_path / "laptop.db", settings, datetime(2026, 11, 30, 9, 0))
    yield machine
    machine.store.close()


@pytest.fixture
def desktop(tmp_path: Path, settings: Settings) -> Iterator[Machine]:
    machine = Machine(tmp_path / "desktop.db", settings, datetime(2026, 11, 30, 9, 0))
    yield machine
    machine.store.close()


@pytest.fixture
def phone(radicale: Radicale, laptop: Machine):
    """The calendar as another app sees it, through the caldav library directly (after the laptop
    has made it with its first sync)."""
    import caldav

    def open_calendar():
        client = caldav.DAVClient(url=radicale.url, username=USER, password=PASSWORD)
        return client.principal().calendar(name=laptop.settings.calendar)

    return open_calendar
