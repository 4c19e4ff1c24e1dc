"""Small reads for the shell around lastmile: a prompt's counts and task ids for Tab completion.

Both run on every prompt or every Tab, so both answer from indexes on the
plain-sqlite3 read path (``Reader``), and the counts the board's header
already has come from ``queries.overview`` rather than a second definition.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from lastmile_tui.domain.ranking import lane_cutoff
from lastmile_tui.domain.values import value
from lastmile_tui.store import queries
from lastmile_tui.store.rows import stored_moment

_OPEN = "status = 'open'"
_NOT_WAITING = "(wait IS NULL OR wait <= ? OR done_claimed_at IS NOT NULL)"  # see task.is_waiting
_WAITING = "wait > ? AND done_claimed_at IS NULL"


@value
class Glance:
    """What a shell prompt or a status bar shows: the board's header plus two counts of its own."""

    open: int
    last_mile: int
    overdue: int
    due_today: int
    """Open, not waiting, due later today (overdue ones are counted apart)."""
    waiting: int
    """Open but hidden until a later day (``wait``)."""
    finished_today: int

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in GLANCE_FIELDS}


GLANCE_FIELDS: tuple[str, ...] = Glance.FIELDS
"""The names a status format may use, in the order ``--json`` prints them."""


def glance(conn: sqlite3.Connection, now: datetime) -> Glance:
    """The header's four numbers (``queries.overview``) and the due-today and waiting counts."""
    header = queries.overview(conn, now)
    today = now.date().isoformat()
    due_today, waiting = conn.execute(
        f"SELECT (SELECT count(*) FROM task WHERE {_OPEN} AND due_key >= ? AND due_key < ?"
        f"         AND {_NOT_WAITING}),"
        f" (SELECT count(*) FROM task WHERE {_OPEN} AND {_WAITING})",
        (stored_moment(now), stored_moment(lane_cutoff(now)), today, today),
    ).fetchone()
    return Glance(header.open, header.last_mile, header.overdue, due_today, waiting,
                  header.finished_today)


def _id_ranges(prefix: str, highest: int) -> list[tuple[int, int]]:
    """The id ranges whose decimal form starts with *prefix*, up to *highest*: 12 → 12, 120–129,
    1200–1299, ... so that the primary key answers without reading every row."""
    low = high = int(prefix)
    ranges = []
    while low <= highest:
        ranges.append((low, min(high, highest)))
        low, high = low * 10, high * 10 + 9
    return ranges


def ids_starting(
    conn: sqlite3.Connection, prefix: str, *, open_: bool, closed: bool, limit: int
) -> list[tuple[int, str]]:
    """(id, title) of the tasks whose id starts with the digits *prefix*, lowest id first."""
    if not (prefix.isascii() and prefix.isdigit()) or prefix.startswith("0"):
        return []
    (highest,) = conn.execute("SELECT coalesce(max(id), 0) FROM task").fetchone()
    ranges = _id_ranges(prefix, highest)
    if not ranges or not (open_ or closed):
        return []
    which = "" if open_ and closed else f" AND {_OPEN}" if open_ else f" AND NOT {_OPEN}"
    spans = " OR ".join("id BETWEEN ? AND ?" for _ in ranges)
    params = [n for span in ranges for n in span]
    return conn.execute(
        f"SELECT id, title FROM task WHERE ({spans}){which} ORDER BY id LIMIT ?", (*params, limit)
    ).fetchall()
