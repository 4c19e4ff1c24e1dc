"""Review mode: one near-finished task per screen, the final step big, a key for each decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Container, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from lastmile_tui.domain.errors import LastmileError
from lastmile_tui.domain.ranking import reason
from lastmile_tui.domain.review import ReviewAim, ReviewTally
from lastmile_tui.domain.task import Status, Task
from lastmile_tui.ui import keys
from lastmile_tui.ui.flows import TaskFlows

if TYPE_CHECKING:
    from collections.abc import Coroutine
    from typing import Any

    from lastmile_tui.ui.host import Host


class ReviewScreen(Screen[None]):
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # app.tcss: a short card keeps its keys line
    KEYS = keys.REVIEW
    BINDINGS = KEYS.bindings()

    TASK_ACTIONS = frozenset({"finished", "step", "skip", "snooze", "edit", "drop"})
    """The keys that act on the task on screen: not offered once the review is over."""

    def __init__(self, *, include_reviewed: bool = False, only: list[int] | None = None,
                 aim: ReviewAim | None = None) -> None:
        """Review the day's queue (narrowed by *aim*), or with *only* just those tasks (the Stats
        screen's stalled one)."""
        super().__init__()
        self.aim = aim if aim is not None and not aim.everything else None
        self.flows = TaskFlows(self)
        self.include_reviewed = include_reviewed
        self.only = only
        self.queue: list[int] = []
        self.index = 0
        self.tally = ReviewTally()
        self._touched: set[int] = set()
        self.current_task: Task | None = None

    @property
    def lastmile(self) -> Host:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Container(id="review-wrap"), Vertical(id="review"):
            yield Static(id="review-counter")
            yield Static(id="review-title")
            yield Static(id="review-why")
            yield Static(id="review-final")
            with VerticalScroll(id="review-left-box"):
                yield Static(id="review-left")
            yield Static(id="review-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.queue = (list(self.only) if self.only is not None
                      else self.lastmile.store.review_queue(include_reviewed=self.include_reviewed,
                                                            aim=self.aim))
        self._show()

    @property
    def finished(self) -> bool:
        return self.index >= len(self.queue)

    def _show(self) -> None:
        store = self.lastmile.store
        while not self.finished:
            try:
                self.current_task = store.get(self.queue[self.index])
            except LastmileError:
                self.current_task = None
            if self.current_task is not None and self.current_task.status is Status.OPEN:
                break
            self.index += 1  # closed meanwhile (e.g. from another terminal)
        if self.finished:
            self._show_summary()
            return
        task = self.current_task
        assert task is not None
        now = store.clock()
        self._set("review-counter", Content.from_markup(
            "[b]Review[/b]  [dim]$n of $total$aim[/dim]", n=f"{self.index + 1:,}",
            total=f"{len(self.queue):,}", aim=self._aim_words()))
        self._set("review-title", Content.from_markup("[b]$title[/b]  [dim]#$id[/dim]",
                                                      title=task.title, id=task.id))
        self._set("review-why", Content.from_markup("[dim]why it is here: [/dim]$why",
                                                    why=reason(task, now)))
        self._set("review-final", Content.from_markup("$final", final=task.final_step) if task.final_step
                  else Content.from_markup("[dim]none yet: y names it first[/dim]"))
        self.query_one("#review-final").border_title = "Final step"
        left = [s for s in task.steps if not s.done]
        if task.done_claimed_at is not None:  # the claims' lane: one answer, yes or not yet
            self._set("review-left", Content.from_markup(
                "[b $warning]Another app marked it done. [/]Did you do its final step? Press "
                "[b]y[/b] to answer: yes finishes it; not yet keeps it open and reopens it on the server."))
        elif left:  # only what is left: the checked steps are counted in the reason line
            lines = [Content.from_markup("[b]Left to do[/b]")] + [
                Content.from_markup("☐ $text", text=s.text) for s in left
            ]
            self._set("review-left", Content("\n").join(lines))
        else:
            self._set("review-left", Content.from_markup(
                "[b $success]Only the final step is left. [/]Did you do it? Press [b]y[/b]."))
        self._set("review-keys", self.KEYS.legend(days=f"{self.lastmile.config.snooze_days}d"))
        self.query_one("#review-final").display = True
        self.query_one("#review-left-box").display = True

    def _aim_words(self) -> str:
        """`` · +work · last mile only``: what this review is aimed at (plain text, a parameter)."""
        return f" · {self.aim.describe()}" if self.aim is not None else ""

    def _show_summary(self) -> None:
        self.current_task = None
        self._set("review-counter", Content.from_markup("[b]Review[/b]  [dim]finished$aim[/dim]",
                                                        aim=self._aim_words()))
        if not self.queue and self.aim is not None:
            title = "Nothing to review for this aim."
            why = (f"No task up for review matches {self.aim.describe()}. An aimed review "
                   "leaves out what a whole one would too: waiting tasks and those reviewed today.")
        elif not self.queue:
            title = "Nothing to review right now."
            why = ("Review shows tasks completed elsewhere, then tasks with a final step that "
                   "are partly done or due within a week, and leaves out waiting ones and those "
                   "already reviewed today (lastmile review --all shows those again).")
        else:
            title = "Review finished."
            why = self.tally.summary()
        self._set("review-title", Content.from_markup("[b]$title[/b]", title=title))
        self._set("review-why", Content(why))
        self.query_one("#review-final").display = False
        self.query_one("#review-left-box").display = False
        self._set("review-keys", keys.alone(self.KEYS["review_back"], "back to the board"))
        self.refresh_bindings()  # the footer stops offering y s n z e d

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """With no task on screen (the review is over) the keys that act on one are not offered."""
        return not (action in self.TASK_ACTIONS and self.current_task is None)

    def _set(self, name: str, content: Content) -> None:
        self.query_one(f"#{name}", Static).update(content)

    def _touch(self, task_id: int) -> None:
        """Acted on or skipped: it is reviewed for today and will not come back today."""
        if task_id not in self._touched:
            self._touched.add(task_id)
            self.tally.reviewed += 1
        try:
            self.lastmile.store.mark_reviewed(task_id)
        except LastmileError as exc:
            self.notify(str(exc), severity="error")

    def _next(self) -> None:
        self.index += 1
        self._show()

    def _current(self) -> int | None:
        if self.current_task is None or self.current_task.id is None:
            return None
        return self.current_task.id

    def _flow(self, coro: Coroutine[Any, Any, Any], counter: str | None, advance: bool) -> None:
        task_id = self._current()

        async def run() -> None:
            result = await coro
            if task_id is None:
                return
            # a claim turned down ("not yet") comes back open: reviewed, not finished
            if result is not None and counter and (counter != "finished"
                                                   or result.status is Status.DONE):
                setattr(self.tally, counter, getattr(self.tally, counter) + 1)
            if result is not None or not advance:
                self._touch(task_id)
            if result is not None and advance:
                self._next()
            else:
                self._show()

        self.run_worker(run(), exclusive=True, group="review")

    def action_finished(self) -> None:
        if (task_id := self._current()) is not None:
            self._flow(self.flows.complete(task_id), "finished", advance=True)

    def action_drop(self) -> None:
        if (task_id := self._current()) is not None:
            self._flow(self.flows.drop(task_id), "dropped", advance=True)

    def action_edit(self) -> None:
        if (task_id := self._current()) is not None:
            self._flow(self.flows.edit(task_id), None, advance=False)

    def action_step(self) -> None:
        if (task_id := self._current()) is None:
            return
        try:
            task = self.lastmile.store.check_next(task_id)
        except LastmileError as exc:
            self.notify(str(exc), severity="warning")
            return
        self._touch(task_id)
        if task.only_final_step_left:
            self.notify(f"Only the final step is left: {task.final_step}")
        self._show()

    def action_skip(self) -> None:
        if (task_id := self._current()) is not None:
            self.tally.skipped += 1
            self._touch(task_id)
            self._next()

    def action_snooze(self) -> None:
        if (task_id := self._current()) is None:
            return
        days = self.lastmile.config.snooze_days
        try:
            self.lastmile.store.snooze(task_id, days)
        except LastmileError as exc:
            self.notify(str(exc), severity="error")
            return
        self.tally.snoozed += 1
        self._touch(task_id)
        title = self.current_task.title if self.current_task else ""
        self.notify(f"Waiting {days} days, off the board and review until then: {title}")
        self._next()

    def action_back(self) -> None:
        self.app.pop_screen()
        self.lastmile.reload_board()

    def action_help(self) -> None:
        from lastmile_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(keys.help_sections(self.KEYS)))
