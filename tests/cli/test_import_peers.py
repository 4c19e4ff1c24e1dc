"""Coming from Taskwarrior and todo.txt through the real ``lastmile`` command: the files the real
tools wrote (``tests/data/peers``, made by ``make_fixtures.sh``), merged into a database that
already has tasks, re-imported, changed, dry-run, piped, forced, and refused when half wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

PEERS = Path(__file__).parent.parent / "data" / "peers"
TW26 = PEERS / "taskwarrior-2.6.json"
TW3 = PEERS / "taskwarrior-3.json"
TODO = PEERS / "todo.txt"
BERLIN = {"TZ": "Europe/Berlin"}  # the zone make_fixtures.sh ran Taskwarrior in


def summary(out: str) -> str:
    return re.search(r"^(?:Imported|Dry run).*$", out, re.M).group(0)


def listed(lastmile) -> dict[str, dict]:
    return {t["title"] + ("" if t["status"] == "open" else f" [{t['status']}]"): t
            for t in json.loads(lastmile("list", "--all", "--json", "-n", "0").out)}


@pytest.fixture
def existing(lastmile):
    """A database with a task of its own, which every import must leave alone."""
    assert lastmile("add", "Already here", "--final", "ship it", "--tag", "mine").code == 0
    return lastmile


def test_taskwarrior_26_into_a_database_with_tasks(existing):
    lastmile = existing
    r = lastmile("import", str(TW26), env=BERLIN)
    assert r.code == 0, r.err
    assert r.out.startswith(f"Reading {TW26} as Taskwarrior JSON\n")
    assert "skipped tasks[7]: Obsolete idea (deleted in Taskwarrior)" in r.out
    assert "skipped tasks[3]: Water the plants (the template of a recurring series;" in r.out
    assert summary(r.out) == "Imported from Taskwarrior: 6 added, 0 updated, 0 unchanged, 2 skipped"
    assert r.err == ""
    tasks = listed(lastmile)
    assert tasks["Already here"]["id"] == 1 and tasks["Already here"]["tags"] == ["mine"]
    passport = tasks["Renew passport"]
    assert (passport["final_step"], passport["due"], passport["tags"]) == (
        "hand the form in at the town hall", "2030-01-15", ["home.admin", "errand"])
    assert tasks["Buy seeds"]["due"] == "2030-02-10 17:30"
    done = tasks["Read the old report [done]"]
    assert "done elsewhere, not confirmed" in done["reason"]

    shown = lastmile("show", str(done["id"])).out
    assert "done in Taskwarrior (imported; final step not confirmed in lastmile)" in shown
    assert "priority: M" in shown and "imported as done" in shown
    garden = lastmile("show", str(tasks["Plan the garden"]["id"])).out
    assert "wait: 2030-03-01 (waiting until 2030-03-01)" in garden and "priority: L" in garden
    passport_shown = lastmile("show", str(passport["id"])).out
    assert "taskwarrior: estimate=2h" in passport_shown and "photo booth is in the station" in passport_shown
    assert "depends on: Plan the garden" in lastmile("show", str(tasks["Buy seeds"]["id"])).out
    assert "waiting until 2030-03-01" in tasks["Plan the garden"]["reason"]


def test_reimport_adds_nothing_and_a_changed_file_updates(existing, tmp_path):
    lastmile = existing
    lastmile("import", str(TW26), env=BERLIN)
    r = lastmile("import", str(TW26), env=BERLIN)
    assert summary(r.out) == "Imported from Taskwarrior: 0 added, 0 updated, 6 unchanged, 2 skipped"

    records = json.loads(TW26.read_text())
    seeds = next(r for r in records if r["description"] == "Buy seeds")
    seeds_id = listed(lastmile)["Buy seeds"]["id"]
    lastmile("edit", str(seeds_id), "--final", "seeds in the shed")  # lastmile's own
    seeds["priority"] = "H"
    seeds["description"] = "Buy seeds and bulbs"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(records))
    r = lastmile("import", str(changed), env=BERLIN)
    assert summary(r.out) == "Imported from Taskwarrior: 0 added, 1 updated, 5 unchanged, 2 skipped"
    task = listed(lastmile)["Buy seeds and bulbs"]
    assert task["id"] == seeds_id and task["final_step"] == "seeds in the shed"
    assert "priority: H" in lastmile("show", str(seeds_id)).out


def test_dry_run_prints_and_writes_nothing(existing):
    lastmile = existing
    before = lastmile.db.read_bytes()
    r = lastmile("import", "--dry-run", str(TODO))
    assert r.code == 0, r.err
    assert "  would add: Call mum\n" in r.out and "  would add: Old report\n" in r.out
    assert summary(r.out) == ("Dry run of an import from todo.txt: 5 added, 0 updated, 0 unchanged, "
                              "0 skipped; nothing was changed")
    assert lastmile.db.read_bytes() == before
    lastmile("import", str(TODO))
    r = lastmile("import", "--dry-run", str(TODO))
    assert summary(r.out).startswith("Dry run of an import from todo.txt: 0 added, 0 updated, 5 unchanged")


def test_task_export_piped_in_with_from(lastmile):
    r = lastmile("import", "--from", "taskwarrior", "-", input=TW3.read_text(), env={"TZ": "UTC"})
    assert r.code == 0, r.err
    assert not r.out.startswith("Reading")  # forced: nothing to recognise
    assert summary(r.out) == "Imported from Taskwarrior: 5 added, 0 updated, 0 unchanged, 1 skipped"
    tasks = listed(lastmile)
    assert "Backup the laptop [done]" in tasks and "Backup the laptop" in tasks
    r = lastmile("import", "-", input=TW3.read_text(), env={"TZ": "UTC"})
    assert r.out.startswith("Reading standard input as Taskwarrior JSON\n")
    assert "0 added" in summary(r.out)


def test_from_forces_the_format(lastmile, tmp_path):
    odd = tmp_path / "tasks.json"
    odd.write_text('{"uuid": "a", "description": "looks like JSON"}\n')
    r = lastmile("import", "--from", "todotxt", str(odd))
    assert r.code == 0, r.err
    assert listed(lastmile)['{"uuid": "a", "description": "looks like JSON"}']


def test_todo_txt_then_the_same_line_completed_updates_it(existing, tmp_path):
    lastmile = existing
    lastmile("import", str(TODO))
    tasks = listed(lastmile)
    assert tasks["Renew passport"]["tags"] == ["home.admin", "@town"]
    assert "Old report [done]" in tasks
    lines = TODO.read_text().splitlines()
    lines[0] = "x 2026-12-01 " + lines[0]  # todo.sh do 1
    edited = tmp_path / "todo.txt"
    edited.write_text("\n".join(lines) + "\n")
    r = lastmile("import", str(edited))
    assert summary(r.out) == "Imported from todo.txt: 0 added, 1 updated, 4 unchanged, 0 skipped"
    shown = lastmile("show", str(tasks["Call mum"]["id"])).out
    assert "[done]" in shown and "done in todo.txt (imported; final step not confirmed in lastmile)" in shown


def test_export_todotxt_then_import_elsewhere_and_back(existing, tmp_path):
    lastmile = existing
    lastmile("import", str(TW26), env=BERLIN)
    target = tmp_path / "out.txt"
    r = lastmile("export", "--format", "todotxt", str(target))
    assert r.code == 0 and r.out == f"Exported 7 tasks to {target}\n"
    lines = target.read_text().splitlines()
    assert any(line.startswith("(A) ") and "Renew passport +home.admin +errand due:2030-01-15" in line
               for line in lines)
    assert any(line.startswith("x ") and "Read the old report +work pri:B" in line for line in lines)
    again = lastmile("export", "--format", "todotxt", str(target))
    assert again.code != 0 and "exists" in again.err and len(again.err.splitlines()) == 1

    r = lastmile("import", str(target))  # back into the database it came from: matched by uid:
    assert summary(r.out).startswith("Imported from todo.txt: 0 added")
    assert listed(lastmile)["Renew passport"]["final_step"] == "hand the form in at the town hall"

    other = tmp_path / "other.db"
    assert lastmile("--db", str(other), "import", str(target)).code == 0
    mine, theirs = listed(lastmile), {
        t["title"] + ("" if t["status"] == "open" else f" [{t['status']}]"): t
        for t in json.loads(lastmile("--db", str(other), "list", "--all", "--json", "-n", "0").out)}
    assert set(mine) == set(theirs)
    for title, task in theirs.items():
        assert task["tags"] == mine[title]["tags"]
        assert task["due"] == mine[title]["due"]  # a time of day too, as at:17.30


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ('[{"uuid":"a","description":"fine"},{"uuid":"b","description":"bad","due":"soon"}]', (),
         "lastmile import: tasks[1]: 'due' is not a Taskwarrior date like 20261125T103000Z"),
        ('[{"uuid":"a","description":"fine"},', ("--from", "taskwarrior"),
         "lastmile import: not JSON (line 1, column 36)"),
        ("fine\n(A) 2026-13-01 bad\n", (), "lastmile import: line 2: creation date '2026-13-01'"),
        ("fine\nbad \x1b]52;c;aGk=\x07 title\n", (), "lastmile import: line 2: title contains control"),
        ('[{"uuid":"a","description":"one"},{"uuid":"a","description":"two"}]', (),
         "lastmile import: tasks[1]: the same task as tasks[0]"),
    ],
)
def test_a_half_wrong_file_names_the_first_bad_record_and_imports_nothing(existing, tmp_path, text,
                                                                          args, message):
    lastmile = existing
    before = lastmile.db.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text(text)
    r = lastmile("import", *args, str(bad))
    assert r.code == 2
    assert r.err.startswith(message) and len(r.err.splitlines()) == 1
    assert "Traceback" not in r.err + r.out
    assert lastmile.db.read_bytes() == before
    assert list(listed(lastmile)) == ["Already here"]
