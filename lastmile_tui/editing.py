"""Editing a task in the person's own editor: the one conversation the CLI and the app share.

Open the task's document (``store/document.py``) in ``$VISUAL``/``$EDITOR``;
a line that cannot be read, or a field another program changed meanwhile,
reopens the editor on the same text with the error as a comment on top; an
unchanged or emptied file changes nothing. ``lastmile edit ID`` calls these
directly, the app's ``E`` inside ``App.suspend()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lastmile_tui.domain.errors import EditConflict, InvalidInput
from lastmile_tui.formats import editor
from lastmile_tui.store import document
from lastmile_tui.texteditor import edit_until_read, run_editor

if TYPE_CHECKING:
    from lastmile_tui.domain.task import Task
    from lastmile_tui.store.store import Store

Edit = Callable[[str], str]
"""What runs the editor: the text in, the saved text out (tests pass their own)."""

NOTHING_CHANGED = "no changes; nothing was changed"
NOTHING_ADDED = "no changes; nothing added"


@dataclass(frozen=True)
class Edited:
    """What an editor session did: the task before and after (equal when nothing changed)."""

    before: Task
    after: Task

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def describe(self) -> str:
        """``title, due, 1 step checked``: the fields that changed, as the history says them."""
        from lastmile_tui.domain.edit import change_detail

        return change_detail(self.before, self.after)


def edit_task(store: Store, task_id: int, edit: Edit = run_editor) -> Edited:
    """Edit task *task_id* in the editor until what is saved reads and applies."""
    before = base = store.get(task_id)
    after = before

    def apply(text: str) -> Task | None:
        nonlocal base
        doc = editor.read(text)
        if doc is None:  # emptied: change nothing
            return None
        try:
            return document.apply_document(store, base, doc)
        except EditConflict as clash:  # saving again writes yours over theirs
            base = clash.current
            theirs = "; ".join(c.describe() for c in clash.conflicts)
            raise InvalidInput(f"{theirs}; delete this line and save to write yours") from None

    result = edit_until_read(document.document_for(before), apply, editor.with_error, edit)
    if result is not None:
        after = result
    elif base is not before:  # the person gave up after a conflict: show the task as it is
        before = after = base
    return Edited(before, after)


def add_task(store: Store, edit: Edit = run_editor) -> Task | None:
    """A new task from an empty document; None when it came back unchanged or emptied."""

    def apply(text: str) -> Task | None:
        doc = editor.read(text)
        return None if doc is None else document.add_document(store, doc)

    return edit_until_read(document.document_for(None), apply, editor.with_error, edit)
