"""u in the app: a change made outside this window is named and asked about first (issue 9, item 31)."""

from __future__ import annotations

from lastmile_tui.domain.task import Status
from lastmile_tui.store.store import Store
from lastmile_tui.ui.screens.ask import AskScreen
from lastmile_tui.ui.screens.board import BoardScreen
from tests.ui.conftest import press

SIZE = (120, 35)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_undo_of_a_change_made_elsewhere_names_it_and_asks_first(seeded, make, db_path, clock):
    app = make(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        with Store(db_path, clock=clock) as shell:  # `lastmile add "Renew passport"`
            shell.add("Renew passport")
        clock.advance(hours=2, minutes=5)
        await press(pilot, "u")
        assert isinstance(app.screen, AskScreen)
        question = str(app.screen.query_one("#question").render())
        assert question == "Undo “added Renew passport”, made outside this window 2h ago?"
        await press(pilot, "n")
        assert isinstance(app.screen, BoardScreen)
        assert seeded.get(4).status is Status.OPEN  # nothing undone
        assert "Nothing was undone." in messages(app)
        await press(pilot, "u")
        assert isinstance(app.screen, AskScreen)
        await press(pilot, "y")
        assert seeded.get(4).status is Status.DROPPED  # the add is undone
        assert any(m.startswith("Undid added: Renew passport") for m in messages(app))


async def test_undo_of_this_windows_own_change_does_not_ask(seeded, make, db_path, clock):
    with Store(db_path, clock=clock) as shell:
        shell.check(2, 2)  # an older change from a shell: not the one u undoes
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "space")
        assert seeded.get(2).steps_done == 3
        await press(pilot, "u")
        assert isinstance(app.screen, BoardScreen)  # made here: undone at once
        assert seeded.get(2).steps_done == 2
        await press(pilot, "u")  # next: the shell's check, so it asks
        assert isinstance(app.screen, AskScreen)
        assert "“step checked: 2. draft” on “Write blog post”" in str(
            app.screen.query_one("#question").render())
        await press(pilot, "escape")
        assert seeded.get(2).steps_done == 2


async def test_undo_refuses_when_another_change_lands_while_asking(seeded, make, db_path, clock):
    app = make(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        with Store(db_path, clock=clock) as shell:
            shell.add("Renew passport")
            await press(pilot, "u")
            assert isinstance(app.screen, AskScreen)
            shell.edit(1, title="Send invoice #42")  # lands while the person reads the question
        await press(pilot, "y")
        assert isinstance(app.screen, BoardScreen)
        assert seeded.get(4).status is Status.OPEN and seeded.get(1).title == "Send invoice #42"
        assert any("another change was made meanwhile" in m and "nothing was undone" in m
                   for m in messages(app))
