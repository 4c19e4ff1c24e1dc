"""Export, import and awkward input through the real ``lastmile`` command."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import rows


def test_export_then_import_into_a_new_database_is_lossless(lastmile, tmp_path):
    lastmile("add", "Ship 🚀 v2", "--final", "tag it", "--step", "build", "--due", "fri 5pm",
             "--tag", "work", "--notes", "line one\nline two")
    lastmile("add", "שלום עולם", "--final", "לשלוח")
    lastmile("check", "1", "1")
    lastmile("done", "2", "--confirm")
    lastmile("drop", "1", "--reason", "superseded")
    lastmile("undo")
    exported = lastmile("export", "--format", "json")
    assert exported.code == 0 and exported.err == ""
    document = json.loads(exported.out)
    assert (document["format"], document["version"]) == ("lastmile", 1)
    assert [t["title"] for t in document["tasks"]] == ["Ship 🚀 v2", "שלום עולם"]

    target = tmp_path / "export.json"
    r = lastmile("export", str(target))
    assert r.code == 0 and r.out == f"Exported 2 tasks to {target}\n"
    assert target.read_text(encoding="utf-8") == exported.out

    other = tmp_path / "restored.db"
    r = lastmile("--db", str(other), "import", str(target))
    assert r.code == 0, r.err
    assert r.out == f"Reading {target} as lastmile JSON\nImported 2 tasks (6 history events) into {other}\n"
    assert lastmile("--db", str(other), "export").out == exported.out
    assert lastmile("--db", str(other), "undo").out == lastmile("undo").out


def test_import_from_standard_input(lastmile, tmp_path):
    lastmile("add", "x")
    document = lastmile("export").out
    r = lastmile("--db", str(tmp_path / "new.db"), "import", "-", input=document)
    assert r.code == 0 and "Imported 1 task (1 history event)" in r.out


def test_a_bad_record_imports_nothing_and_creates_nothing(lastmile, tmp_path):
    lastmile("add", "a")
    lastmile("add", "b")
    document = json.loads(lastmile("export").out)
    document["tasks"][1]["status"] = "finished"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    target = tmp_path / "new.db"
    r = lastmile("--db", str(target), "import", str(bad))
    assert r.code == 2 and len(r.err.splitlines()) == 1
    assert "tasks[1] (id 2): 'status' must be one of open, done, dropped" in r.err
    assert "nothing was imported" in r.err
    assert not target.exists()


def test_import_into_a_database_with_tasks_is_refused(lastmile, tmp_path):
    lastmile("add", "mine")
    export = tmp_path / "e.json"
    lastmile("export", str(export))
    before = rows(lastmile.db)
    r = lastmile("import", str(export))
    assert r.code == 2 and "already holds task id 1 that the file uses" in r.err
    assert "lastmile --db NEW.db import FILE" in r.err
    assert rows(lastmile.db) == before


def test_export_never_overwrites_a_database(lastmile, tmp_path):
    lastmile("add", "precious")
    before = rows(lastmile.db)
    r = lastmile("export", "--force", str(lastmile.db))
    assert r.code == 2 and "is the database itself; an export must go to another file" in r.err
    assert rows(lastmile.db) == before
    copy = tmp_path / "copy.db"  # any other SQLite file: not even with --force
    assert lastmile("backup", str(copy)).code == 0
    r = lastmile("export", "--force", str(copy))
    assert r.code == 2 and "is a SQLite database; an export never overwrites one" in r.err
    assert rows(copy) == before


def test_help_for_the_data_commands(lastmile):
    for name in ("backup", "export", "import"):
        r = lastmile(name, "--help")
        assert r.code == 0 and r.out.startswith(f"usage: lastmile {name}")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("export", "--format", "xml"), "invalid choice: 'xml'"),
        (("import",), "the following arguments are required: FILE"),
        (("import", "missing.json"), "cannot read missing.json"),
    ],
)
def test_export_and_import_mistakes(lastmile, args, needle):
    r = lastmile(*args)
    assert r.code == 2 and needle in r.err and len(r.err.splitlines()) == 1


# -- awkward input everywhere ---------------------------------------------------


def test_emoji_and_right_to_left_text_are_shown_as_typed(lastmile):
    title = "Pay 💸 rent · שכר דירה · إيجار"
    r = lastmile("add", title, "--final", "send 🏦 transfer", "--tag", "בית")
    assert r.code == 0, r.err
    record = json.loads(lastmile("list", "--json").out)[0]
    assert (record["title"], record["final_step"], record["tags"]) == (
        title, "send 🏦 transfer", ["בית"])
    shown = lastmile("show", "1").out
    assert title in shown and "+בית" in shown
    assert title in lastmile("list").out


def test_ten_thousand_character_notes_are_kept_whole(lastmile):
    notes = "\n".join(f"line {n} " + "x" * 95 for n in range(100))
    assert len(notes) >= 10_000
    assert lastmile("add", "long", "--notes", notes).code == 0
    shown = lastmile("show", "1").out
    assert all(f"  {line}" in shown for line in notes.splitlines())
    assert json.loads(lastmile("export").out)["tasks"][0]["notes"] == notes


@pytest.fixture(scope="module")
def one_task(tmp_path_factory) -> bytes:
    """A database holding one open task with one step (made once, copied into each test)."""
    from lastmile_tui.store.store import Store

    path = tmp_path_factory.mktemp("template") / "one.db"
    with Store(path) as store:
        store.add("existing", steps=["s"])
    return path.read_bytes()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("add", "red \x1b[31malert"), "title contains control characters"),
        (("add", "bell\x07"), "control characters"),
        (("add", "c1 \x9b control"), "control characters"),
        (("add", "x", "--final", "\x1b]0;title\x07"), "final step contains control characters"),
        (("add", "x", "--notes", "beep\x07"), "notes contain control characters"),
        (("add", "x" * 501), "the limit is 500"),
        (("add", "x", "--due", "2026-13-01"), "cannot read due date '2026-13-01'"),
        (("add", "x", "--due", "fri 25:00"), "cannot read due date 'fri 25:00'"),
        (("add", "x", "--due", "in 99999999999 days"), "cannot read due date"),
        (("done", "-1"), "'-1' is not a task id"),
        (("done", "1e9"), "'1e9' is not a task id"),
        (("drop", "abc"), "'abc' is not a task id"),
        (("reopen", "0"), "'0' is not a task id"),
        (("edit", "1.5", "--title", "x"), "'1.5' is not a task id"),
        (("show", "99999999999999999999"), "is not a task id"),
        (("check", "1", "-1"), "not a step number"),
        (("check", "1", "99999999999999999999"), "no step 99999999999999999999"),
    ],
)
def test_awkward_input_is_refused_in_one_line_and_writes_nothing(lastmile, one_task, args, needle):
    lastmile.db.write_bytes(one_task)
    before = rows(lastmile.db)
    r = lastmile(*args)
    assert r.code == 2, (r.out, r.err)
    assert needle in r.err and len(r.err.splitlines()) == 1 and "Traceback" not in r.err
    assert rows(lastmile.db) == before


def test_undo_past_the_start_of_history_says_so(lastmile):
    lastmile("add", "only")
    assert lastmile("undo").code == 0
    r = lastmile("undo")
    assert r.code == 2 and r.err == "lastmile undo: nothing to undo: this is the start of the history\n"
    assert json.loads(lastmile("list", "--all", "--json").out)[0]["title"] == "only"


def test_backup_into_a_missing_folder_and_export_under_a_file_fail_cleanly(lastmile, tmp_path):
    lastmile("add", "x", "--final", "y")
    r = lastmile("backup", f"{tmp_path / 'no-such-folder'}/")
    assert r.code == 2 and "no such folder" in r.err
    assert not (tmp_path / "no-such-folder").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    r = lastmile("export", str(blocker / "x.json"))
    assert r.code == 2 and "cannot write" in r.err and "Traceback" not in r.err


# -- reading commands never create a database -------------------------------------

READING = [("list",), ("list", "--json"), ("count",), ("show", "1"), ("export",), ("backup",),
           ("done", "1", "--confirm"), ("edit", "1", "--title", "t"), ("undo",)]


@pytest.mark.parametrize("args", READING)
def test_a_typo_in_the_database_path_is_reported_and_creates_nothing(lastmile, tmp_path, args):
    """Today: `--db /tmp/typo/dir/x.db list` made the folders and an empty database."""
    typo = tmp_path / "typo" / "dir" / "x.db"
    for how in (("--db", str(typo)), ()):  # --db, then $LASTMILE_DB
        r = lastmile(*how, *args, env={} if how else {"LASTMILE_DB": str(typo)})
        assert r.code == 2 and r.out == "", (args, r)
        assert r.err == f"lastmile {args[0]}: no lastmile database at {typo}; nothing was created\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_empty_file_is_not_made_into_a_database_by_reading(lastmile):
    lastmile.db.touch()
    r = lastmile("list")
    assert r.code == 2 and "no lastmile database at" in r.err and "the file is empty" in r.err
    assert lastmile.db.stat().st_size == 0
    assert lastmile("add", "x").code == 0  # a write may set it up


def test_before_the_first_task_the_default_database_is_not_made_by_reading(lastmile, tmp_path):
    env = {"LASTMILE_DB": ""}
    data = tmp_path / "home" / "data" / "lastmile"
    r = lastmile("list", env=env)
    assert r.code == 0 and r.out == 'No tasks yet. Add one: lastmile add "..." --final "..."\n'
    assert lastmile("list", "--json", env=env).out == "[]\n"
    r = lastmile("count", env=env)
    assert r.code == 0 and r.out.startswith("0 open · 0 on the last mile")
    assert "No tasks yet" in r.err
    assert json.loads(lastmile("count", "--json", env=env).out)["open"] == 0
    r = lastmile("show", "1", env=env)
    assert r.code == 2 and r.err.startswith("lastmile show: no tasks yet") and "lastmile add" in r.err
    assert not data.exists()

    r = lastmile("add", "first", env=env)
    assert r.code == 0 and r.err == f"lastmile: created a new database at {data / 'lastmile.db'}\n"
    r = lastmile("add", "second", env=env)
    assert r.code == 0 and r.err == ""  # said once
    assert [t["title"] for t in json.loads(lastmile("list", "--json", env=env).out)] == [
        "first", "second"]


def test_a_new_database_made_by_add_or_import_is_announced_once(lastmile, tmp_path):
    r = lastmile("add", "x")
    assert r.code == 0 and r.err == f"lastmile: created a new database at {lastmile.db}\n"
    assert lastmile("add", "y").err == ""
    export = tmp_path / "e.json"
    assert lastmile("export", str(export)).code == 0
    other = tmp_path / "sub" / "other.db"
    r = lastmile("--db", str(other), "import", str(export))
    assert r.code == 0 and r.err == f"lastmile: created a new database at {other}\n"
