"""Reading the ranking a window at a time: counts, pages, and where one task sits.

The board and ``lastmile list`` never read every open task. The ranking's
sort key is stored on each row (``ranking.order_columns``) and indexed for open
tasks, so one screen of the ranking is an index range and the place of a
task is a count over the index; closed tasks are read only when shown, most
recently closed first. A filter runs the domain's own rule inside SQLite.

The open list has two parts: the lane of work due now (``due_key`` before the
start of tomorrow, ``ranking.lane_cutoff``), then everything else; each part
is read in the stored order, the lane through the due-date index and the rest
through the ranking index, so neither is ever sorted whole. Claims (completed
elsewhere, waiting for a person) lead the first part: their due key sorts
before every date (``ranking.CLAIM_KEY_PREFIX``) and their stage before every
other, so no query needs a third part for them; only counts that mean a due
date leave them out (``_DATED``).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from lastmile_tui.domain.ranking import Stage, lane_cutoff
from lastmile_tui.domain.search import matches_fields
from lastmile_tui.domain.task import Status, TaskSummary
from lastmile_tui.domain.values import value
from lastmile_tui.store.rows import (
    SUMMARY_COLUMNS,
    split_tags,
    stored_moment,
    summary_from_tuple,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lastmile_tui.domain.review import ReviewAim

RANK_ORDER = "rank_stage, rank_fraction, due_key, priority_rank, updated_at, id"
_RANK_ROW = f"({RANK_ORDER})"
CLOSED_ORDER = "updated_at DESC, id DESC"
_OPEN = "status = 'open'"
_CLOSED = "status != 'open'"
_MATCH = "lastmile_match(?, title, final_step, tags)"
_DUE_NOW = "due_key < ?"
# `+` keeps SQLite from reading the rest through the due-date index: it follows the ranking's
_LATER = "+due_key >= ?"
_CLAIMED = int(Stage.CLAIMED)
_DATED = "due_key >= '0'"
"""A due key that is a date (a claim's starts with ``!``): where a count means due dates."""
_WAITING = "wait > ? AND done_claimed_at IS NULL"
"""``task.is_waiting`` as SQL, the one condition that hides a task (the parameter is today's ISO
date): an open task waiting is left out of the board, its counts, ``list`` and review."""
_WAITING_SOURCE = "task INDEXED BY ix_task_open_wait"
"""Counts subtract the waiting tasks found through their own partial index, so that the counts of
the rest stay answers of the ranking and due-date indexes alone (waiting tasks are few)."""
_SHOWN = f"id NOT IN (SELECT id FROM {_WAITING_SOURCE} WHERE {_OPEN} AND {_WAITING})"
"""Its opposite, for pages and the review queue: the waiting ids are read once through their index,
and the test reads only the id, which every index holds, so a page far down the ranking still
skips its offset inside the ranking index (testing ``wait`` itself read every skipped row: the
page at 79,000 of 100,000 took 106 ms instead of 16)."""


def _today(now: datetime) -> str:
    return now.date().isoformat()


def _cutoff(now: datetime) -> str:
    """The due key from which a task is not due now (the start of tomorrow)."""
    return stored_moment(lane_cutoff(now)) or ""


def register_functions(conn: sqlite3.Connection) -> None:
    """Give a connection the filter rule; called for every connection the engine opens."""
    conn.create_function("lastmile_match", 4, _match, deterministic=True)


def _match(query: str, title: str, final_step: str, tags: str) -> bool:
    return matches_fields(query, title, final_step, split_tags(tags))


def _where(base: str, query: str) -> tuple[str, tuple[str, ...]]:
    if query.strip():
        return f"WHERE {base} AND {_MATCH}", (query,)
    return f"WHERE {base}", ()


@value
class Shape:
    """How many tasks each part of the board holds, for one filter; *waiting* open tasks are
    hidden from the board and counted apart."""

    stages: dict[Stage, int]
    closed: int
    longest_title: int
    waiting: int = 0

    @property
    def open(self) -> int:
        return sum(self.stages.values())


@value
class Counts:
    """How many tasks a filter finds: open and shown, *waiting* (hidden), and *closed* (when asked
    for), and how many of the shown ones are *claimed* done elsewhere: what ``lastmile list`` says
    of the ones it does not print, and of the claims that lead it."""

    open: int
    waiting: int
    closed: int = 0
    claimed: int = 0


def counts(conn: sqlite3.Connection, now: datetime, query: str = "", *, include_closed: bool = False
           ) -> Counts:
    """``shape``'s totals without its stages: without a filter, from ``open_count`` and the
    waiting index (the stages' per-lane sums read every open task's due key: 9 ms at 100,000)."""
    where, params = _where(_OPEN, query)
    (waiting,) = conn.execute(f"SELECT count(*) FROM {_WAITING_SOURCE} {where} AND {_WAITING}",
                              (*params, _today(now))).fetchone()
    if params:
        (all_open,) = conn.execute(f"SELECT count(*) FROM task {where}", params).fetchone()
    else:
        all_open, _ = _open_tasks(conn, Stage.LAST_MILE)
    closed = 0
    if include_closed:
        closed = sum(count for _all, count, _title in _counted(conn, _CLOSED, query, "NULL"))
    (claimed,) = conn.execute(  # through the claims' own index: there are few (and never waiting)
        f"SELECT count(*) FROM task {where} AND done_claimed_at IS NOT NULL", params).fetchone()
    return Counts(all_open - waiting, waiting, closed, claimed)


@value
class Overview:
    """The board's header: the whole database, whatever the filter."""

    open: int
    last_mile: int
    overdue: int
    finished_today: int


def shape(
    conn: sqlite3.Connection, now: datetime, query: str = "", *, include_closed: bool = False
) -> Shape:
    """Counts per stage, the due-now lane counted apart (and of closed tasks), with the longest
    title: from the indexes alone without a filter, in one pass over the table with one."""
    stages: dict[Stage, int] = {}
    longest = 0
    due_now = claims = 0
    where, params = _where(_OPEN, query)
    today = _today(now)
    counted = (f"SELECT rank_stage, sum({_DUE_NOW}), count(*), {{longest}} FROM {{source}} {where}"
               " AND {waiting} GROUP BY rank_stage HAVING count(*)")
    # the waiting ones per stage, through their own index: few, and all a filter needs to know
    hidden = {
        stage: (lane, count)
        for stage, lane, count, _title in conn.execute(
            counted.format(longest="0", source=_WAITING_SOURCE, waiting=_WAITING),
            (_cutoff(now), *params, today),
        )
    }
    if params:  # a filter reads every row anyway: it leaves the waiting out and measures titles
        found = conn.execute(counted.format(longest="max(length(title))", source="task",
                                            waiting=_SHOWN), (_cutoff(now), *params, today))
    else:  # from the ranking index alone, less the waiting ones
        found = conn.execute(counted.format(longest="0", source="task", waiting="1"), (_cutoff(now),))
    for stage, lane, count, title in found:
        if not params:
            lane_hidden, count_hidden = hidden.get(stage, (0, 0))
            lane, count = lane - lane_hidden, count - count_hidden
        if stage == _CLAIMED:  # every claim is in the first part, and has its own lane
            claims += count
        else:
            due_now += lane
            if count > lane:
                stages[Stage(stage)] = count - lane
        longest = max(longest, title)
    if due_now:
        stages = {Stage.DUE_NOW: due_now, **stages}
    if claims:
        stages = {Stage.CLAIMED: claims, **stages}
    if stages and not params:  # the index on length(title), longest first, passing the waiting
        (longest,) = conn.execute(
            f"SELECT length(title) FROM task {where} AND {_SHOWN} ORDER BY length(title) DESC"
            " LIMIT 1", (today,)
        ).fetchone()
    closed = 0
    if include_closed:
        for _all, count, title in _counted(conn, _CLOSED, query, "NULL"):
            closed, longest = count, max(longest, title)
    return Shape(stages, closed, longest, sum(count for _lane, count in hidden.values()))


def _counted(conn: sqlite3.Connection, base: str, query: str, group: str) -> list[tuple[int, int, int]]:
    """(group, count, longest title) per group of the tasks under *base* that match *query*."""
    where, params = _where(base, query)
    # a filter reads every row anyway, so it measures the titles on the way
    longest = "max(length(title))" if params else "0"
    found = conn.execute(
        f"SELECT {group}, count(*), {longest} FROM task {where} GROUP BY 1 HAVING count(*)", params
    ).fetchall()
    if found and not params:  # an index on length(title) answers max() at once
        (title,) = conn.execute(f"SELECT max(length(title)) FROM task {where}").fetchone()
        found[0] = (*found[0][:2], title)
    return found


def overview(conn: sqlite3.Connection, now: datetime) -> Overview:
    """The header's counts; a claim is open, but neither on the last mile nor overdue: it has its
    own lane, which the board shows at the top."""
    now_key = stored_moment(now)  # a due key before it is overdue
    day_start = stored_moment(now.replace(hour=0, minute=0, second=0, microsecond=0))
    values = {"now": now_key, "today": _today(now)}
    all_open, all_last_mile = _open_tasks(conn, Stage.LAST_MILE)
    (all_overdue,) = conn.execute(
        f"SELECT count(*) FROM task WHERE {_OPEN} AND {_DATED} AND due_key < :now", values).fetchone()
    hidden = conn.execute(
        "SELECT count(*), count(CASE WHEN rank_stage = :last_mile THEN 1 END),"
        f" count(CASE WHEN {_DATED} AND due_key < :now THEN 1 END) FROM {_WAITING_SOURCE}"
        f" WHERE {_OPEN} AND {_WAITING.replace('?', ':today')}",
        {**values, "last_mile": int(Stage.LAST_MILE)}).fetchone()
    open_, last_mile, overdue = (all_ - waiting for all_, waiting
                                 in zip((all_open, all_last_mile, all_overdue), hidden, strict=True))
    (finished,) = conn.execute(
        "SELECT count(*) FROM task WHERE status = 'done' AND done_at >= ?", (day_start,)
    ).fetchone()
    return Overview(open_, last_mile, overdue, finished)


def _open_tasks(conn: sqlite3.Connection, stage: Stage) -> tuple[int, int]:
    """How many tasks are open, waiting ones included, and how many of them in *stage*: from the
    ``open_count`` the triggers keep (schema v8), not by counting them."""
    row = conn.execute("SELECT coalesce(sum(tasks), 0), coalesce(sum(tasks) FILTER"
                       " (WHERE rank_stage = ?), 0) FROM open_count", (int(stage),)).fetchone()
    return int(row[0]), int(row[1])


def page(
    conn: sqlite3.Connection, now: datetime, offset: int, limit: int, query: str = "", *,
    closed: bool = False,
) -> list[TaskSummary]:
    """Tasks *offset* to *offset + limit* of the ranking (or of the closed list)."""
    where, params = _where(_CLOSED if closed else _OPEN, query)
    if closed:
        return _rows(conn, "task", f"{where} ORDER BY {CLOSED_ORDER}", params, offset, limit)
    cut, today = _cutoff(now), _today(now)
    due_now = _count_shown(conn, where, params, _DUE_NOW, (cut,), today)
    shown = f"{where} AND {_SHOWN}"
    found: list[TaskSummary] = []
    if offset < due_now:
        found = _rows(conn, _lane_source(due_now), f"{shown} AND {_DUE_NOW} ORDER BY {RANK_ORDER}",
                      (*params, today, cut), offset, limit)
    if len(found) < limit:
        found += _rows(conn, "task", f"{shown} AND {_LATER} ORDER BY {RANK_ORDER}",
                       (*params, today, cut), max(offset - due_now, 0), limit - len(found))
    return found


def _count_shown(conn: sqlite3.Connection, where: str, params: tuple[str, ...], condition: str,
                 values: tuple[str, ...], today: str) -> int:
    """How many open tasks under *where* and *condition* are not waiting: the count of all of them
    (from the indexes) less the waiting ones (from theirs)."""
    (count,) = conn.execute(
        f"SELECT (SELECT count(*) FROM task {where} AND {condition})"
        f" - (SELECT count(*) FROM {_WAITING_SOURCE} {where} AND {condition} AND {_WAITING})",
        (*params, *values, *params, *values, today),
    ).fetchone()
    return int(count)


def waiting(conn: sqlite3.Connection, now: datetime, query: str = "", limit: int = -1
            ) -> list[TaskSummary]:
    """The first *limit* (all: -1) open tasks hidden by a wait, soonest back first (then in ranking
    order): ``list --waiting``, through the wait index."""
    where, params = _where(_OPEN, query)
    return _rows(conn, _WAITING_SOURCE, f"{where} AND {_WAITING} ORDER BY wait, {RANK_ORDER}",
                 (*params, _today(now)), 0, limit)


_SMALL_LANE = 500
"""Up to this many due-now tasks are found through the due-date index and sorted (well under
a millisecond); more are dense enough in the ranking index to be read in its order."""


def _lane_source(due_now: int) -> str:
    """The table with the index that reads the lane fastest (SQLite cannot tell without ANALYZE)."""
    index = "ix_task_open_due" if due_now <= _SMALL_LANE else "ix_task_rank"
    return f"task INDEXED BY {index}"


def _rows(
    conn: sqlite3.Connection, source: str, clause: str, params: tuple[str, ...], offset: int,
    limit: int,
) -> list[TaskSummary]:
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM {source} {clause} LIMIT ? OFFSET ?", (*params, limit, offset)
    ).fetchall()
    return [summary_from_tuple(row) for row in rows]


def place(
    conn: sqlite3.Connection, now: datetime, task_id: int, query: str = ""
) -> tuple[bool, int] | None:
    """(closed?, index in that list) of a task the board shows, or None when it is not shown."""
    row = conn.execute(
        f"SELECT status, CASE WHEN done_claimed_at IS NULL THEN wait END, {RANK_ORDER}"
        " FROM task WHERE id = ?", (task_id,)
    ).fetchone()
    if row is None:
        return None
    status, wait, key = row[0], row[1], row[2:]
    closed = status != Status.OPEN.value
    today = _today(now)
    if not closed and wait is not None and wait > today:  # (a claim's wait reads as none)
        return None  # waiting: not on the board
    where, params = _where(_CLOSED if closed else _OPEN, query)
    if query.strip() and not conn.execute(
        f"SELECT 1 FROM task {where} AND id = ?", (*params, task_id)
    ).fetchone():
        return None
    if closed:
        (index,) = conn.execute(
            f"SELECT count(*) FROM task {where} AND (updated_at, id) > (?, ?)",
            (*params, key[4], key[5]),
        ).fetchone()
        return closed, index
    cut = _cutoff(now)
    before = f"{_RANK_ROW} < (?, ?, ?, ?, ?, ?)"
    if key[2] < cut:  # in the lane: only the lane is above it
        return closed, _count_shown(conn, where, params, f"{_DUE_NOW} AND {before}", (cut, *key),
                                    today)
    due_now = _count_shown(conn, where, params, _DUE_NOW, (cut,), today)
    above = _count_shown(conn, where, params, f"{_LATER} AND {before}", (cut, *key), today)
    return closed, due_now + above


def review_queue(conn: sqlite3.Connection, now: datetime, *, include_reviewed: bool = False,
                 aim: ReviewAim | None = None) -> list[int]:
    """The ids a review walks through, in ranking order: the review rule (``domain.review``)
    as SQL, held equal to the reference in ``tests/oracles/review.py``; *aim* narrows it
    (``ReviewAim.admits``: a due window replaces the week's horizon).

    The conditions are the domain's (a test holds the two equal), written so
    that a review of 80,000 open tasks reads ids only, not 80,000 summaries.
    """
    from lastmile_tui.domain.review import REVIEW_HORIZON  # review's rules load only for review

    today = now.date().isoformat()
    horizon = stored_moment(now + REVIEW_HORIZON)
    reviewed = "" if include_reviewed else " AND (reviewed_on IS NULL OR reviewed_on != :today)"
    values: dict[str, str | None] = {"today": today, "horizon": horizon, "cut": _cutoff(now)}
    within = aim.due_cutoff(now) if aim is not None else None
    near = (f"(steps_done > 0 OR final_step_confirmed_at IS NOT NULL OR ({_DATED}"
            " AND due_key <= :horizon))" if within is None else f"{_DATED} AND due_key < :within")
    aimed = ""
    if within is not None:
        values["within"] = stored_moment(within)
    if aim is not None and aim.last_mile:
        aimed += f" AND rank_stage = {int(Stage.LAST_MILE)}"
    matched = ""
    if aim is not None and aim.query.strip():
        matched = " AND lastmile_match(:query, title, final_step, tags)"
        values["query"] = aim.query
    # a claim is always asked about (``review.admits``), with or without a final step
    where = (
        f"WHERE {_OPEN} AND (rank_stage = {_CLAIMED} OR (final_step != '' AND {near}{aimed}))"
        f"{matched} AND {_SHOWN.replace('?', ':today')}{reviewed}"
    )
    # the due-now lane first (claims at its head), as in the ranking; each part in the stored order
    return [
        task_id
        for lane in ("due_key < :cut", "+due_key >= :cut")
        for (task_id,) in conn.execute(
            f"SELECT id FROM task {where} AND {lane} ORDER BY {RANK_ORDER}", values
        ).fetchall()
    ]
