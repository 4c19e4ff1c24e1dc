"""Add or edit a task in one form, checked field by field with the domain's own rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, TextArea

from lastmile_tui.domain.dates import format_due, parse_due, parse_wait
from lastmile_tui.domain.edit import FIELDS
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.recurrence import Recurrence, parse_recurrence
from lastmile_tui.domain.series import repeat_text
from lastmile_tui.domain.task import (
    Priority,
    Task,
    clean_final_step,
    clean_notes,
    clean_priority,
    clean_step,
    clean_tags,
    clean_title,
)
from lastmile_tui.ui.screens.dialog import FormDialog

THEIRS_SHOWN = 400
"""The most of another writer's value shown under a conflicting field (ctrl+t takes all of it)."""


def field_texts(task: Task | None) -> dict[str, str]:
    """Each field of *task* as the form's boxes hold it ("" everywhere for a new task)."""
    if task is None:
        return dict.fromkeys(FIELDS, "")
    return {
        "title": task.title,
        "final_step": task.final_step,
        "steps": "\n".join(step.text for step in task.steps),
        "due": format_due(task.due) if task.due else "",
        "priority": task.priority.value if task.priority else "",
        "wait": format_due(task.wait) if task.wait else "",
        "repeat": repeat_text(task),
        "tags": " ".join(task.tags),
        "notes": task.notes,
    }


@dataclass(frozen=True)
class TaskFormResult:
    """The cleaned answers; ``due`` and ``wait`` stay text ("" or None for none) so the store reads them with
    its own clock, except a wait left as it was, which stays the day it was (a wait that has ended
    would read as none, and saving the title must not touch it)."""

    title: str
    final_step: str
    steps: list[str]
    due: str
    tags: list[str]
    notes: str
    priority: Priority | None = None
    wait: date | str | None = None
    repeat: Recurrence | str | None = None
    """A phrase typed (the store reads it against the due date), the rule left as it was, or None."""


class TaskFormScreen(FormDialog[TaskFormResult]):
    """Dismisses a TaskFormResult once every field is valid, or None when cancelled."""

    AUTO_FOCUS = "#title"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+t", "take_theirs", "Take theirs", show=False),
    ]

    def __init__(
        self,
        now: datetime,
        task: Task | None = None,
        heading: str | None = None,
        *,
        theirs: Task | None = None,
        conflicts: Sequence[str] = (),
    ) -> None:
        """*task* fills the fields; *conflicts* names fields another writer changed to
        different values (as in *theirs*) while the person edited them."""
        super().__init__()
        self.now = now
        self.editing = task
        self.heading = heading or ("Edit task" if task else "New task")
        self.theirs = theirs
        self.conflicts = tuple(conflicts) if theirs is not None else ()

    def compose(self) -> ComposeResult:
        texts = field_texts(self.editing)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.heading)
            if self.conflicts:
                names = ", ".join(name.replace("_", " ") for name in self.conflicts)
                yield Label(Content(
                    f"Changed elsewhere while you edited: {names}. Yours are in the boxes, "
                    "theirs under them: ctrl+s saves yours, ctrl+t takes theirs."
                ), id="conflict")
            with VerticalScroll(id="fields", can_focus=False):
                yield from self._field("Title", Input(texts["title"], id="title"))
                yield from self._field("Final step", Input(
                    texts["final_step"],
                    placeholder="the one action that makes it done, e.g. email the PDF",
                    id="final_step",
                ))
                yield from self._field("Steps", TextArea(
                    texts["steps"], placeholder="one step per line", id="steps",
                ))
                yield from self._field("Due", Input(
                    texts["due"], placeholder="fri, +2w, Dec 3 5pm …", id="due",
                ))
                with Horizontal(classes="field-pair"):
                    yield from self._field("Priority", Input(
                        texts["priority"], placeholder="H, M or L", id="priority",
                    ))
                    yield from self._field("Wait", Input(
                        texts["wait"], placeholder="hide until: mon, +1w …", id="wait",
                    ))
                yield from self._field("Repeat", Input(
                    texts["repeat"], placeholder="monthly, weekly on fri, 2 weeks after done …",
                    id="repeat",
                ))
                yield from self._field("Tags", Input(
                    texts["tags"], placeholder="work +urgent", id="tags",
                ))
                yield from self._field("Notes", TextArea(texts["notes"], id="notes"))
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def _field(self, label: str, widget: Widget) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label", id=f"{widget.id}-label")
            with Vertical(classes="field-body"):
                yield widget
                yield Label("", id=f"{widget.id}-note", classes="error")
                if widget.id in self.conflicts and self.theirs is not None:
                    theirs = field_texts(self.theirs)[widget.id] or "(empty)"
                    if len(theirs) > THEIRS_SHOWN:
                        theirs = theirs[: THEIRS_SHOWN - 1] + "…"
                    yield Label(Content(f"theirs: {theirs}"), id=f"{widget.id}-theirs",
                                classes="theirs")

    def action_take_theirs(self) -> None:
        """Put the other writer's value back in every field that conflicted."""
        if self.theirs is None:
            return
        texts = field_texts(self.theirs)
        for name in self.conflicts:
            widget = self.query_one(f"#{name}")
            if isinstance(widget, TextArea):
                widget.text = texts[name]
            else:
                self.query_one(f"#{name}", Input).value = texts[name]

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "due":
            self._preview_due()
        elif event.input.id == "wait":
            self._preview_wait()
        elif event.input.id == "repeat":
            self._preview_repeat()
        elif event.input.id:
            self._note(event.input.id, "")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id:
            self._note(event.text_area.id, "")

    def on_input_submitted(self) -> None:
        """Enter moves on, like tab: saving is ctrl+s, so a half-filled form is never sent by accident."""
        self.focus_next()

    def submit(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        cleaners: dict[str, Callable[[str], Any]] = {
            "title": clean_title,
            "final_step": clean_final_step,
            "steps": self._clean_steps,
            "due": self._clean_due,
            "tags": lambda text: list(clean_tags(text.split())),
            "notes": clean_notes,
            "priority": lambda text: clean_priority(text) if text.strip() else None,
            "wait": self._clean_wait,
            "repeat": self._clean_repeat,
        }
        values: dict[str, Any] = {}
        invalid: list[str] = []
        for name, clean in cleaners.items():
            try:
                values[name] = clean(self._value(name))
            except InvalidInput as err:
                self._note(name, str(err))
                invalid.append(name)
        if invalid:
            self.query_one(f"#{invalid[0]}").focus()
            return
        self._close(TaskFormResult(**values))

    def _value(self, name: str) -> str:
        widget = self.query_one(f"#{name}")
        if isinstance(widget, TextArea):
            return widget.text
        return self.query_one(f"#{name}", Input).value

    def _clean_steps(self, text: str) -> list[str]:
        steps = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    steps.append(clean_step(line))
                except InvalidInput as err:
                    raise InvalidInput(f"line {number}: {err}") from err
        return steps

    def _clean_due(self, text: str) -> str:
        text = " ".join(text.split())
        if text:
            parse_due(text, self.now)
        return text

    def _clean_wait(self, text: str) -> date | str | None:
        text = " ".join(text.split())
        if self.editing is not None and text == field_texts(self.editing)["wait"]:
            return self.editing.wait  # left as it was: kept, even once its day has passed
        if text:
            parse_wait(text, self.now)
        return text or None

    def _clean_repeat(self, text: str) -> Recurrence | str | None:
        text = " ".join(text.split())
        if self.editing is not None and text == field_texts(self.editing)["repeat"]:
            return self.editing.repeat  # left as it was
        if text:
            parse_recurrence(text, self.now.date())  # the store reads it against the due date
        return text or None

    def _preview_repeat(self) -> None:
        """What the repeat means as it is typed."""
        text = self._value("repeat").strip()
        if not text:
            self._note("repeat", "")
            return
        try:
            shown = parse_recurrence(text, self.now.date()).describe()
        except InvalidInput as err:
            self._note("repeat", str(err))
            return
        self._note("repeat", f"→ repeats {shown}", error=False)

    def _preview_wait(self) -> None:
        """What the wait means as it is typed: the day it hides the task until, or that it does not."""
        text = self._value("wait").strip()
        if not text:
            self._note("wait", "")
            return
        try:
            day = parse_wait(text, self.now)
        except InvalidInput as err:
            self._note("wait", str(err))
            return
        year = f" {day.year}" if day and day.year != self.now.year else ""
        shown = f"→ hidden until {day:%a} {day.day} {day:%b}{year}" if day else "→ not waiting"
        self._note("wait", shown, error=False)

    def _preview_due(self) -> None:
        """Show what the due text means as it is typed, so a misread date is caught before saving."""
        text = self._value("due").strip()
        if not text:
            self._note("due", "")
            return
        try:
            due = parse_due(text, self.now)
        except InvalidInput as err:
            self._note("due", str(err))
            return
        year = f" {due.year}" if due.year != self.now.year else ""
        clock = f" {due:%H:%M}" if isinstance(due, datetime) else ""
        self._note("due", f"→ {due:%a} {due.day} {due:%b}{year}{clock}", error=False)

    def _note(self, name: str, text: str, *, error: bool = True) -> None:
        note = self.query_one(f"#{name}-note", Label)
        note.update(Content(text))  # notes quote what was typed: never markup
        note.set_classes("error" if error else "preview")
        note.display = bool(text)
