"""The detail pane: everything about the highlighted task, with a checklist you can toggle."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from lastmile_tui.domain.dates import due_phrase, format_due, is_overdue
from lastmile_tui.domain.errors import LastmileError
from lastmile_tui.domain.history import Event
from lastmile_tui.domain.imports import done_elsewhere_line
from lastmile_tui.domain.ranking import reason, wait_phrase
from lastmile_tui.domain.series import repeat_line
from lastmile_tui.domain.task import Status, Task

if TYPE_CHECKING:
    from lastmile_tui.store.store import Store

HISTORY_ROWS = 8
"""The most recent changes the pane lists."""


class StepList(OptionList):
    """The checklist: moves with j / k as well as the arrows, like the task list beside it."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class TaskDetail(VerticalScroll):
    """Shows one task; enter on a step asks the board to toggle it."""

    class StepToggled(Message):
        def __init__(self, task_id: int, number: int, done: bool) -> None:
            super().__init__()
            self.task_id = task_id
            self.number = number
            self.done = done

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: Task | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        yield Static(id="detail-reason")
        yield Static(id="detail-final")
        yield Static("Steps", id="detail-steps-label", classes="section")
        yield StepList(id="detail-steps")
        yield Static(id="detail-meta")
        yield Static(id="detail-notes")
        yield Static("History", classes="section")
        yield Static(id="detail-history")

    def load(self, store: Store, task_id: int | None) -> None:
        """Show task *task_id* as the store has it now; nothing when there is none or it is gone
        (an undo of its adding, another program)."""
        task = None
        if task_id is not None:
            with contextlib.suppress(LastmileError):
                task = store.get(task_id)
        history = store.history(task_id, limit=HISTORY_ROWS) if task is not None else []
        self.show(task, history, store.clock())

    def show(self, task: Task | None, history: list[Event], now: datetime) -> None:
        same_task = task is not None and self.shown is not None and self.shown.id == task.id
        self.shown = task
        for child in self.children:
            child.display = task is not None or child.id == "detail-title"
        if task is None:
            self._set("detail-title", Content.from_markup("[dim]No task selected[/dim]"))
            self.query_one("#detail-steps", OptionList).clear_options()
            return
        self._set("detail-title", Content.from_markup("[b]$title[/b]  [dim]#$id[/dim]",
                                                      title=task.title, id=task.id))
        if task.status is Status.OPEN and task.done_claimed_at is not None:
            from lastmile_tui.domain.sync import claim_line

            self._set("detail-reason", Content.from_markup("[$warning]$claim[/]",
                                                           claim=claim_line(task.final_step)))
        elif task.status is Status.OPEN:
            self._set("detail-reason", Content.from_markup("[$accent]$why[/]",
                                                           why=reason(task, now)))
        else:
            closed = done_elsewhere_line(task) or (
                task.status.value + (f": {task.dropped_reason}" if task.dropped_reason else ""))
            self._set("detail-reason", Content.from_markup("[dim]$closed[/dim]", closed=closed))
        self._set("detail-final", self._final_content(task))
        self._show_steps(task, same_task)
        self._set("detail-meta", self._meta(task, now))
        self._set("detail-notes", Content.from_markup("[dim]Notes[/dim]\n$notes", notes=task.notes))
        self.query_one("#detail-notes").display = bool(task.notes)
        lines = [
            Content.from_markup("[dim]$at  [/dim]$what", at=f"{e.at:%b %d %H:%M}", what=e.describe())
            for e in history[:HISTORY_ROWS]
        ]
        self._set("detail-history", Content("\n").join(lines))

    def _set(self, name: str, content: Content) -> None:
        self.query_one(f"#{name}", Static).update(content)

    @staticmethod
    def _final_content(task: Task) -> Content:
        if not task.final_step:
            return Content.from_markup(
                "[b $warning]No finish line.[/]\nPress [b]f [/b]to name the one action that makes it done."
            )
        if task.final_step_confirmed_at is not None:
            mark = f"✓ confirmed {task.final_step_confirmed_at:%b %d %H:%M}"
            return Content.from_markup("[dim]Final step[/dim]  [$success]$mark[/]\n[b]$final[/b]",
                                       mark=mark, final=task.final_step)
        return Content.from_markup("[dim]Final step[/dim]  [$warning]not confirmed[/]\n[b]$final[/b]",
                                   final=task.final_step)

    def _show_steps(self, task: Task, same_task: bool) -> None:
        """Keep the highlighted step for the same task; start at the next step to do for another."""
        steps = self.query_one("#detail-steps", OptionList)
        highlighted = steps.highlighted if same_task else task.next_step_index
        steps.clear_options()
        steps.add_options(
            Option(Content.from_markup("$mark $text", mark="☑" if s.done else "☐", text=s.text))
            for s in task.steps
        )
        steps.display = bool(task.steps)
        self.query_one("#detail-steps-label").display = bool(task.steps)
        if task.steps:
            steps.highlighted = min(highlighted or 0, len(task.steps) - 1)

    @staticmethod
    def _meta(task: Task, now: datetime) -> Content:
        parts: list[Content] = []
        if task.due is not None:
            late = task.status is Status.OPEN and is_overdue(task.due, now)
            markup = "[dim]Due[/dim]   [$error]$due [/]($when)" if late else "[dim]Due   [/dim]$due ($when)"
            parts.append(Content.from_markup(markup, due=format_due(task.due),
                                             when=due_phrase(task.due, now)))
        if task.priority is not None:
            parts.append(Content.from_markup("[dim]Priority[/dim]  [b $warning]$p[/]",
                                             p=task.priority.value))
        waited = wait_phrase(task.wait, now) if task.status is Status.OPEN else ""
        if waited:
            parts.append(Content.from_markup("[dim]Wait[/dim]  $wait ($when)",
                                             wait=format_due(task.wait), when=waited))
        if task.repeat is not None and task.status is Status.OPEN:
            parts.append(Content.from_markup("[dim]Repeats[/dim]  $line",
                                             line=repeat_line(task, now, lead="")))
        if task.tags:
            parts.append(Content.from_markup("[dim]Tags[/dim]  [$accent]$tags[/]",
                                             tags=" ".join(f"+{t}" for t in task.tags)))
        return Content("\n").join(parts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.shown is None or self.shown.id is None:
            return
        step = self.shown.steps[event.option_index]
        self.post_message(self.StepToggled(self.shown.id, event.option_index + 1, not step.done))
