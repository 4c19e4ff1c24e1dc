"""The ranking in memory: the reference the store's SQL order is tested against.

Test-only code (issue 10): lastmile ranks in SQL, ordering by the columns
``lastmile_tui.domain.ranking.order_columns`` stores on every row, then
``updated_at`` and ``id``. This module states the same order twice over
plain objects: :func:`sort_key` is the order spelled out, and :func:`rank` is
the same order fast enough for the benchmark's 100,000 tasks (its "ranking"
figure measures it); a test holds the two equal, and the store's queries are
held equal to :func:`rank`. Both read the domain's own rules (``_measure``,
the cached ``_moment``), so the reference cannot drift from what the store
stores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from itertools import count, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from lastmile_tui.domain.ranking import (
    _STAGES,
    Stage,
    _measure,
    _moment,
    due_now,
    lane_cutoff,
    reason,
)
from lastmile_tui.domain.task import Priority, is_waiting

# the domain's private measure and due-moment cache too: the reference reads the very rules the store stores
from lastmile_tui.formats.lastmile_json import paused_gc

if TYPE_CHECKING:
    from lastmile_tui.domain.ranking import Rankable

T = TypeVar("T", bound="Rankable")

_NO_DUE = datetime.min  # a placeholder: the flag before it already sorts "no due date" last
_PRIORITY_ORDER = {Priority.H: 0, Priority.M: 1, Priority.L: 2, None: 3}
_NO_ID = math.inf  # an unsaved task sorts after every saved one


def sort_key(
    item: Rankable, now: datetime
) -> tuple[bool, int, float, bool, datetime, int, datetime, float]:
    """Claims and due now first (completed elsewhere, or overdue or due today, see
    ``ranking.due_now``); then stage (a claim's, ``CLAIMED``, first), fraction done
    (highest first), due (soonest first, none last), priority (H, M, L, none), idle time
    (longest first), then id,
    so the order is total and repeatable.

    Only the first part depends on *now*; the rest is stored on each row
    (``ranking.order_columns``), and the lane is one comparison of the stored
    due key with ``ranking.lane_cutoff`` (a claim's key sorts before every date).

    Fractions are compared as floats, exactly enough: IEEE division is
    correctly rounded, so equal fractions give equal floats, and two different
    fractions a/b, c/d of step counts below 2**26 differ by at least
    1/(b*d) > 2**-52, more than the rounding of both (2**-54 each, as they are
    at most 1), so their order survives.
    """
    done, total, where = _measure(item)
    due = item.due
    return (
        where != Stage.CLAIMED and not due_now(item, now),
        where,
        -done / total if total else 0.0,
        due is None,
        _NO_DUE if due is None else _moment(due),
        _PRIORITY_ORDER[item.priority],
        item.updated_at,
        _NO_ID if item.id is None else item.id,
    )


class Ranked(NamedTuple, Generic[T]):
    """One place in the ranked list; the reason is built only for rows that are shown.

    A named tuple rather than a dataclass: the board builds one per open task.
    """

    item: T
    stage: Stage
    position: int

    def reason(self, now: datetime) -> str:
        return reason(self.item, now)


def shown(items: Iterable[T], now: datetime) -> list[T]:
    """The tasks the board shows: all but those waiting (``task.is_waiting``)."""
    today = now.date()
    return [item for item in items if not is_waiting(item, today)]


def rank(items: Iterable[T], now: datetime) -> list[Ranked[T]]:
    """Order open tasks claims first, then the due-now lane, then almost-done first; the same tasks in any
    order give the same list. Waiting tasks are left out, as the board leaves them out.

    The order is exactly that of :func:`sort_key` (a test holds them equal),
    but sorting 100,000 six-part tuples (datetimes among them) takes about
    twice the 250 ms the benchmark allows a caller holding every open task in
    memory. So the tasks are
    grouped instead: by stage and fraction done, then by due moment, both few
    and sorted as keys; only tasks sharing all of those are sorted, by priority and
    update time. Taking the tasks in id order first, with stable sorts after, leaves
    the id as the last tie-break without comparing it again. Progress is
    measured once per task.
    """
    items = shown(items, now)
    try:
        by_id = sorted(items, key=_ID)  # usually in id order already, as the store reads them
    except TypeError:  # an unsaved task (id None) sorts after every saved one
        by_id = sorted(items, key=_id_or_last)
    with paused_gc():
        ordered: list[T] = []
        stages: list[Stage] = []
        for (later, where, _fraction), groups in sorted(_grouped(by_id, lane_cutoff(now)).items()):
            undated = groups.pop(None, [])
            start = len(ordered)
            for moment in sorted(groups):
                _extend_by_update(ordered, groups[moment])
            _extend_by_update(ordered, undated)
            group = _STAGES[where] if later or where == Stage.CLAIMED else Stage.DUE_NOW
            stages += repeat(group, len(ordered) - start)
        # Ranked(...) without a Python-level __new__ call per task
        return list(map(tuple.__new__, repeat(Ranked), zip(ordered, stages, count())))


_ID = attrgetter("id")
_UPDATED = attrgetter("updated_at")


def _id_or_last(item: Rankable) -> float:
    return _NO_ID if item.id is None else item.id


def _grouped(
    items: list[T], cutoff: datetime
) -> dict[tuple[bool, int, float], dict[datetime | None, list[T]]]:
    """``{(not due now, stage value, -fraction done): {due moment or None: [item, ...]}}``,
    items kept in order."""
    moment, measure = _moment, _measure
    buckets: dict[tuple[bool, int, float], dict[datetime | None, list[T]]] = {}
    for item in items:
        done, total, where = measure(item)
        due = item.due
        # a datetime is its own due moment: only dates go through the cache
        key = None if due is None else due if due.__class__ is datetime else moment(due)
        later = where != -2 and (key is None or key >= cutoff)  # a claim (-2) leads the lane
        head = (later, where, -done / total if total else 0.0)
        groups = buckets.get(head)
        if groups is None:
            groups = buckets[head] = {}
        group = groups.get(key)
        if group is None:
            groups[key] = [item]
        else:
            group.append(item)
    return buckets


def _extend_by_update(ordered: list[T], group: list[T]) -> None:
    if len(group) > 1:
        group.sort(key=_by_priority_then_update)  # stable: equal keys stay in id order
    ordered += group


def _by_priority_then_update(item: Rankable) -> tuple[int, datetime]:
    return _PRIORITY_ORDER[item.priority], item.updated_at
