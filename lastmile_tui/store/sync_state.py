"""The sync's bookkeeping in the database (schema v6): where each synced task lives on the
CalDAV server (``sync_item``) and the sync's settings and progress (``sync_state``).

Only the store runs this SQL, inside its own transactions: ``sync/`` asks ``Store`` for these
rows and gives them back through ``Store.sync_pull`` and ``Store.sync_pushed``, so the pulled
changes, the ETags and the sync token are written together or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from lastmile_tui.domain.values import value

CHILD = "\n"
"""Between a task's uid and a child VTODO's uid in the key of a child's row (a step written as a
child VTODO): no UID holds a line break."""


def child_key(parent: str, child: str) -> str:
    return f"{parent}{CHILD}{child}"


@value
class SyncItem:
    """One synced task (or one child VTODO of a task, keyed ``child_key``): its *href* on the
    server ('' once the server deleted it), the *etag* it had there when last seen, and the
    digest of its VTODO as last sent or received."""

    uid: str
    href: str = ""
    etag: str = ""
    synced_digest: str = ""

    @property
    def parent(self) -> str:
        """The task's uid, for a child's row; '' for a task's own."""
        return self.uid.partition(CHILD)[0] if CHILD in self.uid else ""

    @property
    def child(self) -> str:
        return self.uid.partition(CHILD)[2]


def read_items(conn: sqlite3.Connection) -> dict[str, SyncItem]:
    return {row[0]: SyncItem(*row) for row in conn.execute(
        "SELECT uid, href, etag, synced_digest FROM sync_item")}


def write_items(conn: sqlite3.Connection, items: Iterable[SyncItem]) -> None:
    conn.executemany(
        "INSERT INTO sync_item (uid, href, etag, synced_digest) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (uid) DO UPDATE SET href = excluded.href, etag = excluded.etag,"
        " synced_digest = excluded.synced_digest",
        [(i.uid, i.href, i.etag, i.synced_digest) for i in items],
    )


def forget_items(conn: sqlite3.Connection, keys: Iterable[str]) -> None:
    """Rows for objects no longer on the server (a child VTODO deleted)."""
    conn.executemany("DELETE FROM sync_item WHERE uid = ?", [(key,) for key in keys])


def forget_all(conn: sqlite3.Connection) -> None:
    """Another server or calendar: nothing known about the old one applies."""
    conn.execute("DELETE FROM sync_item")
    conn.execute("DELETE FROM sync_state WHERE key = 'sync_token'")


def read_state(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM sync_state").fetchall())


def write_state(conn: sqlite3.Connection, values: Mapping[str, str | None]) -> None:
    """Set each key; None removes it."""
    for key, text in values.items():
        if text is None:
            conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
        else:
            conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?)"
                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, text))
