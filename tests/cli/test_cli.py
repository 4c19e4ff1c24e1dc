"""The real ``lastmile`` command, as a person (or a script) runs it."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess

import pytest

from tests.cli.conftest import lastmile_command


def rows(db) -> list[tuple]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return [
            r for t in ("task", "step", "event") for r in conn.execute(f"SELECT * FROM {t}")
        ]
    finally:
        conn.close()


def test_the_walkthrough_from_the_issue(lastmile):
    r = lastmile("add", "Send invoice", "--final", "email PDF to client",
                 "--step", "export hours", "--due", "fri")
    assert r.code == 0, r.err
    assert r.out.startswith("Added task 1: Send invoice · final: email PDF to client · due ")
    assert "not started · 0/1 steps" in r.out

    r = lastmile("list")
    assert r.code == 0
    assert "Send invoice" in r.out and "email PDF to client" in r.out and "0/2" in r.out

    r = lastmile("check", "1", "1")
    assert r.code == 0
    assert "step 1 checked: export hours" in r.out
    assert "last mile · 1/1 steps" in r.out
    assert "only the final step is left: email PDF to client" in r.out

    r = lastmile("done", "1")
    assert r.code == 1
    assert "final step is confirmed" in r.err and "--confirm" in r.err
    assert r.out == ""
    assert lastmile("list", "--json").out.count('"status": "open"') == 1

    r = lastmile("done", "1", "--confirm")
    assert r.code == 0
    assert "Done: task 1: Send invoice" in r.out
    assert "Nothing open" in lastmile("list").out
    everything = json.loads(lastmile("list", "--all", "--json").out)
    assert everything[0]["status"] == "done" and everything[0]["final_step_confirmed"]


def test_inline_tokens_in_the_title(lastmile):
    r = lastmile("add", "Pay", "rent", "due:tomorrow", "+home", 'final:"transfer to landlord"')
    assert r.code == 0, r.err
    record = json.loads(lastmile("list", "--json").out)[0]
    assert record["title"] == "Pay rent"
    assert record["final_step"] == "transfer to landlord"
    assert record["tags"] == ["home"]
    assert record["due"] is not None

    r = lastmile("add", "Renew passport final:'post the form' +admin due:eom")
    assert r.code == 0, r.err
    record = [x for x in json.loads(lastmile("list", "--json").out) if x["id"] == 2][0]
    assert (record["title"], record["final_step"], record["tags"]) == (
        "Renew passport", "post the form", ["admin"]
    )


def test_list_ranks_almost_done_first_with_reasons(lastmile):
    lastmile("add", "Not started", "--final", "f", "--step", "a", "--step", "b")
    lastmile("add", "No finish line", "--step", "a")
    lastmile("add", "Nearly", "--final", "submit", "--step", "a")
    lastmile("check", "3", "1")
    records = json.loads(lastmile("list", "--json").out)
    assert [r["title"] for r in records] == ["Nearly", "Not started", "No finish line"]
    assert records[0]["reason"].startswith("last mile · 1/1 steps")
    assert records[0]["stage"] == "On the last mile"
    assert records[2]["reason"].startswith("no finish line")
    table = lastmile("list").out.splitlines()
    assert table[0].split()[:4] == ["ID", "DONE", "TITLE", "FINAL"]
    assert "Nearly" in table[1]


def test_list_by_tag(lastmile):
    lastmile("add", "a +work", "--final", "x")
    lastmile("add", "b +home", "--final", "x")
    records = json.loads(lastmile("list", "--tag", "work", "--json").out)
    assert [r["title"] for r in records] == ["a"]


def test_list_shows_the_top_of_the_ranking_and_says_how_many_more(lastmile):
    from lastmile_tui.store.store import Store

    with Store(lastmile.db) as store:
        for number in range(1, 36):
            last = store.add(f"task {number}", final_step="x", steps=["a"])
        store.check(last.id, 1)
    table = lastmile("list").out.splitlines()
    assert len(table) == 1 + 30 + 1
    assert "task 35" in table[1]  # the one with its checklist done comes first
    assert table[-1] == "… and 5 more (lastmile list -n 0 shows all)"
    assert len(lastmile("list", "-n", "0").out.splitlines()) == 1 + 35
    assert len(lastmile("list", "--limit", "2", "--all").out.splitlines()) == 1 + 2 + 1
    assert len(json.loads(lastmile("list", "--json").out)) == 35  # records: every one unless asked
    assert [r["title"] for r in json.loads(lastmile("list", "--json", "-n", "1").out)] == ["task 35"]
    bad = lastmile("list", "-n", "-3")
    assert bad.code == 2 and "'-3' is not a number of rows" in bad.err and not bad.out


def test_count_prints_the_headline_numbers(lastmile):
    lastmile("add", "a", "--final", "x", "--step", "s", "--due", "yesterday")
    lastmile("check", "1", "1")
    lastmile("add", "b", "--final", "y")
    lastmile("add", "c", "--final", "z")
    lastmile("done", "3", "--confirm")
    assert lastmile("count").out == "2 open · 1 on the last mile · 1 overdue · 1 finished today\n"
    assert json.loads(lastmile("count", "--json").out) == {
        "open": 2, "last_mile": 1, "overdue": 1, "finished_today": 1}


def test_show_edit_step_uncheck_drop_reopen_undo(lastmile):
    lastmile("add", "Ship v2", "--final", "tag the release", "--notes", "see #12")
    assert lastmile("step", "1", "write", "changelog").code == 0
    assert lastmile("check", "1", "1").code == 0
    assert lastmile("uncheck", "1", "1").code == 0
    r = lastmile("edit", "1", "--final", "tag and announce", "--due", "Dec 3", "--tag", "work")
    assert r.code == 0, r.err
    r = lastmile("show", "1")
    assert r.code == 0
    assert "#1 Ship v2   [open]" in r.out
    assert "final step: tag and announce  (not confirmed)" in r.out
    assert "1. [ ] write changelog" in r.out
    assert "due: 2026-12-03" in r.out or "due: 20" in r.out
    assert "see #12" in r.out and "+work" in r.out
    assert "step unchecked" in r.out and "added: Ship v2" in r.out

    assert lastmile("drop", "1", "--reason", "superseded").code == 0
    assert "dropped: superseded" in lastmile("list", "--all").out
    assert lastmile("reopen", "1").code == 0
    r = lastmile("undo")
    assert r.code == 0 and "Undid reopened" in r.out
    assert json.loads(lastmile("list", "--all", "--json").out)[0]["status"] == "dropped"


def test_done_without_final_step_says_how_to_set_one(lastmile):
    lastmile("add", "Vague")
    r = lastmile("done", "1", "--confirm")
    assert r.code == 1
    assert 'lastmile edit 1 --final "..."' in r.err


def test_done_asks_in_a_terminal(lastmile):
    lastmile("add", "Sign lease", "--final", "post the signed copy")
    for answer, code, status in (("n\n", 1, "open"), ("y\n", 0, "done")):
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [*lastmile_command(), "done", "1"],
            stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=lastmile.env, text=True,
        )
        os.close(follower)
        os.write(leader, answer.encode())
        out, err = proc.communicate(timeout=30)
        os.close(leader)
        assert proc.returncode == code, err
        assert "Final step: post the signed copy — done? [y/N]" in out
        record = json.loads(lastmile("list", "--all", "--json").out)[0]
        assert record["status"] == status
    assert "Done: task 1: Sign lease" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("add", "   "), "title must not be blank"),
        (("add", "x", "--due", "someday"), "someday"),
        (("add", "x", "--due", "2026-02-30"), "2026-02-30"),
        (("add", "x", "+bad,tag"), "bad,tag"),
        (("check", "abc", "1"), "'abc' is not a task id"),
        (("check", "1", "0"), "not a step number"),
        (("show", "-1"), "is not a task id"),
        (("show", "1e9"), "'1e9' is not a task id"),
        (("show", "99"), "no task with id 99"),
        (("check", "1", "5"), "no step 5"),
        (("add", "x", "--edit"), "--edit starts from an empty document"),
        (("frobnicate",), "unknown command 'frobnicate'"),
        (("add", "x", "--final", "a", "final:b"), "give the final step once"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(lastmile, args, needle):
    lastmile("add", "existing", "--final", "f", "--step", "s")
    before = rows(lastmile.db)
    r = lastmile(*args)
    assert r.code == 2, (r.out, r.err)
    assert needle in r.err
    assert len(r.err.strip().splitlines()) == 1, r.err
    assert "Traceback" not in r.err
    assert rows(lastmile.db) == before


def test_refusals_exit_1(lastmile):
    lastmile("add", "a", "--final", "f")
    lastmile("done", "1", "--confirm")
    r = lastmile("done", "1", "--confirm")
    assert r.code == 1 and "is done, not open" in r.err


def test_help_for_every_command(lastmile):
    assert lastmile("--help").code == 0
    for name in ("add", "list", "show", "edit", "step", "check", "uncheck", "done",
                 "drop", "reopen", "undo", "review", "tui"):
        r = lastmile(name, "--help")
        assert r.code == 0 and "usage: lastmile " + name in r.out


def test_db_flag_beats_environment(lastmile, tmp_path):
    other = tmp_path / "elsewhere" / "other.db"
    assert lastmile("--db", str(other), "add", "x").code == 0
    assert other.exists()
    assert not lastmile.db.exists()


def test_default_location_is_the_user_data_dir(lastmile, tmp_path):
    env = {k: v for k, v in lastmile.env.items() if k != "LASTMILE_DB"}
    proc = subprocess.run([*lastmile_command(), "add", "x"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "home" / "data" / "lastmile" / "lastmile.db").exists()


def test_python_dash_m(lastmile):
    import sys

    proc = subprocess.run([sys.executable, "-m", "lastmile_tui", "--version"],
                          capture_output=True, text=True, env=lastmile.env, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("lastmile ")
