"""Priorities and waits from the shell (issue 12): add, edit, list, list --waiting, show, count."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest


def records(lastmile, *args: str) -> list[dict]:
    r = lastmile("list", "--json", *args)
    assert r.code == 0, r.err
    return json.loads(r.out)


def table(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, priority, wait, updated_at FROM task ORDER BY id").fetchall()


def test_quick_add_and_flags_set_priority_and_wait(lastmile):
    r = lastmile("add", "Pay", "rent", "pri:h", "final:transfer it")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "Added task 1: Pay rent · final: transfer it · priority H"
    r = lastmile("add", "File taxes", "--pri", "M", "--wait", "+3d", "--final", "submit")
    back = date.today() + timedelta(days=3)
    assert f"priority M · wait {back.isoformat()}" in r.out.splitlines()[0]
    assert "waiting until" in r.out.splitlines()[1]
    assert lastmile("add", "Call mum", 'wait:"in 2 days"').code == 0
    assert [(t["id"], t["priority"]) for t in records(lastmile)] == [(1, "H")]
    waiting = records(lastmile, "--waiting")
    assert [(t["id"], t["wait"]) for t in waiting] == [
        (3, str(date.today() + timedelta(days=2))), (2, back.isoformat())]  # soonest back first
    r = lastmile("list", "--waiting", "-n", "1")
    assert "Call mum" in r.out and r.out.endswith("… and 1 more (lastmile list --waiting -n 0 shows all)\n")
    r = lastmile("list")
    assert r.out.splitlines()[0].split()[:3] == ["ID", "P", "DONE"]
    assert r.out.splitlines()[1].split()[:2] == ["1", "H"]
    assert r.out.splitlines()[-1] == "2 tasks waiting, hidden until their day (lastmile list --waiting)"
    assert lastmile("count").out.startswith("1 open · ")
    shown = lastmile("show", "2").out
    assert "priority: M" in shown and f"wait: {back.isoformat()} (waiting until" in shown


@pytest.mark.parametrize(("args", "named"), [
    (("add", "x", "pri:x"), "lastmile add: pri:x is not a priority"),
    (("add", "x", "--pri", "urgent"), "lastmile add: priority 'urgent' is not one of H, M or L"),
    (("add", "x", "--wait", "fri 5pm"), "cannot read wait date 'fri 5pm': a wait is a whole day"),
    (("add", "x", "wait:someday"), "cannot read wait date 'someday'"),
    (("add", "x", "pri:H", "--pri", "L"), "give the priority once"),
    (("edit", "1", "--pri", "Q"), "lastmile edit: priority 'Q' is not one of H, M or L"),
    (("edit", "1", "--wait", "nope"), "cannot read wait date 'nope'"),
    (("edit", "1", "--pri", "H", "--no-pri"), "give --pri or --no-pri, not both"),
])
def test_bad_values_are_one_line_and_write_nothing(lastmile, args, named):
    assert lastmile("add", "kept", "--pri", "L").code == 0
    before = table(lastmile.db)
    r = lastmile(*args)
    assert r.code == 2, (r.out, r.err)
    assert named in r.err and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert table(lastmile.db) == before


def test_edit_sets_and_clears_them_and_the_history_says_so(lastmile):
    lastmile("add", "Ship", "--final", "deploy")
    assert lastmile("edit", "1", "--pri", "h", "--wait", "+2w").code == 0
    (_id, priority, wait, _at), = table(lastmile.db)
    assert (priority, wait) == ("H", str(date.today() + timedelta(weeks=2)))
    assert records(lastmile) == [] and len(records(lastmile, "--waiting")) == 1
    r = lastmile("edit", "1", "--no-pri", "--no-wait")
    assert r.code == 0 and table(lastmile.db)[0][1:3] == (None, None)
    assert [t["id"] for t in records(lastmile)] == [1]
    history = lastmile("show", "1").out
    assert f"edited: priority → H, wait until {date.today() + timedelta(weeks=2)}" in history
    assert "edited: priority → (none), wait removed" in history
    assert lastmile("edit", "1", "--wait", "today").code == 0  # today: not waiting
    assert table(lastmile.db)[0][2] is None


def test_a_wait_that_ended_says_so_in_the_reason(lastmile):
    lastmile("add", "Back again")
    with sqlite3.connect(lastmile.db) as conn:
        conn.execute("UPDATE task SET wait = ?", (str(date.today() - timedelta(days=1)),))
    assert records(lastmile)[0]["reason"] == "no finish line · waited until yesterday"
    assert "wait:" in lastmile("show", "1").out


def test_list_fits_80_columns_with_the_priority(lastmile):
    for n, pri in enumerate("HML"):
        lastmile("add", f"a fairly long task title number {n}", "--pri", pri,
                 "--final", "a fairly long final step to take", "--due", "tomorrow")
    lines = lastmile("list", env={"COLUMNS": "80"}).out.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert [line.split()[1] for line in lines[1:]] == ["H", "M", "L"]
