"""The app's detail pane says what an import brought: the priority, a wait, and a task finished
in another tool as done there, never as confirmed in lastmile."""

from __future__ import annotations

from datetime import date, datetime

from textual.app import App, ComposeResult

from lastmile_tui.domain.task import Priority, Status, Task
from lastmile_tui.ui.widgets.detail import TaskDetail

NOW = datetime(2026, 11, 30, 9, 0)


class DetailApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TaskDetail(id="detail")


def rendered(app: App, name: str) -> str:
    return str(app.query_one(f"#{name}").render())


async def test_done_elsewhere_priority_and_wait_are_shown():
    app = DetailApp()
    async with app.run_test(size=(80, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        done = Task(7, "Read the old report", status=Status.DONE, done_at=NOW, done_elsewhere="Taskwarrior",
                    created_at=NOW, updated_at=NOW)
        detail.show(done, [], NOW)
        await pilot.pause()
        assert rendered(app, "detail-reason") == (
            "done in Taskwarrior (imported; final step not confirmed in lastmile)")
        waiting = Task(8, "Plan the garden", priority=Priority.L, wait=date(2030, 3, 1), created_at=NOW,
                       updated_at=NOW)
        detail.show(waiting, [], NOW)
        await pilot.pause()
        meta = rendered(app, "detail-meta")
        assert "Wait  2030-03-01 (waiting until 2030-03-01)" in meta and "Priority  L" in meta
