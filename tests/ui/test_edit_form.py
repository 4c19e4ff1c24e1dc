"""The edit form (e) against another writer (issue 9, item 5) and checked steps (item 18)."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from lastmile_tui.domain.task import Status
from lastmile_tui.store.store import Store
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.task_form import TaskFormScreen
from tests.ui.conftest import press

SIZE = (120, 35)


def field(app, name: str) -> str:
    widget = app.screen.query_one(f"#{name}")
    return widget.text if isinstance(widget, TextArea) else app.screen.query_one(f"#{name}", Input).value


async def test_saving_the_form_keeps_a_field_changed_elsewhere_meanwhile(seeded, make, db_path, clock):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e")  # Send invoice
        assert isinstance(app.screen, TaskFormScreen)
        with Store(db_path, clock=clock) as shell:  # `lastmile edit 1 ...` from another shell
            shell.edit(1, title="Send invoice #42", notes="PO 7781", tags=["work", "urgent"])
        app.screen.query_one("#final_step", Input).value = "email PDF and file it"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BoardScreen)
    task = seeded.get(1)
    assert task.final_step == "email PDF and file it"  # yours
    assert task.title == "Send invoice #42" and task.notes == "PO 7781"  # theirs, not put back
    assert task.tags == ("work", "urgent")
    assert task.steps[0].done


async def test_the_same_field_changed_elsewhere_shows_both_and_overwrites_nothing(
    seeded, make, db_path, clock
):
    app = make(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "e")
        with Store(db_path, clock=clock) as shell:
            shell.edit(1, title="Send invoice #42")
        app.screen.query_one("#title", Input).value = "Send the March invoice"
        app.screen.query_one("#notes", TextArea).text = "mine"
        await press(pilot, "ctrl+s")
        # refused: nothing written, the form is back with yours in the box and theirs under it
        assert seeded.get(1).title == "Send invoice #42" and seeded.get(1).notes == ""
        assert isinstance(app.screen, TaskFormScreen)
        assert field(app, "title") == "Send the March invoice"
        assert field(app, "notes") == "mine"
        assert "theirs: Send invoice #42" in str(app.screen.query_one("#title-theirs").render())
        assert "title" in str(app.screen.query_one("#conflict").render())
        assert not app._notifications  # no toast over the form's buttons: the form says it
        # the person chooses: ctrl+t takes theirs for the title, the notes stay theirs to save
        await press(pilot, "ctrl+t")
        assert field(app, "title") == "Send invoice #42"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BoardScreen)
    task = seeded.get(1)
    assert task.title == "Send invoice #42" and task.notes == "mine"


async def test_saving_yours_after_seeing_theirs_keeps_yours(seeded, make, db_path, clock):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e")
        with Store(db_path, clock=clock) as shell:
            shell.edit(1, title="Send invoice #42", notes="theirs")
        app.screen.query_one("#title", Input).value = "Send the March invoice"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TaskFormScreen)
        assert field(app, "notes") == "theirs"  # a field you left alone shows theirs now
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BoardScreen)
    task = seeded.get(1)
    assert task.title == "Send the March invoice" and task.notes == "theirs"


async def test_rewording_a_checked_step_in_the_form_keeps_its_check(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "e")  # Write blog post: outline ✓, draft, edit
        app.screen.query_one("#steps", TextArea).text = "outline the post\ndraft\nedit"
        await press(pilot, "ctrl+s")
    task = seeded.get(2)
    assert [s.text for s in task.steps] == ["outline the post", "draft", "edit"]
    assert [s.done for s in task.steps] == [True, False, False]  # 1/3 stays 1/3
    assert task.status is Status.OPEN
