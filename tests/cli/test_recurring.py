"""Recurring tasks from the shell: finishing one (only with its final step confirmed) makes the
next with the right date, dropping skips to the next, ``--series`` ends it, undo takes it back."""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta

JAN_15 = date(date.today().year + 1, 1, 15)  # far enough ahead that today never moves the series


def open_tasks(lastmile) -> list[tuple[int, str, str | None]]:
    rows = json.loads(lastmile("list", "--json", "-n", "0").out)
    return sorted((row["id"], row["title"], row["due"]) for row in rows)


def test_a_monthly_task_completed_twice_asks_each_time_and_moves_a_month(lastmile):
    added = lastmile("add", "Pay rent", "--final", "transfer confirmed", "--every", "monthly",
                     "--due", JAN_15.isoformat(), "+home")
    assert added.code == 0, added.err
    assert "repeats monthly · next Feb 15" in added.out
    refused = lastmile("done", "1")  # no terminal, no --confirm: the guard says no
    assert refused.code != 0 and "transfer confirmed" in refused.err
    first = lastmile("done", "1", "--confirm")
    assert first.code == 0, first.err
    assert "next: task 2, due Feb 15 (repeats monthly)" in first.out
    assert open_tasks(lastmile) == [(2, "Pay rent", f"{JAN_15.year}-02-15")]
    shown = lastmile("show", "2").out
    assert "(not confirmed)" in shown and "repeats monthly · next Mar 15" in shown and "+home" in shown
    assert lastmile("done", "2").code != 0  # asks again
    assert "next: task 3, due Mar 15" in lastmile("done", "2", "--confirm").out


def test_after_done_counts_from_today(lastmile):
    assert lastmile("add", 'Water plants final:water every:"2 weeks after done"').code == 0
    done = lastmile("done", "1", "--confirm")
    assert done.code == 0, done.err
    assert open_tasks(lastmile) == [(2, "Water plants", (date.today() + timedelta(weeks=2)).isoformat())]


def test_drop_skips_to_the_next_and_drop_series_ends_it(lastmile):
    lastmile("add", "Stand-up", "--final", "notes posted", "--every", "weekly",
             "--due", JAN_15.isoformat())
    skipped = lastmile("drop", "1", "--reason", "holiday")
    assert "next: task 2, due" in skipped.out
    assert open_tasks(lastmile) == [(2, "Stand-up", (JAN_15 + timedelta(weeks=1)).isoformat())]
    ended = lastmile("drop", "2", "--series")
    assert ended.code == 0 and "the series ends here" in ended.out
    assert open_tasks(lastmile) == []


def test_edit_every_and_no_every(lastmile):
    lastmile("add", "Bins out", "--final", "bins at the kerb", "--due", JAN_15.isoformat())
    assert "repeats weekly on Thu" in lastmile("edit", "1", "--every", "weekly on thu").out
    stopped = lastmile("edit", "1", "--no-every")
    assert stopped.code == 0 and "repeats" not in stopped.out
    assert "edited: repeat stopped" in lastmile("show", "1").out
    lastmile("done", "1", "--confirm")
    assert open_tasks(lastmile) == []
    both = lastmile("edit", "1", "--every", "daily", "--no-every")
    assert both.code == 2 and "give --every or --no-every, not both" in both.err


def test_undo_of_a_completion_removes_the_occurrence_it_made(lastmile):
    lastmile("add", "Pay rent", "--final", "transfer confirmed", "--every", "monthly",
             "--due", JAN_15.isoformat())
    lastmile("done", "1", "--confirm")
    undone = lastmile("undo")
    assert undone.code == 0, undone.err
    assert open_tasks(lastmile) == [(1, "Pay rent", JAN_15.isoformat())]


def test_an_unreadable_repeat_is_named_and_nothing_is_written(lastmile):
    bad = lastmile("add", "x", "--final", "y", "--every", "fortnite")
    assert bad.code == 2 and "cannot read 'fortnite' as a repeat" in bad.err
    assert "Traceback" not in bad.err
    assert lastmile("list", "--json").out.strip() in ("[]", "")


def test_a_series_due_on_the_31st_keeps_the_31st(lastmile):
    added = lastmile("add", "Pay rent", "--final", "bank confirms", "--every", "monthly", "--due", "31st")
    assert added.code == 0, added.err
    assert "repeats monthly on the 31st" in added.out
    due = date.fromisoformat(open_tasks(lastmile)[0][2])
    assert due.day == 31
    lastmile("done", "1", "--confirm")
    following = date.fromisoformat(open_tasks(lastmile)[0][2])
    assert following > due and following.day in (28, 29, 30, 31)  # the month's last day
    month_after = following.replace(day=1)
    assert following.day == calendar.monthrange(month_after.year, month_after.month)[1]


def test_a_file_that_is_not_text_is_named_in_one_line(lastmile, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01PK\x03\x04\xff\xfe\x80binary")
    r = lastmile("import", str(junk))
    assert r.code == 2 and r.err.count("\n") == 1 and "is not UTF-8 text" in r.err, r.err
    assert "codec" not in r.err
