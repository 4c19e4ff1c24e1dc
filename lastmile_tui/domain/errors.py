"""What went wrong, in words a person reads: one class per kind of refusal or mistake.

Pure, and imports nothing at run time, so every layer can raise and catch
these. The messages say what happened and never which command or key to use
next: exit codes and hints belong to the interface that shows them (the CLI
maps these classes in ``lastmile_tui/cli/errors.py``; the app shows the
message as it is).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lastmile_tui.domain.edit import FieldConflict
    from lastmile_tui.domain.history import Event
    from lastmile_tui.domain.task import Status, Task

_ESCAPED = {code: repr(chr(code))[1:-1] for code in (
    *range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
"""C0 and C1 controls, line breaks and bidi overrides: what could steer a terminal or a reader."""


def plain(text: str) -> str:
    """Text another program wrote (a file, a server), fit for a message: every control escaped
    (never terminal control), while a zero-width joiner or a variation selector stays, so
    👩‍👩‍👧 reads as typed."""
    return text.translate(_ESCAPED)


class LastmileError(Exception):
    """Base of every error lastmile reports to a person as one line."""


class InvalidInput(LastmileError):
    """The user typed something lastmile cannot accept."""


class DateParseError(InvalidInput):
    """A due date we cannot read; the message repeats the input and shows what works."""

    def __init__(self, text: str, hint: str, what: str = "due date") -> None:
        super().__init__(f"cannot read {what} {text.strip()!r}: {hint}")
        self.text = text


class NotFound(LastmileError):
    """No task with that id."""


class Refused(LastmileError):
    """The request was understood, but the state of the tasks says no: nothing was written."""


class GuardError(Refused):
    """The finishing guard refused to complete a task."""


class NoFinalStep(GuardError):
    def __init__(self, task_id: int | None) -> None:
        super().__init__(f"task {task_id} has no final step, so it cannot be completed")
        self.task_id = task_id


class FinalStepNotConfirmed(GuardError):
    """Carries what a person must be shown before they can confirm: the step, and the checklist."""

    def __init__(self, task_id: int | None, final_step: str, steps_left: int = 0,
                 steps_total: int = 0) -> None:
        super().__init__(
            f"task {task_id} is not done until its final step is confirmed: {final_step!r}"
        )
        self.task_id = task_id
        self.final_step = final_step
        self.steps_left = steps_left
        self.steps_total = steps_total


class FinalStepChanged(GuardError):
    """A confirmation is for the final step the person saw; another writer changed it since."""

    def __init__(self, task_id: int | None, seen: str, now: str) -> None:
        now_text = repr(now) if now else "nothing (it was removed)"
        super().__init__(
            f"the final step of task {task_id} changed to {now_text} while you were confirming "
            f"{seen!r}; nothing was completed"
        )
        self.task_id = task_id
        self.seen = seen
        self.now = now


class NotOpen(GuardError):
    def __init__(self, task_id: int | None, status: Status) -> None:
        super().__init__(f"task {task_id} is {status.value}, not open")
        self.task_id = task_id
        self.status = status


class EditConflict(Refused):
    """The same field changed underneath an edit: nothing was written.

    ``current`` is the task as it is now, ``mine`` every field the person
    changed (conflicting or not), so a form can show theirs beside yours.
    """

    def __init__(self, conflicts: list[FieldConflict], current: Task, mine: dict[str, Any]) -> None:
        super().__init__("; ".join(c.describe() for c in conflicts) + "; nothing was saved")
        self.conflicts = conflicts
        self.current = current
        self.mine = mine


class UndoMoved(Refused):
    """Another change became the most recent one after a person was asked about undoing
    an earlier one: nothing is undone."""

    def __init__(self, newest: Event) -> None:
        super().__init__(
            f"another change was made meanwhile ({newest.describe()}, task {newest.task_id}); "
            "nothing was undone"
        )
        self.newest = newest


class ChangedMeanwhile(Refused):
    """A sync decided on tasks as it read them, and a person changed one of them before the sync
    could write: nothing was written, so the sync reads again and decides again."""

    def __init__(self, uids: list[str]) -> None:
        super().__init__(f"{len(uids)} task{'s' if len(uids) != 1 else ''} changed here while the "
                         "sync was deciding; nothing was written")
        self.uids = uids


class SyncFailed(LastmileError):
    """A sync stopped (network, authentication, the server's answer): what happened, in one line.
    What was already recorded stays; the next sync picks up from there."""


class SyncSettingsProblem(InvalidInput):
    """The sync cannot start: a setting is missing or makes no sense, or the password command
    failed. Nothing was sent and nothing changed."""


class SyncNotSetUp(SyncSettingsProblem):
    """No server or no user to sync with (the cli adds its flags)."""


class NoSuchCalendar(SyncFailed):
    """The server has no task list by that name (the cli says how to make it)."""
