"""What a write is before the store makes it: a new task, or one domain transition of one task
with the words its history will say.

The store has one door for every change (``Store.apply``): it runs any number
of these in one transaction, each through the transition and then through
``task.check_consistent``, so a batch (an import, a sync, a recurring
completion that creates the next occurrence) obeys the rules a single keypress does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Task
from lastmile_tui.domain.values import value

Transition = Callable[[Task, datetime], Task]
"""A domain rule: the task as it is, and the moment, to the task as it will be (or raise)."""


def no_detail(_old: Task, _new: Task) -> str:
    """The history line of a change that needs no words beyond its kind (reopened)."""
    return ""


@value
class Change:
    """Change task *task_id* by *transition*; history records *kind* and *detail*(old, new)."""

    task_id: int
    transition: Transition
    kind: EventKind
    detail: Callable[[Task, Task], str] = no_detail
    undoes: int | None = None
    """The history event this change takes back (undo): it is written even when nothing differs."""


@value
class Create:
    """Add *task* (its id, and its uid when it has none, are given by the store); its text has
    been through the text rules. History records *kind* with *detail*, the title by default."""

    task: Task
    kind: EventKind = EventKind.CREATED
    detail: str | None = None
