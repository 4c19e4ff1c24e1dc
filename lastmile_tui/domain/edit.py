"""Editing a task field by field, without losing another writer's change (issue 9, item 5).

A form is filled from the task as it was when it opened (the *base*). On save,
only the fields the person changed are written; a field that another program
changed meanwhile is written only when the person left it alone, and when both
changed it, nothing is written and both values are named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from lastmile_tui.domain.dates import format_due
from lastmile_tui.domain.errors import EditConflict
from lastmile_tui.domain.task import (
    Step,
    Task,
    clean_final_step,
    clean_notes,
    clean_priority,
    clean_step,
    clean_tags,
    clean_title,
    replace_steps,
    set_final_step,
    set_step_done,
)
from lastmile_tui.domain.values import value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FIELDS = ("title", "final_step", "steps", "due", "priority", "wait", "repeat", "tags", "notes")
"""Every field a person edits, in the order forms and messages list them."""

_CLEAN: dict[str, Callable[[Any], Any]] = {
    "title": clean_title,
    "final_step": clean_final_step,
    "steps": lambda texts: tuple(clean_step(t) for t in texts if t.strip()),
    "due": lambda due: due,  # read against the store's clock before it gets here
    "priority": lambda priority: None if priority is None else clean_priority(priority),
    "wait": lambda wait: wait,  # read against the store's clock too (dates.parse_wait)
    "repeat": lambda repeat: repeat,  # read against the due date (recurrence.parse_recurrence)
    "tags": lambda tags: clean_tags(list(tags)),
    "notes": clean_notes,
}


def clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Each given field in the form ``field_value`` returns, checked by the one text rule."""
    return {name: _CLEAN[name](value) for name, value in fields.items()}


def field_value(task: Task, name: str) -> Any:
    """A field as edits compare it: the steps by their texts (checking one is not editing it)."""
    if name == "steps":
        return tuple(step.text for step in task.steps)
    return getattr(task, name)


def describe_value(name: str, value: Any, limit: int = 80) -> str:
    """A field's value for a message: quoted, one line, cut at *limit* characters."""
    if name == "steps":
        text = " · ".join(value)
    elif name == "tags":
        text = " ".join(f"+{tag}" for tag in value)
    elif name in ("due", "wait"):
        text = format_due(value) if value is not None else ""
    elif name == "priority":
        text = value.value if value is not None else ""
    elif name == "repeat":
        text = value.describe() if value is not None else ""
    else:
        text = " ".join(str(value).split())
    if not text:
        return "(none)"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def label(name: str) -> str:
    return name.replace("_", " ")


@value
class FieldConflict:
    """One field both the person and another writer changed, to different values."""

    name: str
    theirs: Any
    yours: Any

    def describe(self) -> str:
        return (
            f"the {label(self.name)} changed to {describe_value(self.name, self.theirs)} "
            f"elsewhere while you edited; yours: {describe_value(self.name, self.yours)}"
        )


def merge_edit(base: Task, current: Task, yours: Mapping[str, Any]) -> dict[str, Any]:
    """The fields to write: those the person changed from *base* (cleaned values in *yours*).

    Raises EditConflict, naming both values, when another writer changed one of
    them to something else since *base* was read.
    """
    mine = {name: value for name, value in yours.items() if value != field_value(base, name)}
    conflicts = [
        FieldConflict(name, field_value(current, name), value)
        for name, value in mine.items()
        if field_value(current, name) not in (field_value(base, name), value)
    ]
    if conflicts:
        raise EditConflict(conflicts, current, mine)
    return mine


def apply_edit(task: Task, fields: Mapping[str, Any], now: datetime) -> Task:
    """*task* with the cleaned *fields* set; a new final step withdraws its confirmation,
    new step texts keep the checks ``replace_steps`` can carry over, a first repeat names the
    series after the task."""
    new = task
    if "final_step" in fields:
        new = set_final_step(new, fields["final_step"], now)
    if "steps" in fields:
        new = replace_steps(new, list(fields["steps"]), now)
    plain = {
        name: value
        for name, value in fields.items()
        if name not in ("final_step", "steps") and getattr(new, name) != value
    }
    if plain:
        new = new.with_changes(**plain, updated_at=now)
    if new.repeat is not None and not new.series:  # a task made recurring starts its series
        new = new.with_changes(series=new.uid)
    return new


def change_detail(old: Task, new: Task) -> str:
    """The history's words for an edit: which fields changed, with the new final step, priority
    and wait spelled out (the history must say what was asked)."""
    names = []
    for name in FIELDS:
        if field_value(old, name) == field_value(new, name):
            continue
        value = getattr(new, name)
        if name == "final_step":
            names.append(f"final step → {value or '(removed)'}")
        elif name == "priority":
            names.append(f"priority → {value.value if value else '(none)'}")
        elif name == "wait":
            names.append(f"wait until {format_due(value)}" if value else "wait removed")
        elif name == "repeat":
            names.append(f"repeats {value.describe()}" if value else "repeat stopped")
        else:
            names.append(name)
    names += _marks_detail(old, new)
    return ", ".join(names)


def changed_marks(reference: Task, texts: list[str], marks: list[bool], now: datetime
                  ) -> list[tuple[str, bool]]:
    """The step marks a person changed, as (step text, checked) pairs.

    A checklist written as text (the ``$EDITOR`` document) marks every step; a mark
    counts as changed only where it differs from what *reference* (the task as the
    text was made from it) gives the same *texts* by ``replace_steps``, so a step
    checked elsewhere meanwhile and left alone in the text stays checked.
    """
    carried = replace_steps(reference, texts, now).steps
    return [(step.text, mark) for step, mark in zip(carried, marks, strict=False) if step.done != mark]


def apply_marks(task: Task, marks: list[tuple[str, bool]], now: datetime) -> Task:
    """*task* with each (text, checked) mark set on the first unused step of that text; a step
    that is gone meanwhile is skipped (nothing to mark). Only an open task's steps change."""
    used: set[int] = set()
    for text, done in marks:
        index = next((i for i, s in enumerate(task.steps) if s.text == text and i not in used), None)
        if index is None:
            continue
        used.add(index)
        if task.steps[index].done != done:
            task = set_step_done(task, index, done, now)
    return task


def _marks_detail(old: Task, new: Task) -> list[str]:
    """``1 step checked``, ``2 steps unchecked``: marks that changed on steps kept by their text."""
    before: dict[str, list[bool]] = {}
    for step in old.steps:
        before.setdefault(step.text, []).append(step.done)
    checked = unchecked = 0
    for step in new.steps:
        was = before.get(step.text)
        if not was:
            continue
        if was.pop(0) != step.done:
            checked, unchecked = (checked + 1, unchecked) if step.done else (checked, unchecked + 1)
    return [f"{n} step{'' if n == 1 else 's'} {word}"
            for n, word in ((checked, "checked"), (unchecked, "unchecked")) if n]


def shown_with(task: Task, fields: Mapping[str, Any]) -> Task:
    """*task* with *fields* put in for a form to show (steps as unchecked texts: display only)."""
    values = dict(fields)
    if "steps" in values:
        values["steps"] = tuple(Step(text) for text in values["steps"])
    return task.with_changes(**values)
