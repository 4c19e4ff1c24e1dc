"""The app's "Did you do this?" holds the yes to the final step it showed."""

from __future__ import annotations

from lastmile_tui.domain.task import Status
from lastmile_tui.store.store import Store
from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen
from tests.ui.conftest import press

SIZE = (120, 35)


async def test_a_final_step_changed_while_the_dialog_is_open_is_not_confirmed(seeded, make, db_path):
    app = make(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "c")
        assert isinstance(app.screen, ConfirmFinalScreen)
        assert app.screen.final_step == "email PDF to client"
        with Store(db_path) as other:  # another shell, while the dialog waits
            other.edit(1, final_step="email an empty PDF")
        await press(pilot, "y")
        task = seeded.get(1)
        assert task.status is Status.OPEN and task.final_step_confirmed_at is None
        messages = [str(n.message) for n in app._notifications]
        assert any("changed to 'email an empty PDF' while you were confirming" in m for m in messages)
        assert isinstance(app.screen, ConfirmFinalScreen)  # asked again, about the new text
        assert app.screen.final_step == "email an empty PDF"
        await press(pilot, "y")
        task = seeded.get(1)
        assert task.status is Status.DONE and task.final_step == "email an empty PDF"


async def test_the_dialog_names_the_steps_still_unchecked(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "c")  # "Write blog post": 1 of 3 steps checked
        assert isinstance(app.screen, ConfirmFinalScreen)
        note = app.screen.query_one("#steps-note")
        assert "2 of its 3 steps are still unchecked" in str(note.render())
        await press(pilot, "y")
        assert seeded.get(2).status is Status.DONE  # advice, not a rule


async def test_no_steps_note_when_the_checklist_is_done(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")
        assert isinstance(app.screen, ConfirmFinalScreen)
        assert not app.screen.query("#steps-note")
