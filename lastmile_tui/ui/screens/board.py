"""The board: open tasks almost done first, the highlighted task's detail, and every key."""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from lastmile_tui.domain.errors import LastmileError
from lastmile_tui.domain.task import Status, Task
from lastmile_tui.store.queries import Overview
from lastmile_tui.ui import keys
from lastmile_tui.ui.deferred import Deferred
from lastmile_tui.ui.flows import TaskFlows
from lastmile_tui.ui.paging import store_rows
from lastmile_tui.ui.screens.detail import TaskDetailScreen
from lastmile_tui.ui.widgets.detail import TaskDetail
from lastmile_tui.ui.widgets.footer import KeyFooter
from lastmile_tui.ui.widgets.task_list import TaskList

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from typing import Any

    from lastmile_tui.domain.review import ReviewAim
    from lastmile_tui.ui.host import Host


DETAIL_QUIET = 0.15
"""Seconds without a cursor move after which the detail pane catches up."""
DETAIL_STALE = 0.5
"""The longest the detail pane lags behind a cursor that keeps moving."""

FILTER_SLOW = 0.05
"""A filter that took longer than this to apply waits for a pause in typing..."""
FILTER_QUIET = 0.2
"""...of this many seconds."""


class BoardScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    KEYS = keys.BOARD
    BINDINGS = KEYS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.flows = TaskFlows(self)
        self.show_closed = False
        self.filter_text = ""
        self._detail_at = self._moved_at = -DETAIL_STALE
        self._detail_id: int | None = None
        self._overview: Overview | None = None
        self._filter_cost = 0.0
        self._detail = Deferred(self, DETAIL_QUIET, self._show_detail)
        self._filtering = Deferred(self, FILTER_QUIET, self._apply_filter)

    @property
    def lastmile(self) -> Host:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="counts")
        with Horizontal(id="main"):
            yield TaskList(id="tasks")
            yield TaskDetail(id="detail")
        yield Input(placeholder="filter: words or +tag · enter keeps it · escape clears", id="filter")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.reload()
        self.query_one(TaskList).focus()

    # -- data -----------------------------------------------------------------

    def reload(self, *, from_top: bool = False) -> None:
        """Count the board again and show the window around the cursor; nothing reads every task."""
        store = self.lastmile.store
        rows = store_rows(store, self.filter_text, include_closed=self.show_closed)
        self._update_counts(store.overview())
        self.query_one(TaskList).show(rows, store.clock(), keep_cursor=not from_top)
        self._detail.now()
        for screen in self.app.screen_stack:
            if isinstance(screen, TaskDetailScreen):
                screen.reload()

    def _update_counts(self, overview: Overview | None = None) -> None:
        """The header; where the full words do not fit, shorter ones (and it wraps before it cuts)."""
        if overview is None:
            overview = self._overview
            if overview is None:
                return
        self._overview = overview
        view = "all tasks" if self.show_closed else "open tasks"
        late = "$error" if overview.overdue else "$text-muted"
        values = dict(view=view, open=f"{overview.open:,}", last=f"{overview.last_mile:,}",
                      overdue=f"{overview.overdue:,}", finished=f"{overview.finished_today:,}")
        marked = len(self.query_one(TaskList).marked)
        suffix = (f"   • {marked:,} marked", "bold $accent") if marked else ""
        counts = self.query_one("#counts", Static)
        width = counts.content_region.width
        templates = [
            "[b]lastmile  [/b][dim]$view   [/dim][b]$open [/b]open · "
            f"[b $success]$last [/]on the last mile · [b {late}]$overdue [/]overdue · "
            "[b]$finished [/b]finished today",
            "[b]lastmile [/b][dim]$view  [/dim][b]$open [/b]open · "
            f"[b $success]$last [/]last mile · [b {late}]$overdue [/]overdue · "
            "[b]$finished [/b]done today",
        ]
        sync = self.lastmile.sync_header()
        if sync:  # room for the sync's words at 80 columns: the view gives way first
            templates.append(f"[b]lastmile [/b][b]$open [/b]open · [b $success]$last [/]last mile · "
                             f"[b {late}]$overdue [/]overdue · [b]$finished [/b]done today")
        if marked or sync:  # room for the marks at 80 columns: the view and today's count give way
            templates.append(f"[b]lastmile [/b][b]$open [/b]open · [b $success]$last [/]last mile · "
                             f"[b {late}]$overdue [/]overdue")
        built = [Content.assemble(Content.from_markup(t, **values), suffix) for t in templates]
        if sync:  # at the right-hand end
            words, style = sync
            built = [Content.assemble(h, " " * max(3, width - h.cell_length - len(words)), (words, style))
                     for h in built]
        # the widest that fits; when none does, the short words wrap rather than be cut
        header = next((h for h in built if not 0 < width < h.cell_length), built[1])
        counts.update(header)

    def refresh_header(self) -> None:
        """Redraw the header alone (the sync's words changed; the counts did not)."""
        self._update_counts()

    def on_resize(self) -> None:
        self._update_counts()

    def _follow_cursor(self) -> None:
        """Show the highlighted task in the detail pane: at once after a pause, else when the keys stop.

        Drawing the pane relayouts the screen and costs several times a cursor
        move, so a burst of moves (a held j) redraws only the list on each key;
        the pane follows every ``DETAIL_STALE`` seconds meanwhile and lands on
        the task the cursor stops at ``DETAIL_QUIET`` seconds after the last key.
        """
        if self.current_id == self._detail_id:
            return  # e.g. a reload drew it already
        now = monotonic()
        after_pause, self._moved_at = now - self._moved_at >= DETAIL_QUIET, now
        if after_pause or now - self._detail_at >= DETAIL_STALE:
            self._detail.now()
        else:
            self._detail.later()

    def _show_detail(self) -> None:
        self._detail_at = monotonic()
        self._detail_id = self.current_id
        self.query_one(TaskDetail).load(self.lastmile.store, self._detail_id)

    def _changed(self, task_id: int | None = None) -> None:
        self.reload()
        if task_id is not None:
            self.query_one(TaskList).select_id(task_id)

    @on(TaskList.Highlighted)
    def _on_highlight(self, _event: TaskList.Highlighted) -> None:
        self._follow_cursor()

    @on(TaskList.Selected)
    def _on_select(self, event: TaskList.Selected) -> None:
        """Enter on a task: into the pane's checklist, or where the pane is hidden, the detail screen."""
        if not self.query_one(TaskDetail).display:
            self.app.push_screen(TaskDetailScreen(self, event.task_id))
            return
        steps = self.query_one("#detail-steps")
        if steps.display:
            steps.focus()

    @on(TaskDetail.StepToggled)
    def _on_step_toggled(self, event: TaskDetail.StepToggled) -> None:
        self.act_on(event.task_id, "check" if event.done else "uncheck", event.number)

    # -- actions --------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return self.query_one(TaskList).highlighted_id

    def _write(self, op: Callable[..., Task], *args: Any) -> Task | None:
        try:
            task = op(*args)
        except LastmileError as exc:
            self.notify(str(exc), severity="error")
            return None
        self._changed(task.id)
        if task.status is Status.OPEN and task.only_final_step_left:
            self.notify(f"Only the final step is left: {task.final_step} — press c when it is done.")
        return task

    def _flow(self, coro: Coroutine[Any, Any, Any]) -> None:
        async def run() -> None:
            task = await coro
            if task is not None:
                self._changed(task.id)
        self.run_worker(run(), exclusive=True, group="flow")

    def _need_task(self) -> int | None:
        task_id = self.current_id
        if task_id is None:
            self.notify("No task highlighted. Press a to add one.", severity="warning")
        return task_id

    def act_on(self, task_id: int, action: str, *args: int) -> None:
        """Run the board action *action* on *task_id*, highlighted or not (the detail screen's keys)."""
        store = self.lastmile.store
        flows = {"edit": self.flows.edit, "edit_in_editor": self.flows.edit_in_editor,
                 "final_step": self.flows.set_final,
                 "complete": self.flows.complete, "drop": self.flows.drop}
        if action in flows:
            self._flow(flows[action](task_id))
            return
        writes = {"check_next": store.check_next, "check": store.check, "uncheck": store.uncheck}
        self._write(writes[action], task_id, *args)

    def action_add(self) -> None:
        self._flow(self.flows.add())

    def _act_on_highlighted(self, action: str) -> None:
        """A board action on the highlighted task, if there is one."""
        if (task_id := self._need_task()) is not None:
            self.act_on(task_id, action)

    def action_edit(self) -> None:
        if self._one_at_a_time("e edits"):
            self._act_on_highlighted("edit")

    def action_edit_in_editor(self) -> None:
        self._act_on_highlighted("edit_in_editor")

    def action_final_step(self) -> None:
        if self._one_at_a_time("f names the final step of"):
            self._act_on_highlighted("final_step")

    def action_complete(self) -> None:
        if not self._on_marked("complete"):
            self._act_on_highlighted("complete")

    def action_drop(self) -> None:
        if not self._on_marked("drop"):
            self._act_on_highlighted("drop")

    def action_wait(self) -> None:
        if not self._on_marked("wait") and (task_id := self._need_task()) is not None:
            self._flow(self.flows.wait_many([task_id]))

    def action_check_next(self) -> None:
        if self._one_at_a_time("space checks the next step of"):
            self._act_on_highlighted("check_next")

    # -- marks: v marks tasks, and c, D or z then acts on all of them in one store call -----------

    @property
    def marked(self) -> list[int]:
        return list(self.query_one(TaskList).marked)

    def action_mark(self) -> None:
        """v: mark or unmark the highlighted task and move on, so a run of tasks is v v v."""
        if (task_id := self._need_task()) is None:
            return
        tasks = self.query_one(TaskList)
        tasks.toggle_mark(task_id)
        tasks.action_cursor_down()
        self._update_counts()

    def clear_marks(self) -> None:
        self.query_one(TaskList).clear_marks()
        self._update_counts()

    def _on_marked(self, action: str) -> bool:
        """Run *action* on every marked task (False when none is marked); the marks clear once
        the store has been asked, whatever it answered."""
        marked = self.marked
        if not marked:
            return False
        flows = {"complete": self.flows.complete_many, "drop": self.flows.drop_many,
                 "wait": self.flows.wait_many}

        async def run() -> None:
            done = await flows[action](marked)
            if done is not None:
                self.clear_marks()
                self._changed(done[0].id if done else None)

        self.run_worker(run(), exclusive=True, group="flow")
        return True

    def _one_at_a_time(self, what: str) -> bool:
        """Keys that make sense for one task only say so while tasks are marked."""
        if self.marked:
            self.notify(f"{what} one task at a time: esc clears the marks (c, D and z act on "
                        "every marked task)", severity="warning")
            return False
        return True

    def action_reopen(self) -> None:
        task_id = self._need_task()
        if task_id is None:
            return
        if not self.show_closed:
            self.notify("Done and dropped tasks are hidden: press t to show them, then o.")
            return
        task = self._write(self.lastmile.store.reopen, task_id)
        if task is not None:
            again = " — confirm its final step again when it is done" if task.final_step else ""
            self.notify(f"Reopened: {task.title}{again}")

    def action_undo(self) -> None:
        self._flow(self.flows.undo())

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.reload()

    def action_review(self) -> None:
        self.lastmile.action_review()

    def action_aimed_review(self) -> None:
        """R: ask which tasks (the board's filter to start from), then review only those."""
        from lastmile_tui.ui.screens.aim import AimScreen

        def start(aim: ReviewAim | None) -> None:
            if aim is not None:
                self.lastmile.start_review(aim=aim)

        self.app.push_screen(AimScreen(self.filter_text), start)

    def action_stats(self) -> None:
        from lastmile_tui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self))

    def action_help(self) -> None:
        from lastmile_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(keys.help_sections(keys.BOARD, keys.REVIEW)))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        """Escape steps back: out of the checklist to the list first, then out of the filter."""
        detail = self.query_one(TaskDetail)
        if self.focused is not None and detail in self.focused.ancestors_with_self:
            self.query_one(TaskList).focus()
            return
        if self.marked:  # then the marks
            self.clear_marks()
            return
        box = self.query_one("#filter", Input)
        if not box.display and not self.filter_text:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self._filtering.now()
        self.query_one(TaskList).focus()

    @on(Input.Changed, "#filter")
    def _on_filter_changed(self, event: Input.Changed) -> None:
        """Filter as the person types; on a board big enough to make that slow, when they pause."""
        text = event.value.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        if self._filter_cost < FILTER_SLOW:
            self._filtering.now()
        else:
            self._filtering.later()

    def _apply_filter(self) -> None:
        start = monotonic()
        self.reload(from_top=True)
        self._filter_cost = monotonic() - start

    @on(Input.Submitted, "#filter")
    def _on_filter_submitted(self, _event: Input.Submitted) -> None:
        box = self.query_one("#filter", Input)
        if self._filtering.pending:
            self._filtering.now()
        if not self.filter_text:
            box.display = False
        self.query_one(TaskList).focus()
