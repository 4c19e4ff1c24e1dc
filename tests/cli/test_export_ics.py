"""``lastmile export --format ics|vdir`` and ``lastmile import`` of iCalendar files and vdirs,
through the real command; and todoman, the real peer, reading and changing lastmile's vdir."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TODOMAN_VDIR = Path(__file__).resolve().parents[1] / "data" / "todoman-vdir"
BERLIN = {"TZ": "Europe/Berlin"}  # local times go out as UTC: convert somewhere that is not UTC


def sample(lastmile) -> None:
    """Every state: in progress with a checked step, confirmed and done, dropped, done elsewhere,
    notes, priorities and another app's properties (7 tasks)."""
    for args in (
        ["add", "Send invoice", "--final", "email PDF to client", "--step", "export hours",
         "--step", "make PDF", "--due", "2026-12-04 17:00", "--tag", "work", "--notes", "Net 30.\nThanks"],
        ["add", "Renew passport", "--final", "post the signed form", "--due", "2026-12-10", "+admin"],
        ["add", "Release v2.3", "--final", "tag and publish"],
        ["add", "Old idea"],
        ["check", "1", "1"],
        ["done", "3", "--confirm"],
        ["drop", "4", "--reason", "no longer needed"],
        ["import", str(TODOMAN_VDIR)],  # priorities, kept properties, one done in todoman
    ):
        r = lastmile(*args, env=BERLIN)
        assert r.code == 0, (args, r.err)


def comparable(lastmile, *db: str) -> list[dict]:
    """``lastmile export`` of a database without what iCalendar does not carry: ids, history,
    the import digest, the review mark, and time below the second."""
    r = lastmile(*db, "export", env=BERLIN)
    assert r.code == 0, r.err
    tasks = json.loads(r.out)["tasks"]
    for task in tasks:
        for key in ("id", "history", "source_hash", "reviewed_on"):
            task.pop(key)
        for key in ("created_at", "updated_at", "done_at", "final_step_confirmed_at"):
            if task[key]:
                task[key] = task[key][:19]
        for step in task["steps"]:
            step["done_at"] = step["done_at"] and step["done_at"][:19]
    return sorted(tasks, key=lambda t: t["uid"])


def test_export_ics_then_import_into_an_empty_database_loses_nothing(lastmile, tmp_path):
    sample(lastmile)
    target = tmp_path / "tasks.ics"
    r = lastmile("export", "--format", "ics", str(target), env=BERLIN)
    assert (r.code, r.out, r.err) == (0, f"Exported 7 tasks to {target}\n", "")
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.count("BEGIN:VTODO") == 7
    assert "PRODID:-//lastmile//EN\r\n" in text and "DUE:20261204T160000Z\r\n" in text

    other = ["--db", str(tmp_path / "other.db")]
    r = lastmile(*other, "import", str(target), env=BERLIN)
    assert r.code == 0, r.err
    assert r.out.splitlines()[:2] == [f"Reading {target} as iCalendar",
                                     "Imported from iCalendar: 7 added, 0 updated, 0 unchanged, 0 skipped"]
    assert comparable(lastmile, *other) == comparable(lastmile)
    again = lastmile(*other, "import", str(target), env=BERLIN)
    assert "0 added, 0 updated, 7 unchanged" in again.out


def test_export_to_stdout_and_refusing_to_overwrite(lastmile, tmp_path):
    sample(lastmile)
    out = lastmile("export", "--format", "ics")
    assert out.code == 0 and out.out.count("BEGIN:VTODO") == 7
    target = tmp_path / "tasks.ics"
    target.write_text("mine\n")
    r = lastmile("export", "--format", "ics", str(target))
    assert r.code == 2 and r.err.strip().endswith(f"{target} already exists; add --force to replace it")
    assert target.read_text() == "mine\n"
    assert lastmile("export", "--format", "ics", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8") == out.out  # both with newlines translated


def test_vdir_one_file_per_task_refused_before_anything_is_written(lastmile, tmp_path):
    sample(lastmile)
    folder = tmp_path / "tasks"
    r = lastmile("export", "--format", "vdir", str(folder))
    assert (r.code, r.out, r.err) == (0, f"Exported 7 tasks to {folder}\n", "")
    uids = sorted(task["uid"] for task in json.loads(lastmile("export").out)["tasks"])
    assert sorted(p.name for p in folder.iterdir()) == [f"{uid}.ics" for uid in uids]
    one = (folder / f"{uids[0]}.ics").read_bytes().decode("utf-8")
    assert one.count("BEGIN:VCALENDAR") == 1 and one.count("BEGIN:VTODO") == 1

    lastmile("edit", "1", "--title", "Send the invoice")
    (folder / "not-ours.txt").write_text("keep me")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    r = lastmile("export", "--format", "vdir", str(folder))
    assert r.code == 2 and len(r.err.splitlines()) == 1
    assert "already exists (and 6 more); add --force to replace them; nothing was written" in r.err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

    assert lastmile("export", "--format", "vdir", str(folder), "--force").code == 0
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after["not-ours.txt"] == b"keep me" and len(after) == 8
    assert sum(after[name] != before[name] for name in before) == 1  # only the edited task changed

    other = ["--db", str(tmp_path / "other.db")]
    (folder / "not-ours.txt").unlink()
    r = lastmile(*other, "import", str(folder))
    assert r.code == 0, r.err
    assert r.out.splitlines()[:2] == [f"Reading {folder} as a vdir (a folder of iCalendar files)",
                                     "Imported from iCalendar: 7 added, 0 updated, 0 unchanged, 0 skipped"]
    assert comparable(lastmile, *other) == comparable(lastmile)
    assert "0 added, 0 updated, 7 unchanged" in lastmile(*other, "import", str(folder)).out


def test_vdir_refusals_are_one_line(lastmile, tmp_path):
    sample(lastmile)
    a_file = tmp_path / "file.ics"
    a_file.write_text("x")
    for target, message in (
        (a_file, "is not a folder"),
        (tmp_path / "missing" / "tasks", "there is no folder"),
        (lastmile.db, "is not a folder"),
    ):
        r = lastmile("export", "--format", "vdir", str(target))
        assert r.code == 2 and message in r.err and len(r.err.splitlines()) == 1, r.err
        assert "Traceback" not in r.err
    r = lastmile("export", "--format", "vdir")
    assert r.code != 0 and "needs a folder" in r.err


def test_a_vdir_file_that_is_the_database_is_never_written(lastmile, tmp_path):
    """A link named like a task's file, pointing at the database: refused even with --force."""
    sample(lastmile)
    uid = json.loads(lastmile("export").out)["tasks"][0]["uid"]
    folder = tmp_path / "tasks"
    folder.mkdir()
    (folder / f"{uid}.ics").symlink_to(lastmile.db)
    size = lastmile.db.stat().st_size
    r = lastmile("export", "--format", "vdir", str(folder), "--force")
    assert r.code != 0 and "database" in r.err and len(r.err.splitlines()) == 1, r.err
    assert lastmile.db.stat().st_size == size and len(list(folder.iterdir())) == 1


def test_importing_todomans_own_files(lastmile, tmp_path):
    """Files todoman 4.7 wrote: standard properties only; the one done there arrives done elsewhere."""
    r = lastmile("import", str(TODOMAN_VDIR), env=BERLIN)
    assert r.code == 0, r.err
    assert "3 added" in r.out
    tasks = {t["title"]: t for t in json.loads(lastmile("export").out)["tasks"]}
    assert tasks["Return library books"]["status"] == "done"
    assert tasks["Return library books"]["done_elsewhere"] == "another calendar app"
    assert tasks["Return library books"]["final_step_confirmed_at"] is None
    train = tasks["Book train tickets"]
    assert (train["priority"], train["tags"], train["due"]) == ("H", ["errands", "travel-plans"],
                                                                "2026-12-05 18:00")
    assert train["notes"] == "Seats by the window.\nCheck the railcard first."
    assert "LOCATION:Main station" in train["extra"]
    shown = lastmile("show", str(train["id"]))
    assert shown.code == 0
    out = lastmile("export", "--format", "ics").out
    assert "LOCATION:Main station\n" in out and "SEQUENCE:2\n" in out  # kept, written back


def test_bad_ics_names_the_vtodo_and_creates_nothing(lastmile, tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:a\r\nSUMMARY:fine\r\nEND:VTODO\r\n"
                   "BEGIN:VTODO\r\nUID:b\r\nSUMMARY:bad\r\nDUE:someday\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    target = tmp_path / "new.db"
    r = lastmile("--db", str(target), "import", str(bad))
    assert r.code == 2 and len(r.err.splitlines()) == 1 and "Traceback" not in r.err
    assert "VTODO 2 (UID b): a property lastmile cannot read" in r.err and "nothing was imported" in r.err
    assert not target.exists()
    folder = tmp_path / "vdir"
    folder.mkdir()
    (folder / "b.ics").write_text("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:b\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    r = lastmile("--db", str(target), "import", str(folder))
    assert r.code == 2 and "b.ics, VTODO 1 (UID b): it has no SUMMARY" in r.err
    assert not target.exists()
    r = lastmile("--db", str(target), "import", "--from", "todotxt", str(folder))
    assert r.code != 0 and "only --from ics reads a folder" in r.err


# -- todoman, the real peer ----------------------------------------------------------------


def todo_command() -> str | None:
    beside = Path(sys.executable).parent / "todo"
    return str(beside) if beside.exists() else shutil.which("todo")


TODO = todo_command()
needs_todoman = pytest.mark.skipif(
    TODO is None, reason="todoman's `todo` is not installed (pip install todoman, or the test extras)")


def todoman(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TODO, "--config", str(config), "--porcelain", *args], capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(config.parent),
                                                       "TZ": "Europe/Berlin"})


@needs_todoman
def test_todoman_lists_lastmiles_vdir_and_its_done_comes_back_unconfirmed(lastmile, tmp_path):
    sample(lastmile)
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    assert lastmile("export", "--format", "vdir", str(calendars / "lastmile")).code == 0
    config = tmp_path / "todoman.py"
    config.write_text(f'path = "{calendars}/*"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
                      f'default_list = "lastmile"\ncache_path = "{tmp_path}/todoman-cache.sqlite3"\n')
    listed = todoman(config, "list", "--status", "ANY")
    assert listed.returncode == 0, listed.stderr
    todos = {todo["summary"]: todo for todo in json.loads(listed.stdout)}
    assert set(todos) == {"Send invoice", "Renew passport", "Release v2.3", "Old idea", "Book train tickets",
                          "Water plants", "Return library books"}
    assert todos["Send invoice"]["categories"] == ["work"] and todos["Book train tickets"]["priority"] == 1
    assert todos["Release v2.3"]["completed"] and todos["Send invoice"]["percent"] == 33
    open_only = json.loads(todoman(config, "list").stdout)
    assert {todo["summary"] for todo in open_only} == {"Send invoice", "Renew passport", "Book train tickets",
                                                       "Water plants"}

    # ticked off in todoman: lastmile takes it as done elsewhere, never as its own confirmation
    done = todoman(config, "done", str(todos["Renew passport"]["id"]))
    assert done.returncode == 0, done.stderr
    r = lastmile("import", str(calendars / "lastmile"))
    assert r.code == 0 and "0 added, 1 updated, 6 unchanged" in r.out, r.out + r.err
    passport = next(t for t in json.loads(lastmile("export").out)["tasks"]
                    if t["title"] == "Renew passport")
    assert passport["status"] == "done" and passport["done_elsewhere"] == "another calendar app"
    assert passport["final_step"] == "post the signed form"  # todoman kept lastmile's properties
    assert passport["final_step_confirmed_at"] is None
    listed = lastmile("list", "--all").out
    line = next(row for row in listed.splitlines() if "Renew passport" in row)
    assert "done elsewhere, not confirmed" in line, listed
