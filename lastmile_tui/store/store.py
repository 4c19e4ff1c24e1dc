"""The operations every interface calls. Each is one transaction; the guard is applied here.

The CLI and the TUI never touch tables: they call a ``Store`` method, which
loads the task, asks the domain rules for the new state, writes it together
with one history event (holding the state before, for undo), and commits — or
raises a ``LastmileError`` and writes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

from lastmile_tui.domain import review
from lastmile_tui.domain import task as rules
from lastmile_tui.domain.changes import Change, Create, Transition, no_detail
from lastmile_tui.domain.dates import parse_due, parse_wait
from lastmile_tui.domain.errors import ChangedMeanwhile, InvalidInput, UndoMoved
from lastmile_tui.domain.history import Event, EventKind
from lastmile_tui.domain.review import DEFAULT_SNOOZE_DAYS
from lastmile_tui.domain.task import Due, Priority, Status, Task
from lastmile_tui.domain.values import field, value
from lastmile_tui.formats.record import from_snapshot, snapshot
from lastmile_tui.store import backup, connection
from lastmile_tui.store.connection import DatabaseProblem
from lastmile_tui.store.reader import _EVENT_COLUMNS, Reader, _event, _records
from lastmile_tui.store.rows import load_moment, step_values, stored_moment, stored_row
from lastmile_tui.store.schema import TASK_COLUMNS, open_count_paused

TYPE_CHECKING = False
if TYPE_CHECKING:  # the export's own code loads only when a command exports or imports
    from typing import Any

    from lastmile_tui.domain import imports
    from lastmile_tui.domain.recurrence import Recurrence
    from lastmile_tui.store import interchange
    from lastmile_tui.store.sync_state import SyncItem

_UNSET: Any = object()
_NAMES = [column.name for column in TASK_COLUMNS]
_INSERT_TASK = f"INSERT INTO task ({', '.join(_NAMES)}) VALUES ({', '.join(':' + n for n in _NAMES)})"
_UPDATE_TASK = f"UPDATE task SET {', '.join(f'{n} = :{n}' for n in _NAMES)} WHERE id = :id"
_NEXT_UNDO = (
    f"SELECT {_EVENT_COLUMNS} FROM event WHERE undone_at IS NULL AND kind != 'undone'"
    " ORDER BY id DESC LIMIT 1"
)
"""The most recent change not yet undone: what undo undoes."""


class Store(Reader):
    """A lastmile database. Open one per process; pass it to the CLI or the app.

    The board's reads come from ``Reader``; whole tasks, history and every
    write go through the same plain sqlite3 connection, in transactions begun
    with ``BEGIN IMMEDIATE`` for writes, so a command that changes one task
    never pays for importing SQLAlchemy (see the README on speed).
    *busy_timeout_ms* is how long a write waits for another writer's lock
    (default: $LASTMILE_BUSY_TIMEOUT_MS, else 5 s) before it gives up cleanly.
    """

    # -- plumbing ---------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        fresh = self._conn is None
        conn = super()._connection()
        if fresh:
            conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: a read sees one state; a write takes the lock first and commits all or nothing."""
        if not write:
            with self._reading() as conn:
                yield conn
            return
        if self.read_only_reason is not None:
            raise DatabaseProblem(
                f"{self.path} can only be read ({self.read_only_reason}); nothing was changed"
            )
        self._new_events = []
        try:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise DatabaseProblem(connection.explain(self.path, exc)) from exc
        # only once committed: SQLite gives a rolled-back event's id to the next writer
        self._own_events.update(self._new_events)
        if self._seen_version is not None:
            self._seen_version = self.data_version()  # our own change: not news to a poller

    def _write_steps(self, conn: sqlite3.Connection, task_id: int, task: Task) -> None:
        conn.execute("DELETE FROM step WHERE task_id = ?", (task_id,))
        conn.executemany(
            "INSERT INTO step (task_id, position, text, done_at)"
            " VALUES (:task_id, :position, :text, :done_at)",
            step_values(task_id, task),
        )

    def _save(self, conn: sqlite3.Connection, old: Task, new: Task, kind: EventKind,
              detail: str = "") -> Task:
        assert old.id is not None
        conn.execute(_UPDATE_TASK, stored_row(old.id, new))
        if new.steps != old.steps:
            self._write_steps(conn, old.id, new)
        self._record(conn, old.id, kind, detail, snapshot(old))
        return new

    def _record(self, conn: sqlite3.Connection, task_id: int, kind: EventKind, detail: str,
                before: str | None) -> None:
        cursor = conn.execute(
            "INSERT INTO event (task_id, at, kind, detail, before) VALUES (?, ?, ?, ?, ?)",
            (task_id, stored_moment(self._now()), kind.value, detail, before),
        )
        self._new_events.append(int(cursor.lastrowid))  # type: ignore[arg-type]

    def apply(self, changes: Iterable[Change | Create]) -> list[Task]:
        """The one door for every change: all of *changes* in one transaction, or none of them.

        Each runs through its domain transition and then the consistency rule
        (done means a confirmed final step); the first that raises undoes the
        batch and nothing is written. Returns the tasks as they are afterwards.
        """
        with self._session(write=True) as session:
            return [self._apply_one(session, change) for change in changes]

    def _apply_one(self, session: sqlite3.Connection, change: Change | Create) -> Task:
        if isinstance(change, Create):
            return self._insert(session, change)
        _row, old = self._load(session, change.task_id)
        new = change.transition(old, self._now())
        if new == old and change.undoes is None:
            return old
        rules.check_consistent(new)
        self._save(session, old, new, change.kind, change.detail(old, new))
        if change.undoes is not None:
            session.execute("UPDATE event SET undone_at = ? WHERE id = ?",
                            (stored_moment(self._now()), change.undoes))
        return new

    def _insert(self, session: sqlite3.Connection, create: Create) -> Task:
        task = create.task if create.task.uid else create.task.with_changes(uid=rules.new_uid())
        if task.repeat is not None and not task.series:  # the first of a series names it
            task = task.with_changes(series=task.uid)
        rules.check_consistent(task)
        cursor = session.execute(_INSERT_TASK, stored_row(0, task))  # the id is SQLite's to give
        task = task.with_changes(id=int(cursor.lastrowid))  # type: ignore[arg-type]
        self._write_steps(session, task.id, task)  # type: ignore[arg-type]
        detail = task.title if create.detail is None else create.detail
        self._record(session, task.id, create.kind, detail, None)  # type: ignore[arg-type]
        return task

    def _change(
        self,
        task_id: int,
        transition: Transition,
        kind: EventKind,
        detail: Callable[[Task, Task], str] = no_detail,
    ) -> Task:
        return self.apply([Change(task_id, transition, kind, detail)])[0]

    def parse_due(self, text: str) -> Due:
        """Read a due date typed by a person, against this store's clock."""
        return parse_due(text, self._now())

    def _due(self, due: Due | str | None) -> Due | None:
        if isinstance(due, str):
            return self.parse_due(due) if due.strip() else None
        return due

    def _repeat(self, repeat: Recurrence | str | None, due: Due | None) -> Recurrence | None:
        """A repeat typed or given: a phrase is read against *due* (today without one)."""
        if not isinstance(repeat, str):
            return repeat
        if not repeat.strip():
            return None
        from lastmile_tui.domain.recurrence import parse_recurrence

        anchor = due if due is not None else self._now().date()
        return parse_recurrence(repeat, anchor.date() if isinstance(anchor, datetime) else anchor)

    def _wait(self, wait: date | str | None) -> date | None:
        """A wait typed or given: text is read by ``dates.parse_wait`` (today or earlier is none)."""
        if isinstance(wait, str):
            return parse_wait(wait, self._now()) if wait.strip() else None
        return wait

    # -- reading ----------------------------------------------------------

    def open_occurrence(self, series: str) -> Task | None:
        """The open occurrence of a recurring series (the newest, should there be several)."""
        with self._session(write=False) as session:
            row = session.execute("SELECT id FROM task WHERE series = ? AND status = 'open'"
                                  " ORDER BY id DESC LIMIT 1", (series,)).fetchone()
            return None if row is None else self._load(session, row[0])[1]

    def export_records(self) -> Iterator[dict[str, Any]]:
        """Every task with its steps and history, one record at a time, all read in one
        transaction (one consistent state) that stays open until the last record is taken."""
        with self._session(write=False) as conn:
            cursors = [
                conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
                for table, order in (("task", "id"), ("step", "task_id, position"),
                                     ("event", "task_id, id"))
            ]
            try:
                from lastmile_tui.store.interchange import records

                yield from records(*map(_records, cursors))
            finally:
                for cursor in cursors:  # a read that failed half-way must not keep its cursor
                    cursor.close()

    def all_tasks(self) -> Iterator[Task]:
        """Every task with its steps, in id order, one at a time, read in one transaction (one
        consistent state) that stays open until the last is taken: what other formats export."""
        with self._session(write=False) as conn:
            cursors = [conn.execute("SELECT * FROM task ORDER BY id"),
                       conn.execute("SELECT * FROM step ORDER BY task_id, position")]
            try:
                from lastmile_tui.store.interchange import tasks

                yield from tasks(*map(_records, cursors))
            finally:
                for cursor in cursors:
                    cursor.close()

    def import_rows(self, rows: interchange.Rows) -> int:
        """Load a checked export (``interchange.to_rows``) in one transaction; return how many tasks.

        Ids are kept (undo follows the history's order), so the import merges
        into a database that already has tasks only when none of its task or
        event ids is taken there; otherwise nothing is imported.
        """
        with self._session(write=True) as session:
            for table, values in (("task", rows.tasks), ("event", rows.events)):
                taken = _taken(session, table, [row["id"] for row in values])
                if taken:
                    shown = ", ".join(str(i) for i in taken[:5]) + (" …" if len(taken) > 5 else "")
                    raise InvalidInput(
                        f"{self.path} already holds {table} id{'s' if len(taken) > 1 else ''} "
                        f"{shown} that the file uses; import a lastmile export only into a "
                        "database without those ids (lastmile --db NEW.db import FILE). "
                        "Nothing was imported"
                    )
            taken_uids = [uid for uid in (row["uid"] for row in rows.tasks) if session.execute(
                "SELECT 1 FROM task WHERE uid = ?", (uid,)).fetchone()]
            if taken_uids:
                raise InvalidInput(
                    f"{self.path} already holds the task with uid {taken_uids[0]} that the file "
                    "holds too; nothing was imported"
                )
            with open_count_paused(session):
                for statement, values in rows.inserts():  # already in stored form
                    session.executemany(statement, values)
        return len(rows.tasks)

    def import_tasks(self, batch: imports.Batch, *, dry_run: bool = False) -> ImportReport:
        """Bring *batch* in through the one door, in one transaction: a new uid adds a task, a
        known one whose source record changed updates it (``imports.updated``), an unchanged one
        is left alone. With *dry_run* the same work is done and then rolled back, so the report
        says exactly what an import would do."""
        batch.check_unique()
        report = ImportReport(batch.source, skipped=list(batch.skipped))
        try:
            with self._session(write=True) as session:
                for incoming in batch.tasks:
                    self._import_one(session, batch.source, incoming, report)
                if dry_run:
                    raise _RolledBack
        except _RolledBack:
            pass
        return report

    def _import_one(self, session: sqlite3.Connection, source: str, incoming: imports.Incoming,
                    report: ImportReport) -> None:
        from lastmile_tui.domain import imports

        task = incoming.task
        found = session.execute("SELECT id, source_hash FROM task WHERE uid = ?", (task.uid,)).fetchone()
        if found is None:
            kind = EventKind.IMPORTED_DONE if task.status is Status.DONE else EventKind.IMPORTED
            detail = f"from {source}" + (f", done in {task.done_elsewhere} (its final step was not "
                                         "confirmed in lastmile)" if task.done_elsewhere else "")
            report.added.append(self._apply_one(session, Create(task, kind, detail)))
        elif found[1] == task.source_hash:
            report.unchanged.append(task)
        else:
            change = Change(found[0], lambda old, now: imports.updated(old, incoming, source, now),
                            EventKind.IMPORT_UPDATED, lambda _old, _new: f"from {source}")
            try:
                old = self._load(session, found[0])[1]
                if imports.same_to_the_second(old, change.transition(old, self._now())):
                    # the same task said again in another form (its own export read back): no history
                    session.execute("UPDATE task SET source_hash = ? WHERE id = ?",
                                    (task.source_hash, found[0]))
                    report.unchanged.append(task)
                    return
                report.updated.append(self._apply_one(session, change))
            except InvalidInput as exc:
                raise InvalidInput(f"{incoming.where}: {exc}; nothing was imported") from exc

    # -- sync (schema v6): the bookkeeping lives in store/sync_state.py ---------------------------

    def sync_items(self) -> dict[str, SyncItem]:
        with self._session(write=False) as session:
            return _bookkeeping().read_items(session)

    def sync_state(self) -> dict[str, str]:
        with self._session(write=False) as session:
            return _bookkeeping().read_state(session)

    def set_sync_state(self, values: dict[str, str | None], *, forget_items: bool = False) -> None:
        """Write the sync's settings (None removes one); *forget_items* for another calendar."""
        with self._session(write=True) as session:
            if forget_items:
                _bookkeeping().forget_all(session)
            _bookkeeping().write_state(session, values)

    def sync_pull(self, pull: SyncPull) -> ImportReport:
        """What one sync brought from the server, in one transaction: the tasks through the import
        door, the losers of conflicts this machine won into history (undo brings them back), the
        tasks the server deleted dropped, the items' hrefs, ETags and digests, the sync token."""
        pull.batch.check_unique()
        report = ImportReport(pull.batch.source, skipped=list(pull.batch.skipped))
        with self._session(write=True) as session:
            moved = [uid for uid, seen in pull.seen.items() if self._sync_digest(session, uid, pull) != seen]
            if moved:  # decided on what is no longer here: write nothing, let the sync decide again
                raise ChangedMeanwhile(moved)
            for incoming in pull.batch.tasks:
                self._import_one(session, pull.batch.source, incoming, report)
            for loser in pull.losers:
                found = session.execute("SELECT id FROM task WHERE uid = ?", (loser.uid,)).fetchone()
                if found is not None:
                    self._record(session, found[0], EventKind.SYNC_CONFLICT,
                                 "changed on both sides: this machine's newer change was kept; "
                                 "undo brings back the server's", snapshot(loser.with_changes(id=found[0])))
            for uid in pull.dropped:
                found = session.execute("SELECT id FROM task WHERE uid = ? AND status = 'open'",
                                        (uid,)).fetchone()
                if found is not None:
                    self._apply_one(session, Change(
                        found[0], lambda t, now: rules.drop(t, now, "deleted on the sync server"),
                        EventKind.DROPPED, lambda _o, new: new.dropped_reason or ""))
            items, stale = [], set()
            for item in pull.items:
                if item.uid in pull.keep_digest:
                    items.append(item)
                    continue
                found = session.execute("SELECT id FROM task WHERE uid = ?",
                                        (item.parent or item.uid,)).fetchone()
                if found is None:
                    if item.parent:
                        items.append(item)  # a child whose task is not here: the push deletes it
                    continue
                task = self._load(session, found[0])[1]
                if not item.parent:
                    items.append(_bookkeeping().SyncItem(item.uid, item.href, item.etag, pull.digest(task)))
                    continue
                digest = pull.child_digests(task).get(item.child, "") if pull.child_digests else ""
                if not digest and item.href:
                    stale.add(item.parent)  # a child this machine would not write so: the push fixes it
                items.append(_bookkeeping().SyncItem(item.uid, item.href, item.etag, digest))
            stale |= pull.stale
            items = [i.with_changes(synced_digest="") if i.uid in stale else i for i in items]
            _bookkeeping().write_items(session, items)
            _bookkeeping().write_state(session, pull.state)
        return report

    def _sync_digest(self, session: sqlite3.Connection, uid: str, pull: SyncPull) -> str:
        """The digest of the task *uid* as it is inside this transaction ('' when there is none)."""
        found = session.execute("SELECT id FROM task WHERE uid = ?", (uid,)).fetchone()
        return "" if found is None else pull.digest(self._load(session, found[0])[1])

    def sync_pushed(self, item: SyncItem | None, *, forgotten: Iterable[str] = ()) -> None:
        """One task is on the server as *item* says (written after each PUT: nothing is sent twice);
        the *forgotten* rows' objects were deleted there."""
        with self._session(write=True) as session:
            if item is not None:
                _bookkeeping().write_items(session, [item])
            _bookkeeping().forget_items(session, forgotten)

    def backup(self, target: Path | None = None) -> Path:
        """Copy the database with the online backup API (safe while others write); return where."""
        dest = backup.backup_path(self.path, target, self._now())
        backup.copy_database(
            self.path, dest, read_only=self.read_only, timeout_ms=self._timeout_ms
        )
        return dest

    # -- writing ----------------------------------------------------------

    def add(
        self,
        title: str,
        *,
        final_step: str = "",
        steps: list[str] | tuple[str, ...] = (),
        due: Due | str | None = None,
        tags: list[str] | tuple[str, ...] = (),
        notes: str = "",
        priority: Priority | str | None = None,
        wait: date | str | None = None,
        repeat: Recurrence | str | None = None,
        checks: list[bool] | tuple[bool, ...] = (),
    ) -> Task:
        """A new open task (*checks*: which of *steps* are already done); *due* and *wait* may be
        text a person typed (read with this store's clock), *priority* a letter, *repeat* a phrase
        (``monthly``, read against the due date)."""
        now = self._now()
        due = self._due(due)
        task = Task(
            id=None,
            title=rules.clean_title(title),
            final_step=rules.clean_final_step(final_step),
            steps=tuple(rules.Step(rules.clean_step(s), now if i < len(checks) and checks[i] else None)
                        for i, s in enumerate(steps)),
            tags=rules.clean_tags(list(tags)),
            notes=rules.clean_notes(notes),
            due=due,
            priority=None if priority is None else rules.clean_priority(priority),
            wait=self._wait(wait),
            repeat=self._repeat(repeat, due),
            created_at=now,
            updated_at=now,
        )
        return self.apply([Create(task)])[0]

    def edit(self, task_id: int, **fields: Any) -> Task:
        """Change any fields given (see ``_edit_change``), in one transaction."""
        return self.apply([self._edit_change(task_id, **fields)])[0]

    def edit_many(self, task_ids: list[int], *, add_tags: list[str] | tuple[str, ...] = (),
                  remove_tags: list[str] | tuple[str, ...] = (), **fields: Any) -> list[Task]:
        """The same edit to every task in *task_ids*, in one transaction: all or none. *add_tags*
        and *remove_tags* change each task's own tags instead of replacing them."""
        return self.apply([self._edit_change(task_id, add_tags=add_tags, remove_tags=remove_tags,
                                             **fields) for task_id in task_ids])

    def _edit_change(
        self,
        task_id: int,
        *,
        title: str | None = None,
        final_step: str | None = None,
        due: Due | str | None = _UNSET,
        notes: str | None = None,
        tags: list[str] | tuple[str, ...] | None = None,
        steps: list[str] | None = None,
        priority: Priority | str | None = _UNSET,
        wait: date | str | None = _UNSET,
        repeat: Recurrence | str | None = _UNSET,
        base: Task | None = None,
        checks: list[bool] | None = None,
        add_tags: list[str] | tuple[str, ...] = (),
        remove_tags: list[str] | tuple[str, ...] = (),
    ) -> Change:
        """The change that sets any fields given; ``due=None``, ``priority=None``, ``wait=None`` and
        ``repeat=None`` clear them (so does a wait of today or earlier: the task is shown again).
        A *repeat* phrase is read against the new due date, or the task's own.

        *base* is the task as an edit form loaded it: then only the fields that
        differ from it are written, and a field another writer changed since
        raises ``EditConflict`` (naming both values) instead of being overwritten.
        *checks* marks the steps (one per step text given, or per step): in the same
        transaction, only the marks that differ from *base* (or the task) are set.
        """
        from lastmile_tui.domain import edit as edits  # only edits need it: the other writes start sooner

        asked = {
            name: value
            for name, value in (
                ("title", title), ("final_step", final_step), ("steps", steps),
                ("tags", tags), ("notes", notes),
            )
            if value is not None
        }
        if due is not _UNSET:
            asked["due"] = self._due(due)
        if priority is not _UNSET:
            asked["priority"] = priority
        if wait is not _UNSET:
            asked["wait"] = self._wait(wait)
        if repeat is not _UNSET:
            anchor = asked["due"] if "due" in asked else (
                self.get(task_id).due if isinstance(repeat, str) else None)
            asked["repeat"] = self._repeat(repeat, anchor)
        yours = edits.clean_fields(asked)
        adding, removing = rules.clean_tags(list(add_tags)), rules.clean_tags(list(remove_tags))

        def change(task: Task, now: datetime) -> Task:
            fields = yours if base is None else edits.merge_edit(base, task, yours)
            if adding or removing:  # +tag/-tag: this task's own tags, added to and taken from
                from lastmile_tui.domain.batch import retag

                fields = {**fields, "tags": retag(fields.get("tags", task.tags), adding, removing)}
            new = edits.apply_edit(task, fields, now)
            if checks is not None:
                reference = task if base is None else base
                texts = steps if steps is not None else [s.text for s in reference.steps]
                new = edits.apply_marks(new, edits.changed_marks(reference, texts, checks, now), now)
            return new

        only_final = final_step is not None and all(
            v is None for v in (title, notes, tags, steps)
        ) and due is _UNSET and priority is _UNSET and wait is _UNSET and repeat is _UNSET \
            and checks is None
        only_final = only_final and not (add_tags or remove_tags)
        kind = EventKind.FINAL_SET if only_final else EventKind.EDITED

        def detail(old: Task, new: Task) -> str:
            return (new.final_step or "(removed)") if only_final else edits.change_detail(old, new)

        return Change(task_id, change, kind, detail)

    def set_final_step(self, task_id: int, text: str) -> Task:
        return self.edit(task_id, final_step=text)

    def add_step(self, task_id: int, text: str) -> Task:
        return self._change(
            task_id,
            lambda t, now: rules.add_step(t, text, now),
            EventKind.STEP_ADDED,
            lambda _o, new: new.steps[-1].text,
        )

    def check(self, task_id: int, number: int) -> Task:
        """Check step *number* (1-based)."""
        return self._toggle(task_id, number, True)

    def uncheck(self, task_id: int, number: int) -> Task:
        return self._toggle(task_id, number, False)

    def check_next(self, task_id: int) -> Task:
        """Check the first unchecked step (the TUI's space key), in one transaction."""

        def detail(old: Task, new: Task) -> str:
            index = old.next_step_index or 0
            return f"{index + 1}. {new.steps[index].text}"

        return self._change(task_id, rules.check_next, EventKind.STEP_CHECKED, detail)

    def _toggle(self, task_id: int, number: int, done: bool) -> Task:
        def change(task: Task, now: datetime) -> Task:
            return rules.set_step_done(task, rules.step_index(task, number), done, now)

        return self._change(
            task_id,
            change,
            EventKind.STEP_CHECKED if done else EventKind.STEP_UNCHECKED,
            lambda _o, new: f"{number}. {new.steps[number - 1].text}",
        )

    def get_many(self, task_ids: list[int]) -> list[Task]:
        """Several tasks read in one transaction (one state); ``NotFound`` names a missing id."""
        with self._session(write=False) as session:
            return [self._load(session, task_id)[1] for task_id in task_ids]

    def complete_many(self, task_ids: list[int], *, confirm: bool = False,
                      seen: dict[int, str] | None = None) -> list[Task]:
        """Complete every task in *task_ids* in one transaction, each through the same guard as
        ``complete``: a task in *seen* was confirmed by a person who was shown that final step;
        the others need *confirm* or an earlier confirmation. The first refusal (naming its task)
        leaves every task as it was; each occurrence of a series gets its next one."""
        seen = seen or {}
        return self._close_all([
            self._completion(task_id, confirm=confirm or task_id in seen, seen=seen.get(task_id))
            for task_id in task_ids
        ])

    def drop_many(self, task_ids: list[int], reason: str | None = None, *,
                  series: bool = False) -> list[Task]:
        """``drop`` for every task in *task_ids*, in one transaction: all or none."""
        return self._close_all([self._dropping(task_id, reason) for task_id in task_ids],
                               follow=not series)

    def check_many(self, task_id: int, numbers: list[int], *, done: bool = True) -> Task:
        """Check (or uncheck) several steps of one task in one transaction: all or none."""
        def change(task: Task, now: datetime) -> Task:
            for number in numbers:
                task = rules.set_step_done(task, rules.step_index(task, number), done, now)
            return task

        def detail(_old: Task, new: Task) -> str:
            return ", ".join(f"{n}. {new.steps[n - 1].text}" for n in numbers)

        kind = EventKind.STEP_CHECKED if done else EventKind.STEP_UNCHECKED
        return self._change(task_id, change, kind, detail)

    def snooze_many(self, task_ids: list[int], days: int = DEFAULT_SNOOZE_DAYS) -> list[Task]:
        """``snooze`` for every task in *task_ids*, in one transaction: all or none."""
        return self.apply([self._snoozing(task_id, days) for task_id in task_ids])

    def complete(self, task_id: int, *, confirm: bool = False, seen: str | None = None) -> Task:
        """Complete a task; *confirm* means a person just confirmed its final step.

        *seen* is the final step's text as it was shown to them: when another
        writer changed it meanwhile, ``FinalStepChanged`` is raised in the same
        transaction that would have completed it. Raises ``NoFinalStep`` or
        ``FinalStepNotConfirmed`` (and writes nothing) when the guard says no.
        """
        return self._close(self._completion(task_id, confirm=confirm, seen=seen))

    @staticmethod
    def _completion(task_id: int, *, confirm: bool, seen: str | None) -> Change:
        return Change(
            task_id,
            lambda t, now: rules.complete(t, now, confirming=confirm, seen=seen),
            EventKind.COMPLETED,
            lambda o, _n: f"final step confirmed: {o.final_step}",
        )

    def drop(self, task_id: int, reason: str | None = None, *, series: bool = False) -> Task:
        """Drop a task; an occurrence of a series skips to the next one, unless *series* (the
        whole series ends here)."""
        return self._close(self._dropping(task_id, reason), follow=not series)

    @staticmethod
    def _dropping(task_id: int, reason: str | None) -> Change:
        return Change(
            task_id,
            lambda t, now: rules.drop(t, now, reason),
            EventKind.DROPPED,
            lambda _o, new: new.dropped_reason or "",
        )

    def _close(self, change: Change, *, follow: bool = True) -> Task:
        """Complete or drop a task and, for an occurrence of a series, make the next one in the
        same transaction (its history says which task it follows)."""
        return self._close_all([change], follow=follow)[0]

    def _close_all(self, changes: list[Change], *, follow: bool = True) -> list[Task]:
        """``_close`` for several tasks in one transaction: all closed (each occurrence followed
        by its next one), or none of them and no occurrence made."""
        with self._session(write=True) as session:
            closed = []
            for change in changes:  # each close followed by its next occurrence, as undo expects
                task = self._apply_one(session, change)
                closed.append(task)
                if follow and task.repeat is not None:
                    from lastmile_tui.domain.series import next_occurrence

                    following = next_occurrence(task, self._now())
                    if following is not None:
                        detail = f"after task {task.id} ({task.repeat.describe()})"
                        self._apply_one(session, Create(following, EventKind.NEXT_OCCURRENCE, detail))
            return closed

    def reopen(self, task_id: int) -> Task:
        """Reopen a closed task; an open one that another app says is done gets "not yet"
        (``not_yet``), as ``lastmile reopen ID`` promises."""
        return self._change(task_id, rules.reopen, EventKind.REOPENED, _turned_down)

    def not_yet(self, task_id: int) -> Task:
        """A person's "no, not yet" to a completion claimed elsewhere (the app's answer to its
        question): the claim goes, the notes say so, and the next sync reopens it on the server.
        Refused, with nothing written, when no claim waits."""
        return self._change(task_id, rules.not_yet, EventKind.REOPENED, _turned_down)

    def snooze(self, task_id: int, days: int = DEFAULT_SNOOZE_DAYS) -> Task:
        return self.apply([self._snoozing(task_id, days)])[0]

    @staticmethod
    def _snoozing(task_id: int, days: int) -> Change:
        return Change(
            task_id, lambda t, now: review.snooze(t, now, days), EventKind.SNOOZED,
            lambda _o, new: f"{days}d, until {new.wait}",
        )

    def mark_reviewed(self, task_id: int, day: date | None = None) -> None:
        """Review bookkeeping: not a change to the task, so no history event."""
        on = (day or self._now().date()).isoformat()
        with self._session(write=True) as session:
            self._load(session, task_id)
            session.execute("UPDATE task SET reviewed_on = ? WHERE id = ?", (on, task_id))

    @staticmethod
    def _restorable(event: Any, current: Task) -> Task:
        """The state an event's snapshot puts back, held to every rule a change is held to:
        undo must never make a task done without its confirmation, or store text no one typed."""
        kind = EventKind(event.kind)
        try:
            return rules.clean_task(from_snapshot(event.before).with_changes(id=current.id))
        except (InvalidInput, ValueError) as exc:  # ValueError: a snapshot that is not JSON
            raise InvalidInput(
                f"cannot undo {kind.label} on task {current.id}: the state it would put back "
                f"breaks lastmile's rules ({exc}); nothing was changed"
            ) from exc

    def next_undo(self) -> Event | None:
        """The change ``undo`` would undo now, without undoing it (None at the start of history)."""
        with self._session(write=False) as session:
            last = next(_records(session.execute(_NEXT_UNDO)), None)
        return None if last is None else _event(last)

    def made_here(self, event_id: int) -> bool:
        """True when this Store (this window, this command) wrote that history event."""
        return event_id in self._own_events

    def undo(self, expected_event_id: int | None = None) -> tuple[Task, Event]:
        """Put back the state before the most recent change that is not yet undone.

        With *expected_event_id* (what ``next_undo`` showed a person), refuse when
        another change became the most recent one meanwhile.
        """
        with self._session(write=True) as session:
            last = next(_records(session.execute(_NEXT_UNDO)), None)
            if last is None:
                raise InvalidInput("nothing to undo: this is the start of the history")
            if expected_event_id is not None and last.id != expected_event_id:
                raise UndoMoved(_event(last))
            kind = EventKind(last.kind)
            if kind is EventKind.NEXT_OCCURRENCE:  # made by closing the one before: undo both
                last = self._remove_occurrence(session, last)
                kind = EventKind(last.kind)

            def restore(current: Task, now: datetime) -> Task:
                if last.before is None:  # undoing an add: closing it honestly keeps every byte
                    return current.with_changes(
                        status=Status.DROPPED, dropped_reason="undo of add", updated_at=now
                    )
                return self._restorable(last, current)

            restored = self._apply_one(session, Change(
                last.task_id, restore, EventKind.UNDONE, lambda _o, _n: kind.label, undoes=last.id,
            ))
            at = load_moment(last.at)
            return restored, Event(last.id, last.task_id, at, kind, last.detail, True)  # type: ignore[arg-type]

    def _remove_occurrence(self, session: sqlite3.Connection, made: Any) -> Any:
        """Remove the occurrence that event *made* created (every change to it since has been
        undone: undo goes newest first) and return the event that closed the one before it,
        which undo then takes back too."""
        closing = next(_records(session.execute(
            f"SELECT {_EVENT_COLUMNS} FROM event WHERE id < ? AND undone_at IS NULL"
            " AND kind IN ('completed', 'dropped') ORDER BY id DESC LIMIT 1", (made.id,),
        )), None)
        if closing is None:
            raise InvalidInput("cannot undo: the change that made this occurrence is not in the history")
        session.execute("DELETE FROM task WHERE id = ?", (made.task_id,))
        return closing


@value(frozen=False)
class SyncPull:
    """What a sync brings down, for ``Store.sync_pull``: the *batch* to import, the versions that
    lost a conflict to this machine's (*losers*, kept in history), the uids the server deleted
    whose local task is to be dropped, the *items* to record and *digest* to compute their
    synced digest from the task as it is afterwards (except the uids in *keep_digest*: changed
    here, still to go up), and the *state* to write (the new sync token). *seen* holds, for every
    uid the pull decided on, the digest of the task as the decision read it ('' for none): a task
    changed since (a person editing it meanwhile) makes ``sync_pull`` write nothing
    (``ChangedMeanwhile``), so the sync reads again and decides again."""

    batch: imports.Batch
    digest: Callable[[Task], str]
    losers: list[Task] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    items: list[SyncItem] = field(default_factory=list)
    keep_digest: set[str] = field(default_factory=set)
    state: dict[str, str | None] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)
    stale: set[str] = field(default_factory=set)
    """Tasks whose copy on the server does not say what this machine would write: sent again."""
    child_digests: Callable[[Task], dict[str, str]] | None = None
    """The digests of the child VTODOs a sync would write for a task (steps as children), by
    UID: a child row's synced digest (one the sync would not write makes its task go up again)."""


def _turned_down(old: Task, new: Task) -> str:
    """The history's words for a claim turned down (``reopen`` or ``not_yet``)."""
    return "completed elsewhere, not yet" if old.done_claimed_at and not new.done_claimed_at else ""


def _bookkeeping() -> ModuleType:
    """The sync's tables (``store/sync_state.py``): loaded only when a sync runs."""
    from lastmile_tui.store import sync_state

    return sync_state


class _RolledBack(Exception):
    """Ends a dry run's transaction without writing."""


@value(frozen=False)
class ImportReport:
    """What an import did (or, for a dry run, would do), task by task."""

    source: str
    added: list[Task] = field(default_factory=list)
    updated: list[Task] = field(default_factory=list)
    unchanged: list[Task] = field(default_factory=list)
    skipped: list[imports.Skipped] = field(default_factory=list)


def _taken(conn: sqlite3.Connection, table: str, ids: list[int]) -> list[int]:
    """Which of *ids* *table* already holds (read over their range, so one query at any size)."""
    if not ids:
        return []
    wanted = set(ids)
    found = conn.execute(
        f"SELECT id FROM {table} WHERE id BETWEEN ? AND ? ORDER BY id", (min(ids), max(ids))
    )
    return [row[0] for row in found if row[0] in wanted]
