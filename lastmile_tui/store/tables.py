"""SQLModel tables. Kept apart from the domain's Task: ``rows.py`` maps between them.

The DDL that creates these tables lives in ``schema.MIGRATIONS``; a test checks the
two agree. Times are naive local wall-clock times (``NaiveDatetime``): lastmile is
a single-user tool and due dates are typed in local time. ``steps_total`` and
``steps_done`` are kept current by the store so the board can rank without
reading any step rows.
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class TaskRow(SQLModel, table=True):
    __tablename__ = "task"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    notes: str = ""
    final_step: str = ""
    tags: str = ""
    due: str | None = None
    status: str = "open"
    created_at: NaiveDatetime
    updated_at: NaiveDatetime
    final_step_confirmed_at: NaiveDatetime | None = None
    done_at: NaiveDatetime | None = None
    dropped_reason: str | None = None
    steps_total: int = 0
    steps_done: int = 0
    wait: str | None = None
    reviewed_on: str | None = None
    priority: str | None = None
    uid: str = ""
    done_elsewhere: str = ""
    extra: str = ""
    source_hash: str = ""
    repeat: str | None = None
    series: str = ""
    rank_stage: int = 3
    rank_fraction: float = 0.0
    due_key: str = "~"
    priority_rank: int = 3
    done_claimed_at: NaiveDatetime | None = None


class StepRow(SQLModel, table=True):
    __tablename__ = "step"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    position: int
    text: str
    done_at: NaiveDatetime | None = None


class EventRow(SQLModel, table=True):
    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    at: NaiveDatetime
    kind: str
    detail: str = ""
    before: str | None = None
    undone_at: NaiveDatetime | None = None


class SyncItemRow(SQLModel, table=True):
    """Where a synced task lives on the CalDAV server and what was last exchanged (schema v6)."""

    __tablename__ = "sync_item"

    uid: str = Field(primary_key=True)
    href: str = ""
    etag: str = ""
    synced_digest: str = ""


class SyncStateRow(SQLModel, table=True):
    """The sync's settings and progress: server, calendar URL, sync token, last sync (schema v6)."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True)
    value: str


class OpenCountRow(SQLModel, table=True):
    """How many open tasks each ranking stage holds, kept by triggers on ``task`` (schema v8)."""

    __tablename__ = "open_count"

    rank_stage: int = Field(primary_key=True)
    tasks: int
