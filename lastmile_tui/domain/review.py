"""Which tasks a review walks through: near-finished work, in ranking order.

A task is near-finished when it has a finish line (a final step) and either
some of its steps are done or it is due within a week. Snoozed tasks stay out
until their day comes; tasks already reviewed today stay out unless the person
asks for every candidate again. The queue itself is one query in the store
(``review_queue``); ``tests/oracles/review.py`` states it in memory.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lastmile_tui.domain.dates import due_moment
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import Status, Task, TaskSummary, require_open
from lastmile_tui.domain.values import value

REVIEW_HORIZON = timedelta(days=7)
DEFAULT_SNOOZE_DAYS = 3
MAX_SNOOZE_DAYS = 3650


def is_near_finished(task: TaskSummary, now: datetime) -> bool:
    if task.status is not Status.OPEN or not task.final_step:
        return False
    if task.steps_done > 0 or task.final_step_confirmed_at is not None:
        return True
    return task.due is not None and due_moment(task.due) <= now + REVIEW_HORIZON


def snooze(task: Task, now: datetime, days: int) -> Task:
    """Leave a task out of review until *days* days from today."""
    if not 1 <= days <= MAX_SNOOZE_DAYS:
        raise InvalidInput(f"snooze for 1 to {MAX_SNOOZE_DAYS} days, not {days}")
    require_open(task)
    return task.with_changes(wait=now.date() + timedelta(days=days))


@value(frozen=False)
class ReviewTally:
    """What a review did, for its closing summary."""

    reviewed: int = 0
    finished: int = 0
    snoozed: int = 0
    dropped: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return (
            f"Reviewed {self.reviewed} · finished {self.finished} · waiting {self.snoozed}"
            f" · dropped {self.dropped} · skipped {self.skipped}"
        )
