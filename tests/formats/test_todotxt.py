"""todo.txt as its README defines it: the file todo.sh really wrote, every edge case of the
format, identity across edits, and write → read keeping what todo.txt can hold."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import Priority, Status, Task
from lastmile_tui.formats import files, todotxt

PEERS = Path(__file__).parent.parent / "data" / "peers"
NOW = datetime(2026, 11, 30, 9, 0)


def one(line: str):
    return todotxt.read(line, now=NOW).tasks[0].task


def test_the_file_todo_sh_wrote():
    text = (PEERS / "todo.txt").read_text(encoding="utf-8")
    assert files.sniff(text) == "todotxt"
    batch = todotxt.read(text, now=NOW)
    assert batch.source == "todo.txt"
    tasks = {i.task.title: i.task for i in batch.tasks}
    call = tasks["Call mum"]
    assert call.tags == ("family", "@phone") and call.due == date(2030, 1, 20) and call.priority is None
    passport = tasks["Renew passport"]
    assert passport.priority is Priority.H and passport.wait == date(2029, 12, 1)
    assert passport.tags == ("home.admin", "@town")
    assert tasks["Buy seeds"].priority is Priority.M
    email = tasks["Email name@example.com about 2+2 at 17:00 see https://example.com/x"]
    assert email.priority is Priority.L and email.tags == () and email.notes == ""
    old = tasks["Old report"]
    assert old.status is Status.DONE and old.done_elsewhere == "todo.txt" and not old.final_confirmed
    assert [i.where for i in batch.tasks] == [f"line {n}" for n in range(1, 6)]


@pytest.mark.parametrize(
    ("line", "title", "priority", "created"),
    [
        ("(A) Call mum", "Call mum", Priority.H, None),
        ("(B) 2026-11-01 Call mum", "Call mum", Priority.M, date(2026, 11, 1)),
        ("(Z) Call mum", "Call mum", Priority.L, None),
        ("Call (A) mum", "Call (A) mum", None, None),  # a priority only at the very start
        ("(a) Call mum", "(a) Call mum", None, None),  # upper case only
        ("(A)Call mum", "(A)Call mum", None, None),  # then a space
        ("2026-11-01 (A) Call mum", "(A) Call mum", None, date(2026, 11, 1)),  # the date after the priority
    ],
)
def test_priority_only_at_the_very_start_then_the_creation_date(line, title, priority, created):
    task = one(line)
    assert (task.title, task.priority) == (title, priority)
    assert task.created_at == (datetime.combine(created, datetime.min.time()) if created else NOW)


@pytest.mark.parametrize(
    ("line", "done", "title", "done_on"),
    [
        ("x 2026-11-30 2026-11-01 Pay rent", True, "Pay rent", date(2026, 11, 30)),
        ("x 2026-11-30 Pay rent", True, "Pay rent", date(2026, 11, 30)),
        ("X 2026-11-30 Pay rent", False, "X 2026-11-30 Pay rent", None),  # lowercase only
        ("xylophone lessons", False, "xylophone lessons", None),  # x then a space
        ("x Pay rent", True, "Pay rent", None),
    ],
)
def test_done_is_a_lowercase_x_and_a_space_then_the_completion_date(line, done, title, done_on):
    task = one(line)
    assert (task.status is Status.DONE, task.title) == (done, title)
    if done_on:
        assert task.done_at.date() == done_on
    if done:
        assert task.done_elsewhere == "todo.txt"


def test_pri_on_a_done_line_and_the_letters():
    assert one("x 2026-11-30 2026-11-01 Pay rent pri:A").priority is Priority.H
    assert one("x 2026-11-30 Pay rent pri:C").priority is Priority.L
    assert one("Pay rent pri:B").priority is Priority.M


@pytest.mark.parametrize(
    ("line", "title", "tags"),
    [
        ("Add 2+2 and mail name@example.com", "Add 2+2 and mail name@example.com", ()),
        ("Dig +garden @home", "Dig", ("garden", "@home")),
        ("Plan +home.garden trip", "Plan trip", ("home.garden",)),
        ("Mind + and @ alone", "Mind + and @ alone", ()),
        ("Odd +a,b tag", "Odd +a,b tag", ()),  # not a tag lastmile can hold: stays text
        ("+garden", "+garden", ("garden",)),  # a line of tags keeps them as its title
        ("due:2026-12-01", "due:2026-12-01", ()),  # and so does a line of key:values
    ],
)
def test_projects_and_contexts_only_after_a_space(line, title, tags):
    task = one(line)
    assert (task.title, task.tags) == (title, tags)


@pytest.mark.parametrize(
    ("line", "title", "notes"),
    [
        ("Meet at 17:00", "Meet at 17:00", ""),
        ("Read https://example.com/a:b or http://x.org", "Read https://example.com/a:b or http://x.org", ""),
        ("Water plants rec:1w", "Water plants", "todo.txt: rec:1w"),
        ("Ratio a:b:c stays", "Ratio a:b:c stays", ""),
        ("Say key: value", "Say key: value", ""),
        ("Note :x", "Note :x", ""),
    ],
)
def test_key_values_have_no_colon_or_space_either_side(line, title, notes):
    task = one(line)
    assert (task.title, task.notes) == (title, notes)


def test_due_and_threshold_are_dates():
    task = one("Pay rent due:2026-12-01 t:2026-11-25")
    assert (task.title, task.due, task.wait) == ("Pay rent", date(2026, 12, 1), date(2026, 11, 25))
    assert one("Pay rent at:17.30 due:2026-12-01").due == datetime(2026, 12, 1, 17, 30)
    assert one("Pay rent due:2026-12-01 at:25.00").notes == "todo.txt: at:25.00"  # not a time: kept


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ok\n\nPay rent due:2026-02-30\n", r"^line 3: due '2026-02-30' is not a real date"),
        ("ok\nPay rent due:tomorrow\n", r"^line 2: due 'tomorrow' is not a date like 2026-12-31"),
        ("ok\n(A) 2026-13-01 Pay\n", r"^line 2: creation date '2026-13-01' is not a real date"),
        ("x 2026-00-10 Paid\n", r"^line 1: completion date '2026-00-10' is not a real date"),
        ("Wait t:2026-1-1\n", r"^line 1: t: \(threshold\) '2026-1-1' is not a date"),
        ("ok\nbad \x1b[2J title\n", r"^line 2: title contains control characters"),
        ("Call at:17.30\n", r"^line 1: at:17.30 is a time of day for a due date, and the line has no due:"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_read(text, message):
    with pytest.raises(InvalidInput, match=message) as err:
        todotxt.read(text, now=NOW)
    assert str(err.value).endswith("nothing was imported")


def test_identity_survives_completion_priority_and_due_but_not_new_words():
    base = one("2026-11-01 Call mum +family due:2026-12-01")
    assert one("x 2026-11-30 2026-11-01 Call mum +family due:2026-12-01").uid == base.uid
    assert one("(A) 2026-11-01 Call mum +family due:2026-12-05 t:2026-11-20").uid == base.uid
    assert one("2026-11-01 Call dad +family due:2026-12-01").uid != base.uid
    assert one("2026-11-02 Call mum +family due:2026-12-01").uid != base.uid
    assert one("2026-11-01 Call mum +family uid:abc-1").uid == "abc-1"


def test_identical_lines_are_numbered_not_refused():
    batch = todotxt.read("Buy milk\nBuy milk\nBuy bread\nBuy milk\n", now=NOW)
    uids = [i.task.uid for i in batch.tasks]
    assert len(set(uids)) == 4
    assert uids[1] == f"{uids[0]}-2" and uids[3] == f"{uids[0]}-3"
    batch.check_unique()
    again = todotxt.read("Buy milk\nBuy milk\nBuy bread\nBuy milk\n", now=NOW)
    assert [i.task.uid for i in again.tasks] == uids and [i.task.source_hash for i in again.tasks] == [
        i.task.source_hash for i in batch.tasks]


def test_only_a_newline_ends_a_line():
    batch = todotxt.read("One\u2028still one\r\nTwo\n", now=NOW)
    assert [i.task.title for i in batch.tasks] == ["One\u2028still one", "Two"]
    assert todotxt.read(written(*(i.task for i in batch.tasks)), now=NOW).tasks[0].task.title == (
        "One\u2028still one")


def test_blank_lines_are_skipped_and_numbers_stay_true():
    batch = todotxt.read("\ufeff\n  \nFirst\n\nSecond\n", now=NOW)
    assert [(i.where, i.task.title) for i in batch.tasks] == [("line 3", "First"), ("line 5", "Second")]


# -- writing --------------------------------------------------------------------------


def written(*tasks: Task) -> str:
    out = io.StringIO()
    count = todotxt.write_stream(out, tasks)
    assert count == out.getvalue().count("\n")
    return out.getvalue()


CREATED = datetime(2026, 11, 1, 8, 30)


def test_the_lines_lastmile_writes():
    open_task = Task(1, "Call mum", tags=("family", "@phone"), due=datetime(2026, 12, 1, 17, 0),
                     wait=date(2026, 11, 25), priority=Priority.H, created_at=CREATED, uid="u-1",
                     final_step="say the date", notes="todo.txt: rec:1w\nmy own words")
    done = Task(2, "Pay rent", status=Status.DONE, priority=Priority.M, created_at=CREATED,
                done_at=datetime(2026, 11, 30, 10, 0), final_step="send", final_step_confirmed_at=CREATED,
                uid="u-2")
    dropped = Task(3, "Never", status=Status.DROPPED, created_at=CREATED)
    assert written(open_task, done, dropped).splitlines() == [
        "(A) 2026-11-01 Call mum +family @phone due:2026-12-01 at:17.00 t:2026-11-25 rec:1w uid:u-1",
        "x 2026-11-30 2026-11-01 Pay rent pri:B uid:u-2",
    ]


def test_a_title_that_looks_like_a_mark_is_not_misread():
    tasks = [Task(1, "x marks the spot", created_at=CREATED), Task(2, "(A) is a grade", created_at=CREATED),
             Task(3, "2026-01-01 party", created_at=CREATED)]
    back = todotxt.read(written(*tasks), now=NOW)
    assert [(i.task.title, i.task.status, i.task.priority) for i in back.tasks] == [
        ("x marks the spot", Status.OPEN, None), ("(A) is a grade", Status.OPEN, None),
        ("2026-01-01 party", Status.OPEN, None)]


_word = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Z"), exclude_characters=":"),
                min_size=1, max_size=8).filter(lambda w: w[0] not in "+@")
_tag = st.text(st.sampled_from("abcxyz.-_é"), min_size=1, max_size=6)
_day = st.dates(date(2000, 1, 1), date(2099, 12, 31))


@st.composite
def todo_tasks(draw) -> Task:
    done = draw(st.booleans())
    created = datetime.combine(draw(_day), datetime.min.time())
    tags = tuple(dict.fromkeys(draw(st.lists(st.one_of(_tag, _tag.map("@".__add__)), max_size=3))))
    return Task(
        None, " ".join(draw(st.lists(_word, min_size=1, max_size=5))), tags=tags,
        due=draw(st.none() | _day | st.datetimes(datetime(2000, 1, 1), datetime(2099, 1, 1)).map(
            lambda moment: moment.replace(second=0, microsecond=0))),
        wait=draw(st.none() | _day),
        priority=draw(st.none() | st.sampled_from(Priority)), created_at=created,
        status=Status.DONE if done else Status.OPEN,
        done_at=created if done else None, done_elsewhere="Taskwarrior" if done else "",
        uid=draw(st.uuids()).hex,
    )


@given(st.lists(todo_tasks(), max_size=6))
def test_write_then_read_keeps_what_todo_txt_holds(tasks):
    back = todotxt.read(written(*tasks), now=NOW)
    assert len(back.tasks) == len(tasks)
    for task, incoming in zip(tasks, back.tasks, strict=True):
        got = incoming.task
        assert (got.title, got.tags, got.due, got.wait, got.priority, got.status, got.uid) == (
            task.title, task.tags, task.due, task.wait, task.priority, task.status, task.uid)
        assert got.created_at == task.created_at
        assert (got.done_at is None) == (task.done_at is None)
    assert written(*(i.task for i in back.tasks)) == written(*tasks)  # and the lines are stable
