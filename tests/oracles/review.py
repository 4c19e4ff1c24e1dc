"""The review queue in memory: the reference ``Store.review_queue`` (one SQL query) is tested against.

Test-only code (issue 10): which tasks a review walks through is decided by
the domain (``lastmile_tui.domain.review.is_near_finished``, the snooze and
the reviewed-today marks); this is that filter over plain objects, in the
reference ranking's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from lastmile_tui.domain.review import ReviewAim, is_near_finished
from lastmile_tui.domain.task import TaskSummary, is_waiting
from tests.oracles.ranking import Ranked, rank

T = TypeVar("T", bound=TaskSummary)


def review_candidates(
    tasks: Iterable[T], now: datetime, *, include_reviewed: bool = False,
    aim: ReviewAim | None = None,
) -> list[Ranked[T]]:
    """Near-finished open tasks (or those *aim* admits), less the snoozed and (unless asked) those
    reviewed today, ranked."""
    today = now.date()
    chosen = [
        t
        for t in tasks
        if (is_near_finished(t, now) if aim is None else aim.admits(t, now))
        and not is_waiting(t, today)  # a claim's wait hides nothing
        and (include_reviewed or t.reviewed_on != today)
    ]
    return rank(chosen, now)
