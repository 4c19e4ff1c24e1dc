"""The rows of the board's list: a header per group, then its tasks, read a page at a time.

The list knows only how many tasks each group holds; a task's row is simple
arithmetic, and its summary is fetched (a page around it) when it is drawn or
highlighted. So the board costs the same to open and to move through at
100 tasks as at 100,000.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lastmile_tui.domain.ranking import Stage
from lastmile_tui.domain.task import TaskSummary
from lastmile_tui.store.reader import Reader

Fetch = Callable[[bool, int, int], Sequence[TaskSummary]]
"""(closed?, offset, limit) -> that window of the ranking, or of the closed list."""
Locate = Callable[[int], "tuple[bool, int] | None"]
"""task id -> (closed?, index in that list), or None when the task is not listed."""

PAGE = 100
CLOSED_LABEL = "Done & dropped"
CLAIMS_HINT = "c: did you do its final step?"
"""After the count of the claims' lane: the one key that answers each of them (yes, or not yet)."""
_KEPT_PAGES = 40


@dataclass(frozen=True)
class Group:
    """One run of rows under a header: tasks ``first`` to ``first + count`` of their list."""

    label: str
    count: int
    closed: bool
    first: int
    header: int  # the header's row; the tasks follow it
    hint: str = ""
    """Said after the count: what to do with the group's tasks."""

    @property
    def end(self) -> int:
        """The row after the group's last task."""
        return self.header + 1 + self.count


class BoardRows:
    """What the list shows, as rows: ``""`` (the gap above a header), a header's text, or a task."""

    def __init__(
        self,
        groups: Sequence[tuple[str, int, bool] | tuple[str, int, bool, str]],
        fetch: Fetch,
        locate: Locate,
        longest_title: int = 0,
    ) -> None:
        self._fetch, self._locate = fetch, locate
        self.longest_title = longest_title
        self.groups: list[Group] = []
        row, first = 0, {False: 0, True: 0}
        for label, count, closed, *hint in groups:
            if not count:
                continue
            if self.groups:
                row += 1  # the gap above this header
            self.groups.append(Group(label, count, closed, first[closed], row, *hint))
            first[closed] += count
            row += 1 + count
        self.length = row
        self.task_count = sum(group.count for group in self.groups)
        self._headers = [group.header for group in self.groups]
        self._pages: dict[tuple[bool, int], Sequence[TaskSummary]] = {}

    @classmethod
    def empty(cls) -> BoardRows:
        return cls((), lambda _closed, _offset, _limit: (), lambda _task_id: None)

    def __len__(self) -> int:
        return self.length

    def _group(self, row: int) -> Group | None:
        index = bisect_right(self._headers, row) - 1
        return self.groups[index] if index >= 0 and 0 <= row < self.length else None

    def is_task(self, row: int) -> bool:
        group = self._group(row)
        return group is not None and group.header < row < group.end

    def item(self, row: int) -> TaskSummary | str:
        group = self._group(row)
        if group is None or row >= group.end:
            return ""
        if row == group.header:
            return f"{group.label} · {group.count:,}" + (f" · {group.hint}" if group.hint else "")
        return self._task(group.closed, group.first + row - group.header - 1)

    def task_id(self, row: int) -> int | None:
        item = self.item(row) if self.is_task(row) else None
        return item.id if isinstance(item, TaskSummary) else None

    def row_of(self, task_id: int) -> int | None:
        """The row of a listed task, or None."""
        place = self._locate(task_id)
        if place is None:
            return None
        closed, index = place
        for group in self.groups:
            if group.closed == closed and group.first <= index < group.first + group.count:
                return group.header + 1 + index - group.first
        return None

    def _task(self, closed: bool, index: int) -> TaskSummary | str:
        """A task from its page; "" if another program shortened the list since it was counted."""
        number = index // PAGE
        page = self._pages.get((closed, number))
        if page is None:
            if len(self._pages) >= _KEPT_PAGES:
                del self._pages[next(iter(self._pages))]  # the oldest page read
            page = self._pages[closed, number] = self._fetch(closed, number * PAGE, PAGE)
        offset = index - number * PAGE
        return page[offset] if offset < len(page) else ""


def store_rows(store: Reader, query: str = "", *, include_closed: bool = False) -> BoardRows:
    """The board's rows for a filter: counted now, read from the store a page at a time."""
    shape = store.board_shape(query, include_closed=include_closed)
    groups: list[tuple[str, int, bool] | tuple[str, int, bool, str]] = [
        (Stage.CLAIMED.label, shape.stages.get(Stage.CLAIMED, 0), False, CLAIMS_HINT)]
    groups += [(stage.label, shape.stages.get(stage, 0), False) for stage in Stage
               if stage is not Stage.CLAIMED]
    groups.append((CLOSED_LABEL, shape.closed, True))
    return BoardRows(
        groups,
        lambda closed, offset, limit: store.ranked_page(offset, limit, query, closed=closed),
        lambda task_id: store.place(task_id, query),
        shape.longest_title,
    )
