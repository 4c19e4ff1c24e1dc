"""The board's very top shows the tasks another app says are done (a CalDAV sync brought the
claim), each waiting for its final step to be confirmed here; the detail pane asks the question."""

from __future__ import annotations

from datetime import datetime

from lastmile_tui.domain.imports import OWNABLE, Batch, arrived
from lastmile_tui.domain.sync import claimed
from lastmile_tui.domain.task import Status, Task
from lastmile_tui.ui.widgets.detail import TaskDetail

SIZE = (120, 30)
DONE_ON_THE_PHONE = datetime(2026, 11, 25, 8, 0)


def claim(store, title: str, final_step: str) -> Task:
    task = Task(None, title, final_step=final_step, uid="phone-rent", status=Status.DONE,
                done_at=DONE_ON_THE_PHONE, created_at=DONE_ON_THE_PHONE, updated_at=DONE_ON_THE_PHONE)
    incoming = claimed(arrived(task, "VTODO 1", OWNABLE, "CalDAV"), "CalDAV")
    return store.import_tasks(Batch("CalDAV", [incoming])).added[0]


async def test_a_claimed_task_is_at_the_very_top_until_it_is_confirmed(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#claims")
        assert not banner.display  # nothing claimed: no banner at all
    task = claim(seeded, "Pay [b]rent[/b]", "check the bank shows it")
    assert task.status is Status.OPEN and task.done_claimed_at == DONE_ON_THE_PHONE
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#claims")
        text = str(banner.render())
        assert banner.display and text.startswith("Completed elsewhere")
        question = "completed elsewhere \u2014 did you do \u2039check the bank shows it\u203a?"
        assert f"#{task.id} Pay [b]rent[/b]: {question}" in text  # the title as typed, never markup
        assert banner.region.y < app.screen.query_one("#tasks").region.y
        app.screen.query_one(TaskDetail).show(seeded.get(task.id), [], seeded.clock())
        await pilot.pause()
        reason = str(app.screen.query_one("#detail-reason").render())
        assert reason == question
        seeded.complete(task.id, confirm=True)
        app.screen.reload()
        await pilot.pause()
        assert not app.screen.query_one("#claims").display
