"""The ``$EDITOR`` document (``formats/editor.py``) applied through the store's one door.

The CLI's ``lastmile edit ID`` and the app's ``E`` both call these, so a
document means the same thing everywhere. Values are read here against the
store's clock, one field at a time, so an unreadable one is named
(``due: cannot read due date 'frday' …``) and the editor can reopen on it.
Only the lines a person changed from the document they were shown are sent, and
with the task they were shown as ``base``: a field changed elsewhere meanwhile
is kept, or both values are named (``EditConflict``). Step marks go in the same
transaction as the rest. The final step is never confirmed from a document:
only ``done`` confirms, and new words for it withdraw a confirmation as always.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lastmile_tui.domain.dates import parse_due, parse_wait
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.recurrence import parse_recurrence
from lastmile_tui.domain.task import Task, clean_priority
from lastmile_tui.formats import editor

if TYPE_CHECKING:
    from lastmile_tui.store.store import Store

NAMES = {field: name for name, field in editor.FIELDS.items()}
"""Each Task field's name in the document (``final_step`` is written ``final``)."""


def document_for(task: Task | None) -> str:
    """The document a person edits: a task's (*None*: a new one's, empty)."""
    what = "New task" if task is None else f"Task {task.id}: {task.title}"
    return editor.write(task, " ".join(what.split()))


def _values(store: Store, doc: editor.Document, names: set[str]) -> dict[str, Any]:
    """The store's arguments for the document fields *names*, each read against the store's clock;
    ``InvalidInput`` names the field a value cannot be read for."""
    now = store.clock()
    text = doc.values
    readers: dict[str, Any] = {
        "title": lambda v: v,
        "final_step": lambda v: v,
        "due": lambda v: parse_due(v, now),
        "wait": lambda v: parse_wait(v, now),
        "priority": clean_priority,
        "tags": editor.tags,
    }
    values: dict[str, Any] = {}
    for name in sorted(names & readers.keys()):
        value = text.get(name, "")
        if not value and name not in ("title", "final_step", "tags"):
            values[name] = None  # an empty value clears the field
            continue
        try:
            values[name] = readers[name](value)
        except InvalidInput as exc:
            raise InvalidInput(f"{NAMES[name]}: {exc}") from None
    if "repeat" in names:
        values["repeat"] = _repeat(doc, now)
    return values


def _repeat(doc: editor.Document, now: datetime) -> Any:
    """The repeat line, read against the document's due date (today without one)."""
    text = doc.values.get("repeat", "")
    if not text:
        return None
    anchor: Any = now.date()
    if doc.values.get("due"):
        with suppress(InvalidInput):  # the due line names its own error
            anchor = parse_due(doc.values["due"], now)
    try:
        return parse_recurrence(text, anchor.date() if isinstance(anchor, datetime) else anchor)
    except InvalidInput as exc:
        raise InvalidInput(f"repeat: {exc}") from None


def _changed(doc: editor.Document, shown: editor.Document) -> set[str]:
    """The one-line fields whose text differs from the document that was shown."""
    return {name for name in editor.FIELDS.values()
            if doc.values.get(name, "") != shown.values.get(name, "")}


def apply_document(store: Store, base: Task, doc: editor.Document) -> Task:
    """Write what the person changed in *doc* to the task it was made from (*base*), in one
    transaction; the task unchanged when nothing differs."""
    assert base.id is not None
    shown = editor.read(document_for(base))
    assert shown is not None  # a task's document always has its title
    values = _values(store, doc, _changed(doc, shown))
    texts = [text for text, _ in doc.steps]
    if texts != [text for text, _ in shown.steps]:
        values["steps"] = texts
    if [mark for _, mark in doc.steps] != [mark for _, mark in shown.steps]:
        values["checks"] = [mark for _, mark in doc.steps]
        values.setdefault("steps", texts)  # the marks belong to these texts
    if doc.notes != shown.notes:
        values["notes"] = doc.notes
    if not values:
        return base
    return store.edit(base.id, base=base, **values)


def add_document(store: Store, doc: editor.Document) -> Task:
    """A new task from *doc*, in one transaction (steps marked ``[x]`` start done)."""
    values = _values(store, doc, set(editor.FIELDS.values()))
    return store.add(
        values.pop("title"),
        steps=[text for text, _ in doc.steps],
        checks=[mark for _, mark in doc.steps],
        notes=doc.notes,
        **values,
    )
