"""Text people really type renders in the app without breaking it (issue 4: bad input everywhere)."""

from __future__ import annotations

from rich.cells import cell_len

from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen
from lastmile_tui.ui.widgets.detail import TaskDetail
from lastmile_tui.ui.widgets.task_list import TaskList
from tests.ui.conftest import press

AWKWARD = [
    ("Ship 🚀 release [b]not bold[/b] $var", "tag ✅ and [link]announce[/link]"),
    ("إرسال الفاتورة إلى العميل", "أرسل الملف"),
    ("税金の申告 — 書類を送る", "郵便で送る"),
    ("x" * 500, "y" * 500),
]


async def test_awkward_titles_notes_and_final_steps_render(store, make):
    for title, final in AWKWARD:
        task = store.add(title, final_step=final, steps=["a"], notes="n" * 10_000 + "\nline two")
        store.check(task.id, 1)
    app = make(store)
    async with app.run_test(size=(100, 30)) as pilot:
        task_list = app.screen.query_one(TaskList)
        assert task_list.task_count == len(AWKWARD)
        for _ in AWKWARD:
            detail = app.screen.query_one(TaskDetail)
            title = str(app.screen.query_one("#detail-title").render())
            assert detail.shown.title[:20] in title  # markup-like text is shown, not applied
            await press(pilot, "j")
        for row in range(task_list.virtual_size.height):
            text = task_list.row_text(row)
            assert cell_len(text) == task_list.scrollable_content_region.width  # wide text fits
        await press(pilot, "g", "c")
        assert isinstance(app.screen, ConfirmFinalScreen)
        await press(pilot, "n")
        app.save_screenshot("awkward.svg", str(store.path.parent))
    assert (store.path.parent / "awkward.svg").stat().st_size > 0
