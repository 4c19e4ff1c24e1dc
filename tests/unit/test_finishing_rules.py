"""The finishing rules in the domain, without any database."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain import errors
from lastmile_tui.domain import task as rules
from lastmile_tui.domain.errors import FinalStepNotConfirmed, NoFinalStep
from lastmile_tui.domain.task import Status, Step, Task

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
    except errors.GuardError:
        assert not task.final_step or not (confirmed or confirming)
    else:
        assert task.final_step and (confirmed or confirming)
        assert done.final_step_confirmed_at is not None


def test_text_cleaning():
    assert rules.clean_title("  a\tb  ") == "a b"
    with pytest.raises(errors.InvalidInput, match="control characters"):
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
    with pytest.raises(errors.InvalidInput, match="every step checked"):
        rules.check_next(checked, NOW)
    assert not make(steps=(Step("a", NOW),)).only_final_step_left  # no finish line
    assert not make(final_step="send").only_final_step_left  # no checklist
    with pytest.raises(errors.NotOpen):
        rules.check_next(task.with_changes(status=Status.DONE), NOW)


# -- replace_steps: a step keeps its check when only its wording changes (issue 9, item 18) --

LATER = datetime(2026, 11, 26, 9, 0)
_words = st.text(alphabet="abcdefgh", min_size=1, max_size=4)


@st.composite
def checklists(draw, *, min_size: int = 0) -> tuple[Step, ...]:
    """Steps with unique texts, each checked at its own moment or unchecked."""
    texts = draw(st.lists(_words, min_size=min_size, max_size=6, unique=True))
    return tuple(
        Step(text, datetime(2026, 11, 1 + n, 8, 0) if draw(st.booleans()) else None)
        for n, text in enumerate(texts)
    )


def marks(steps) -> list[datetime | None]:
    return [s.done_at for s in steps]


def test_replace_steps_rewording_a_checked_step_keeps_its_check():
    task = make(steps=(Step("call the bank", NOW), Step("b"), Step("c")))
    new = rules.replace_steps(task, ["call the bank about the fee", "b", "c"], LATER)
    assert marks(new.steps) == [NOW, None, None]  # 1/3 stays 1/3
    added = rules.replace_steps(task, ["call the bank!", "B", "c", "d"], LATER)
    assert marks(added.steps) == [NOW, None, None, None]  # reworded two, added one
    moved = rules.replace_steps(task, ["c", "call bank", "b"], LATER)
    assert marks(moved.steps) == [None, NOW, None]  # reworded and moved, count unchanged


@given(checklists())
def test_replace_steps_with_the_same_texts_changes_nothing(steps):
    task = make(steps=steps)
    assert rules.replace_steps(task, [s.text for s in steps], LATER) is task


@given(checklists(min_size=1), st.data())
def test_replace_steps_pure_rewording_keeps_every_mark_in_place(steps, data):
    """Same count, every text new: the checklist was reworded, so each mark stays where it was."""
    fresh = data.draw(st.lists(st.text(alphabet="xyz", min_size=1, max_size=4),
                               min_size=len(steps), max_size=len(steps)))
    new = rules.replace_steps(make(steps=steps), fresh, LATER)
    assert [s.text for s in new.steps] == fresh
    assert marks(new.steps) == marks(steps)


@given(checklists(), st.randoms(use_true_random=False))
def test_replace_steps_marks_follow_texts_that_moved(steps, random):
    order = list(steps)
    random.shuffle(order)
    new = rules.replace_steps(make(steps=steps), [s.text for s in order], LATER)
    assert new.steps == tuple(order)


@given(checklists(), st.data())
def test_replace_steps_deleting_and_adding_keeps_the_other_marks(steps, data):
    kept = [s for s in steps if data.draw(st.booleans())]
    added = data.draw(st.lists(st.text(alphabet="xyz", min_size=1, max_size=4), max_size=3))
    new = rules.replace_steps(make(steps=steps), [s.text for s in kept] + added, LATER)
    assert new.steps[: len(kept)] == tuple(kept)
    # steps added without deleting any never take a mark; where steps were deleted, an
    # added one may be their rewording (['a', 'b', 'aa ✓'] -> ['b', 'x']: x took aa's place)
    if len(kept) == len(steps):
        assert all(not s.done for s in new.steps[len(kept):])


@given(checklists(), st.lists(st.one_of(_words, st.just("  ")), max_size=8))
def test_replace_steps_never_invents_a_check(steps, texts):
    """Whatever the edit, each old mark goes to at most one new step, and text kept keeps its mark."""
    new = rules.replace_steps(make(steps=steps), texts, LATER)
    assert [s.text for s in new.steps] == [t for t in texts if t.strip()]
    given_out = [m for m in marks(new.steps) if m is not None]
    assert sorted(given_out) == sorted(set(given_out))  # no mark handed out twice
    assert set(given_out) <= set(marks(steps))
    by_text = {s.text: s.done_at for s in steps}
    seen: set[str] = set()
    for step in new.steps:
        if step.text in by_text and step.text not in seen:
            assert step.done_at == by_text[step.text]
        seen.add(step.text)
