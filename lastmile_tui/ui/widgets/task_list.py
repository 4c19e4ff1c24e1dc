"""The board's ranked list: almost-done work first, grouped by how near the finish line it is.

A Line-API widget: it keeps plain lists of rows and builds text only for the
rows on screen, so 100,000 tasks cost no more to draw than 30.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lastmile_tui.domain.dates import describe_age, due_phrase, is_overdue
from lastmile_tui.domain.ranking import progress
from lastmile_tui.domain.task import Status, TaskSummary
from lastmile_tui.ui.paging import BoardRows

EMPTY_MESSAGE = "Nothing open. Press a to add a task with its final step."

_BAR = 8
_LEFT = 1 + 2 + _BAR + 1 + 7  # margin, priority and a space, bar, space, fraction padded to 7
_DUE_MAX = 14  # "overdue 100mo", "today 17:00"; the longest on screen sets the column
_IDLE = 4  # "12mo"
_GAP = 2
_MIN_TITLE = 10
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DAY = timedelta(days=1)

_Cells = list[tuple[str, str]]
"""One row as (text, component class) pieces; "" is the widget's own style."""


def _fit(text: str, width: int) -> str:
    """Exactly *width* cells: padded, or cut with an ellipsis; wide characters are never split."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    return set_cell_size(text, width - 1) + "…"


@dataclass(frozen=True)
class Columns:
    """How wide each column of a task row is drawn (0: left out)."""

    title: int
    final: int
    due: int
    dates: bool
    """Whether the due and idle columns are drawn at all."""


def columns(width: int, title: int, final: int, due: int) -> Columns:
    """Widths for rows whose longest title, final step ("→ " included) and due phrase are as given.

    The due column is as wide as its longest phrase (up to ``_DUE_MAX``), so
    "overdue 12d" is never cut and no room is kept for dates nobody has. Titles
    and final steps share the rest: each whole when both fit (the final step,
    the product's centrepiece, gets what is left over), else in proportion to
    what they need, the title between 40% and 60%. Narrow lists drop the final
    step, then the dates; the detail shows everything in full anyway.
    """
    due = min(due, _DUE_MAX)
    right = (_GAP + due if due else 0) + 1 + _IDLE + 1
    free = width - _LEFT - _GAP - right
    if free >= 3 * _MIN_TITLE:
        need = title + 1  # with the space before the final step's arrow
        if need + final > free:
            need = min(max(free * need // (need + final), free * 2 // 5), free * 3 // 5)
        return Columns(need, free - need, due, True)
    if free + _GAP >= _MIN_TITLE:
        return Columns(free + _GAP, 0, due, True)
    return Columns(max(width - _LEFT - 1, 0), 0, 0, False)


class TaskList(ScrollView, can_focus=True):
    """Open tasks in ranking order under a header per stage, then the closed ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Next task", show=False, id="task_list.down"),
        Binding("k,up", "cursor_up", "Previous task", show=False, id="task_list.up"),
        Binding("g,home", "cursor_first", "First task", show=False, id="task_list.first"),
        Binding("G,end", "cursor_last", "Last task", show=False, id="task_list.last"),
        Binding("pageup", "cursor_page(-1)", "Page up", show=False, id="task_list.page_up"),
        Binding("pagedown", "cursor_page(1)", "Page down", show=False, id="task_list.page_down"),
        Binding("enter", "select", "Open", id="task_list.select"),  # the footer shows it only when narrow
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-list--header",
        "task-list--cursor",
        "task-list--bar",
        "task-list--dim",
        "task-list--overdue",
        "task-list--closed",
        "task-list--priority",
        "task-list--marked",
    }

    DEFAULT_CSS = """
    TaskList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        & > .task-list--header { color: $accent; text-style: bold; }
        & > .task-list--bar { color: $accent; }
        & > .task-list--dim { color: $text-muted; }
        & > .task-list--overdue { color: $error; text-style: bold; }
        & > .task-list--closed { color: $text-disabled; }
        & > .task-list--priority { color: $warning; text-style: bold; }
        & > .task-list--marked { color: $accent; text-style: bold; }
        & > .task-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .task-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor is on another task (task_id None when the list emptied)."""

        task_list: TaskList
        task_id: int | None

        @property
        def control(self) -> TaskList:
            return self.task_list

    @dataclass
    class Selected(Message):
        """Enter or a click on the highlighted task: the board opens it."""

        task_list: TaskList
        task_id: int

        @property
        def control(self) -> TaskList:
            return self.task_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows = BoardRows.empty()
        self._cursor: int | None = None
        self._now = datetime.min  # show() brings the clock
        self._strips: LRUCache[tuple[int, bool], Strip] = LRUCache(1024)
        self._strips_columns: Columns | None = None
        self._columns: tuple[tuple[int, int, int], Columns] | None = None
        self._longest = (0, 0, 0)  # title, final step, due phrase: the longest seen since show()
        self._styles: dict[tuple[str, ...], Style] = {}
        self.marked: dict[int, None] = {}
        """The tasks ``v`` marked, in the order marked: the board's next action takes them all."""

    @property
    def highlighted_id(self) -> int | None:
        return None if self._cursor is None else self._rows.task_id(self._cursor)

    @property
    def task_count(self) -> int:
        return self._rows.task_count

    def show(self, rows: BoardRows, now: datetime, *, keep_cursor: bool = True) -> None:
        """Show new rows, keeping the cursor on the same task when it is still listed
        (else on the same row), or on the first task."""
        old_id, old_row = self.highlighted_id, self._cursor
        self._rows, self._now = rows, now
        self._strips.clear()
        self._columns = None
        self._longest = (0, 0, 0)
        self.virtual_size = Size(0, len(rows))
        row = self._row_of(old_id) if old_id is not None and keep_cursor else None
        if row is None and len(rows):
            start = min(old_row or 0, len(rows) - 1) if keep_cursor else 0
            row = self._task_row(start, forward=True)
        self._cursor = row
        self.refresh()
        self._scroll_to_cursor()
        if self.highlighted_id != old_id:
            self.post_message(self.Highlighted(self, self.highlighted_id))

    def select_id(self, task_id: int) -> bool:
        """Put the cursor on *task_id* and scroll it into view; False when it is not listed."""
        row = self._row_of(task_id)
        if row is not None:
            self._move(row)
        return row is not None

    def toggle_mark(self, task_id: int) -> None:
        """Mark or unmark a task (drawn as ``•`` in the margin)."""
        if self.marked.pop(task_id, True) is not None:
            self.marked[task_id] = None
        self._strips.clear()
        self.refresh()

    def clear_marks(self) -> None:
        self.marked.clear()
        self._strips.clear()
        self.refresh()

    def row_text(self, row: int) -> str:
        """The plain text of *row* as drawn at the current width."""
        return self._row_strip(row, self.scrollable_content_region.width).text

    # Rendering

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        if not len(self._rows):
            text = _fit(EMPTY_MESSAGE.center(width), width) if y == self.size.height // 2 else ""
            return Strip([Segment(text, self._style("task-list--dim"))]).adjust_cell_length(
                width, self._style()
            )
        if row >= len(self._rows):
            return Strip.blank(width, self._style())
        return self._row_strip(row, width)

    def _row_strip(self, row: int, width: int) -> Strip:
        """A row as drawn, kept until the data, column widths or styles change: a layout pass
        redraws every visible row, and the detail pane causes one on each cursor move."""
        widths = self._column_widths(width)
        if widths != self._strips_columns:
            self._strips.clear()
            self._strips_columns = widths
        key = (row, row == self._cursor)
        strip = self._strips.get(key)
        if strip is None:
            cursor = "task-list--cursor" if key[1] else ""
            segments = [
                # the bar keeps its colour on the cursor's background, or it reads as a white block
                Segment(text, self._style(*((cursor, cls) if cls == "task-list--bar" else (cls, cursor))))
                for text, cls in self._row_cells(row, widths)
            ]
            strip = self._strips[key] = Strip(segments).adjust_cell_length(width, self._style(cursor))
        return strip

    def _column_widths(self, width: int) -> Columns:
        """Column widths measured on the rows on screen, again only when the view moves or resizes.

        They only grow while the same rows are shown (until the next ``show``), so
        scrolling through titles of every length does not make the columns jump.
        """
        first, height = self.scroll_offset.y, self.scrollable_content_region.height
        key = (width, first, height)
        if self._columns is not None and self._columns[0] == key:
            return self._columns[1]
        title, final, due = self._longest
        for row in range(first, min(first + max(height, 1), len(self._rows))):
            task = self._rows.item(row)
            if not isinstance(task, TaskSummary):
                continue
            title = max(title, cell_len(task.title))
            final = max(final, cell_len(task.final_step or "no finish line") + 2)
            if task.due is not None and task.status is Status.OPEN:
                due = max(due, cell_len(due_phrase(task.due, self._now)))
        self._longest = (title, final, due)
        widths = columns(width, title, final, due)
        self._columns = (key, widths)
        return widths

    def _style(self, *classes: str) -> Style:
        """Resolved once per class pair: asking Textual each time cost more than drawing the row."""
        style = self._styles.get(classes)
        if style is None:
            style = self._styles[classes] = self.get_visual_style(*filter(None, classes)).rich_style
        return style

    def notify_style_update(self) -> None:
        """Focus, theme or CSS changed: styles must be resolved again."""
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def _row_cells(self, row: int, widths: Columns) -> _Cells:
        item = self._rows.item(row)
        if isinstance(item, str):
            return [(f" {item}", "task-list--header")]
        return self._task_cells(item, widths)

    def _task_cells(self, task: TaskSummary, widths: Columns) -> _Cells:
        title_width, final_width, dates = widths.title, widths.final, widths.dates
        closed = task.status is not Status.OPEN
        # the priority's letter (H, M, L) in a column of its own, blank for none
        priority = task.priority.value if task.priority is not None and not closed else " "
        margin = ("•", "task-list--marked") if task.id in self.marked else (" ", "")
        cells: _Cells = [margin, (priority, "task-list--priority"), (" ", "")]
        if closed:
            mark = "✓ done" if task.status is Status.DONE else "✗ dropped"
            cells.append((f"{mark:<{_LEFT - 1}}", ""))
        else:
            done, total = progress(task)
            filled = _BAR * done // total if total else 0
            fraction = f"{done}/{total}" if total else "—"
            cells += [
                ("█" * filled, "task-list--bar"),
                ("░" * (_BAR - filled) + " ", "task-list--dim"),
                (f"{fraction + ' ':<7}", "task-list--dim"),
            ]
        cells.append((_fit(_UNSAFE.sub("�", task.title), title_width), ""))
        if final_width:
            final = _UNSAFE.sub("�", task.final_step) or "no finish line"
            final_class = "" if task.final_step else "task-list--dim"
            cells.append((" " * _GAP + _fit(f"→ {final}", final_width), final_class))
        if dates and not closed:
            due, late = "", False
            if task.due is not None:
                due = due_phrase(task.due, self._now)
                late = is_overdue(task.due, self._now)
            idle = self._now - task.updated_at
            if widths.due:
                cells += [(" " * _GAP, ""), (_fit(due, widths.due), "task-list--overdue" if late else "")]
            cells += [
                (f" {describe_age(idle) if idle >= _DAY else '':>{_IDLE}} ", "task-list--dim"),
            ]
        if closed:
            return [(text, "task-list--closed") for text, _ in cells]
        return cells

    # Rows and the cursor

    def _row_of(self, task_id: int) -> int | None:
        return self._rows.row_of(task_id)

    def _task_row(self, row: int, *, forward: bool) -> int | None:
        """The nearest task row from *row* in the given direction, else in the other one."""
        rows, step = self._rows, 1 if forward else -1
        for direction in (step, -step):
            probe = row
            while 0 <= probe < len(rows):
                if rows.is_task(probe):
                    return probe
                probe += direction
        return None

    def _move(self, row: int | None) -> None:
        """Move the cursor to *row*, redraw the two rows, keep it in view and say so."""
        if row is None or row == self._cursor:
            return
        old_row, old_id = self._cursor, self.highlighted_id
        self._cursor = row
        if old_row is not None:
            self.refresh_line(old_row)
        self.refresh_line(row)
        self._scroll_to_cursor()
        if self.highlighted_id != old_id:
            self.post_message(self.Highlighted(self, self.highlighted_id))

    def _scroll_to_cursor(self) -> None:
        """Scroll the least needed to show the cursor, with its header when that is just above."""
        if self._cursor is None:
            return
        top = self._cursor
        while top and not self._rows.is_task(top - 1):
            top -= 1
        self.scroll_to_region(
            Region(0, top, 1, self._cursor - top + 1), animate=False, x_axis=False, immediate=True
        )

    def on_resize(self) -> None:
        """The first layout (or a resize) may leave a cursor set before it out of view."""
        self._scroll_to_cursor()

    def action_cursor_down(self) -> None:
        if self._cursor is not None:
            self._move(self._task_row(self._cursor + 1, forward=True))

    def action_cursor_up(self) -> None:
        if self._cursor is not None:
            self._move(self._task_row(self._cursor - 1, forward=False))

    def action_cursor_first(self) -> None:
        self._move(self._task_row(0, forward=True))

    def action_cursor_last(self) -> None:
        self._move(self._task_row(len(self._rows) - 1, forward=False))

    def action_cursor_page(self, direction: int) -> None:
        """Move the cursor and the view together by one screen."""
        if self._cursor is None:
            return
        page = max(self.scrollable_content_region.height - 1, 1) * direction
        self.scroll_to(y=self.scroll_y + page, animate=False, immediate=True)
        target = min(max(self._cursor + page, 0), len(self._rows) - 1)
        self._move(self._task_row(target, forward=direction > 0))
        self._scroll_to_cursor()

    def action_select(self) -> None:
        task_id = self.highlighted_id
        if task_id is not None:
            self.post_message(self.Selected(self, task_id))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a task; a click on the highlighted one (or a double click) opens it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if not self._rows.is_task(row):
            return
        if row == self._cursor:
            self.action_select()
        else:
            self._move(row)
