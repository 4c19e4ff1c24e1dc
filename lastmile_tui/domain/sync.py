"""The rules of a two-way sync with a calendar server, pure (the CalDAV client is in ``sync/``).

Two rules live here. The finishing guard across machines: a VTODO that another app (a
phone knows nothing of final steps) marked COMPLETED without lastmile's confirmation does
not close the task; it arrives as a *claim* (``done_claimed_at``) that waits for a person to
confirm the final step, or to say "not yet" (``task.not_yet``). And the conflict rule: a task
changed on both sides since the last sync keeps the newer change (LAST-MODIFIED against the
local ``updated_at``); the losing version goes into the task's history, so undo brings it back.
"""

from __future__ import annotations

from enum import StrEnum

from lastmile_tui.domain.imports import Incoming, arrived
from lastmile_tui.domain.ranking import claim_line as claim_line  # the claim's words: the ranking's reason
from lastmile_tui.domain.task import Status, Task


class Winner(StrEnum):
    SERVER = "server"
    HERE = "here"


def claimed(incoming: Incoming, source: str) -> Incoming:
    """*incoming* as a sync brings it in: done without a confirmed final step becomes an open
    task with the claim (when it was completed elsewhere); anything else clears a claim."""
    task = incoming.task
    if task.status is Status.DONE and not task.final_confirmed:
        task = task.with_changes(status=Status.OPEN, done_at=None, done_elsewhere="",
                                 done_claimed_at=task.done_at or task.updated_at)
    else:
        task = task.with_changes(done_claimed_at=None)
    return arrived(task, incoming.where, incoming.owns | {"done_claimed_at"}, source)


def claim_kept(here: Task, server: Incoming) -> Incoming | None:
    """A conflict this machine's newer change won must not lose a completion another app made
    meanwhile (a phone's "done" rarely moves LAST-MODIFIED): the claim alone comes in, on top of
    this machine's version. None when the server's copy claims nothing new."""
    if server.task.done_claimed_at is None or here.done_claimed_at is not None:
        return None
    if here.status is not Status.OPEN:
        return None  # finished or dropped here: nothing to ask
    return Incoming(server.task, server.where, frozenset({"done_claimed_at"}))


def winner(here: Task, server: Task) -> Winner:
    """Changed on both sides: the newer change wins (a tie goes to the server, which every other
    machine already sees)."""
    return Winner.HERE if here.updated_at.replace(microsecond=0) > server.updated_at else Winner.SERVER
