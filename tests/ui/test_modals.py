"""Pilot tests of the dialogs: each one collects an answer and dismisses it, nothing more."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Label, TextArea

from lastmile_tui.domain.task import Step, Task
from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen
from lastmile_tui.ui.screens.drop import DropAnswer, DropScreen
from lastmile_tui.ui.screens.final_step import FinalStepScreen
from lastmile_tui.ui.screens.help import HelpScreen
from lastmile_tui.ui.screens.task_form import TaskFormResult, TaskFormScreen
from tests.ui.conftest import press

NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday
UNSET = object()


class Harness(App[None]):
    """Pushes one dialog and keeps what it dismissed."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.dialog = screen
        self.result: Any = UNSET

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._store)

    def _store(self, result: Any) -> None:
        self.result = result


async def run(screen: Screen[Any], *keys: str) -> Harness:
    """Open *screen*, press *keys*, and return the app (its result, and the screen still open or not)."""
    app = Harness(screen)
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        await press(pilot, *keys)
    return app


def note(screen: Screen[Any], name: str) -> Label:
    return screen.query_one(f"#{name}-note", Label)


# --- the finishing guard ---------------------------------------------------------------------


async def test_confirm_y_says_yes() -> None:
    app = await run(ConfirmFinalScreen("Invoice", "email the PDF"), "y")
    assert app.result is True


@pytest.mark.parametrize("keys", [("n",), ("escape",), ("x",), ("enter",), ("tab", "enter"), ("Y",)])
async def test_confirm_every_other_key_says_no(keys: tuple[str, ...]) -> None:
    app = await run(ConfirmFinalScreen("Invoice", "email the PDF"), *keys)
    assert app.result is False


async def test_confirm_enter_on_the_focused_confirm_button_says_no() -> None:
    app = Harness(ConfirmFinalScreen("Invoice", "email the PDF"))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        app.screen.query_one("#confirm").focus()
        await press(pilot, "enter")
    assert app.result is False


@pytest.mark.parametrize(
    ("screen", "keys", "result"),
    [
        (lambda: ConfirmFinalScreen("Invoice", "email the PDF"), ("n", "y"), False),
        (lambda: FinalStepScreen("Invoice", current="email it"), ("enter", "enter"), "email it"),
        (lambda: DropScreen("Invoice"), ("enter", "enter"), DropAnswer(None)),
    ],
)
async def test_keys_typed_ahead_are_not_a_second_answer(
    screen: Any, keys: tuple[str, ...], result: Any
) -> None:
    """Both keys reach the dialog before it closes; a second dismiss would pop the screen below."""
    app = Harness(screen())
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        for key in keys:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        assert len(app.screen_stack) == 1
    assert app.result == result


async def test_confirm_click_says_yes_and_shows_the_final_step() -> None:
    app = Harness(ConfirmFinalScreen("Invoice [draft]", "email the [b]signed[/b] PDF"))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#final-step").render())
        assert "email the [b]signed[/b] PDF" in shown  # user text is never read as markup
        await pilot.click("#confirm")
        await pilot.pause()
    assert app.result is True


# --- the task form ---------------------------------------------------------------------------


async def test_form_blank_title_is_refused_inline() -> None:
    app = Harness(TaskFormScreen(NOW))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        await press(pilot, "ctrl+s")
        assert app.result is UNSET
        assert isinstance(app.screen, TaskFormScreen)
        error = note(app.screen, "title")
        assert error.display and error.has_class("error")
        assert "title must not be blank" in str(error.render())
        assert app.screen.focused is app.screen.query_one("#title")


async def test_form_unreadable_due_is_refused_inline() -> None:
    app = Harness(TaskFormScreen(NOW))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        await pilot.press(*"Pay rent")
        app.screen.query_one("#due", Input).value = "someday"
        await press(pilot, "ctrl+s")
        assert app.result is UNSET
        error = note(app.screen, "due")
        assert error.has_class("error")
        assert "'someday'" in str(error.render())


async def test_form_due_preview_follows_the_typing() -> None:
    app = Harness(TaskFormScreen(NOW))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        app.screen.query_one("#due").focus()
        await press(pilot, *"fri")
        preview = note(app.screen, "due")
        assert str(preview.render()) == "→ Fri 27 Nov"
        assert not preview.has_class("error")
        await press(pilot, *" 5pm")
        assert str(preview.render()) == "→ Fri 27 Nov 17:00"
        await press(pilot, "backspace", "backspace")
        assert preview.has_class("error")
        assert "'fri 5'" in str(preview.render())
        for _ in range(5):
            await press(pilot, "backspace")
        assert not preview.display


async def test_form_returns_cleaned_values() -> None:
    app = Harness(TaskFormScreen(NOW))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"  Send invoice  ")
        screen.query_one("#final_step", Input).value = " email the PDF to ACME "
        screen.query_one("#steps", TextArea).text = "draft it\n\n   \n get it signed \n"
        screen.query_one("#due", Input).value = "fri"
        screen.query_one("#tags", Input).value = "+work money +work"
        screen.query_one("#notes", TextArea).text = "  PO 1234\nask Dana  "
        await press(pilot, "ctrl+s")
    assert app.result == TaskFormResult(
        title="Send invoice",
        final_step="email the PDF to ACME",
        steps=["draft it", "get it signed"],
        due="fri",
        tags=["work", "money"],
        notes="PO 1234\nask Dana",
    )


async def test_form_save_button_saves_and_enter_moves_on() -> None:
    app = Harness(TaskFormScreen(NOW))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        await pilot.press(*"Call mum", "enter")
        assert app.result is UNSET
        assert app.screen.focused is app.screen.query_one("#final_step")
        await pilot.click("#save")
        await pilot.pause()
    assert app.result == TaskFormResult("Call mum", "", [], "", [], "")


async def test_form_edit_prefills_every_field() -> None:
    task = Task(
        id=3,
        title="Invoice",
        final_step="email the PDF",
        steps=(Step("draft"), Step("sign", done_at=NOW)),
        tags=("work", "money"),
        notes="PO 1234",
        due=date(2026, 12, 3),
    )
    app = Harness(TaskFormScreen(NOW, task))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.focused is screen.query_one("#title")
        assert screen.query_one("#dialog").border_title == "Edit task"
        assert screen.query_one("#title", Input).value == "Invoice"
        assert screen.query_one("#final_step", Input).value == "email the PDF"
        assert screen.query_one("#steps", TextArea).text == "draft\nsign"
        assert screen.query_one("#due", Input).value == "2026-12-03"
        assert str(note(screen, "due").render()) == "→ Thu 3 Dec"
        assert screen.query_one("#tags", Input).value == "work money"
        assert screen.query_one("#notes", TextArea).text == "PO 1234"
        await press(pilot, "ctrl+s")
    assert app.result == TaskFormResult(
        "Invoice", "email the PDF", ["draft", "sign"], "2026-12-03", ["work", "money"], "PO 1234"
    )


async def test_form_escape_cancels() -> None:
    app = await run(TaskFormScreen(NOW, heading="Quick add"), *"half typed", "escape")
    assert app.result is None


# --- naming the final step ------------------------------------------------------------------------


async def test_final_step_blank_is_refused_inline() -> None:
    app = Harness(FinalStepScreen("Invoice", reason="This task has no finish line yet."))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        await press(pilot, " ", "enter")
        assert app.result is UNSET
        error = app.screen.query_one("#final-error", Label)
        assert error.display
        assert str(error.render()) == "the final step must not be blank"


async def test_final_step_returns_the_cleaned_text() -> None:
    app = await run(FinalStepScreen("Invoice"), *" email the PDF ", "enter")
    assert app.result == "email the PDF"


async def test_final_step_prefills_the_current_text() -> None:
    app = await run(FinalStepScreen("Invoice", current="email it"), "enter")
    assert app.result == "email it"


async def test_final_step_escape_cancels() -> None:
    app = await run(FinalStepScreen("Invoice"), *"email", "escape")
    assert app.result is None


# --- dropping -------------------------------------------------------------------------------------


async def test_drop_returns_the_reason() -> None:
    app = await run(DropScreen("Invoice"), *" client cancelled ", "enter")
    assert app.result == DropAnswer("client cancelled")


async def test_drop_without_a_reason() -> None:
    app = await run(DropScreen("Invoice"), "enter")
    assert app.result == DropAnswer(None)


async def test_drop_escape_keeps_the_task() -> None:
    app = await run(DropScreen("Invoice"), *"nah", "escape")
    assert app.result is None


# --- help -----------------------------------------------------------------------------------------

SECTIONS = [("Board", [("j / k", "move"), ("c", "complete")]), ("Review", [("s", "snooze")])]


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_help_lists_the_keys_and_closes(key: str) -> None:
    app = Harness(HelpScreen(SECTIONS))
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        shown = [str(label.render()) for label in app.screen.query(Label)]
        for heading, keys in SECTIONS:
            assert heading in shown
            for key_name, meaning in keys:
                assert key_name in shown and meaning in shown
        await press(pilot, key)
        assert not isinstance(app.screen, HelpScreen)
    assert app.result is None
