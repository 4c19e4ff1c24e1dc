"""The schema: the one list of the task table's columns, every version's DDL as the migrations
that reach it, and lastmile's number.

A migration is never edited once released: a database at version N is
brought to the current one by running the steps after N, in one transaction.
A test holds the migrated tables, ``TASK_COLUMNS`` and the SQLModel tables
(``tables.py``) equal, so a new field is one entry here plus its migration.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    Kind = Literal["text", "tags", "due", "status", "priority", "repeat", "moment", "day", "count", "rank"]
    """How a value is stored: plain text or number, tags joined by spaces, a due date in its text
    form, the status word, the priority letter (or NULL), a repeat rule (``Recurrence.text``), a
    moment as SQLite DATETIME text, a day as ISO text, a count the store keeps, a ranking column
    the store computes (``ranking.order_columns``)."""


class Column(namedtuple("Column", "name kind summary", defaults=(True,))):
    """One column of the task table besides its id: the Task field (``name``) it holds and how
    (``kind``: a ``Kind``); ``summary``: read for the board too (``TaskSummary``), as everything
    but the long texts is."""

    __slots__ = ()
    name: str
    kind: Kind
    summary: bool


TASK_COLUMNS: tuple[Column, ...] = (
    Column("title", "text"),
    Column("notes", "text", summary=False),
    Column("final_step", "text"),
    Column("tags", "tags"),
    Column("due", "due"),
    Column("status", "status"),
    Column("created_at", "moment"),
    Column("updated_at", "moment"),
    Column("final_step_confirmed_at", "moment"),
    Column("done_at", "moment"),
    Column("dropped_reason", "text"),
    Column("steps_total", "count"),
    Column("steps_done", "count"),
    Column("wait", "day"),
    Column("reviewed_on", "day"),
    Column("priority", "priority"),
    Column("uid", "text", summary=False),
    Column("done_elsewhere", "text", summary=False),
    Column("extra", "text", summary=False),
    Column("source_hash", "text", summary=False),
    Column("repeat", "repeat"),
    Column("series", "text", summary=False),
    Column("rank_stage", "rank", summary=False),
    Column("rank_fraction", "rank", summary=False),
    Column("due_key", "rank", summary=False),
    Column("priority_rank", "rank", summary=False),
    Column("done_claimed_at", "moment"),
)

APPLICATION_ID = 0x4C73744D
"""``PRAGMA application_id`` of every lastmile database: "LstM" in ASCII."""


_V1 = """
CREATE TABLE task (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    final_step TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    due TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    final_step_confirmed_at DATETIME,
    done_at DATETIME,
    dropped_reason TEXT,
    steps_total INTEGER NOT NULL DEFAULT 0,
    steps_done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_task_status_due ON task (status, due);
CREATE TABLE step (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    done_at DATETIME,
    UNIQUE (task_id, position)
);
CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    at DATETIME NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    before TEXT,
    undone_at DATETIME
);
CREATE INDEX ix_event_task ON event (task_id, id);
"""


# v2: review mode needs to remember snoozes and what was reviewed today.
_V2 = """
ALTER TABLE task ADD COLUMN snoozed_until TEXT;
ALTER TABLE task ADD COLUMN reviewed_on TEXT;
"""


# v3: the board reads one screen of the ranking, not every open task. The
# leading parts of the ranking's sort key are stored (``ranking.order_columns``)
# and indexed with the rest of it, for open tasks only.
_V3_COLUMNS = """
ALTER TABLE task ADD COLUMN rank_stage INTEGER NOT NULL DEFAULT 3;
ALTER TABLE task ADD COLUMN rank_fraction REAL NOT NULL DEFAULT 0;
ALTER TABLE task ADD COLUMN due_key TEXT NOT NULL DEFAULT '~';
DROP INDEX ix_task_status_due;
"""


_V3_INDEXES = """
CREATE INDEX ix_task_rank ON task (rank_stage, rank_fraction, due_key, updated_at, id)
    WHERE status = 'open';
CREATE INDEX ix_task_open_due ON task (due_key) WHERE status = 'open';
CREATE INDEX ix_task_closed ON task (updated_at, id) WHERE status != 'open';
CREATE INDEX ix_task_done_at ON task (done_at) WHERE status = 'done';
CREATE INDEX ix_task_open_title_length ON task (length(title)) WHERE status = 'open';
CREATE INDEX ix_task_closed_title_length ON task (length(title)) WHERE status != 'open';
"""


_Ordered = namedtuple(  # no typing on a shell command's path
    "_Ordered",
    "final_step steps_total steps_done final_step_confirmed_at due priority done_claimed_at",
    defaults=(None, None))  # no task had a priority before v4, nor a claim before v6
"""The columns ``ranking.order_columns`` reads, straight from a task row."""


def _v3(conn: sqlite3.Connection) -> None:
    """Add the ranking columns, fill them with the domain's own rule, then index them."""
    from lastmile_tui.domain.dates import load_due
    from lastmile_tui.domain.ranking import order_columns

    run_script(conn, _V3_COLUMNS)
    rows = conn.execute(
        "SELECT id, final_step, steps_total, steps_done, final_step_confirmed_at, due FROM task"
    ).fetchall()
    conn.executemany(
        "UPDATE task SET rank_stage = ?, rank_fraction = ?, due_key = ? WHERE id = ?",
        [(*order_columns(_Ordered(*row[1:5], load_due(row[5])))[:3], row[0]) for row in rows],  # type: ignore[arg-type]
    )
    run_script(conn, _V3_INDEXES)


# v4: tasks that come and go (issue 12). Review's snooze becomes the wait date that hides a task
# everywhere; a priority breaks ties inside a stage (so the ranking index gains it); a uid gives a
# task its identity beyond this file (an import meets it again, a calendar names it by it);
# ``done_elsewhere`` says where a task that arrived done was finished; ``extra`` keeps what another
# app wrote that lastmile does not read; ``source_hash`` tells a re-import whether the source changed.
_V4_COLUMNS = """
ALTER TABLE task RENAME COLUMN snoozed_until TO wait;
ALTER TABLE task ADD COLUMN priority TEXT CHECK (priority IN ('H', 'M', 'L'));
ALTER TABLE task ADD COLUMN priority_rank INTEGER NOT NULL DEFAULT 3;
ALTER TABLE task ADD COLUMN uid TEXT NOT NULL DEFAULT '';
ALTER TABLE task ADD COLUMN done_elsewhere TEXT NOT NULL DEFAULT '';
ALTER TABLE task ADD COLUMN extra TEXT NOT NULL DEFAULT '';
ALTER TABLE task ADD COLUMN source_hash TEXT NOT NULL DEFAULT '';
DROP INDEX ix_task_rank;
CREATE INDEX ix_task_rank ON task (rank_stage, rank_fraction, due_key, priority_rank, updated_at, id)
    WHERE status = 'open';
CREATE INDEX ix_task_open_wait ON task (wait) WHERE status = 'open' AND wait IS NOT NULL;
"""


def _v4(conn: sqlite3.Connection) -> None:
    """Add the columns, give every task its uid, then make uids unique."""
    from lastmile_tui.domain.task import new_uid

    run_script(conn, _V4_COLUMNS)
    ids = [row[0] for row in conn.execute("SELECT id FROM task")]
    conn.executemany("UPDATE task SET uid = ? WHERE id = ?", [(new_uid(), i) for i in ids])
    conn.execute("CREATE UNIQUE INDEX ix_task_uid ON task (uid)")


# v5: recurring tasks (issue 13): the rule, and the series every occurrence shares.
_V5 = """
ALTER TABLE task ADD COLUMN repeat TEXT;
ALTER TABLE task ADD COLUMN series TEXT NOT NULL DEFAULT '';
CREATE INDEX ix_task_series ON task (series) WHERE series != '';
"""


# v6: two-way sync with a CalDAV server (issue 14). A completion claimed by another app waits on the
# task for a person's confirmation; each synced task's place on the server (href), the ETag it had
# there and the digest of what was last sent or received (``synced_digest``: a different digest
# now means a change made here); and the sync's own settings and progress (server, calendar URL,
# sync token, last sync time). No password is ever stored.
_V6 = """
ALTER TABLE task ADD COLUMN done_claimed_at DATETIME;
CREATE TABLE sync_item (
    uid TEXT PRIMARY KEY,
    href TEXT NOT NULL DEFAULT '',
    etag TEXT NOT NULL DEFAULT '',
    synced_digest TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_sync_item_href ON sync_item (href);
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# v7: a claim is a lane of its own, at the very top (``ranking.Stage.CLAIMED``): the ranking
# columns of the rows that hold one are computed again with that rule. No new column.

def _v7(conn: sqlite3.Connection) -> None:
    """Rank every open task with a claim by the domain's own rule, as every write does."""
    from lastmile_tui.domain.dates import load_due
    from lastmile_tui.domain.ranking import order_columns
    from lastmile_tui.domain.task import Priority

    rows = conn.execute(
        "SELECT id, final_step, steps_total, steps_done, final_step_confirmed_at, due, priority,"
        " done_claimed_at FROM task WHERE done_claimed_at IS NOT NULL"
    ).fetchall()
    conn.executemany(
        "UPDATE task SET rank_stage = ?, rank_fraction = ?, due_key = ?, priority_rank = ?"
        " WHERE id = ?",
        [(*order_columns(_Ordered(*row[1:5], load_due(row[5]),  # type: ignore[arg-type]
                                  row[6] and Priority(row[6]), row[7])), row[0]) for row in rows],
    )


# v8: speed (issue 11). ``open_count`` keeps how many open tasks each ranking stage holds, kept by
# triggers on every insert, delete and change of a task, whatever writes it: the header's and
# ``list``'s totals read a handful of rows instead of counting 80,000 index entries (4 ms at
# 100,000 tasks). The ranking index carries ``status`` too, so the board's per-stage counts read
# the index alone, never a row; and the tasks another app says are done have an index of their
# own, since ``list`` and the board look for them on every run (a full scan: 77 ms at 100,000).
_OPEN_COUNT_TRIGGERS = (
    """CREATE TRIGGER open_count_insert AFTER INSERT ON task WHEN new.status = 'open' BEGIN
    INSERT INTO open_count VALUES (new.rank_stage, 1)
        ON CONFLICT (rank_stage) DO UPDATE SET tasks = tasks + 1;
END""",
    """CREATE TRIGGER open_count_delete AFTER DELETE ON task WHEN old.status = 'open' BEGIN
    UPDATE open_count SET tasks = tasks - 1 WHERE rank_stage = old.rank_stage;
END""",
    """CREATE TRIGGER open_count_update AFTER UPDATE OF status, rank_stage ON task
    WHEN (old.status = 'open') != (new.status = 'open')
        OR (new.status = 'open' AND old.rank_stage != new.rank_stage) BEGIN
    UPDATE open_count SET tasks = tasks - 1 WHERE old.status = 'open' AND rank_stage = old.rank_stage;
    INSERT INTO open_count SELECT new.rank_stage, 1 WHERE new.status = 'open'
        ON CONFLICT (rank_stage) DO UPDATE SET tasks = tasks + 1;
END""",
)
_COUNT_OPEN = ("INSERT INTO open_count SELECT rank_stage, count(*) FROM task WHERE status = 'open'"
               " GROUP BY rank_stage")
_V8 = (
    """DROP INDEX ix_task_rank""",
    """CREATE INDEX ix_task_rank ON task (rank_stage, rank_fraction, due_key, priority_rank, updated_at, id,
    status) WHERE status = 'open'""",
    """CREATE INDEX ix_task_claimed ON task (done_claimed_at, id) WHERE done_claimed_at IS NOT NULL""",
    """CREATE TABLE open_count (rank_stage INTEGER PRIMARY KEY, tasks INTEGER NOT NULL)""",
    _COUNT_OPEN,
    *_OPEN_COUNT_TRIGGERS,
)


def _v8(conn: sqlite3.Connection) -> None:
    """One statement at a time: a trigger's body holds semicolons ``run_script`` would cut at."""
    for statement in _V8:
        conn.execute(statement)


@contextlib.contextmanager
def open_count_paused(conn: sqlite3.Connection) -> Iterator[None]:
    """A bulk load (a restored export) inside the caller's transaction: the triggers off while it
    inserts (they double the time a task row takes), then ``open_count`` counted once and the
    triggers made again. Should the load fail, the caller's rollback brings the triggers back."""
    for name in ("open_count_insert", "open_count_delete", "open_count_update"):
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for statement in ("DELETE FROM open_count", _COUNT_OPEN, *_OPEN_COUNT_TRIGGERS):
        conn.execute(statement)


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [_V1, _V2, _v3, _v4, _V5, _V6, _v7, _v8]


SCHEMA_VERSION = len(MIGRATIONS)


Tables = dict[str, frozenset[str]]


@functools.cache
def expected_tables(version: int) -> Tables:
    """The tables and their columns that schema *version* has: the migrations run in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in MIGRATIONS[:version]:
            step(conn) if callable(step) else run_script(conn, step)
        return tables_of(conn)
    finally:
        conn.close()


def tables_of(conn: sqlite3.Connection) -> Tables:
    rows = conn.execute(
        "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p"
        " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return {name: frozenset(columns) for name, columns in tables.items()}
