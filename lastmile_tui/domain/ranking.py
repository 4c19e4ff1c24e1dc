"""Almost done first: the order of the open list, and the one-line reason for each place.

A task stalled near its finish line is the failure lastmile exists to
prevent, so the nearly finished come first and, among equals, the longest
untouched. Two things come before that. First, tasks another app says are
done (a phone, through sync: a *claim*, ``done_claimed_at``) lead the list in
their own lane, "Completed elsewhere": each waits for one answer from a person,
did you do the final step? Then work that is overdue or due today (whatever its
progress, even without a final step) leads the rest in its own lane, "Overdue &
due today", ranked almost-done-first within it, so that it never falls off the
first screen behind a long tail of nearly finished work.

Works on anything shaped like a task (``Task``, the store's summaries). The
store keeps ``order_columns`` on every row and orders by them in SQL, the
lane being one comparison of the stored due key (a claim's key sorts before
every date, and its stage before every other, so claims lead that lane). The
same order in memory, the reference the store's queries are tested against, is test-only code:
``tests/oracles/ranking.py``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import IntEnum
from functools import lru_cache

from lastmile_tui.domain.dates import day_phrase, describe_age, describe_due, due_moment
from lastmile_tui.domain.task import NO_PRIORITY_RANK, Priority

TYPE_CHECKING = False
if TYPE_CHECKING:  # a type for checkers only: ``typing`` is not imported on a shell command's path
    from typing import Protocol

    class Rankable(Protocol):
        """The attributes ranking reads; read-only so frozen value classes and properties fit."""

        @property
        def id(self) -> int | None: ...
        @property
        def final_step(self) -> str: ...
        @property
        def steps_total(self) -> int: ...
        @property
        def steps_done(self) -> int: ...
        @property
        def final_step_confirmed_at(self) -> datetime | None: ...
        @property
        def due(self) -> date | datetime | None: ...
        @property
        def updated_at(self) -> datetime: ...
        @property
        def priority(self) -> Priority | None: ...
        @property
        def done_claimed_at(self) -> datetime | None: ...


class Stage(IntEnum):
    """How near the finish line a task is; lower values rank first (in this order).

    ``CLAIMED`` is beyond the last mile: another app says the task is done, and
    only a person's answer is missing; it is stored like every stage. ``DUE_NOW``
    is not a measure of progress but the lane of overdue and due-today work that
    leads the rest of the board (see :func:`lane`); ``stage`` never returns it,
    and it is never stored: it depends on the day.
    """

    CLAIMED = -2
    DUE_NOW = -1
    LAST_MILE = 0
    CLOSE = 1
    IN_PROGRESS = 2
    NOT_STARTED = 3
    NO_FINISH_LINE = 4

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Stage.CLAIMED: "Completed elsewhere",
    Stage.DUE_NOW: "Overdue & due today",
    Stage.LAST_MILE: "On the last mile",
    Stage.CLOSE: "Close",
    Stage.IN_PROGRESS: "In progress",
    Stage.NOT_STARTED: "Not started",
    Stage.NO_FINISH_LINE: "No finish line",
}
_WORDS = {
    Stage.CLAIMED: "completed elsewhere",
    Stage.DUE_NOW: "overdue or due today",
    Stage.LAST_MILE: "last mile",
    Stage.CLOSE: "close",
    Stage.IN_PROGRESS: "in progress",
    Stage.NOT_STARTED: "not started",
    Stage.NO_FINISH_LINE: "no finish line",
}
_STAGES = {int(s): s for s in Stage if s is not Stage.DUE_NOW}  # by the stored value


def _measure(item: Rankable) -> tuple[int, int, int]:
    """(done, total, stage value) in one pass: the stage, the progress and the stored order alike."""
    done, total = item.steps_done, item.steps_total
    if not item.final_step:
        if item.done_claimed_at is not None:
            return done, total, -2  # Stage.CLAIMED, even before it has a finish line
        return done, total, 4  # Stage.NO_FINISH_LINE
    total += 1
    if item.done_claimed_at is not None:
        return done, total, -2  # Stage.CLAIMED: the final step is the one still unanswered
    if item.final_step_confirmed_at is not None:
        return done + 1, total, 0  # even the final step is confirmed: Stage.LAST_MILE
    if total > 1 and done >= total - 1:
        return done, total, 0  # only the final step is left: Stage.LAST_MILE
    if 2 * done >= total:
        return done, total, 1  # Stage.CLOSE
    return done, total, 2 if done else 3  # Stage.IN_PROGRESS or NOT_STARTED


def progress(item: Rankable) -> tuple[int, int]:
    """(done, total): the checklist plus the final step as its last step, done once confirmed."""
    done, total, _where = _measure(item)
    return done, total


def stage(item: Rankable) -> Stage:
    return _STAGES[_measure(item)[2]]


_moment = lru_cache(maxsize=4096)(due_moment)  # due dates repeat; ranking reads each often


def lane_cutoff(now: datetime) -> datetime:
    """The start of tomorrow: a task due before it is overdue or due today."""
    return datetime.combine(now.date() + timedelta(days=1), time.min)


def due_now(item: Rankable, now: datetime) -> bool:
    """Overdue or due today: the work that leads the list, whatever its progress."""
    return item.due is not None and _moment(item.due) < lane_cutoff(now)


def lane(item: Rankable, now: datetime) -> Stage:
    """The group a task is listed under: ``CLAIMED`` for a claim, else ``DUE_NOW`` when it is
    due now, else its stage."""
    where = stage(item)
    return Stage.DUE_NOW if where is not Stage.CLAIMED and due_now(item, now) else where


NO_DUE_KEY = "~"
"""The due key of a task without a due date: it sorts after every date's text."""
CLAIM_KEY_PREFIX = "!"
"""Put before a claim's due key: ``!`` sorts before every date's text (and ``~``), so a claim is
in the due-now lane the store reads first, whatever its due date, and claims among themselves keep
the order of their due dates. There its stage, ``CLAIMED``, ranks it above the rest of the lane."""


def order_columns(item: Rankable) -> tuple[int, float, str, int]:
    """The ranking's sort key, less its one part that depends on the day, as values a database can
    store and index.

    (stage, minus the fraction done, the due moment as text that sorts like
    time, the priority's rank); ordering by these, then ``updated_at`` and ``id``,
    after the due-now lane (:func:`due_now`), is the ranking: claims first (their due
    key is behind ``CLAIM_KEY_PREFIX``, their stage ``CLAIMED``), then almost done first,
    among equals the soonest due, then the higher priority (a tie-breaker, never
    above progress), then the longest untouched, and the id last so that the
    order is total. The store keeps them current on every write, so the board
    can read one screen of the ranking instead of every open task.

    Fractions are compared as floats, exactly enough: IEEE division is
    correctly rounded, so equal fractions give equal floats, and two different
    fractions a/b, c/d of step counts below 2**26 differ by at least
    1/(b*d) > 2**-52, more than the rounding of both (2**-54 each, as they are
    at most 1), so their order survives.
    """
    done, total, where = _measure(item)
    due = item.due
    due_key = NO_DUE_KEY if due is None else _moment(due).isoformat(" ", "microseconds")
    if where == -2:  # Stage.CLAIMED
        due_key = CLAIM_KEY_PREFIX + due_key
    priority = item.priority
    return where, -done / total if total else 0.0, due_key, (
        NO_PRIORITY_RANK if priority is None else priority.rank)


WAITED_SHOWN_DAYS = 6
"""For this many days after its wait ended, a task's reason says ``waited until mon``: it came
back on its own, and the person should see why it is there again."""


def wait_phrase(wait: date | None, now: datetime) -> str:
    """``waiting until sat`` while a task is hidden, ``waited until mon`` for a few days after
    (``WAITED_SHOWN_DAYS``), else empty."""
    if wait is None:
        return ""
    today = now.date()
    if wait > today:
        return f"waiting until {day_phrase(wait, now)}"
    if (today - wait).days <= WAITED_SHOWN_DAYS:
        return f"waited until {day_phrase(wait, now)}"
    return ""


def claim_line(final_step: str) -> str:
    """What the ranking, ``list``, ``show`` and ``sync`` say of a task another app says is done."""
    if not final_step:
        return "completed elsewhere: give it a final step, then confirm it"
    return f"completed elsewhere — did you do ‹{final_step}›?"


def reason(item: Rankable, now: datetime) -> str:
    """Why a task sits where it does: ``last mile · 4/4 steps · due tomorrow · idle 6d``,
    and ``waiting until sat`` while it is hidden (``waited until mon`` once
    it is back); a claim leads with its question (:func:`claim_line`)."""
    where = stage(item)
    confirmed = where is Stage.LAST_MILE and item.final_step_confirmed_at is not None
    if where is Stage.CLAIMED:
        first = claim_line(item.final_step)
    else:
        first = "final step confirmed" if confirmed else _WORDS[where]
    parts = [first]
    if item.steps_total:
        parts.append(f"{item.steps_done}/{item.steps_total} steps")
    if item.due is not None:
        parts.append(describe_due(item.due, now))
    claimed_at = item.done_claimed_at
    if claimed_at is not None:  # when the other app said it: how long it has waited for an answer
        if now - claimed_at >= timedelta(days=1):
            parts.append(f"{describe_age(now - claimed_at)} ago")
    elif now - item.updated_at >= timedelta(days=1):
        parts.append(f"idle {describe_age(now - item.updated_at)}")
    waited = wait_phrase(getattr(item, "wait", None), now)  # tasks and summaries have it
    if waited:
        parts.append(waited)
    return " · ".join(parts)
