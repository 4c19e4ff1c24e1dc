"""Steps as child VTODOs (``[sync] steps = "children"``): a task goes out as its own VTODO plus
one child per step and one for the final step, and comes back whole; a phone's tick on a child
checks the step, and a tick on the final child is the confirmation. Pure: no network."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from lastmile_tui.domain.task import Status, Step
from lastmile_tui.formats import ical

from .test_ical import _task, _zone_with_summer_time, tasks  # noqa: F401 - the fixture is used


def through_objects(task, change=None):
    """Every object of *task* read back as a sync reads them, then folded; *change* edits the
    parsed VTODOs first (a phone)."""
    read = [ical.read_component(text) for text in ical.objects(task, children=True).values()]
    if change is not None:
        change({str(todo["UID"]): todo for _incoming, todo in read})
        read = [ical.read_component(Calendar.from_ical(ical._calendar([todo]).to_ical()).to_ical().decode())
                for _incoming, todo in read]
    (parent, parent_todo), *kids = read
    return ical.fold(parent, parent_todo, [todo for _incoming, todo in kids])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks())
def test_every_task_comes_back_whole_through_its_children(task):
    assert through_objects(task).task.with_changes(source_hash="") == task


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(tasks(), min_size=1, max_size=3, unique_by=lambda t: t.uid))
def test_a_file_of_parents_and_children_reads_back_as_the_tasks(originals):
    text = "".join(text for task in originals for text in ical.objects(task, children=True).values())
    again = [incoming.task.with_changes(source_hash="") for incoming in ical.read(text).tasks]
    assert again == originals


def test_the_children_in_order_final_last_with_stable_uids():
    task = _task(steps=(Step("export hours"), Step("make the PDF", datetime(2026, 11, 3, 10, 0))),
                 final_step="email the PDF to Ana")
    kids = ical.child_vtodos(task)
    assert [str(k["SUMMARY"]) for k in kids] == ["export hours", "make the PDF", "email the PDF to Ana"]
    assert [str(k["X-APPLE-SORT-ORDER"]) for k in kids] == ["1", "2", "3"]
    assert [str(k["X-LASTMILE-ROLE"]) for k in kids] == ["step", "step", "final"]
    assert [str(k["STATUS"]) for k in kids] == ["NEEDS-ACTION", "COMPLETED", "NEEDS-ACTION"]
    assert all(str(k["RELATED-TO"]) == "inv-1" and k["RELATED-TO"].params["RELTYPE"] == "PARENT"
               for k in kids)
    assert str(kids[2]["UID"]) == "inv-1-final"
    parent = ical.vtodo(task, children=True)
    assert "X-LASTMILE-STEP" not in parent and str(parent["X-LASTMILE-STEPS"]) == "children"
    assert "DESCRIPTION" not in parent  # no checklist: the children are the checklist
    # reordered, one added in front: every step keeps its child's UID
    moved = task.with_changes(steps=(Step("call Ana first"), task.steps[1], task.steps[0]))
    before = {str(k["SUMMARY"]): str(k["UID"]) for k in kids}
    after = {str(k["SUMMARY"]): str(k["UID"]) for k in ical.child_vtodos(moved)}
    assert all(after[text] == uid for text, uid in before.items())
    # two steps with the same text are two children
    twice = task.with_changes(steps=(Step("check"), Step("check")))
    assert len({str(k["UID"]) for k in ical.child_vtodos(twice)}) == 3


def test_a_task_without_steps_or_final_step_is_the_same_object_in_both_modes():
    task = _task()
    assert ical.objects(task, children=True) == ical.objects(task)
    assert ical.digest(task, children=True) == ical.digest(task)


def tick(uid, when=datetime(2026, 11, 5, 8, 30, tzinfo=UTC)):
    def change(todos):
        todo = todos[uid]
        for name in ("STATUS", "COMPLETED", "PERCENT-COMPLETE"):
            todo.pop(name, None)
        todo.add("STATUS", "COMPLETED")
        todo.add("COMPLETED", when)
        todo.add("LAST-MODIFIED", when)
    return change


def test_a_phone_ticking_a_step_child_checks_the_step():
    task = _task(steps=(Step("export hours"), Step("make the PDF")), final_step="email it")
    uid = ical.child_uid("inv-1", "make the PDF")
    got = through_objects(task, tick(uid)).task
    assert got.steps[1].done_at is not None and got.steps[0].done_at is None
    assert got.status is Status.OPEN and got.updated_at > task.updated_at


def test_a_phone_ticking_the_final_child_is_the_confirmation_and_the_task_is_done():
    task = _task(steps=(Step("export hours"),), final_step="email it")
    got = through_objects(task, tick("inv-1-final")).task
    assert got.status is Status.DONE and got.final_confirmed and not got.done_elsewhere
    assert got.done_at == got.final_step_confirmed_at


def test_a_child_the_phone_made_under_the_task_is_a_step_in_its_place():
    task = _task(steps=(Step("export hours"), Step("make the PDF")), final_step="email it")
    objects = list(ical.objects(task, children=True).values())
    new = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\nUID:phone-1\r\n"
           "DTSTAMP:20261105T080000Z\r\nSUMMARY:ask for the rate\r\nRELATED-TO:inv-1\r\n"
           "X-APPLE-SORT-ORDER:2\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    read = [ical.read_component(text) for text in [*objects, new]]
    (parent, parent_todo), *kids = read
    got = ical.fold(parent, parent_todo, [todo for _i, todo in kids]).task
    # order 2 ties with "make the PDF" (2): the one made earlier first
    assert [s.text for s in got.steps] == ["export hours", "make the PDF", "ask for the rate"]
