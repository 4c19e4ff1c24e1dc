"""Reading the board straight from SQLite: what ``lastmile list`` and ``count`` need.

No SQLAlchemy here, so those commands start in the time of ``import sqlite3``
rather than of ``import sqlmodel`` (about 50 ms against 400 ms on this
machine). ``Store`` is a ``Reader`` that can also write, so the app and the
commands read the board through these same methods.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from lastmile_tui.domain.errors import InvalidInput, NotFound
from lastmile_tui.domain.history import Event, EventKind
from lastmile_tui.domain.task import Task, TaskSummary
from lastmile_tui.formats.record import MAX_ID
from lastmile_tui.store import connection, db, queries
from lastmile_tui.store.connection import DatabaseProblem
from lastmile_tui.store.rows import load_moment, to_task
from lastmile_tui.store.schema import TASK_COLUMNS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Self

    from lastmile_tui.domain import stats
    from lastmile_tui.domain.review import ReviewAim
    from lastmile_tui.store import shell

Clock = Callable[[], datetime]
_LOAD_TASK = f"SELECT id, {', '.join(column.name for column in TASK_COLUMNS)} FROM task WHERE id = ?"
_EVENT_COLUMNS = "id, task_id, at, kind, detail, before, undone_at"


@lru_cache(maxsize=16)
def _record_type(names: tuple[str, ...]) -> Any:
    return namedtuple("Record", names)  # noqa: PYI024 - made per query shape, at run time


def _records(cursor: sqlite3.Cursor) -> Iterator[Any]:
    """The rows of *cursor* with their columns as attributes (what ``rows.to_task`` reads)."""
    record = _record_type(tuple(d[0] for d in cursor.description))
    return map(record._make, cursor)


def _event(row: Any) -> Event:
    return Event(row.id, row.task_id, load_moment(row.at), EventKind(row.kind), row.detail,  # type: ignore[arg-type]
                 row.undone_at is not None)


class Reader:
    """A lastmile database opened for reading the board: checked and migrated like any open."""

    def __init__(
        self,
        path: Path,
        clock: Clock = datetime.now,
        *,
        busy_timeout_ms: int | None = None,
        create: bool = True,
    ) -> None:
        """Open *path*; with *create* false a missing database is ``NoDatabase``, never made."""
        self.path = Path(path)
        self.clock = clock
        self._timeout_ms = connection.busy_timeout_ms(busy_timeout_ms)
        self.read_only_reason, self.created = db.prepare(self.path, self._timeout_ms, create=create)
        self._conn: sqlite3.Connection | None = None
        self._seen_version: int | None = None
        self._own_events: set[int] = set()  # history this connection wrote (a Store's), committed
        self._new_events: list[int] = []  # written in the open transaction

    @property
    def read_only(self) -> bool:
        """True when the file or its folder cannot be written: reading still works."""
        return self.read_only_reason is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _now(self) -> datetime:
        return self.clock()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connection.connect(self.path, read_only=self.read_only, timeout_ms=self._timeout_ms)
            queries.register_functions(self._conn)
        return self._conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside it sees the same state."""
        try:
            conn = self._connection()
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):  # it only read: nothing to lose
                        conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise DatabaseProblem(connection.explain(self.path, exc)) from exc

    def data_version(self) -> int:
        """A number that changes whenever another connection commits (cheap to poll)."""
        try:
            return int(self._connection().execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise DatabaseProblem(connection.explain(self.path, exc)) from exc

    def changed_elsewhere(self) -> bool:
        """True when another program wrote since the last call; the first call sets the mark.

        ``Store`` moves the mark after each write of its own, so a window that
        polls this reloads for other programs' changes only.
        """
        version = self.data_version()
        changed = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        return changed

    def _load(self, conn: sqlite3.Connection, task_id: int) -> tuple[Any, Task]:
        if not isinstance(task_id, int) or isinstance(task_id, bool) or not 1 <= task_id <= MAX_ID:
            raise InvalidInput(f"{task_id!r} is not a task id (ids are whole numbers from 1)")
        row = next(_records(conn.execute(_LOAD_TASK, (task_id,))), None)
        if row is None:
            raise NotFound(f"no task with id {task_id}")
        steps = _records(conn.execute(
            "SELECT position, text, done_at FROM step WHERE task_id = ?", (task_id,)
        ))
        return row, to_task(row, list(steps))

    def get(self, task_id: int) -> Task:
        with self._reading() as session:
            return self._load(session, task_id)[1]

    def history(self, task_id: int, limit: int = 50) -> list[Event]:
        with self._reading() as conn:
            return [_event(r) for r in _records(conn.execute(
                f"SELECT {_EVENT_COLUMNS} FROM event WHERE task_id = ? ORDER BY id DESC LIMIT ?",
                (task_id, limit),
            ))]

    def board_shape(self, query: str = "", *, include_closed: bool = False) -> queries.Shape:
        """How many tasks each stage (and the due-now lane, and the closed list) holds under a
        filter."""
        with self._reading() as conn:
            return queries.shape(conn, self._now(), query, include_closed=include_closed)

    def counts(self, query: str = "", *, include_closed: bool = False) -> queries.Counts:
        """How many open (shown), waiting and closed tasks a filter finds: ``board_shape``'s
        totals, read more cheaply."""
        with self._reading() as conn:
            return queries.counts(conn, self._now(), query, include_closed=include_closed)

    def overview(self) -> queries.Overview:
        """Open, on the last mile, overdue and finished today, over the whole database."""
        with self._reading() as conn:
            return queries.overview(conn, self._now())

    def glance(self) -> shell.Glance:
        """The board's header plus due today and waiting: what a shell prompt shows."""
        from lastmile_tui.store import shell  # the prompt's queries: only status and completion

        with self._reading() as conn:
            return shell.glance(conn, self._now())

    def ids_starting(self, prefix: str, *, open_: bool = True, closed: bool = False,
                     limit: int = 200) -> list[tuple[int, str]]:
        """(id, title) of tasks whose id starts with *prefix*: Tab completion of a typed id."""
        from lastmile_tui.store import shell

        with self._reading() as conn:
            return shell.ids_starting(conn, prefix, open_=open_, closed=closed, limit=limit)

    def ranked_page(
        self, offset: int, limit: int, query: str = "", *, closed: bool = False
    ) -> list[TaskSummary]:
        """One window of the open ranking, due now then almost done first (or of closed tasks,
        newest first)."""
        with self._reading() as conn:
            return queries.page(conn, self._now(), offset, limit, query, closed=closed)

    def waiting(self, query: str = "", limit: int = -1) -> list[TaskSummary]:
        """The open tasks a wait hides, soonest back first (``lastmile list --waiting``); the first
        *limit* of them when it is not -1."""
        with self._reading() as conn:
            return queries.waiting(conn, self._now(), query, limit)

    def place(self, task_id: int, query: str = "") -> tuple[bool, int] | None:
        """Where a task sits: (closed?, index in the ranking or closed list), None when not shown."""
        with self._reading() as conn:
            return queries.place(conn, self._now(), task_id, query)

    def statistics(self, weeks: int = 12) -> stats.Stats:
        """Finishes, the finish rate and last-mile times of the last *weeks* weeks (``domain.stats``)."""
        with self._reading() as conn:
            from lastmile_tui.store.statistics import statistics

            return statistics(conn, self._now(), weeks)

    def review_queue(self, *, include_reviewed: bool = False, aim: ReviewAim | None = None) -> list[int]:
        """The ids review mode walks through, nearly finished first; *aim* narrows them."""
        with self._reading() as conn:
            return queries.review_queue(conn, self._now(), include_reviewed=include_reviewed, aim=aim)
