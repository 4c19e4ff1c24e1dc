"""The store's batch methods: one transaction through the one door, all or nothing, each task held
to the same guard as a single write."""

from __future__ import annotations

import pytest

from lastmile_tui.domain.errors import FinalStepChanged, FinalStepNotConfirmed, NotFound, NotOpen
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Status


def _events(store, ids):
    return sum(len(store.history(i)) for i in ids)


@pytest.fixture
def three(store):
    for n in (1, 2, 3):
        store.add(f"T{n}", final_step=f"ship {n}", tags=["work", "someday"])
    return store


def test_complete_many_needs_a_yes_for_each_and_names_the_one_without(three):
    before = _events(three, [1, 2, 3])
    with pytest.raises(FinalStepNotConfirmed, match="task 2"):
        three.complete_many([1, 2], seen={1: "ship 1"})
    assert _events(three, [1, 2, 3]) == before
    done = three.complete_many([1, 2], seen={1: "ship 1", 2: "ship 2"})
    assert [t.status for t in done] == [Status.DONE, Status.DONE]
    assert [e.kind for e in three.history(2)][:1] == [EventKind.COMPLETED]


def test_a_yes_to_text_changed_meanwhile_refuses_the_whole_batch(three):
    three.edit(3, final_step="ship 0")
    with pytest.raises(FinalStepChanged):
        three.complete_many([1, 3], seen={1: "ship 1", 3: "ship 3"})
    assert three.get(1).status is Status.OPEN


def test_drop_many_and_snooze_many_are_all_or_nothing(three):
    with pytest.raises(NotFound):
        three.drop_many([1, 9], "scope")
    assert three.get(1).status is Status.OPEN
    three.drop(2)
    with pytest.raises(NotOpen, match="task 2"):
        three.snooze_many([1, 2])
    assert three.get(1).wait is None
    assert [t.wait is not None for t in three.snooze_many([1, 3], 2)] == [True, True]


def test_edit_many_adds_and_removes_tags_per_task(three):
    three.edit(2, tags=["home"])
    tasks = three.edit_many([1, 2], add_tags=["urgent"], remove_tags=["someday"], priority="H")
    assert [t.tags for t in tasks] == [("work", "urgent"), ("home", "urgent")]
    assert [e.kind for e in three.history(1)][:1] == [EventKind.EDITED]
    assert three.get(3).tags == ("work", "someday")


def test_check_many_checks_each_step_or_none(store):
    store.add("Report", final_step="send", steps=["a", "b", "c"])
    from lastmile_tui.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="no step 4"):
        store.check_many(1, [1, 4])
    assert store.get(1).steps_done == 0
    assert store.check_many(1, [1, 3]).steps_done == 2
    assert store.history(1)[0].detail == "1. a, 3. c"
