"""The last-mile statistics as indexed reads (``lastmile stats`` and the Stats screen): the
arithmetic is ``domain/stats.py``'s. Kept apart from ``queries`` so that the board's reads,
``list`` and ``count`` never load the statistics' rules.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from lastmile_tui.domain import stats
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.ranking import Stage
from lastmile_tui.store.queries import _OPEN
from lastmile_tui.store.rows import load_moment, split_tags, stored_moment


def _quoted(kinds: frozenset[str]) -> str:
    return ", ".join(f"'{kind}'" for kind in sorted(kinds))


_BEFORE_ON_LAST_MILE = (
    "(coalesce(json_extract(e.before, '$.status'), 'open') = 'open'"
    " AND coalesce(json_extract(e.before, '$.final_step'), '') != ''"
    " AND NOT EXISTS (SELECT 1 FROM json_each(e.before, '$.steps')"
    " WHERE json_extract(value, '$.done_at') IS NULL))"
)
"""``stats.State.on_last_mile`` of an event's snapshot, read inside SQLite."""

ENTERED = (
    f"(e.kind IN ({_quoted(stats.ENTERS_ALWAYS)}) OR (e.kind NOT IN ({_quoted(stats.NEVER_ENTERS)})"
    f" AND e.before IS NOT NULL AND json_valid(e.before) AND NOT {_BEFORE_ON_LAST_MILE}))"
)
"""``stats.entered`` as SQL, so that no snapshot leaves SQLite (a test holds the two equal)."""


def _reached(upto: str = "") -> str:
    """When task ``t`` last reached its last mile: the newest entering event (``stats.reached_at``),
    read newest first through ``ix_event_task``; *upto* limits it to events before an id."""
    return (f"(SELECT e.at FROM event AS e WHERE e.task_id = t.id{upto} AND {ENTERED}"
            " ORDER BY e.id DESC LIMIT 1)")


_COMPLETION = (
    "(SELECT e.id FROM event AS e WHERE e.task_id = t.id AND e.kind IN ('completed', 'imported_done')"
    " AND e.undone_at IS NULL ORDER BY e.id DESC LIMIT 1)"
)
"""The latest completion event of task ``t`` still standing (``ix_event_task``)."""

_ON_LAST_MILE = (
    f"t.{_OPEN} AND t.rank_stage IN ({int(Stage.CLAIMED)}, {int(Stage.LAST_MILE)},"
    f" {int(Stage.NOT_STARTED)}) AND t.final_step != '' AND t.steps_done = t.steps_total"
)
"""Open, a final step, every step checked: the ranking index's stages that can hold such a task
(a final step with no steps ranks as not started; a claim ranks apart, whatever its steps)."""


def statistics(conn: sqlite3.Connection, now: datetime, weeks: int,
               stalled_shown: int = stats.STALLED_SHOWN) -> stats.Stats:
    """Everything ``lastmile stats`` and the Stats screen show, from indexed reads: the done tasks
    of the period through ``ix_task_done_at``, the open ones on their last mile through the
    ranking index, their history through ``ix_event_task`` newest first (stopping at the event
    that put them on the last mile). Only the count of what became of the tasks added in the
    period reads the task table whole."""
    since = stored_moment(stats.period_start(now.date(), weeks))
    finished = [
        stats.Finished(task_id, load_moment(done_at), split_tags(tags),  # type: ignore[arg-type]
                       load_moment(reached) if all_checked else None,
                       kind != EventKind.COMPLETED.value)
        for task_id, done_at, tags, all_checked, kind, reached in conn.execute(
            "SELECT t.id, t.done_at, t.tags, t.all_checked,"
            " (SELECT e.kind FROM event AS e WHERE e.id = t.completion),"
            f" {_reached(' AND e.id < t.completion')}"
            " FROM (SELECT t.id, t.done_at, t.tags, t.steps_done = t.steps_total AS all_checked,"
            f" {_COMPLETION} AS completion FROM task AS t"
            " WHERE t.status = 'done' AND t.done_at >= ?) AS t", (since,)
        )
    ]
    counts: dict[tuple[str, int], int] = {}
    for status, was_imported, count in conn.execute(
        "SELECT t.status, CASE WHEN t.status = 'done' THEN coalesce((SELECT e.kind FROM event AS e"
        f" WHERE e.id = {_COMPLETION}), '') != '{EventKind.COMPLETED.value}' ELSE 0 END, count(*)"
        " FROM task AS t WHERE t.created_at >= ? GROUP BY 1, 2", (since,)
    ):
        counts[(status, was_imported)] = count
    cohort = stats.Cohort(
        done=counts.get(("done", 0), 0), dropped=counts.get(("dropped", 0), 0),
        open=counts.get(("open", 0), 0), imported_done=counts.get(("done", 1), 0),
    )
    waiting = conn.execute(
        f"SELECT t.id, coalesce({_reached()}, t.created_at) AS since FROM task AS t"
        f" WHERE {_ON_LAST_MILE} ORDER BY since, t.id"
    ).fetchall()
    shown = dict(waiting[:stalled_shown])
    stalled = [
        stats.Waiting(task_id, title, final_step, split_tags(tags), load_moment(shown[task_id]))  # type: ignore[arg-type]
        for task_id, title, final_step, tags in conn.execute(
            f"SELECT id, title, final_step, tags FROM task WHERE id IN ({', '.join('?' * len(shown))})",
            tuple(shown),
        )
    ]
    stalled.sort(key=lambda w: (w.since, w.id))
    return stats.summarize(now, weeks, finished, cohort,
                           [load_moment(at) for _id, at in waiting], stalled)  # type: ignore[misc]
