"""Recurring tasks in the store: finishing an occurrence (only with its final step confirmed)
makes the next one in the same transaction; dropping skips to the next; undo takes both back."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lastmile_tui.domain.changes import Create
from lastmile_tui.domain.errors import FinalStepNotConfirmed, NotFound
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.recurrence import parse_recurrence
from lastmile_tui.domain.task import Priority, Status, Step, Task
from lastmile_tui.store.store import Store
from tests.conftest import Clock

NOV_30 = datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def clock():
    return Clock(NOV_30)


@pytest.fixture
def store(tmp_path, clock):
    with Store(tmp_path / "s.db", clock=clock, create=True) as s:
        yield s


def rent(store: Store) -> Task:
    task = Task(None, "Pay rent", final_step="transfer confirmed in the bank app",
                steps=(Step("log in"),), tags=("home",), notes="IBAN in the lease",
                priority=Priority.H, due=date(2026, 12, 1),
                repeat=parse_recurrence("monthly", date(2026, 12, 1)),
                created_at=NOV_30, updated_at=NOV_30)
    return store.apply([Create(task)])[0]


def test_completing_twice_makes_the_right_dates_and_asks_each_time(store, clock):
    first = rent(store)
    assert first.series == first.uid
    with pytest.raises(FinalStepNotConfirmed):
        store.complete(first.id)
    store.check(first.id, 1)
    clock.now = datetime(2026, 12, 1, 18, 0)
    store.complete(first.id, confirm=True)
    second = store.get(first.id + 1)
    assert (second.title, second.due, second.status) == ("Pay rent", date(2027, 1, 1), Status.OPEN)
    assert second.steps == (Step("log in"),) and not second.final_confirmed
    assert (second.tags, second.priority, second.notes) == (("home",), Priority.H, "IBAN in the lease")
    assert second.series == first.uid and second.uid != first.uid
    assert store.history(second.id)[0].kind is EventKind.NEXT_OCCURRENCE
    with pytest.raises(FinalStepNotConfirmed):  # the next one asks again
        store.complete(second.id)
    clock.now = datetime(2027, 1, 3, 8, 0)  # finished late
    store.complete(second.id, confirm=True)
    assert store.get(second.id + 1).due == date(2027, 2, 1)


def test_dropping_an_occurrence_skips_to_the_next(store):
    first = rent(store)
    store.drop(first.id, "paid in cash")
    assert store.get(first.id + 1).due == date(2027, 1, 1)


def test_dropping_the_series_ends_it(store):
    first = rent(store)
    store.drop(first.id, "moved out", series=True)
    with pytest.raises(NotFound):
        store.get(first.id + 1)


def test_undo_of_a_completion_removes_the_occurrence_it_made(store):
    first = rent(store)
    store.complete(first.id, confirm=True)
    restored, event = store.undo()
    assert event.kind is EventKind.COMPLETED and restored.status is Status.OPEN
    with pytest.raises(NotFound):
        store.get(first.id + 1)
    assert store.get(first.id).status is Status.OPEN
    store.complete(first.id, confirm=True)  # and again: one next occurrence, not two
    assert store.get(first.id + 1).due == date(2027, 1, 1)  # the removed id is free again
