"""``lastmile status``: one line for a prompt, and nothing at all when there is nothing to say."""

from __future__ import annotations

import json

import pytest

from lastmile_tui.cli.shell import one_line
from lastmile_tui.store.store import Store


def test_no_database_is_silence_and_creates_nothing(lastmile):
    for args in (["status"], ["status", "--format", "{open} open"]):
        r = lastmile(*args)
        assert (r.code, r.out, r.err) == (0, "", ""), args
    assert not lastmile.db.exists()


def test_before_the_first_task_at_the_default_path_too(lastmile):
    """No --db and no $LASTMILE_DB: the default database is not there yet, and stays absent."""
    env = {k: v for k, v in lastmile.env.items() if k != "LASTMILE_DB"}
    lastmile.env = env
    r = lastmile("status")
    assert (r.code, r.out, r.err) == (0, "", "")
    assert not (lastmile.db.parent / "home" / "data" / "lastmile").exists()


def test_json_without_a_database_is_zeros(lastmile):
    r = lastmile("status", "--json")
    assert r.code == 0 and r.err == ""
    assert json.loads(r.out) == {"open": 0, "last_mile": 0, "overdue": 0, "due_today": 0,
                                 "waiting": 0, "finished_today": 0}
    assert not lastmile.db.exists()


def test_nothing_worth_a_prompt_prints_nothing(lastmile):
    """Open tasks that are neither on the last mile nor due: the default line has nothing to say."""
    lastmile("add", "someday", "--final", "ship it")
    r = lastmile("status")
    assert (r.code, r.out, r.err) == (0, "", "")
    assert lastmile("status", "--format", "{open} open").out == "1 open\n"


def test_the_default_line_leaves_out_zero_parts(lastmile):
    lastmile("add", "Send invoice", "--final", "email PDF", "--step", "export hours", "--due", "2030-01-01")
    lastmile("check", "1", "1")
    assert lastmile("status").out == "1 on the last mile\n"
    lastmile("add", "Renew passport", "--final", "post the form", "--due", "yesterday")
    lastmile("add", "Call Bob", "--final", "note the answer", "--due", "today 23:59")
    r = lastmile("status")
    assert (r.code, r.out, r.err) == (0, "1 on the last mile · 1 overdue · 1 due today\n", "")


def test_json_and_a_format_with_every_number(lastmile):
    lastmile("add", "a", "--final", "x", "--due", "yesterday")
    lastmile("add", "b", "--final", "y")
    lastmile("add", "c", "--final", "z")
    lastmile("done", "3", "--confirm")
    with Store(lastmile.db) as store:
        store.snooze(2, days=3)  # review's snooze: a wait date
    counts = json.loads(lastmile("status", "--json").out)
    assert counts["overdue"] == 1 and counts["waiting"] == 1 and counts["finished_today"] == 1
    assert counts["due_today"] == 0 and counts["last_mile"] == 0
    fmt = "{open}|{last_mile}|{overdue}|{due_today}|{waiting}|{finished_today}|{open:>3}|{{lit}}"
    expected = (f"{counts['open']}|0|1|0|1|1|{counts['open']:>3}|{{lit}}\n")
    assert lastmile("status", "-f", fmt).out == expected


def test_a_custom_format_is_silent_when_every_number_it_names_is_zero(lastmile):
    lastmile("add", "a", "--final", "x")
    r = lastmile("status", "--format", "{overdue} overdue · {last_mile} close")
    assert (r.code, r.out, r.err) == (0, "", "")
    assert lastmile("status", "--format", "tasks!").out == "tasks!\n"  # names none: while any is open


@pytest.mark.parametrize(("fmt", "words"), [
    ("{bogus} x", "names {bogus}, which is not a status number"),
    ("{open", "is not a valid format"),
    ("open}", "is not a valid format"),
    ("{}", "names {}, which is not a status number"),
    ("{open.real}", "names {open.real}"),
    ("{open:s}", "is not a valid format"),
])
def test_a_bad_format_is_one_line_and_exit_2(lastmile, fmt, words):
    lastmile("add", "a", "--final", "x", "--due", "yesterday")
    for db_there in (True, False):  # checked before the database is even looked for
        elsewhere = None if db_there else {"LASTMILE_DB": "/nonexistent/x.db"}
        r = lastmile("status", "--format", fmt, env=elsewhere)
        assert r.code == 2 and r.out == ""
        assert r.err.count("\n") == 1 and r.err.startswith("lastmile status: --format") and words in r.err
        assert "Traceback" not in r.err


def test_format_and_json_together_are_refused(lastmile):
    r = lastmile("status", "--json", "--format", "{open}")
    assert r.code == 2 and "not allowed with" in r.err and r.err.count("\n") == 1


def test_a_damaged_database_is_still_reported(lastmile):
    lastmile.db.write_bytes(b"this is not sqlite" * 100)
    r = lastmile("status")
    assert r.code == 2 and r.out == "" and "not a SQLite database" in r.err


def test_titles_in_completion_lines_lose_every_control_character():
    assert one_line("a\tb\nc\x1b[31mred\x07\r\x85\u2028end ") == "a b c [31mred    end"
    assert one_line("会議 🎉 café 👨\u200d👩\u200d👧 a\u00a0b") == "会議 🎉 café 👨\u200d👩\u200d👧 a\u00a0b"
