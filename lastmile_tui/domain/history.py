"""The event history as people read it (the store writes it; undo and stats read it)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from lastmile_tui.domain.values import value


class EventKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    STEP_ADDED = "step_added"
    STEP_CHECKED = "step_checked"
    STEP_UNCHECKED = "step_unchecked"
    FINAL_SET = "final_set"
    FINAL_CONFIRMED = "final_confirmed"
    COMPLETED = "completed"
    DROPPED = "dropped"
    REOPENED = "reopened"
    SNOOZED = "snoozed"
    UNDONE = "undone"
    IMPORTED = "imported"
    IMPORTED_DONE = "imported_done"
    IMPORT_UPDATED = "import_updated"
    NEXT_OCCURRENCE = "next_occurrence"
    SYNC_CONFLICT = "sync_conflict"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    EventKind.CREATED: "added",
    EventKind.EDITED: "edited",
    EventKind.STEP_ADDED: "step added",
    EventKind.STEP_CHECKED: "step checked",
    EventKind.STEP_UNCHECKED: "step unchecked",
    EventKind.FINAL_SET: "final step set",
    EventKind.FINAL_CONFIRMED: "final step confirmed",
    EventKind.COMPLETED: "completed",
    EventKind.DROPPED: "dropped",
    EventKind.REOPENED: "reopened",
    EventKind.SNOOZED: "wait set",  # review's snooze: the one wait
    EventKind.UNDONE: "undo",
    EventKind.IMPORTED: "imported",
    EventKind.IMPORTED_DONE: "imported as done",
    EventKind.IMPORT_UPDATED: "updated by import",
    EventKind.NEXT_OCCURRENCE: "next occurrence",
    EventKind.SYNC_CONFLICT: "sync conflict",
}


@value
class Event:
    id: int
    task_id: int
    at: datetime
    kind: EventKind
    detail: str
    undone: bool

    def describe(self) -> str:
        text = self.kind.label
        if self.detail:
            text += f": {self.detail}"
        if self.undone:
            text += " (undone)"
        return text
