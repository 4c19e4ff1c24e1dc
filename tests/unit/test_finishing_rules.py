"""The finishing rules in the domain, without any database."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain import task as rules
from lastmile_tui.domain.task import FinalStepNotConfirmed, NoFinalStep, Status, Step, Task

NOW = datetime(2026, 11, 25, 10, 0)


def make(**kw) -> Task:
    return Task(id=1, title="t", created_at=NOW, updated_at=NOW, **kw)


def test_complete_needs_a_final_step_and_a_confirmation():
    with pytest.raises(NoFinalStep):
        rules.complete(make(), NOW, confirming=True)
    with pytest.raises(FinalStepNotConfirmed):
        rules.complete(make(final_step="send"), NOW, confirming=False)
    done = rules.complete(make(final_step="send"), NOW, confirming=True)
    assert done.status is Status.DONE and done.final_step_confirmed_at == NOW


def test_an_earlier_confirmation_counts_until_the_text_changes():
    task = rules.confirm_final(make(final_step="send"), NOW)
    assert rules.complete(task, NOW, confirming=False).status is Status.DONE
    changed = rules.set_final_step(task, "send and file", NOW)
    with pytest.raises(FinalStepNotConfirmed):
        rules.complete(changed, NOW, confirming=False)


@given(
    final=st.text(max_size=30),
    steps=st.lists(st.booleans(), max_size=5),
    confirmed=st.booleans(),
    confirming=st.booleans(),
)
def test_nothing_completes_without_a_final_step_and_a_yes(final, steps, confirmed, confirming):
    task = make(
        final_step=final.strip(),
        steps=tuple(Step("s", NOW if d else None) for d in steps),
        final_step_confirmed_at=NOW if confirmed and final.strip() else None,
    )
    try:
        done = rules.complete(task, NOW, confirming=confirming)
    except rules.GuardError:
        assert not task.final_step or not (confirmed or confirming)
    else:
        assert task.final_step and (confirmed or confirming)
        assert done.final_step_confirmed_at is not None


def test_text_cleaning():
    assert rules.clean_title("  a\tb  ") == "a b"
    with pytest.raises(rules.InvalidInput, match="control characters"):
        rules.clean_title("bell\x07")
    assert rules.clean_tags(["+a", "b", "a"]) == ("a", "b")
    assert rules.clean_notes("line 1\r\nline 2") == "line 1\nline 2"


def test_replace_steps_keeps_done_marks_by_text():
    task = make(steps=(Step("a", NOW), Step("b")))
    new = rules.replace_steps(task, ["c", "a", " "], NOW)
    assert new.steps == (Step("c"), Step("a", NOW))


def test_check_next_and_the_last_mile_predicate():
    task = make(final_step="send", steps=(Step("a", NOW), Step("b")))
    assert not task.only_final_step_left
    checked = rules.check_next(task, NOW)
    assert checked.steps[1].done and checked.only_final_step_left
    with pytest.raises(rules.InvalidInput, match="every step checked"):
        rules.check_next(checked, NOW)
    assert not make(steps=(Step("a", NOW),)).only_final_step_left  # no finish line
    assert not make(final_step="send").only_final_step_left  # no checklist
    with pytest.raises(rules.NotOpen):
        rules.check_next(task.with_changes(status=Status.DONE), NOW)
