"""A recurring series: what the occurrence after a finished (or dropped) one looks like.

Pure Python, the moment passed in. The store makes the next occurrence in the same transaction
that closes this one (``Store.complete``, ``Store.drop``), so there is never a finished
occurrence without its successor, nor a successor of an occurrence that is still open.
"""

from __future__ import annotations

from datetime import date, datetime

from lastmile_tui.domain.dates import due_phrase
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.recurrence import next_due, parse_recurrence
from lastmile_tui.domain.task import Step, Task


def next_occurrence(task: Task, now: datetime) -> Task | None:
    """The next occurrence of *task*, closed at *now*, or None when it does not repeat (or its
    rule has run out). Same title, steps (all unchecked), final step (unconfirmed), tags,
    priority, notes and rule; due by the rule; a wait keeps its distance before the due date."""
    if task.repeat is None:
        return None
    due = next_due(task.repeat, task.due, now.date(), done_on=now.date())
    if due is None:
        return None
    return Task(
        id=None,
        title=task.title,
        final_step=task.final_step,
        steps=tuple(Step(step.text) for step in task.steps),
        tags=task.tags,
        notes=task.notes,
        due=due,
        wait=_wait_before(task, due),
        priority=task.priority,
        repeat=task.repeat,
        series=task.series or task.uid,
        created_at=now,
        updated_at=now,
    )


def _wait_before(task: Task, due: date | datetime) -> date | None:
    """A wait set some days before the due date stays that many days before the next one."""
    if task.wait is None or task.due is None:
        return None
    old_day = task.due.date() if isinstance(task.due, datetime) else task.due
    new_day = due.date() if isinstance(due, datetime) else due
    return new_day - (old_day - task.wait)


def repeat_line(task: Task, now: datetime, *, lead: str = "repeats ") -> str:
    """``repeats monthly · next Jan 1``: the rule, and when the occurrence after this one would
    be due if it were finished now (what ``show`` says; the app's detail, under its own label
    "Repeats", leaves the *lead* out)."""
    if task.repeat is None:
        return ""
    following = next_due(task.repeat, task.due, now.date())
    when = f" · next {due_phrase(following, now)}" if following is not None else " · this is the last"
    return f"{lead}{task.repeat.describe()}{when}"


def repeat_text(task: Task) -> str:
    """The repeat as a person edits it: in words when the words read back as the same rule
    (``monthly on the 31st``), else the rule itself (``FREQ=DAILY;UNTIL=20271231``)."""
    if task.repeat is None:
        return ""
    anchor = task.due if task.due is not None else task.created_at
    day = anchor.date() if isinstance(anchor, datetime) else anchor
    words = task.repeat.describe()
    try:
        if parse_recurrence(words, day) == task.repeat:
            return words
    except InvalidInput:
        pass
    return task.repeat.text


def next_line(closed: Task, following: Task | None, now: datetime) -> str:
    """What closing an occurrence led to: ``next: task 8, due Jan 1 (repeats monthly)``, or that
    the series ends ("" for a task that does not repeat)."""
    if closed.repeat is None:
        return ""
    if following is None:
        return "the series ends here"
    due = f", due {due_phrase(following.due, now)}" if following.due is not None else ""
    return f"next: task {following.id}{due} (repeats {closed.repeat.describe()})"
