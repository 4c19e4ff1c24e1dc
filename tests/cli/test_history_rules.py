"""History is held to the task rules: an import cannot smuggle in a state or text, and undo
never puts back one the rules forbid (real files, real subprocesses)."""

from __future__ import annotations

import json
import sqlite3

import pytest


def _export(lastmile) -> dict:
    r = lastmile("export")
    assert r.code == 0, r.err
    return json.loads(r.out)


def _done_task_export(lastmile) -> dict:
    lastmile("add", "Pay supplier", "--final", "transfer 1000 EUR")
    lastmile("done", "1", "--confirm")
    data = _export(lastmile)
    lastmile.db.unlink()
    for side in ("-wal", "-shm"):
        lastmile.db.with_name(lastmile.db.name + side).unlink(missing_ok=True)
    return data


def _import(lastmile, tmp_path, data: dict):
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return lastmile("import", str(path))


def test_import_refuses_a_history_snapshot_that_is_done_without_confirmation(lastmile, tmp_path):
    data = _done_task_export(lastmile)
    # a crafted "before": done, its final step never confirmed; the task itself is open
    task = data["tasks"][0]
    task.update(status="open", done_at=None, final_step_confirmed_at=None)
    task["history"][1]["before"].update(status="done", done_at=task["created_at"])
    r = _import(lastmile, tmp_path, data)
    assert r.code == 2, r.out
    assert "tasks[0] (id 1): history[1]: 'before': a done task must have its final step confirmed" in r.err
    assert "nothing was imported" in r.err
    assert len(r.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("where", "text"),
    [("detail", "ok\x1b[2J"), ("title", "x\x1b]52;c;cHduZWQ=\x07"), ("final_step", "\x9b31m")],
)
def test_import_refuses_terminal_control_in_history(lastmile, tmp_path, where, text):
    data = _done_task_export(lastmile)
    event = data["tasks"][0]["history"][1]
    if where == "detail":
        event["detail"] = text
    else:
        event["before"][where] = text
    r = _import(lastmile, tmp_path, data)
    assert r.code == 2, r.out
    assert "history[1]" in r.err and "control characters" in r.err
    assert "\x1b" not in r.err and "\x9b" not in r.err  # the message itself shows it escaped


def test_undo_refuses_a_stored_snapshot_the_rules_forbid(lastmile):
    """A database written before import checked history (or edited by hand): undo still says no."""
    lastmile("add", "Pay supplier", "--final", "transfer 1000 EUR")
    lastmile("edit", "1", "--title", "Pay the supplier")
    with sqlite3.connect(lastmile.db) as conn:
        before = json.loads(conn.execute("SELECT before FROM event WHERE id = 2").fetchone()[0])
        before.update(status="done", done_at=before["created_at"])
        conn.execute("UPDATE event SET before = ? WHERE id = 2", (json.dumps(before),))
    r = lastmile("undo")
    assert r.code == 2, r.out
    assert "cannot undo edited on task 1" in r.err
    assert "a done task must have its final step confirmed" in r.err
    record = json.loads(lastmile("list", "--all", "--json").out)[0]
    assert record["status"] == "open" and record["title"] == "Pay the supplier"


def test_undo_refuses_control_characters_in_a_stored_snapshot(lastmile):
    lastmile("add", "Plan", "--final", "book")
    lastmile("edit", "1", "--title", "Plan offsite")
    with sqlite3.connect(lastmile.db) as conn:
        before = json.loads(conn.execute("SELECT before FROM event WHERE id = 2").fetchone()[0])
        before["title"] = "\x1b[2Jgone"
        conn.execute("UPDATE event SET before = ? WHERE id = 2", (json.dumps(before),))
    r = lastmile("undo")
    assert r.code == 2 and "control characters" in r.err
    assert "\x1b" not in r.out + r.err


def test_a_clean_history_still_imports_and_undoes(lastmile, tmp_path):
    data = _done_task_export(lastmile)
    assert _import(lastmile, tmp_path, data).code == 0
    r = lastmile("undo")
    assert r.code == 0 and "Undid completed on task 1" in r.out


def test_history_says_what_the_final_step_was_set_to(lastmile):
    lastmile("add", "Pay supplier", "--final", "transfer 1000 EUR")
    lastmile("edit", "1", "--final", "transfer 0 EUR")
    lastmile("edit", "1", "--title", "Pay the supplier", "--final", "transfer 10 EUR")
    out = lastmile("show", "1").out
    assert "final step set: transfer 0 EUR" in out
    assert "edited: title, final step → transfer 10 EUR" in out


def test_a_tag_with_a_plus_inside_is_refused_naming_the_plus(lastmile):
    r = lastmile("add", "Learn templates", "--tag", "+c++")
    assert r.code == 2
    assert "tag '+c++' is not valid: a tag cannot contain a '+'" in r.err
    assert "spaces or commas" not in r.err
