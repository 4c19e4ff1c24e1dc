"""Pilot tests of the ranked list: rows, headers, cursor keys, messages, and a long list."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.cells import cell_len
from textual.app import App, ComposeResult

from lastmile_tui.domain.ranking import Stage
from lastmile_tui.domain.task import Status, TaskSummary
from lastmile_tui.ui.paging import CLOSED_LABEL, BoardRows
from lastmile_tui.ui.widgets.task_list import EMPTY_MESSAGE, TaskList
from tests.oracles.ranking import rank
from tests.ui.conftest import press

NOW = datetime(2026, 11, 25, 10, 0)


def summary(task_id: int, title: str = "", **changes: object) -> TaskSummary:
    task = TaskSummary(
        id=task_id,
        title=title or f"task {task_id}",
        final_step="ship it",
        tags=(),
        due=None,
        status=Status.OPEN,
        steps_total=0,
        steps_done=0,
        created_at=NOW - timedelta(days=10),
        updated_at=NOW,
        final_step_confirmed_at=None,
        done_at=None,
        dropped_reason=None,
        wait=None,
        reviewed_on=None,
        priority=None,
        repeat=None,
    )
    return task.with_changes(**changes)


def list_rows(tasks: list[TaskSummary], closed: list[TaskSummary] = ()) -> BoardRows:  # type: ignore[assignment]
    """Rows over lists in memory, read through the same paging as the store's."""
    ranked = rank(tasks, NOW)
    lists = {False: [r.item for r in ranked], True: list(closed)}
    groups = [(stage.label, sum(1 for r in ranked if r.stage is stage), False) for stage in Stage]
    groups.append((CLOSED_LABEL, len(closed), True))
    places = {t.id: (kind, i) for kind, items in lists.items() for i, t in enumerate(items)}
    longest = max((len(t.title) for t in [*tasks, *closed]), default=0)
    return BoardRows(groups, lambda kind, offset, limit: lists[kind][offset:offset + limit],
                     places.get, longest)


# Rows: 0 "Overdue & due today · 1", 1 task (overdue: it leads, issue 9 item 29), 2 gap,
# 3 "On the last mile · 1", 4 task, 5 gap, 6 "In progress · 1", 7 task, 8 gap,
# 9 "Not started · 2", 10-11 tasks (the one with a due date first), 12 gap, 13 "No finish line · 1", 14 task.
TASKS = [
    summary(
        1,
        "Write the report",
        steps_total=3,
        steps_done=3,
        due=date(2026, 11, 23),
        updated_at=NOW - timedelta(days=6),
    ),
    summary(2, "Renew passport", steps_total=1, steps_done=1),
    summary(3, "Paint the fence", steps_total=4, steps_done=1),
    summary(4, "Learn Welsh"),
    summary(5, "Plan the trip", due=date(2026, 11, 27)),
    summary(6, "Someday maybe", final_step=""),
]


class ListApp(App[None]):
    def __init__(self, tasks: list[TaskSummary], closed: list[TaskSummary] | None = None) -> None:
        super().__init__()
        self.tasks, self.closed = tasks, closed or []
        self.messages: list[TaskList.Highlighted | TaskList.Selected] = []

    def compose(self) -> ComposeResult:
        yield TaskList(id="tasks")

    def on_mount(self) -> None:
        self.task_list.show(list_rows(self.tasks, self.closed), NOW)
        self.task_list.focus()

    @property
    def task_list(self) -> TaskList:
        return self.query_one(TaskList)

    def on_task_list_highlighted(self, event: TaskList.Highlighted) -> None:
        self.messages.append(event)

    def on_task_list_selected(self, event: TaskList.Selected) -> None:
        self.messages.append(event)


def texts(task_list: TaskList) -> list[str]:
    return [task_list.row_text(row).rstrip() for row in range(task_list.virtual_size.height)]


async def test_headers_per_stage_with_counts() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        rows = texts(pilot.app.task_list)
        assert rows[0].strip() == "Overdue & due today · 1"
        assert rows[2] == ""
        assert rows[3].strip() == "On the last mile · 1"
        assert rows[6].strip() == "In progress · 1"
        assert rows[9].strip() == "Not started · 2"
        assert rows[13].strip() == "No finish line · 1"
        assert pilot.app.task_list.task_count == 6
        assert len(rows) == 15


async def test_row_shows_bar_fraction_title_final_due_and_idle() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        report = task_list.row_text(1)
        assert "██████░░ 3/4" in report  # the final step counts as the last of 4 steps
        assert "3/4" in report
        assert "Write the report" in report
        assert "→ ship it" in report
        assert "overdue 1d" in report
        assert report.rstrip().endswith("6d")
        trip = task_list.row_text(10)
        assert "░░░░░░░░ 0/1" in trip
        assert "fri" in trip and "due fri" not in trip
        assert "→ no finish line" in task_list.row_text(14)
        assert "—" in task_list.row_text(14)  # no steps and no final step: nothing to count
        assert all(cell_len(task_list.row_text(row)) == 100 for row in range(15))


async def test_overdue_due_date_uses_overdue_style() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        overdue = task_list.get_visual_style("task-list--overdue").rich_style
        strip = task_list.render_line(2)  # row 2 is not under the cursor
        assert not any(s.style == overdue for s in strip)
        await pilot.press("j")
        strip = task_list.render_line(1)
        assert [s.text.strip() for s in strip if s.style == overdue] == ["overdue 1d"]


async def test_cursor_skips_headers_with_keys() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        seen = [task_list.highlighted_id]
        for key in ["j", "down", "j", "j", "j", "j", "j"]:
            await pilot.press(key)
            seen.append(task_list.highlighted_id)
        assert seen == [1, 2, 3, 5, 4, 6, 6, 6]
        for key, expected in [("k", 4), ("up", 5), ("g", 1), ("G", 6), ("home", 1), ("end", 6)]:
            await pilot.press(key)
            assert task_list.highlighted_id == expected, key


async def test_page_keys_move_a_screen_and_keep_cursor_visible() -> None:
    tasks = [summary(i) for i in range(1, 201)]
    async with ListApp(tasks).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        await pilot.press("pagedown")
        assert task_list.highlighted_id == 30  # 29 rows down from row 1 (the header is row 0)
        assert task_list.scroll_offset.y == 29
        await pilot.press("pagedown", "pagedown")
        assert task_list.highlighted_id == 88
        await pilot.press("pageup")
        assert task_list.highlighted_id == 59
        await pilot.press("pageup", "pageup", "pageup")
        assert task_list.highlighted_id == 1
        assert task_list.scroll_offset.y == 0
        await pilot.press("G")
        assert task_list.highlighted_id == 200
        assert task_list.scroll_offset.y == 201 - 30


async def test_highlighted_and_selected_messages() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await pilot.pause()
        await press(pilot, "j", "j", "enter")
        kinds = [(type(m).__name__, m.task_id) for m in app.messages]
        assert kinds == [("Highlighted", 1), ("Highlighted", 2), ("Highlighted", 3), ("Selected", 3)]
        app.messages.clear()
        await pilot.press("k", "k", "k")  # the last k cannot move past the top: no message
        await pilot.pause()
        assert [m.task_id for m in app.messages] == [2, 1]


async def test_click_highlights_then_selects() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await pilot.pause()
        app.messages.clear()
        await pilot.click(TaskList, offset=(20, 7))
        await pilot.pause()
        assert app.task_list.highlighted_id == 3
        await pilot.click(TaskList, offset=(20, 7))
        await pilot.click(TaskList, offset=(20, 6))  # a header: nothing happens
        await pilot.pause()
        assert [(type(m).__name__, m.task_id) for m in app.messages] == [
            ("Highlighted", 3),
            ("Selected", 3),
        ]


async def test_show_keeps_cursor_on_same_task() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        app = pilot.app
        task_list = app.task_list
        task_list.select_id(4)
        await pilot.pause()
        app.messages.clear()
        moved = [t.with_changes(steps_total=2, steps_done=1) if t.id == 4 else t for t in TASKS]
        task_list.show(list_rows(moved), NOW)
        await pilot.pause()
        assert task_list.highlighted_id == 4
        assert "Learn Welsh" in task_list.row_text(task_list._cursor or 0)
        assert app.messages == []  # same task: nothing to announce
        task_list.show(list_rows([t for t in TASKS if t.id != 4]), NOW)
        await pilot.pause()
        assert task_list.highlighted_id == 3  # gone: the task now on the same row
        assert [m.task_id for m in app.messages] == [3]


class EarlySelectApp(ListApp):
    """Selects a task before the first layout, as the board does when it opens on a task."""

    def on_mount(self) -> None:
        super().on_mount()
        self.task_list.select_id(400)


async def test_select_id_scrolls_into_view() -> None:
    tasks = [summary(i) for i in range(1, 501)]
    async with EarlySelectApp(tasks).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        await pilot.pause()
        assert task_list.highlighted_id == 400
        assert task_list.scroll_offset.y <= 400 < task_list.scroll_offset.y + 30
        assert task_list.select_id(1)
        assert not task_list.select_id(9999)
        assert task_list.highlighted_id == 1
        assert task_list.scroll_offset.y == 0  # the header just above task 1 shows too


async def test_cursor_is_strong_only_with_focus() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        focused = list(task_list.render_line(1))[2].style
        pilot.app.set_focus(None)
        await pilot.pause()
        blurred = list(task_list.render_line(1))[2].style
        assert focused.bold and not blurred.bold
        assert focused.bgcolor != blurred.bgcolor


async def test_closed_section() -> None:
    closed = [
        summary(7, "Old chore", status=Status.DONE, done_at=NOW),
        summary(8, "Bad idea", status=Status.DROPPED, dropped_reason="no"),
    ]
    async with ListApp(TASKS[:1], closed).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        rows = texts(task_list)
        assert rows[3].strip() == "Done & dropped · 2"
        assert rows[4].lstrip().startswith("✓ done") and "Old chore" in rows[4]
        assert rows[5].lstrip().startswith("✗ dropped") and "Bad idea" in rows[5]
        assert task_list.task_count == 3
        await pilot.press("G")
        assert task_list.highlighted_id == 8
        closed_style = task_list.get_visual_style("task-list--closed").rich_style
        assert list(task_list.render_line(4))[1].style == closed_style


async def test_empty_list() -> None:
    async with ListApp([]).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        await pilot.press("j", "enter", "G")
        assert task_list.highlighted_id is None
        assert task_list.task_count == 0
        height = task_list.size.height
        assert task_list.render_line(height // 2).text.strip() == EMPTY_MESSAGE
        assert pilot.app.messages == []
        task_list.show(list_rows(TASKS), NOW)
        task_list.show(list_rows([]), NOW)
        await pilot.pause()
        assert [m.task_id for m in pilot.app.messages] == [1, None]


async def test_wide_and_unsafe_titles_keep_row_width() -> None:
    tasks = [
        summary(1, "🚀 发布新版本 " * 20, final_step="告诉大家 🎉" * 10),
        summary(2, "bell\x07 and\x1b[31m escape", steps_total=2, steps_done=1),
    ]
    for width in (100, 61, 40, 25):
        async with ListApp(tasks).run_test(size=(width, 30)) as pilot:
            task_list = pilot.app.task_list
            for row in range(task_list.virtual_size.height):
                assert cell_len(task_list.row_text(row)) == width
                assert task_list.render_line(row).cell_length == width
            assert "…" in task_list.row_text(4)
            assert "\x1b" not in task_list.row_text(1) and "\x07" not in task_list.row_text(1)


async def test_ten_thousand_tasks() -> None:
    tasks = [summary(i, steps_total=i % 7, steps_done=i % 5 % (i % 7 + 1)) for i in range(1, 10_001)]
    async with ListApp(tasks).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        assert task_list.task_count == 10_000
        first = task_list.highlighted_id
        for _ in range(50):
            await pilot.press("j")
        await press(pilot, "pagedown")
        assert task_list.highlighted_id not in (None, first)
        assert task_list.scroll_offset.y > 0
        await pilot.press("G")
        assert task_list.highlighted_id == rank(tasks, NOW)[-1].item.id


async def test_the_due_column_is_as_wide_as_the_longest_due_on_screen() -> None:
    from lastmile_tui.domain.dates import due_phrase

    long_ago = date(2017, 1, 10)
    tasks = [summary(1, "Fix the roof", due=long_ago), summary(2, "Plan the trip", due=date(2026, 11, 27))]
    async with ListApp(tasks).run_test(size=(80, 30)) as pilot:
        task_list = pilot.app.task_list
        phrase = due_phrase(long_ago, NOW)
        assert len(phrase) > 12  # "overdue 118mo": cut to "overdue 11…" in the old fixed column
        assert phrase in task_list.row_text(1)


async def test_final_steps_take_the_room_no_dates_need() -> None:
    final = "email the signed contract to the whole board of directors"
    async with ListApp([summary(1, "Sign", final_step=final)]).run_test(size=(100, 30)) as pilot:
        row = pilot.app.task_list.row_text(1)
        assert "Sign" in row and f"→ {final}" in row  # both whole
        assert "…" not in row


async def test_titles_and_final_steps_share_the_room_by_what_they_need() -> None:
    tasks = [summary(1, "A rather long title for a task", final_step="a final step just as long as it"),
             summary(2, "Short", final_step="tiny")]
    async with ListApp(tasks).run_test(size=(80, 30)) as pilot:
        first = pilot.app.task_list.row_text(1)
        title, _, final = first[17:].partition("→")
        assert "…" in title and "…" in final
        assert abs(len(title.rstrip()) - len(final.strip())) <= 4


async def test_the_cursor_row_keeps_its_bar_colour() -> None:
    async with ListApp(TASKS).run_test(size=(100, 30)) as pilot:
        task_list = pilot.app.task_list
        bar = task_list.get_visual_style("task-list--bar").rich_style
        strip = task_list.render_line(1)  # the cursor's row, "██████░░ 3/4"
        filled = [s for s in strip if "█" in s.text]
        assert filled and filled[0].style.color == bar.color  # not the cursor's white


async def test_columns_do_not_jump_while_scrolling() -> None:
    tasks = [summary(1, "A long title that needs much of the row", steps_total=2, steps_done=1)]
    tasks += [summary(i, f"t{i}", steps_total=2, steps_done=1) for i in range(2, 80)]
    async with ListApp(tasks).run_test(size=(80, 20)) as pilot:
        task_list = pilot.app.task_list
        arrow = task_list.row_text(1).index("→")
        await press(pilot, "G")
        assert task_list.scroll_offset.y > 40  # the long title is far off screen
        last = task_list.virtual_size.height - 1
        assert task_list.row_text(last).index("→") == arrow
        task_list.show(list_rows(tasks[40:]), NOW)  # new rows: measured afresh
        await pilot.pause()
        assert task_list.row_text(1).index("→") < arrow
