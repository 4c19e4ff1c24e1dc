"""A database in a read-only place can still be read; writing commands fail clearly and write nothing.

lastmile reads "read-only" from the permission bits, so ``chmod a-w`` is
respected even by root (who could otherwise write anyway): these tests mean
the same thing as root or as a user.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from lastmile_tui.store import connection
from lastmile_tui.store.store import Store
from tests.oracles.store import summaries
from tests.safety.conftest import fingerprint, run_main
from tests.unit.test_store import make_v1_database

WRITES = [("add", "x"), ("done", "1", "--confirm"), ("edit", "1", "--title", "y"),
          ("check", "1", "1"), ("drop", "1"), ("undo",)]


def read_only(*paths: Path) -> None:
    for p in paths:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)  # so pytest can clean up
    for p in folder.iterdir():
        p.chmod(0o644)


def seeded(path: Path) -> None:
    with Store(path) as store:
        store.add("Read me 🚀", final_step="ship", steps=["one"], tags=["work"])
        store.add("Second")


@pytest.mark.parametrize("what", ["file and folder", "file", "folder"])
def test_listed_but_never_written(folder, what):
    path = folder / "lastmile.db"
    seeded(path)
    read_only(*{"file and folder": [path, folder], "file": [path], "folder": [folder]}[what])
    before = fingerprint(path)

    r = run_main(path, "list", "--json")
    assert r.code == 0, r.err
    assert [t["title"] for t in json.loads(r.out)] == ["Read me 🚀", "Second"]
    assert run_main(path, "show", "1").code == 0
    assert run_main(path, "export").code == 0
    assert fingerprint(path) == before  # not even -wal or -shm files appear

    reason = "the file is read-only" if "file" in what else "its folder is read-only"
    export = folder.parent / "export.json"
    export.write_text('{"format": "lastmile", "version": 1, "tasks": []}')
    for args in [*WRITES, ("import", str(export))]:
        r = run_main(path, *args)
        assert r.code == 2, (args, r)
        assert f"can only be read ({reason}); nothing was changed" in r.err, (args, r.err)
        assert len(r.err.splitlines()) == 1
        assert fingerprint(path) == before, args


def test_backup_of_a_read_only_database_goes_elsewhere(folder, tmp_path):
    path = folder / "lastmile.db"
    seeded(path)
    read_only(path, folder)
    r = run_main(path, "backup")
    assert r.code == 2 and "cannot write the backup" in r.err
    r = run_main(path, "backup", str(tmp_path))
    assert r.code == 0, r.err
    copy = next(tmp_path.glob("lastmile.db.backup-*"))
    with Store(copy) as store:
        assert [t.title for t in summaries(store)] == ["Read me 🚀", "Second"]


def test_the_store_says_it_is_read_only(folder):
    path = folder / "lastmile.db"
    seeded(path)
    read_only(path)
    with Store(path) as store:
        assert store.read_only and store.read_only_reason == "the file is read-only"
        assert store.get(1).title == "Read me 🚀"
        assert store.data_version() == store.data_version()
        with pytest.raises(connection.DatabaseProblem, match="can only be read"):
            store.add("x")


def test_an_old_database_that_needs_an_upgrade_but_cannot_be_written(folder):
    path = folder / "old.db"
    make_v1_database(path)
    read_only(path)
    before = fingerprint(path)
    with pytest.raises(connection.DatabaseProblem, match="needs an upgrade .* but the file is read-only"):
        Store(path)
    assert fingerprint(path) == before


def test_a_new_database_in_a_read_only_folder(folder):
    read_only(folder)
    r = run_main(folder / "lastmile.db", "add", "x")
    assert r.code == 2 and "its folder is read-only" in r.err
    assert list(folder.iterdir()) == []


def test_a_link_into_a_read_only_folder_is_judged_by_the_real_folder(folder, tmp_path):
    """As root, SQLite could write there; the link's own folder being writable changes nothing."""
    path = folder / "lastmile.db"
    seeded(path)
    read_only(folder)
    link = tmp_path / "link.db"
    link.symlink_to(path)
    before = fingerprint(path)
    r = run_main(link, "add", "x")
    assert r.code == 2 and "can only be read (its folder is read-only)" in r.err, r.err
    assert fingerprint(path) == before
    assert run_main(link, "list").code == 0 and fingerprint(path) == before


def test_a_dangling_link_into_a_read_only_folder_creates_nothing(folder, tmp_path):
    read_only(folder)
    link = tmp_path / "link.db"
    link.symlink_to(folder / "lastmile.db")
    r = run_main(link, "add", "x")
    assert r.code == 2 and "its folder is read-only" in r.err
    assert list(folder.iterdir()) == []


def test_no_folder_is_made_inside_a_read_only_folder(folder):
    read_only(folder)
    r = run_main(folder / "sub" / "deeper" / "lastmile.db", "add", "x")
    assert r.code == 2 and r.err.count("\n") == 1
    assert f"{folder} is read-only; nothing was created" in r.err
    assert list(folder.iterdir()) == []


def test_missing_folders_in_a_writable_place_are_still_made(tmp_path):
    path = tmp_path / "a" / "b" / "lastmile.db"
    r = run_main(path, "add", "x")
    assert r.code == 0 and path.exists()
