"""iCalendar VTODOs: lastmile's tasks go out and come back with nothing lost, another app's VTODO
comes in from its standard properties (files todoman itself wrote), and what lastmile does not
read is written back unchanged. Pure: no database."""

from __future__ import annotations

import io
import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.imports import OWNABLE
from lastmile_tui.domain.recurrence import parse_recurrence
from lastmile_tui.domain.task import Priority, Status, Step, Task, clean_task
from lastmile_tui.formats import ical

TODOMAN_VDIR = Path(__file__).resolve().parents[1] / "data" / "todoman-vdir"


@pytest.fixture(autouse=True, scope="module")
def _zone_with_summer_time():
    """Local times are converted to UTC and back: do it somewhere that is not UTC."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _through_utc(moment: datetime) -> bool:
    """A local time that exists exactly once (not in a summer-time gap or fold)."""
    back = moment.astimezone(UTC).astimezone().replace(tzinfo=None)
    return back == moment and moment.replace(fold=1).astimezone(UTC) == moment.astimezone(UTC)


def moments(minutes_only: bool = False) -> st.SearchStrategy[datetime]:
    base = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31))
    whole = base.map(lambda m: m.replace(second=0 if minutes_only else m.second, microsecond=0))
    return whole.filter(_through_utc)


LETTERS = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"),
                        exclude_characters="\u2028\u2029\x85")
TRICKY = st.sampled_from(["\\N", "\\n", "\\", ";", ",", ":", '"', "C:\\New folder", "[x] ", "FINAL: "])
"""What iCalendar escapes, or a library might unescape twice (icalendar 7 reads a literal \\N as a break)."""
piece = st.one_of(st.text(LETTERS, max_size=12), TRICKY)
line = st.lists(piece, min_size=1, max_size=4).map(lambda ps: " ".join("".join(ps).split())).filter(bool)
SYMBOLS = st.characters(codec="utf-8", categories=("L", "N", "P", "S"))
tag = st.one_of(st.text(SYMBOLS.filter(lambda c: c not in ",+"), min_size=1, max_size=12),
                st.sampled_from(["a\\Nb", "c;d", "e\\f"]))
notes = st.lists(st.one_of(st.text(LETTERS, max_size=25), TRICKY), max_size=4).map(
    lambda lines: "\n".join(lines).strip())
uid = st.one_of(st.text(SYMBOLS, min_size=1, max_size=40), st.sampled_from(["a\\Nb", "x;y,z", "w/\\n"]))


@st.composite
def tasks(draw: st.DrawFn) -> Task:
    """Every state a task can be in: open, in progress, confirmed, done here or elsewhere, dropped."""
    created = draw(moments())
    updated = draw(moments())
    final = draw(st.one_of(st.just(""), line))
    state = draw(st.sampled_from(Status))
    confirmed = draw(st.one_of(st.none(), moments())) if final else None
    elsewhere = ""
    if state is Status.DONE and confirmed is None:
        elsewhere = draw(st.sampled_from(["Taskwarrior", "another calendar app"]))
    task = Task(
        None,
        uid=draw(uid).strip() or "x",
        title=draw(line),
        final_step=final,
        steps=tuple(draw(st.lists(st.builds(Step, line, st.one_of(st.none(), moments())), max_size=4))),
        tags=tuple(draw(st.lists(tag, max_size=3, unique=True))),
        notes=draw(notes),
        due=draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2090, 1, 1)),
                           moments(minutes_only=True))),
        status=state,
        created_at=created,
        updated_at=updated,
        final_step_confirmed_at=confirmed,
        done_at=draw(moments()) if state is Status.DONE else None,
        dropped_reason=draw(st.one_of(st.none(), line)) if state is Status.DROPPED else None,
        wait=draw(st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2090, 1, 1)))),
        priority=draw(st.one_of(st.none(), st.sampled_from(Priority))),
        done_elsewhere=elsewhere,
        repeat=draw(st.one_of(st.none(), st.sampled_from(REPEATS))),
        series=draw(st.one_of(st.just(""), st.sampled_from(["s-1", "a;b"]))),
    )
    return clean_task(task)


REPEATS = [parse_recurrence(phrase, date(2026, 1, 31)) for phrase in (
    "monthly", "weekly on fri", "2 weeks after done", "weekdays", "monthly on the last friday",
    "FREQ=DAILY;UNTIL=20300101")]


def written(*tasks: Task) -> str:
    out = io.StringIO()
    assert ical.write_stream(out, tasks) == len(tasks)
    return out.getvalue()


def read_back(text: str) -> list[Task]:
    return [incoming.task for incoming in ical.read(text).tasks]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(tasks(), min_size=1, max_size=4, unique_by=lambda t: t.uid))
def test_every_task_comes_back_whole(originals):
    """Export then import loses no task, step (with its check), due date or time, priority,
    status, final step, confirmation, wait, tag or note."""
    again = read_back(written(*originals))
    assert len(again) == len(originals)
    for before, after in zip(originals, again, strict=True):
        assert after.with_changes(source_hash="") == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks())
def test_a_vdir_file_holds_one_calendar_with_one_vtodo(task):
    text = ical.write_one(task)
    calendar = Calendar.from_ical(text)
    assert (str(calendar["PRODID"]), str(calendar["VERSION"])) == ("-//lastmile//EN", "2.0")
    assert [str(todo["UID"]) for todo in calendar.todos] == [task.uid]
    assert read_back(text)[0].with_changes(source_hash="") == task


def _task(**fields: object) -> Task:
    base = {"title": "Send invoice", "uid": "inv-1", "created_at": datetime(2026, 11, 1, 9, 0),
            "updated_at": datetime(2026, 11, 2, 9, 0)}
    return clean_task(Task(None, **{**base, **fields}))  # type: ignore[arg-type]


def _props(task: Task) -> dict[str, str]:
    todo = ical.vtodo(task)
    return {name: todo[name].to_ical().decode() if hasattr(todo[name], "to_ical") else str(todo[name])
            for name in todo}


def test_the_mapping_other_apps_read():
    task = _task(
        final_step="email PDF to client", tags=("work", "client"), priority=Priority.H,
        steps=(Step("export hours", datetime(2026, 11, 2, 8, 30)), Step("make the PDF")),
        notes="Net 30.", due=datetime(2026, 12, 4, 17, 0), wait=date(2026, 12, 1),
    )
    props = _props(task)
    assert props["SUMMARY"] == "Send invoice"
    assert props["DUE"] == "20261204T160000Z"  # 17:00 in Berlin, in UTC
    assert props["CATEGORIES"] == "work,client"
    assert props["PRIORITY"] == "1"
    assert props["STATUS"] == "IN-PROCESS"
    assert props["PERCENT-COMPLETE"] == "33"  # 1 of 2 steps + the final step
    assert (props["CREATED"], props["LAST-MODIFIED"]) == ("20261101T080000Z", "20261102T080000Z")
    assert props["DTSTAMP"] == "20261102T080000Z"
    assert ical.vtodo(task)["DESCRIPTION"] == (
        "[x] export hours\n[ ] make the PDF\n[ ] FINAL: email PDF to client\n\nNet 30.")
    assert props["X-LASTMILE-FINAL-STEP"] == "email PDF to client"
    assert "X-LASTMILE-FINAL-CONFIRMED" not in props and "COMPLETED" not in props
    assert props["X-LASTMILE-WAIT"] == "20261201"
    text = written(task)
    assert "X-LASTMILE-STEP;X-CHECKED=20261102T073000Z:export hours\r\n" in text
    assert "X-LASTMILE-STEP:make the PDF\r\n" in text
    assert "DUE;VALUE=DATE:20261204\r\n" in written(task.with_changes(due=date(2026, 12, 4)))


@pytest.mark.parametrize(
    ("changes", "status", "percent"),
    [
        ({}, "NEEDS-ACTION", "0"),
        ({"final_step": "send"}, "NEEDS-ACTION", "0"),
        ({"final_step": "send", "steps": (Step("a", datetime(2026, 11, 2)),)}, "IN-PROCESS", "50"),
        ({"final_step": "send", "steps": (Step("a", datetime(2026, 11, 2)),),
          "final_step_confirmed_at": datetime(2026, 11, 3)}, "IN-PROCESS", "99"),
        ({"final_step": "send", "status": Status.DONE, "done_at": datetime(2026, 11, 3),
          "final_step_confirmed_at": datetime(2026, 11, 3)}, "COMPLETED", "100"),
        ({"status": Status.DONE, "done_at": datetime(2026, 11, 3), "done_elsewhere": "Taskwarrior"},
         "COMPLETED", "0"),
        ({"status": Status.DROPPED}, "CANCELLED", "0"),
    ],
)
def test_status_and_percent_complete(changes, status, percent):
    """99 at most until the final step is confirmed; COMPLETED carries its time."""
    props = _props(_task(**changes))
    assert (props["STATUS"], props["PERCENT-COMPLETE"]) == (status, percent)
    assert ("COMPLETED" in props) == (status == "COMPLETED")
    assert ("X-LASTMILE-FINAL-CONFIRMED" in props) == ("final_step_confirmed_at" in changes)


def test_the_files_todoman_wrote_come_in_by_their_standard_properties():
    by_title = {}
    for path in sorted(TODOMAN_VDIR.glob("*.ics")):
        batch = ical.read(path.read_text(encoding="utf-8"), name=path.name)
        assert batch.source == "iCalendar" and len(batch.tasks) == 1
        incoming = batch.tasks[0]
        assert incoming.owns == ical.FOREIGN_OWNS
        assert incoming.where == f"{path.name}, VTODO 1 (UID {path.stem})"
        by_title[incoming.task.title] = incoming.task
    train = by_title["Book train tickets"]
    assert train.uid == "88e55f3c522d4687bc19869d8f91fc9c@vm"
    assert train.due == datetime(2026, 12, 5, 18, 0)  # 17:00 UTC in Berlin
    assert train.priority is Priority.H and train.tags == ("errands", "travel-plans")
    assert train.notes == "Seats by the window.\nCheck the railcard first."
    assert (train.final_step, train.steps, train.status) == ("", (), Status.OPEN)
    assert "LOCATION:Main station\r\n" in train.extra and "SEQUENCE:2\r\n" in train.extra
    assert by_title["Water plants"].priority is Priority.L


def test_a_vtodo_completed_in_another_app_arrives_done_elsewhere_never_confirmed():
    path = TODOMAN_VDIR / "1b6a35f11db943f98bf6901ac1ffd284@vm.ics"
    task = ical.read(path.read_text(encoding="utf-8")).tasks[0].task
    assert task.status is Status.DONE and task.done_elsewhere == "another calendar app"
    assert task.done_at == datetime(2026, 11, 30, 17, 12, 3) and not task.final_confirmed


def test_a_lastmile_task_completed_in_another_app_is_done_elsewhere():
    """todoman's ``todo done`` on an exported task: STATUS:COMPLETED without lastmile's confirmation."""
    text = written(_task(final_step="email it")).replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED")
    incoming = ical.read(text).tasks[0]
    assert incoming.owns == OWNABLE
    task = incoming.task
    assert task.status is Status.DONE and task.done_elsewhere == "another calendar app"
    assert task.final_step == "email it" and not task.final_confirmed


# Written by hand in the shape Thunderbird writes (a VTIMEZONE, X-MOZ-*), with an attendee, a
# recurrence, an alarm and a folded X- property with a quoted parameter: what lastmile must keep.
FOREIGN = """BEGIN:VCALENDAR\r
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r
VERSION:2.0\r
X-WR-CALNAME:Home\r
BEGIN:VTIMEZONE\r
TZID:America/New_York\r
BEGIN:STANDARD\r
DTSTART:19701101T020000\r
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r
TZOFFSETFROM:-0400\r
TZOFFSETTO:-0500\r
TZNAME:EST\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:19700308T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r
TZOFFSETFROM:-0500\r
TZOFFSETTO:-0400\r
TZNAME:EDT\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VTODO\r
UID:moz-1\r
DTSTAMP:20261125T080000Z\r
SUMMARY:Renew passport\\, urgent\r
DUE;TZID=America/New_York:20261210T090000\r
DTSTART;TZID=America/New_York:20261201T090000\r
PRIORITY:3\r
CATEGORIES:Admin,Life stuff\r
DESCRIPTION:Photos first.\r
X-MOZ-GENERATION:3\r
X-ODD;X-PARAM="a;b":some value with a very long line that goes on and on past seventy-five c\r
 haracters, folded\r
ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com\r
RRULE:FREQ=YEARLY\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
DESCRIPTION:Passport!\r
TRIGGER;RELATED=START:-PT15M\r
END:VALARM\r
END:VTODO\r
BEGIN:VEVENT\r
UID:ev-1\r
SUMMARY:Dentist\r
DTSTART:20261201T090000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_another_apps_vtodo_keeps_what_lastmile_does_not_read():
    batch = ical.read(FOREIGN)
    assert [(s.where, s.title) for s in batch.skipped] == [("VEVENT 1", "Dentist")]
    task = batch.tasks[0].task
    assert (task.title, task.priority, task.tags) == ("Renew passport, urgent", Priority.H,
                                                       ("Admin", "Life-stuff"))
    assert task.due == datetime(2026, 12, 10, 15, 0)  # 09:00 in New York, in Berlin
    assert task.notes == "Photos first."
    out = written(task)
    unfolded = out.replace("\r\n ", "")  # folding is free to differ; the lines are the same
    for kept in ("X-MOZ-GENERATION:3\r\n", "RRULE:FREQ=YEARLY\r\n",
                 "DTSTART;TZID=America/New_York:20261201T090000\r\n",
                 "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com\r\n",
                 'X-ODD;X-PARAM="a;b":some value with a very long line that goes on and on past '
                 'seventy-five characters, folded\r\n',
                 "BEGIN:VALARM\r\n", "TRIGGER;RELATED=START:-PT15M\r\n",
                 "TZID:America/New_York\r\n"):  # its VTIMEZONE comes back for the kept DTSTART
        assert kept in unfolded, kept
    again = read_back(out)[0]
    assert again.extra == task.extra  # read → write → read: the kept text is the same
    assert again.with_changes(source_hash="") == task.with_changes(source_hash="")


def test_lastmiles_own_properties_win_over_kept_ones():
    """A kept property lastmile writes itself (an old SUMMARY, a stale PERCENT-COMPLETE) is never
    written twice: lastmile's value goes out."""
    task = _task(extra="SUMMARY:old title\r\nPERCENT-COMPLETE:70\r\nX-LASTMILE-FINAL-STEP:old\r\n"
                       "X-KEEP:yes\r\n")
    out = written(task)
    assert out.count("SUMMARY:") == 1 and "SUMMARY:Send invoice\r\n" in out
    assert out.count("PERCENT-COMPLETE:") == 1 and "PERCENT-COMPLETE:0\r\n" in out
    assert out.count("X-LASTMILE-FINAL-STEP") == 1 and "X-KEEP:yes\r\n" in out


def test_notes_survive_another_app_rewriting_the_checklist():
    task = _task(final_step="send", steps=(Step("write"),), notes="Keep it short.")
    text = written(task).replace("[ ] write", "[x] write")  # ticked in an app that edits DESCRIPTION
    assert read_back(text)[0].notes == "Keep it short."


def test_a_vtodo_without_uid_gets_a_stable_one():
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nSUMMARY:No id\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    first, second = read_back(text)[0], read_back(text)[0]
    assert first.uid == second.uid and first.uid.startswith("lastmile-")


def test_bare_vtodos_and_concatenated_calendars_are_read():
    one, two = written(_task(uid="a")), written(_task(uid="b", title="Other"))
    assert [t.uid for t in read_back(one + two)] == ["a", "b"]
    body = one[one.index("BEGIN:VTODO"):one.index("END:VTODO") + len("END:VTODO")]
    assert [t.uid for t in read_back(body)] == ["a"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\r\n", "the file is not iCalendar"),
        ("BEGIN:VCALENDAR\r\nthis is not a property\r\nEND:VCALENDAR\r\n", "the file is not iCalendar"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
         r"VTODO 1 \(UID x\): it has no SUMMARY"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nSUMMARY:a\r\nEND:VTODO\r\n"
         "BEGIN:VTODO\r\nUID:y\r\nSUMMARY:b\r\nDUE:tomorrow\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
         r"VTODO 2 \(UID y\): a property lastmile cannot read"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nSUMMARY:a\x1b]52;c;aGk=\x07\r\nEND:VTODO\r\n"
         "END:VCALENDAR\r\n", r"VTODO 1 \(UID x\): title contains control characters"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nSUMMARY:a\r\nPRIORITY:high\r\nEND:VTODO\r\n"
         "END:VCALENDAR\r\n", r"VTODO 1 \(UID x\): a property lastmile cannot read"),
    ],
)
def test_bad_input_is_one_line_naming_the_vtodo(text, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        ical.read(text)
    assert "\n" not in str(caught.value) and "nothing was imported" in str(caught.value)


def test_priorities_from_other_apps():
    def priority(value: str) -> Priority | None:
        text = f"BEGIN:VTODO\r\nUID:p\r\nSUMMARY:p\r\nPRIORITY:{value}\r\nEND:VTODO\r\n"
        return read_back(text)[0].priority

    assert [priority(v) for v in "0123456789"] == [None, *[Priority.H] * 4, Priority.M, *[Priority.L] * 4]


def test_times_go_out_in_utc_and_come_back_local():
    when = datetime(2026, 7, 1, 12, 0)  # summer time in Berlin: UTC+2
    task = _task(due=when, created_at=when - timedelta(days=1))
    props = _props(task)
    assert props["DUE"] == "20260701T100000Z" and props["CREATED"] == "20260630T100000Z"
    assert read_back(written(task))[0].due == when


def test_what_a_message_quotes_from_the_file_is_plain_text():
    """A UID or an event's summary with terminal control in it is escaped, never obeyed."""
    evil = "\x1b]52;c;aGk=\x07"
    text = (f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:e\r\nSUMMARY:{evil}\r\nEND:VEVENT\r\n"
            f"BEGIN:VTODO\r\nUID:{evil}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    with pytest.raises(InvalidInput) as caught:
        ical.read(text, name=f"a{evil}.ics")
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)
    assert "\\x1b]52" in str(caught.value)
    skipped = ical.read(text.replace(f"UID:{evil}", "UID:t\r\nSUMMARY:fine")).skipped
    assert skipped[0].title == "\\x1b]52;c;aGk=\\x07"


def test_a_backslash_n_in_text_stays_a_backslash_n():
    """icalendar 7 escapes a literal ``\\N`` as a line break; lastmile escapes by the RFC alone."""
    task = _task(title="Back up C:\\New folder", final_step="copy C:\\Notes", notes="path C:\\N\nnext",
                 steps=(Step("a\\Nb; c, d"),), tags=("x\\Ny",))
    text = written(task)
    assert "SUMMARY:Back up C:\\\\New folder\r\n" in text
    assert read_back(text)[0].with_changes(source_hash="") == task


def test_a_repeat_goes_out_as_an_rrule_and_another_apps_rrule_comes_in():
    fixed = Task(None, "Pay rent", uid="r1", due=date(2026, 12, 31), created_at=datetime(2026, 11, 1),
                 updated_at=datetime(2026, 11, 1), repeat=parse_recurrence("monthly", date(2026, 12, 31)))
    text = ical.write_one(fixed)
    assert "RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1\r\n" in text
    after_done = fixed.with_changes(repeat=parse_recurrence("2 weeks after done", date(2026, 12, 31)))
    assert "RRULE" not in ical.write_one(after_done).replace("X-LASTMILE-REPEAT", "")  # no RRULE form
    foreign = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
               "BEGIN:VTODO\r\nUID:f1\r\nSUMMARY:Bins\r\nDUE;VALUE=DATE:20261203\r\n"
               "RRULE:FREQ=WEEKLY;BYDAY=TH\r\nEND:VTODO\r\n"
               "BEGIN:VTODO\r\nUID:f2\r\nSUMMARY:Ten times\r\nRRULE:FREQ=DAILY;COUNT=10\r\nEND:VTODO\r\n"
               "END:VCALENDAR\r\n")
    bins, ten = read_back(foreign)
    assert bins.repeat is not None and bins.repeat.describe() == "weekly on Thu" and bins.extra == ""
    assert ten.repeat is None and ten.extra == "RRULE:FREQ=DAILY;COUNT=10\r\n"  # kept for its app
    assert "RRULE:FREQ=DAILY;COUNT=10" in ical.write_one(ten)
