"""The ``$EDITOR`` document: a task written out reads back the same, and a bad line is named."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain.dates import format_due
from lastmile_tui.domain.recurrence import parse_recurrence
from lastmile_tui.domain.task import Priority, Step, Task
from lastmile_tui.formats import editor
from lastmile_tui.formats.editor import DocumentError

NOW = datetime(2026, 11, 30, 9, 0)
line_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                    max_size=40).map(lambda t: " ".join(t.split())).filter(bool).filter(
                    lambda t: not t.startswith("#"))
tag = st.text("abcdefghijklmnopqrstuvwxyzé.-_0123456789", min_size=1, max_size=10)


@st.composite
def tasks(draw: st.DrawFn) -> Task:
    due = draw(st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2040, 1, 1)),
                         st.datetimes(datetime(2020, 1, 1), datetime(2040, 1, 1)).map(
                             lambda d: d.replace(second=0, microsecond=0))))
    anchor = due.date() if isinstance(due, datetime) else (due or NOW.date())
    phrase = draw(st.sampled_from(["", "daily", "weekdays", "monthly", "every 2 weeks",
                                   "weekly on fri", "monthly on the last friday",
                                   "3 weeks after done", "FREQ=DAILY;UNTIL=20300101"]))
    return Task(
        id=3, title=draw(line_text), final_step=draw(st.one_of(st.just(""), line_text)),
        steps=tuple(Step(text, NOW if done else None)
                    for text, done in draw(st.lists(st.tuples(line_text, st.booleans()), max_size=4))),
        tags=tuple(dict.fromkeys(draw(st.lists(tag, max_size=3)))),
        notes=draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60)).strip(),
        due=due, wait=draw(st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2040, 1, 1)))),
        priority=draw(st.sampled_from([None, *Priority])),
        repeat=parse_recurrence(phrase, anchor) if phrase else None,
        created_at=NOW, updated_at=NOW,
    )


@given(tasks())
def test_a_task_reads_back_as_it_was_written(task):
    doc = editor.read(editor.write(task, "task 3"))
    assert doc is not None
    assert doc.values["title"] == task.title
    assert doc.values["final_step"] == task.final_step
    assert doc.values["due"] == (format_due(task.due) if task.due is not None else "")
    assert doc.values["wait"] == (task.wait.isoformat() if task.wait else "")
    assert doc.values["priority"] == (task.priority.value if task.priority else "")
    anchor = task.due.date() if isinstance(task.due, datetime) else (task.due or NOW.date())
    assert (parse_recurrence(doc.values["repeat"], anchor) if doc.values["repeat"] else None) == task.repeat
    assert editor.tags(doc.values["tags"]) == list(task.tags)
    assert doc.steps == [(s.text, s.done) for s in task.steps]
    assert doc.notes == task.notes


def test_the_empty_document_for_a_new_task_needs_a_title():
    text = editor.write(None, "a new task")
    with pytest.raises(DocumentError, match="the title must not be blank"):
        editor.read(text)
    doc = editor.read(text.replace("\ntitle: \n", "\ntitle: Call mum\n").replace("[ ] \n", "[ ] dial\n"))
    assert doc is not None and doc.values["title"] == "Call mum" and doc.steps == [("dial", False)]


def test_an_emptied_file_changes_nothing():
    assert editor.read("") is None
    assert editor.read("# only comments\n\n   \n") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\nprio: H\n", r"line 2: 'prio: H' is not a field; the fields are title, final"),
        ("title: x\ntitle: y\n", "line 2: title is given twice"),
        ("title: x\nsteps:\n- buy milk\n", r"line 3: a step is written '\[ \] text' or '\[x\] text'"),
        ("just some words\n", "line 1: 'just some words' is not a field"),
    ],
)
def test_a_bad_line_is_named(text, message):
    with pytest.raises(DocumentError, match=message):
        editor.read(text)


def test_an_error_goes_on_top_and_replaces_the_last_one():
    once = editor.with_error("title: x\n", "line 2: first")
    twice = editor.with_error(once, "line 3: second")
    assert twice.splitlines()[0] == "# ERROR: line 3: second"
    assert "first" not in twice
    assert editor.read(twice) is not None


def test_the_line_an_error_names_is_the_line_in_the_reopened_text():
    text = "title: x\ncolour: red\n"
    with pytest.raises(DocumentError) as raised:
        editor.read(text)
    reopened = editor.with_error(text, str(raised.value))
    assert reopened.splitlines()[0] == "# ERROR: line 3: 'colour: red' is not a field; the fields are " \
        "title, final, due, wait, priority, repeat, tags, steps, notes"
    assert reopened.splitlines()[2] == "colour: red"
    with pytest.raises(DocumentError) as again:  # saved again as it was: the same line, same number
        editor.read(reopened)
    assert editor.with_error(reopened, str(again.value)).splitlines()[0].startswith("# ERROR: line 3: ")


def test_notes_keep_their_lines_and_hashes():
    doc = editor.read("title: x\nnotes:\n# not a comment here\n\n  indented\n")
    assert doc is not None and doc.notes == "# not a comment here\n\n  indented"
