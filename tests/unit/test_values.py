"""``domain.values`` makes the domain's classes without ``dataclasses``: they must behave as the
frozen dataclasses they replaced did, so each is checked against a dataclass twin made from the
same field list (equality, hashing, repr, ``with_changes`` as ``dataclasses.replace``)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lastmile_tui.domain.changes import Create
from lastmile_tui.domain.history import Event, EventKind
from lastmile_tui.domain.quickadd import QuickAdd
from lastmile_tui.domain.recurrence import Recurrence
from lastmile_tui.domain.stats import Cohort
from lastmile_tui.domain.task import Priority, Status, Step, Task, TaskSummary
from lastmile_tui.domain.values import FrozenInstanceError, field, value

TEXTS = st.text(max_size=4)
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1))
MAYBE_MOMENT = st.none() | MOMENTS
DAYS = st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1))
TAGS = st.lists(st.sampled_from(["a", "b", "work"]), max_size=2).map(tuple)
RULES = st.none() | st.builds(Recurrence, st.sampled_from(["FREQ=DAILY", "FREQ=WEEKLY;INTERVAL=2"]),
                              st.booleans())
STEPS = st.builds(Step, TEXTS, MAYBE_MOMENT)
SMALL = st.integers(min_value=0, max_value=3)

TASKS = st.builds(
    Task, id=st.none() | SMALL, title=TEXTS, final_step=TEXTS,
    steps=st.lists(STEPS, max_size=2).map(tuple), tags=TAGS, notes=TEXTS,
    due=st.none() | DAYS | MOMENTS, status=st.sampled_from(Status), created_at=MOMENTS,
    updated_at=MOMENTS, final_step_confirmed_at=MAYBE_MOMENT, done_at=MAYBE_MOMENT,
    dropped_reason=st.none() | TEXTS, wait=DAYS, reviewed_on=DAYS,
    priority=st.none() | st.sampled_from(Priority), uid=TEXTS, done_elsewhere=TEXTS, extra=TEXTS,
    source_hash=TEXTS, repeat=RULES, series=TEXTS,
)
SUMMARIES = st.builds(
    TaskSummary, id=SMALL, title=TEXTS, final_step=TEXTS, tags=TAGS, due=st.none() | MOMENTS,
    status=st.sampled_from(Status), steps_total=SMALL, steps_done=SMALL, created_at=MOMENTS,
    updated_at=MOMENTS, final_step_confirmed_at=MAYBE_MOMENT, done_at=MAYBE_MOMENT,
    dropped_reason=st.none() | TEXTS, wait=DAYS, reviewed_on=DAYS,
    priority=st.none() | st.sampled_from(Priority), repeat=RULES,
)
EVENTS = st.builds(Event, SMALL, SMALL, MOMENTS, st.sampled_from(EventKind), TEXTS, st.booleans())
VALUES: dict[type, st.SearchStrategy[Any]] = {
    Task: TASKS, TaskSummary: SUMMARIES, Step: STEPS, Event: EVENTS, Recurrence: RULES.filter(bool),
    Cohort: st.builds(Cohort, SMALL, SMALL, SMALL, SMALL),
    Create: st.builds(Create, TASKS, st.sampled_from(EventKind), st.none() | TEXTS),
}
CLASSES = sorted(VALUES, key=lambda cls: cls.__qualname__)


def twin_of(cls: type) -> type:
    """The frozen dataclass the class used to be: same name, same fields in the same order."""
    return dataclasses.make_dataclass(cls.__qualname__, [(name, Any) for name in cls.FIELDS], frozen=True)


TWINS = {cls: twin_of(cls) for cls in VALUES}


def as_twin(item: Any) -> Any:
    return TWINS[type(item)](*(getattr(item, name) for name in item.FIELDS))


@st.composite
def pairs(draw: st.DrawFn, cls: type) -> tuple[Any, Any]:
    """Two values of one class, often equal or one field apart, so that equality is exercised."""
    item = draw(VALUES[cls])
    how = draw(st.sampled_from(["another", "a copy", "one field changed"]))
    if how == "another":
        return item, draw(VALUES[cls])
    if how == "a copy":
        return item, copy.copy(item)
    name = draw(st.sampled_from(item.FIELDS))
    return item, item.with_changes(**{name: getattr(draw(VALUES[cls]), name)})


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_equality_and_hashing_are_those_of_the_dataclass(cls, data):
    a, b = data.draw(pairs(cls))
    assert (a == b) is (as_twin(a) == as_twin(b))
    assert (a != b) is (as_twin(a) != as_twin(b))
    assert hash(a) == hash(as_twin(a))  # a tuple of the fields, in order
    if a == b:
        assert hash(a) == hash(b)
    assert a != as_twin(a) and a != object()  # another class is never equal


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_repr_and_with_changes_are_those_of_the_dataclass(cls, data):
    item = data.draw(VALUES[cls])
    assert repr(item) == repr(as_twin(item))
    names = data.draw(st.lists(st.sampled_from(item.FIELDS), unique=True))
    other = data.draw(VALUES[cls])
    changes = {n: getattr(other, n) for n in names}
    changed = item.with_changes(**changes)
    assert as_twin(changed) == dataclasses.replace(as_twin(item), **changes)
    assert type(changed) is type(item)
    assert item.with_changes() == item
    with pytest.raises(TypeError, match="no field 'nope'"):
        item.with_changes(nope=1)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_values_are_frozen_and_survive_copies_and_pickling(cls, data):
    item = data.draw(VALUES[cls])
    field_name = data.draw(st.sampled_from(item.FIELDS))
    with pytest.raises(FrozenInstanceError):
        setattr(item, field_name, None)
    with pytest.raises(AttributeError):  # FrozenInstanceError is one, as in dataclasses
        delattr(item, field_name)
    with pytest.raises(AttributeError):
        item.not_a_field = 1  # slots: no other attributes either
    assert copy.copy(item) == item == copy.deepcopy(item)
    assert pickle.loads(pickle.dumps(item)) == item
    assert type(item)(*(getattr(item, n) for n in item.FIELDS)) == item  # positional, in order
    assert type(item)(**{n: getattr(item, n) for n in item.FIELDS}) == item


@given(STEPS, RULES)
def test_repr_reads_back_as_the_same_value(step, rule):
    """Where every field's own repr is Python (no enums), the repr builds the value again."""
    namespace = {"Step": Step, "Recurrence": Recurrence, "datetime": __import__("datetime")}
    assert eval(repr(step), namespace) == step  # noqa: S307 - our own repr
    assert eval(repr(rule), namespace) == rule  # noqa: S307


def test_fields_and_defaults_are_the_declared_ones():
    assert Task.FIELDS == tuple(Task.__annotations__) == Task.__match_args__
    assert Task.FIELDS[:3] == ("id", "title", "final_step") and Task.FIELDS[-1] == "done_claimed_at"
    task = Task(id=None, title="t")
    assert (task.final_step, task.steps, task.tags, task.status, task.priority, task.repeat) == (
        "", (), (), Status.OPEN, None, None)
    assert isinstance(task.created_at, datetime) and isinstance(task.updated_at, datetime)
    assert task.steps_total == 0 and task.has_final_step is False  # properties kept
    with pytest.raises(TypeError):
        Task(title="no id")  # required, as before


def test_a_mutable_value_is_unhashable_and_gets_fresh_defaults():
    one, two = QuickAdd("a"), QuickAdd("a")
    one.tags.append("x")
    assert two.tags == [] and one != two
    one.title = "b"  # frozen=False: assignable, as @dataclass was
    assert one.title == "b"
    with pytest.raises(TypeError):
        hash(one)


def test_a_field_without_a_default_may_not_follow_one_with_a_default():
    with pytest.raises(TypeError, match="'b' without a default follows 'a'"):
        @value
        class Wrong:
            a: int = 0
            b: int

    @value
    class Made:
        a: list[int] = field(default_factory=list)

    assert Made().a is not Made().a
