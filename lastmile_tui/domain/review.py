"""Which tasks a review walks through: near-finished work, in ranking order.

A task is near-finished when it has a finish line (a final step) and either
some of its steps are done or it is due within a week. A task another app says
is done (a claim, ``Task.done_claimed_at``) is always asked about, first, with
or without a final step: one answer finishes it or turns the claim down. Snoozed tasks stay out
until their day comes; tasks already reviewed today stay out unless the person
asks for every candidate again. The queue itself is one query in the store
(``review_queue``); ``tests/oracles/review.py`` states it in memory.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lastmile_tui.domain.dates import due_moment
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.ranking import Stage, lane_cutoff, stage
from lastmile_tui.domain.search import matches_fields
from lastmile_tui.domain.task import Status, Task, TaskSummary, require_open
from lastmile_tui.domain.values import value

REVIEW_HORIZON = timedelta(days=7)
DEFAULT_SNOOZE_DAYS = 3
MAX_SNOOZE_DAYS = 3650


def is_claimed(task: TaskSummary | Task) -> bool:
    """Open, and another app says it is done: waiting for a person's yes or not yet."""
    return task.status is Status.OPEN and task.done_claimed_at is not None


def is_near_finished(task: TaskSummary, now: datetime) -> bool:
    if is_claimed(task):
        return True
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


MAX_WITHIN_DAYS = 3650


@value
class ReviewAim:
    """What a review is aimed at: the board's filter (words and +tags), tasks due within some
    days, only the last mile. The empty aim is the day's whole review."""

    query: str = ""
    due_within_days: int | None = None
    last_mile: bool = False

    @property
    def everything(self) -> bool:
        return not self.query.strip() and self.due_within_days is None and not self.last_mile

    def due_cutoff(self, now: datetime) -> datetime | None:
        """Due before this moment is within the window: the end of the last day asked for
        (``3d``: today and the next three days, overdue included)."""
        if self.due_within_days is None:
            return None
        return lane_cutoff(now + timedelta(days=self.due_within_days))

    def admits(self, task: TaskSummary, now: datetime) -> bool:
        """The aim's rule for one open candidate (``review_queue`` states it in SQL). A due window
        replaces the week's horizon: a task with a final step due within it is asked about,
        however far along it is. A claim is asked about whatever the window or stage, when it
        matches the words."""
        if not is_claimed(task):
            cutoff = self.due_cutoff(now)
            if cutoff is None:
                if not is_near_finished(task, now):
                    return False
            elif (task.status is not Status.OPEN or not task.final_step or task.due is None
                  or due_moment(task.due) >= cutoff):
                return False
            if self.last_mile and stage(task) is not Stage.LAST_MILE:
                return False
        return matches_fields(self.query, task.title, task.final_step, task.tags)

    def describe(self) -> str:
        """The aim in words, for review's counter line."""
        parts = [self.query.strip()] if self.query.strip() else []
        if self.due_within_days is not None:
            days = self.due_within_days
            parts.append(f"due within {days} day{'s' if days != 1 else ''}")
        if self.last_mile:
            parts.append("last mile only")
        return " · ".join(parts)


def parse_within(text: str) -> int:
    """A window typed by a person: ``3d``, ``2w`` or ``3`` (days) to a number of days."""
    word = text.strip().lower()
    unit = 7 if word.endswith("w") else 1
    number = word[:-1] if word[-1:] in ("d", "w") else word
    if not number.isascii() or not number.isdigit():
        raise InvalidInput(f"cannot read the window {text!r}: write days or weeks, like 3d or 2w")
    days = int(number) * unit
    if days > MAX_WITHIN_DAYS:
        raise InvalidInput(f"a window of {days} days is too long (at most {MAX_WITHIN_DAYS})")
    return days


def parse_aim(text: str) -> ReviewAim:
    """What the app's review prompt reads: the board's filter, plus ``due:3d`` and ``last-mile``
    (the CLI's ``--due-within 3d`` and ``--last-mile``)."""
    words: list[str] = []
    within: int | None = None
    last_mile = False
    for word in text.split():
        lowered = word.lower()
        if lowered.startswith("due:") and len(word) > 4:
            within = parse_within(word[4:])
        elif lowered in ("last-mile", "lastmile", "last_mile"):
            last_mile = True
        else:
            words.append(word)
    return ReviewAim(" ".join(words), within, last_mile)
