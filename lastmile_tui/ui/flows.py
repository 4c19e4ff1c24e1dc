"""Dialog conversations shared by the board and review; each ends in one store call.

They run inside workers (``push_screen_wait`` needs one). The finishing guard
is the store's: this module only makes sure a person has been asked first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from lastmile_tui.domain import edit as edits
from lastmile_tui.domain import task as rules
from lastmile_tui.domain.dates import describe_age
from lastmile_tui.domain.errors import (
    EditConflict,
    FinalStepChanged,
    InvalidInput,
    LastmileError,
    NoFinalStep,
    NotOpen,
)
from lastmile_tui.domain.history import Event, EventKind
from lastmile_tui.domain.task import Task

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any

    from textual.screen import Screen

    from lastmile_tui.store.store import Store
    from lastmile_tui.ui.host import Host
    from lastmile_tui.ui.screens.confirm import ClaimAnswer

T = TypeVar("T")

NO_FINISH_LINE = (
    "This task has no finish line yet. Name the one action that makes it done; "
    "you can complete it once that action is confirmed."
)
CLAIMED_NO_FINISH_LINE = (
    "Another app marked this task done, but it has no finish line yet. Name the one action "
    "that makes it done; then say whether you did it."
)


class TaskFlows:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    @property
    def app(self) -> Host:
        return self.screen.app  # type: ignore[return-value]

    @property
    def store(self) -> Store:
        return self.app.store

    def _notify(self, message: str, severity: str = "information") -> None:
        self.app.notify(message, severity=severity)  # type: ignore[arg-type]

    def _attempt(self, what: Callable[..., Task], *args: Any, **kwargs: Any) -> Task | None:
        try:
            result = what(*args, **kwargs)
        except LastmileError as exc:
            self._notify(str(exc), "error")
            return None
        return result

    def _load(self, task_id: int) -> Task | None:
        try:
            return self.store.get(task_id)
        except LastmileError as exc:
            self._notify(str(exc), "error")
            return None

    def _load_open(self, task_id: int) -> Task | None:
        task = self._load(task_id)
        try:
            if task is not None:
                rules.require_open(task)
        except NotOpen:
            return self._already_closed(task)
        return task

    def _already_closed(self, task: Task) -> None:
        self._notify(f"“{task.title}” is already {task.status.value}.", "warning")

    async def complete(self, task_id: int) -> Task | None:
        """Ask "Did you do this?" and complete only on a yes to the final step that was shown.

        When another writer changes the final step while the dialog is open,
        the store refuses the yes; the person is told and asked again about
        the new one. A task another app says is done is asked "Completed
        elsewhere — did you do this?", where "not yet" turns the claim down
        (the task comes back open); without a final step, it is named first.
        """
        from lastmile_tui.ui.screens.confirm import ConfirmClaimScreen, ConfirmFinalScreen

        while True:
            task = self._load(task_id)
            if task is None:
                return None
            try:
                rules.check_can_complete(task, confirming=True)  # the guard itself, before asking
            except NotOpen:
                return self._already_closed(task)
            except NoFinalStep:
                claimed = task.done_claimed_at is not None
                return await self._name_final_then_complete(
                    task_id, CLAIMED_NO_FINISH_LINE if claimed else NO_FINISH_LINE)
            note = rules.steps_left_note(task.steps_left, task.steps_total)
            if task.done_claimed_at is not None:
                answer = await self.app.push_screen_wait(
                    ConfirmClaimScreen(task.title, task.final_step, note)
                )
                if answer != "yes":
                    return self._claim_left(task, answer)
            elif not await self.app.push_screen_wait(
                ConfirmFinalScreen(task.title, task.final_step, note)
            ):
                self._notify(f"Left open: “{task.title}” is not done until its final step is.")
                return None
            try:
                done = self.store.complete(task_id, confirm=True, seen=task.final_step)
            except FinalStepChanged as exc:
                self._notify(str(exc), "warning")
                continue
            except LastmileError as exc:
                self._notify(str(exc), "error")
                return None
            self._notify(f"Done: {done.title} ✓{self._next_of(done)}")
            return done

    def _claim_left(self, task: Task, answer: ClaimAnswer | None) -> Task | None:
        """A claim not confirmed: on "not yet" it is turned down (``Store.not_yet``, as ``lastmile
        reopen`` does) and the task, open without it, returned; None when the person leaves it
        waiting (or the store said no)."""
        if answer != "not_yet":
            self._notify(f"Still waiting: “{task.title}” was completed elsewhere, and stays at the "
                         "top until you answer.")
            return None
        assert task.id is not None
        kept = self._attempt(self.store.not_yet, task.id)
        if kept is not None:
            self._notify(f"Not yet: “{kept.title}” stays open, with a note; the next sync "
                         "reopens it on the server.")
        return kept

    async def set_final(self, task_id: int, reason: str | None = None) -> Task | None:
        from lastmile_tui.ui.screens.final_step import FinalStepScreen

        task = self._load(task_id)
        if task is None:
            return None
        text = await self.app.push_screen_wait(FinalStepScreen(task.title, task.final_step, reason))
        if text is None:
            return None
        return self._warn_if_withdrawn(task, self._attempt(self.store.set_final_step, task_id, text))

    async def _name_final_then_complete(self, task_id: int, reason: str) -> Task | None:
        """``c`` on a task without a finish line: name it, show it, then ask "Did you do this?"."""
        named = await self.set_final(task_id, reason=reason)
        if named is None:
            self._notify("No finish line yet, so nothing was completed.", "warning")
            return None
        self.app.reload_board()  # the board shows the new final step behind the question
        return await self.complete(task_id)

    async def drop(self, task_id: int) -> Task | None:
        from lastmile_tui.ui.screens.drop import DropScreen

        task = self._load_open(task_id)
        if task is None:
            return None
        answer = await self.app.push_screen_wait(DropScreen(task.title))
        if answer is None:
            return None
        dropped = self._attempt(self.store.drop, task_id, answer.reason)
        if dropped is not None:
            self._notify(f"Dropped: {dropped.title} (o reopens it from the all-tasks view, t)"
                         f"{self._next_of(dropped)}")
        return dropped

    def _next_of(self, closed: Task) -> str:
        """`` · next: task 8, due Jan 1 (repeats monthly)`` for an occurrence of a series."""
        if closed.repeat is None:
            return ""
        from lastmile_tui.domain.series import next_line

        following = self.store.open_occurrence(closed.series or closed.uid)
        return f" · {next_line(closed, following, self.store.clock())}"

    # -- several tasks at once (the board's marks): one dialog, then one store call ------------

    async def complete_many(self, task_ids: list[int]) -> list[Task] | None:
        """One "Did you do all of these?" listing every final step; a yes completes them all in
        one transaction, for the steps shown (another writer's change refuses it, then asks
        again). A task that cannot be completed (closed, no final step) is named and nothing
        changes. None when nothing was asked or written."""
        from lastmile_tui.ui.screens.confirm import ConfirmAllScreen

        while True:
            tasks = self._attempt_many(self.store.get_many, task_ids)
            if tasks is None:
                return None
            try:
                for task in tasks:
                    rules.check_can_complete(task, confirming=True)
            except LastmileError as exc:  # NotOpen, NoFinalStep: the whole batch waits
                self._notify(f"{exc}; nothing was completed", "error")
                return None
            pairs = [(task.title, task.final_step) for task in tasks]
            if not await self.app.push_screen_wait(ConfirmAllScreen(pairs)):
                self._notify(f"Left open: {len(tasks)} tasks, not done until their final steps are.")
                return None
            try:
                done = self.store.complete_many(
                    task_ids, seen={task.id: task.final_step for task in tasks if task.id})
            except FinalStepChanged as exc:
                self._notify(str(exc), "warning")
                continue
            except LastmileError as exc:
                self._notify(f"{exc}; nothing was completed", "error")
                return None
            self._notify(f"Done: {len(done)} tasks ✓")
            return done

    async def drop_many(self, task_ids: list[int]) -> list[Task] | None:
        """One reason for every marked task; all are dropped in one transaction, or none."""
        from lastmile_tui.ui.screens.drop import DropScreen

        tasks = self._attempt_many(self.store.get_many, task_ids)
        if tasks is None:
            return None
        shown = "; ".join(task.title for task in tasks[:3]) + (" …" if len(tasks) > 3 else "")
        answer = await self.app.push_screen_wait(DropScreen(f"{len(tasks)} tasks: {shown}"))
        if answer is None:
            return None
        dropped = self._attempt_many(self.store.drop_many, task_ids, answer.reason)
        if dropped is not None:
            self._notify(f"Dropped {len(dropped)} tasks (o reopens each from the all-tasks view, t)")
        return dropped

    async def wait_many(self, task_ids: list[int]) -> list[Task] | None:
        """Hide every task given for a few days (review's z), in one transaction."""
        waited = self._attempt_many(self.store.snooze_many, task_ids)
        if waited is not None:
            what = waited[0].title if len(waited) == 1 else f"{len(waited)} tasks"
            self._notify(f"Waiting until {waited[0].wait}: {what} (edit it to show it sooner)")
        return waited

    def _attempt_many(self, what: Callable[..., list[Task]], *args: Any) -> list[Task] | None:
        try:
            return what(*args)
        except LastmileError as exc:
            self._notify(f"{exc}; nothing was changed", "error")
            return None

    async def add(self) -> Task | None:
        from lastmile_tui.ui.screens.task_form import TaskFormScreen

        result = await self.app.push_screen_wait(TaskFormScreen(self.store.clock(),
                                                                heading="New task"))
        if result is None:
            return None
        task = self._attempt(
            self.store.add, result.title, final_step=result.final_step, steps=result.steps,
            due=result.due or None, tags=result.tags, notes=result.notes,
            priority=result.priority, wait=result.wait or None, repeat=result.repeat,
        )
        if task is not None:
            self._notify(f"Added: {task.title}")
        return task

    async def edit(self, task_id: int) -> Task | None:
        """The task form; saving writes only what the person changed.

        When another writer changed one of those fields meanwhile, the store
        refuses and the form opens again on the task as it is now, with the
        person's changes in the boxes and the other value under each clash.
        """
        from lastmile_tui.ui.screens.task_form import TaskFormScreen

        task = base = self._load(task_id)
        if task is None:
            return None
        form = TaskFormScreen(self.store.clock(), task, heading=f"Edit task #{task.id}")
        while True:
            result = await self.app.push_screen_wait(form)
            if result is None:
                return None
            try:
                saved = self.store.edit(
                    task_id, title=result.title, final_step=result.final_step,
                    steps=result.steps, due=result.due or None, tags=result.tags,
                    notes=result.notes, priority=result.priority, wait=result.wait or None,
                    repeat=result.repeat, base=base,
                )
            except EditConflict as clash:  # the form says so itself: no toast over its buttons
                base = clash.current
                form = TaskFormScreen(
                    self.store.clock(), edits.shown_with(base, clash.mine),
                    heading=f"Edit task #{task.id}", theirs=base,
                    conflicts=[c.name for c in clash.conflicts],
                )
                self.app.reload_board()
                continue
            except LastmileError as exc:
                self._notify(str(exc), "error")
                return None
            return self._warn_if_withdrawn(task, saved)

    async def edit_in_editor(self, task_id: int) -> Task | None:
        """``E``: the task in the person's ``$VISUAL``/``$EDITOR``, the same conversation as
        ``lastmile edit ID`` (``lastmile_tui.editing``), with the app stepped aside meanwhile."""
        from lastmile_tui import editing

        try:
            result = self._beside_the_app(lambda: editing.edit_task(self.store, task_id))
        except LastmileError as exc:
            self._notify(str(exc), "error")
            return None
        if not result.changed:
            self._notify(f"{result.after.title}: {editing.NOTHING_CHANGED}.")
            return None
        self._notify(f"Edited {result.after.title}: {result.describe()}")
        return self._warn_if_withdrawn(result.before, result.after)

    def _beside_the_app(self, work: Callable[[], T]) -> T:
        """Run *work* (which runs an editor) with the app suspended, so the editor has the terminal.

        Textual resumes the app only when the ``with`` block ends normally, so an error is
        carried out of the block and raised after. Where there is no terminal to hand over
        (the headless test pilot) the work runs as it is; elsewhere, a driver that cannot
        suspend (Textual Web) is told in words.
        """
        from textual.app import SuspendNotSupported

        outcome: list[Any] = []

        def run() -> None:
            try:
                outcome.append((work(), None))
            except Exception as exc:  # noqa: BLE001 - raised again once the app is back
                outcome.append((None, exc))

        try:
            with self.app.suspend():  # type: ignore[attr-defined]
                run()
        except SuspendNotSupported:
            if not self.app.is_headless:  # type: ignore[attr-defined]
                raise InvalidInput("this terminal cannot hand the screen to an editor; "
                                   "use lastmile edit ID in a shell") from None
            run()
        value, error = outcome[0]
        if error is not None:
            raise error
        return value

    async def undo(self) -> Task | None:
        """Undo the most recent change; one made outside this window is named and asked about first."""
        from lastmile_tui.ui.screens.ask import AskScreen

        try:
            event = self.store.next_undo()
        except LastmileError as exc:
            self._notify(str(exc), "error")
            return None
        if event is None:
            self._notify("Nothing to undo: this is the start of the history.", "warning")
            return None
        task = self._load(event.task_id)
        if task is None:
            return None
        if not self.store.made_here(event.id):
            question = undo_question(event, task.title, self.store.clock())
            if not await self.app.push_screen_wait(
                AskScreen("Undo a change made elsewhere?", question, yes="Undo it", no="Keep it")
            ):
                self._notify("Nothing was undone.")
                return None
        try:
            restored, undone = self.store.undo(expected_event_id=event.id)
        except LastmileError as exc:
            self._notify(str(exc), "warning")
            return None
        self._notify(f"Undid {undone.kind.label}: {restored.title}")
        return restored

    def _warn_if_withdrawn(self, before: Task, after: Task | None) -> Task | None:
        if after is not None and rules.confirmation_withdrawn(before, after):
            self._notify("The final step changed, so its earlier confirmation was withdrawn.")
        return after


def undo_question(event: Event, title: str, now: datetime) -> str:
    """``Undo “added Plan offsite”, made outside this window 2h ago?``"""
    what = (
        f"“added {title}”" if event.kind is EventKind.CREATED
        else f"“{event.describe()}” on “{title}”"
    )
    age = now - event.at
    when = "just now" if age.total_seconds() < 60 else f"{describe_age(age)} ago"
    return f"Undo {what}, made outside this window {when}?"
