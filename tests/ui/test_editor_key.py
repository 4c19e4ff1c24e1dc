"""``E``: the highlighted task in $VISUAL/$EDITOR, from the board and the detail screen.

The editor is a real program (a small Python script). Under the headless pilot
Textual cannot suspend (``SuspendNotSupported``: there is no terminal to hand
over), so the flow runs the editor as it is there; on a terminal it runs inside
``App.suspend()`` (tried by hand in tmux, see the README).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lastmile_tui.ui import keys
from lastmile_tui.ui.screens.detail import TaskDetailScreen
from tests.ui.conftest import press

SCRIPT = """\
import pathlib, re, sys
path = pathlib.Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
pathlib.Path({log!r}).write_text(text, encoding="utf-8")
text = re.sub(r"(?m)^title:.*$", "title: {title}", text, count=1)
text = re.sub(r"(?m)^priority:.*$", "priority: H", text, count=1)
text = text.replace("\\n[ ] ", "\\n[x] ", 1)
path.write_text(text, encoding="utf-8")
"""


@pytest.fixture
def person_edits(tmp_path: Path, monkeypatch):
    """Make a script the person's editor; it renames the task to *title*, sets priority H and
    checks the first unchecked step. Returns the path where it leaves the text it was shown."""

    def install(title: str) -> Path:
        log = tmp_path / "shown.txt"
        script = tmp_path / "editor.py"
        script.write_text(SCRIPT.format(log=str(log), title=title), encoding="utf-8")
        monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
        return log

    return install


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_E_on_the_board_edits_the_highlighted_task_in_the_editor(seeded, make, person_edits):
    shown = person_edits("Send invoice #42 [/] [@click=app.quit]")
    app = make(seeded)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await press(pilot, "E")
        await pilot.pause()
        task = seeded.get(1)
        assert task.title == "Send invoice #42 [/] [@click=app.quit]"  # plain text, kept as typed
        assert task.priority is not None and task.priority.value == "H"
        assert messages(app)[-1] == ("Edited Send invoice #42 [/] [@click=app.quit]: "
                                     "title, priority → H")
        assert app.is_running  # the markup-like title neither crashed nor quit the app
    assert shown.read_text(encoding="utf-8").startswith("# Task 1: Send invoice — save and close")


async def test_E_on_the_detail_screen_and_its_marks(seeded, make, person_edits):
    person_edits("Write the blog post")
    app = make(seeded)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, "j", "enter")  # Write blog post, full screen at 80 columns
        assert isinstance(app.screen, TaskDetailScreen)
        await press(pilot, "E")
        await pilot.pause()
        assert isinstance(app.screen, TaskDetailScreen)
        task = seeded.get(2)
        assert task.title == "Write the blog post"
        assert [s.done for s in task.steps] == [True, True, False]  # one step checked in the text
        assert "1 step checked" in messages(app)[-1]


async def test_an_editor_that_fails_is_a_notification_and_nothing_changes(seeded, make, monkeypatch):
    monkeypatch.setenv("VISUAL", "false")
    before = seeded.get(1)
    app = make(seeded)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await press(pilot, "E")
        await pilot.pause()
        assert "the editor 'false' exited with status 1; nothing was changed" in messages(app)[-1]
        assert app.is_running
    assert seeded.get(1) == before


async def test_an_unchanged_document_says_so(seeded, make, monkeypatch):
    monkeypatch.setenv("VISUAL", "true")  # saves nothing: the text comes back as it was
    app = make(seeded)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await press(pilot, "E")
        await pilot.pause()
        assert messages(app)[-1] == "Send invoice: no changes; nothing was changed."


def test_E_is_declared_once_and_listed_in_help_and_palette():
    for table, key_id in ((keys.BOARD, "edit_in_editor"), (keys.DETAIL, "detail_edit_in_editor")):
        assert table[key_id].keys == ("E",)
        assert any(k == "E" for k, _ in table.help_lines())
        assert any(title == "Edit task in $EDITOR" for title, _, _ in table.palette_entries())
