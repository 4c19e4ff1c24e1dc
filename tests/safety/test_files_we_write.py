"""Files lastmile writes besides the database: exports, backups, pre-upgrade copies, config.toml.

Never onto the database or its side files; with the database's own permission
bits; whole or not at all, with no leftovers from killed runs; and a full disk
is named as such, on the side that is full.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from lastmile_tui.config import Config
from lastmile_tui.store.store import Store
from tests.cli.test_cli import rows
from tests.safety.conftest import count, python
from tests.unit.test_store import make_v1_database


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- item 7: never onto the database or its side files ---------------------------


SIDE = ["", "-wal", "-shm", "-journal"]


@pytest.mark.parametrize("suffix", SIDE)
def test_export_and_backup_refuse_the_database_and_its_side_files(lastmile, suffix):
    lastmile("add", "precious", "--final", "keep it")
    before = rows(lastmile.db)
    target = f"{lastmile.db}{suffix}"
    for args in (("export", target), ("export", "--force", target), ("backup", target)):
        r = lastmile(*args)
        assert r.code == 2, (args, r)
        assert "must go to another file" in r.err and len(r.err.splitlines()) == 1, (args, r.err)
    assert rows(lastmile.db) == before
    assert lastmile("list").out.count("precious") == 1


def test_export_onto_the_wal_of_a_database_in_use_is_refused(lastmile):
    """With another connection open the -wal file exists and holds committed tasks."""
    lastmile("add", "first")
    holder = sqlite3.connect(lastmile.db)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("INSERT INTO task (title, created_at, updated_at) VALUES ('in the log', 'x', 'x')")
    holder.commit()
    wal = Path(f"{lastmile.db}-wal")
    try:
        assert wal.stat().st_size > 0
        r = lastmile("export", "--force", str(wal))
        assert r.code == 2 and "is the write-ahead log of the database" in r.err
    finally:
        holder.close()
    assert count(lastmile.db) == 2


@pytest.mark.parametrize("suffix", SIDE)
def test_links_to_the_database_files_are_followed_before_the_check(lastmile, tmp_path, suffix):
    lastmile("add", "precious")
    before = rows(lastmile.db)
    link = tmp_path / "innocent.json"
    link.symlink_to(f"{lastmile.db}{suffix}")
    r = lastmile("export", "--force", str(link))
    assert r.code == 2 and "must go to another file" in r.err, r.err
    r = lastmile("backup", str(link))
    assert r.code == 2
    assert rows(lastmile.db) == before


def test_a_database_reached_through_a_link_protects_its_real_side_files(lastmile, tmp_path):
    lastmile("add", "precious")
    link = tmp_path / "elsewhere" / "link.db"
    link.parent.mkdir()
    link.symlink_to(lastmile.db)
    r = lastmile("--db", str(link), "export", f"{lastmile.db}-wal")
    assert r.code == 2 and "write-ahead log" in r.err


def test_a_hard_link_to_the_database_is_the_database(lastmile, tmp_path):
    lastmile("add", "precious")
    twin = tmp_path / "twin.json"
    os.link(lastmile.db, twin)
    r = lastmile("export", "--force", str(twin))
    assert r.code == 2 and "is the database" in r.err


# -- item 25: export refuses an existing file unless --force ---------------------


def test_export_refuses_an_existing_file_unless_forced(lastmile, tmp_path):
    lastmile("add", "one")
    target = tmp_path / "tasks.json"
    target.write_text("my notes, not an export\n")
    r = lastmile("export", str(target))
    assert r.code == 2 and r.err == (
        f"lastmile export: {target} already exists; add --force to replace it\n")
    assert target.read_text() == "my notes, not an export\n"
    r = lastmile("export", "--force", str(target))
    assert r.code == 0 and r.out == f"Exported 1 task to {target}\n"
    assert json.loads(target.read_text())["tasks"][0]["title"] == "one"


def test_forced_export_through_a_link_keeps_the_link(lastmile, tmp_path):
    lastmile("add", "one")
    real = tmp_path / "sync" / "tasks.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "tasks.json"
    link.symlink_to(real)
    assert lastmile("export", str(link)).code == 2
    assert lastmile("export", "--force", str(link)).code == 0
    assert link.is_symlink() and json.loads(real.read_text())["tasks"][0]["title"] == "one"


# -- item 8: copies and exports have the database's permission bits --------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644])
def test_backups_exports_and_upgrade_copies_keep_the_databases_mode(lastmile, tmp_path, mode):
    old_umask = os.umask(0o022)
    try:
        lastmile("add", "secret")
        lastmile.db.chmod(mode)
        assert lastmile("backup", str(tmp_path / "b.db")).code == 0
        assert lastmile("export", str(tmp_path / "e.json")).code == 0
        assert lastmile("backup").code == 0
        beside = next(lastmile.db.parent.glob(f"{lastmile.db.name}.backup-*"))
        assert [mode_of(p) for p in (tmp_path / "b.db", tmp_path / "e.json", beside)] == [mode] * 3

        old = tmp_path / "old" / "lastmile.db"
        old.parent.mkdir()
        make_v1_database(old)
        old.chmod(mode)
        Store(old).close()
        assert mode_of(old.with_name("lastmile.db.bak-v1")) == mode
    finally:
        os.umask(old_umask)


def test_a_backup_of_a_read_only_database_is_read_only_and_still_opens(tmp_path):
    path = tmp_path / "lastmile.db"
    with Store(path) as store:
        store.add("kept")
    path.chmod(0o444)
    with Store(path) as store:
        copy = store.backup(tmp_path / "copy.db")
    assert mode_of(copy) == 0o444 and count(copy) == 1


# -- item 9: leftovers of killed runs -----------------------------------------------


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_leftovers_of_killed_runs_are_removed_by_the_next_write_there(lastmile, tmp_path):
    lastmile("add", "x")
    folder = tmp_path / "out"
    folder.mkdir()
    dead = dead_pid()
    stale = [folder / f".tasks.json.partial-{dead}", folder / f".b.db.partial-{dead}",
             folder / f".b.db.partial-{dead}-journal"]
    alive = folder / f".tasks.json.partial-{os.getpid()}"  # a run still going: kept
    others = [folder / "notes.partial-1", folder / f".x.partial-{dead}.txt", folder / "keep.json"]
    for p in [*stale, alive, *others]:
        p.write_bytes(b"x" * 1000)
    assert lastmile("export", str(folder / "e.json")).code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [alive.name, *(p.name for p in others), "e.json"])
    for p in stale:  # and backup sweeps the same way
        p.write_bytes(b"x")
    assert lastmile("backup", str(folder)).code == 0
    assert not any(p.exists() for p in stale) and alive.exists()


# Starts a backup into argv[2] and stops for good half-way through copying.
HALF_BACKUP = """
import sqlite3, sys, time
from pathlib import Path
from lastmile_tui.store import backup

class Slow(sqlite3.Connection):
    def backup(self, target, **kw):
        print("copying", flush=True)
        time.sleep(600)

def connect(path, *, read_only, timeout_ms):
    return sqlite3.connect(path, factory=Slow)

backup.connect = connect
backup.copy_database(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_killed_backup_leaves_nothing_once_the_next_one_ran(tmp_path):
    path = tmp_path / "lastmile.db"
    with Store(path) as store:
        store.add("x")
    out = tmp_path / "copies"
    out.mkdir()
    proc = python(HALF_BACKUP, str(path), str(out / "first.db"))
    assert proc.stdout.readline().strip() == "copying", proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert [p.name for p in out.iterdir()] == [f".first.db.partial-{proc.pid}"]
    with Store(path) as store:
        second = store.backup(out)
    assert [p.name for p in out.iterdir()] == [second.name]


# -- item 10: a full disk says so, and names the disk that is full -------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs mounted for the test (needs root; skipped where mounting is not allowed)."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system holding *folder*, leaving about *leave* bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while True:
            try:
                os.write(fd, b"\0" * 4096)
            except OSError:
                break
        if leave:
            os.ftruncate(fd, max(0, filler.stat().st_size - leave))
    finally:
        os.close(fd)


def test_a_full_disk_under_the_database_is_named(lastmile, small_disk):
    db = small_disk / "lastmile.db"
    assert lastmile("--db", str(db), "add", "first").code == 0
    before = rows(db)
    fill(small_disk)
    for _ in range(3):  # the first may still fit in the log; soon nothing does
        r = lastmile("--db", str(db), "add", "x " * 200, "--notes", "n" * 4000)
        if r.code:
            break
    assert r.code == 2 and r.err == (
        f"lastmile add: the disk holding {small_disk} is full; nothing was changed\n"), r.err
    (small_disk / "filler").unlink()
    assert rows(db) == before


def test_a_backup_to_a_full_disk_blames_the_target_not_the_database(lastmile, small_disk):
    for n in range(4):
        lastmile("add", f"task {n}", "--notes", "n" * 9000)
    fill(small_disk, leave=8192)
    r = lastmile("backup", str(small_disk))
    assert r.code == 2 and len(r.err.splitlines()) == 1
    assert r.err.startswith(f"lastmile backup: the disk holding {small_disk} is full; "
                            "no copy was written to"), r.err
    assert str(lastmile.db) not in r.err
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no half copy left
    assert lastmile("list").code == 0


def test_an_export_to_a_full_disk_is_named(lastmile, small_disk):
    for n in range(2):
        lastmile("add", f"task {n}", "--notes", "n" * 9000)
    fill(small_disk)
    target = small_disk / "e.json"
    r = lastmile("export", str(target))
    assert r.code == 2 and r.err == (
        f"lastmile export: the disk holding {small_disk} is full; {target} was not written\n")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


# -- item 13: config.toml is replaced whole, and a link stays a link ----------------


def test_config_is_written_by_rename_not_in_place(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n')
    inode = path.stat().st_ino
    config = Config.load(path)
    config.theme = "gruvbox"
    assert config.save() is None
    assert path.stat().st_ino != inode and Config.load(path).theme == "gruvbox"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]

    def no_rename(*_args):  # a crash just before the rename: the old file is whole
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    config.theme = "dracula"
    assert "could not save settings" in (config.save() or "")
    assert Config.load(path).theme == "gruvbox"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_a_linked_config_replaces_the_linked_file_and_keeps_the_link(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "lastmile.toml"
    real.write_text('theme = "nord"\nsnooze_days = 3\n')
    real.chmod(0o600)
    inode = real.stat().st_ino
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    config = Config.load(link)
    config.theme = "gruvbox"
    assert config.save() is None
    assert link.is_symlink() and link.resolve() == real
    assert real.stat().st_ino != inode and mode_of(real) == 0o600
    assert Config.load(link).theme == "gruvbox" and Config.load(link).snooze_days == 3
    assert sorted(p.name for p in dotfiles.iterdir()) == ["lastmile.toml"]


def test_a_link_to_a_read_only_config_is_left_alone_and_says_why(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    real = store / "config.toml"
    real.write_text('theme = "nord"\n')
    real.chmod(0o444)
    store.chmod(0o555)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    try:
        config = Config.load(link)
        config.theme = "gruvbox"
        problem = config.save()
        assert problem == f"could not save settings to {link} (a link to {real}): it is read-only"
        assert real.read_text() == 'theme = "nord"\n' and link.is_symlink()
        assert sorted(p.name for p in store.iterdir()) == ["config.toml"]
    finally:
        store.chmod(0o755)
