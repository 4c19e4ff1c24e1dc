"""The Stats screen: how finishing goes, from the history (``domain/stats.py``, ``lastmile stats``).

A ``Digits`` headline (finished in the period, the median last mile), a
``Sparkline`` of the weekly finishes, the finish rate, bars of the median last
mile per tag, how long the open tasks have sat on their last mile, and the
longest stalled of them: enter opens one's detail, ``r`` reviews it. Every
title and tag is shown as plain text (``Content``), never as markup.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Digits, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from lastmile_tui.domain.stats import DEFAULT_WEEKS, Stats, span_words
from lastmile_tui.ui import keys
from lastmile_tui.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from lastmile_tui.ui.host import Host, TaskActions

BAR = 16
"""The longest per-tag bar, in cells."""
TAGS_SHOWN = 5


def headline_span(span: timedelta | None) -> tuple[str, str]:
    """The median last mile for ``Digits`` (which draws digits only) and its unit in words."""
    if span is None:
        return "-", "none finished yet"
    if span >= timedelta(days=1):
        days = span / timedelta(days=1)
        return f"{days:.0f}", "days, median"
    return f"{span / timedelta(hours=1):.0f}", "hours, median"


class StatsScreen(Screen[None]):
    """Last-mile statistics of the last weeks; escape or q goes back to the board."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    KEYS = keys.STATS
    BINDINGS = KEYS.bindings()

    def __init__(self, board: TaskActions, weeks: int = DEFAULT_WEEKS) -> None:
        super().__init__()
        self.board = board
        self.weeks = weeks
        self.stats: Stats | None = None

    @property
    def lastmile(self) -> Host:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="stats-top"):
            with Vertical(id="stats-finished", classes="stats-figure"):
                yield Static("Finished", classes="stats-label")
                yield Digits(id="stats-finished-digits")
                yield Static(id="stats-finished-unit", classes="stats-dim")
            with Vertical(id="stats-median", classes="stats-figure"):
                yield Static("Last mile", classes="stats-label")
                yield Digits(id="stats-median-digits")
                yield Static(id="stats-median-unit", classes="stats-dim")
            with Vertical(id="stats-weekly"):
                yield Static(id="stats-weekly-label", classes="stats-label")
                yield Sparkline([], id="stats-sparkline")
                yield Static(id="stats-weekly-range", classes="stats-dim")
        yield Static(id="stats-rate")
        with Horizontal(id="stats-middle"):
            yield Static(id="stats-tags")
            yield Static(id="stats-waiting")
        yield Static(id="stats-stalled-label", classes="stats-label")
        yield OptionList(id="stats-stalled")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#stats-stalled").focus()

    def on_screen_resume(self) -> None:
        if self.stats is not None:  # back from a task's detail or its review: it may be done now
            self.reload()

    def reload(self) -> None:
        stats = self.stats = self.lastmile.store.statistics(self.weeks)
        self._set("stats-finished-unit", Content(f"in {stats.weeks} week{'s' if stats.weeks != 1 else ''}"))
        self.query_one("#stats-finished-digits", Digits).update(f"{stats.finished:,}".replace(",", ""))
        value, unit = headline_span(stats.last_mile_median)
        self.query_one("#stats-median-digits", Digits).update(value)
        self._set("stats-median-unit", Content(unit))
        self._set("stats-weekly-label", Content("Finished per week"))
        self.query_one(Sparkline).data = [float(n) for n in stats.weekly]
        self._set("stats-weekly-range", Content(
            f"{stats.week_starts[0]:%b %d} … this week {stats.weekly[-1]:,} · best {max(stats.weekly):,}"))
        self._set("stats-rate", self._rate(stats))
        self._set("stats-tags", self._tags(stats))
        self._set("stats-waiting", self._waiting(stats))
        self._set("stats-stalled-label", Content.from_markup(
            "[b]Stalled longest on the final step[/b]  [dim]enter opens · r reviews[/dim]"
            if stats.stalled else "[b]Nothing is waiting on its final step[/b]"))
        stalled = self.query_one("#stats-stalled", OptionList)
        highlighted = stalled.highlighted
        stalled.clear_options()
        stalled.add_options([
            Option(Content.assemble((f"{span_words(stats.now - w.since):>7}  ", "dim"), w.title,
                                    (" → ", "dim"), w.final_step), id=str(w.id))
            for w in stats.stalled
        ])
        if stats.stalled:
            stalled.highlighted = min(highlighted or 0, len(stats.stalled) - 1)

    def _set(self, widget_id: str, content: Content) -> None:
        self.query_one(f"#{widget_id}", Static).update(content)

    @staticmethod
    def _rate(stats: Stats) -> Content:
        cohort = stats.cohort
        if not cohort.total:
            return Content("No task was added in the period.")

        def share(n: int) -> str:
            return f"{n:,} ({n * 100 / cohort.total:.0f}%)"

        imported = (f" · {stats.imported_done:,} imported as done, not counted"
                    if stats.imported_done else "")
        return Content.from_markup(
            f"[b]Added in the period[/b] {cohort.total:,}: done $done · dropped $dropped · "
            f"still open $open{imported}",
            done=share(cohort.done), dropped=share(cohort.dropped), open=share(cohort.open))

    @staticmethod
    def _tags(stats: Stats) -> Content:
        lines = [Content.from_markup("[b]Last mile by tag[/b] [dim](median)[/dim]")]
        if not stats.per_tag:
            lines.append(Content.from_markup("[dim]no tagged task finished from its last mile[/dim]"))
        longest = max((t.median for t in stats.per_tag), default=timedelta(0))
        for tag in stats.per_tag[:TAGS_SHOWN]:
            bar = "█" * max(1, round(BAR * (tag.median / longest))) if longest else ""
            lines.append(Content.assemble(
                Content(f"+{tag.tag}").truncate(10, ellipsis=True, pad=True),
                f" {span_words(tag.median):>6} ", (bar, "$accent")))
        return Content("\n").join(lines)

    @staticmethod
    def _waiting(stats: Stats) -> Content:
        wait = f" · median {span_words(stats.waiting_median)}" if stats.waiting else ""
        lines = [Content.from_markup(f"[b]Last mile now[/b] {stats.waiting:,}{wait}")]
        lines += [Content(f"{label:<13}{count:>6,}") for label, count in stats.bands]
        return Content("\n").join(lines)

    def _current_id(self) -> int | None:
        stalled = self.query_one("#stats-stalled", OptionList)
        if stalled.highlighted is None or not stalled.option_count:
            return None
        option_id = stalled.get_option_at_index(stalled.highlighted).id
        return int(option_id) if option_id else None

    @on(OptionList.OptionSelected, "#stats-stalled")
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from lastmile_tui.ui.screens.detail import TaskDetailScreen

        task_id = self._current_id()
        if task_id is not None:
            self.app.push_screen(TaskDetailScreen(self.board, task_id))

    def action_review(self) -> None:
        from lastmile_tui.ui.screens.review import ReviewScreen

        task_id = self._current_id()
        if task_id is not None:
            self.app.push_screen(ReviewScreen(only=[task_id]))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from lastmile_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(keys.help_sections(keys.STATS, keys.BOARD)))
