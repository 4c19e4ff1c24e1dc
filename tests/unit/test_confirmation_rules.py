"""The guard's confirmation is bound to the words shown; whole states are held to the text rules."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain import task as rules
from lastmile_tui.domain.errors import FinalStepChanged, InvalidInput
from lastmile_tui.domain.task import Status, Step, Task

NOW = datetime(2026, 11, 25, 10, 0)
words = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20)


def make(**kw) -> Task:
    return Task(id=1, title="t", created_at=NOW, updated_at=NOW, **kw)


@given(shown=words, current=words)
def test_a_yes_completes_only_the_final_step_that_was_shown(shown, current):
    task = make(final_step=current)
    if shown == current:
        done = rules.complete(task, NOW, confirming=True, seen=shown)
        assert done.status is Status.DONE and done.final_step == shown
    else:
        with pytest.raises(FinalStepChanged) as caught:
            rules.complete(task, NOW, confirming=True, seen=shown)
        assert repr(current) in str(caught.value) and "nothing was completed" in str(caught.value)


def test_a_final_step_removed_while_confirming_is_named():
    with pytest.raises(FinalStepChanged, match="nothing \\(it was removed\\)"):
        rules.complete(make(), NOW, confirming=True, seen="send it")


@given(total=st.integers(0, 12), done=st.integers(0, 12))
def test_the_steps_note_counts_what_is_unchecked(total, done):
    done = min(done, total)
    task = make(final_step="f", steps=tuple(Step(str(i), NOW if i < done else None) for i in range(total)))
    note = rules.steps_left_note(task.steps_left, task.steps_total)
    assert (note == "") == (done == total)
    if note and done > 0:
        assert note.startswith(f"{total - done} of its {total} steps")


def test_clean_task_refuses_a_done_state_without_confirmation_and_control_text():
    with pytest.raises(InvalidInput, match="confirmed"):
        rules.clean_task(make(final_step="f", status=Status.DONE, done_at=NOW))
    with pytest.raises(InvalidInput, match="control"):
        rules.clean_task(make(final_step="\x1b]52;c;eA==\x07"))
    assert rules.clean_task(make().with_changes(title="  spaced\tout ")).title == "spaced out"


def test_a_lone_carriage_return_in_notes_becomes_a_line_break():
    assert rules.clean_notes("paid\rFAKE") == "paid\nFAKE"
