"""Priorities and wait dates in the domain and the store (issue 12): read, kept, shown, hidden."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain.dates import day_phrase, parse_wait
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.ranking import WAITED_SHOWN_DAYS, reason, wait_phrase
from lastmile_tui.domain.task import Priority, Task, clean_priority, is_waiting
from tests.conftest import NOW

MON = datetime(2026, 11, 30, 10, 0)  # a Monday


@pytest.mark.parametrize(("text", "letter"), [("H", "H"), ("m", "M"), (" l ", "L"), ("high", "H")])
def test_a_priority_is_read_in_any_case(text, letter):
    assert clean_priority(text) is Priority(letter)


@pytest.mark.parametrize("text", ["x", "", "HM", "1", "urgent"])
def test_any_other_priority_is_named(text):
    with pytest.raises(InvalidInput, match="is not one of H, M or L"):
        clean_priority(text)


def test_a_wait_is_a_day_read_like_a_due_date():
    assert parse_wait("fri", MON) == date(2026, 12, 4)
    assert parse_wait("+2w", MON) == date(2026, 12, 14)
    assert parse_wait("today", MON) is None  # today or earlier: not waiting
    assert parse_wait("2026-11-01", MON) is None
    with pytest.raises(InvalidInput, match="cannot read wait date 'fri 5pm': a wait is a whole day"):
        parse_wait("fri 5pm", MON)
    with pytest.raises(InvalidInput, match="cannot read wait date 'someday'"):
        parse_wait("someday", MON)


@given(st.integers(-400, 400))
def test_waiting_is_after_today_and_the_reason_says_so(days):
    wait = MON.date() + timedelta(days=days)
    task = Task(id=1, title="t", wait=wait, created_at=MON, updated_at=MON)
    assert is_waiting(task, MON.date()) == (days > 0)
    phrase = wait_phrase(wait, MON)
    if days > 0:
        assert phrase == f"waiting until {day_phrase(wait, MON)}"
    elif days >= -WAITED_SHOWN_DAYS:
        assert phrase == f"waited until {day_phrase(wait, MON)}"
    else:
        assert phrase == ""
    assert (phrase in reason(task, MON)) and (bool(phrase) == ("wait" in reason(task, MON)))


def test_day_phrases_either_side_of_today():
    assert [day_phrase(MON.date() + timedelta(days=d), MON) for d in (-8, -3, -1, 0, 1, 4)] == [
        "Nov 22", "fri", "yesterday", "today", "tomorrow", "fri"]


def test_add_and_edit_priority_and_wait_with_history(store):
    task = store.add("Ship", priority="h", wait="fri")
    assert (task.priority, task.wait) == (Priority.H, date(2026, 11, 27))
    assert store.place(task.id) is None and store.waiting()[0].id == task.id
    task = store.edit(task.id, priority="L", wait=None)
    assert (task.priority, task.wait) == (Priority.L, None)
    assert store.place(task.id) == (False, 0)
    task = store.edit(task.id, priority=None, wait="+3d")
    assert (task.priority, task.wait) == (None, NOW.date() + timedelta(days=3))
    details = [e.detail for e in store.history(task.id)]
    assert details[:2] == ["priority → (none), wait until 2026-11-28", "priority → L, wait removed"]
    with pytest.raises(InvalidInput):
        store.edit(task.id, priority="x")
    with pytest.raises(InvalidInput):
        store.add("bad", wait="fri 9am")
    assert store.get(task.id).priority is None and len(store.waiting()) == 1


def test_priority_breaks_ties_inside_a_stage_never_above_it(store):
    low = store.add("low, nearly done", final_step="f", steps=["a"], priority="L")
    store.check(low.id, 1)
    plain = store.add("plain", final_step="f")
    high = store.add("high", final_step="f", priority="H")
    assert [t.id for t in store.ranked_page(0, 10)] == [low.id, high.id, plain.id]
