"""The ``$EDITOR`` document applied through the store (``store/document.py``, ``editing.py``) and
the step marks it carries (``domain/edit.py``): one transaction, fields named when unreadable,
an unchanged document a no-op whatever the task holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lastmile_tui import editing
from lastmile_tui.domain import edit as edits
from lastmile_tui.domain import task as rules
from lastmile_tui.domain.changes import Change
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Priority, Step, Task
from lastmile_tui.formats import editor
from lastmile_tui.store import document
from lastmile_tui.store.store import Store

NOW = datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db", clock=lambda: NOW, create=True) as s:
        yield s


def edited(text: str, **fields: str) -> str:
    """*text* with the one-line *fields* (document names) rewritten."""
    lines = text.split("\n")
    for name, value in fields.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
        lines[index] = f"{name}: {value}"
    return "\n".join(lines)


def apply(store: Store, task_id: int, text: str) -> Task:
    doc = editor.read(text)
    assert doc is not None
    return document.apply_document(store, store.get(task_id), doc)


# -- the marks, pure ------------------------------------------------------------------------


def test_only_marks_that_differ_from_the_reference_count_as_changed():
    base = Task(1, "t", steps=(Step("a", NOW), Step("b"), Step("c")))
    assert edits.changed_marks(base, ["a", "b", "c"], [True, False, False], NOW) == []
    changed = edits.changed_marks(base, ["a", "b", "c"], [False, True, False], NOW)
    assert changed == [("a", False), ("b", True)]
    # a reworded step carries its mark; the document's explicit mark decides
    assert edits.changed_marks(base, ["A!", "b", "c"], [True, False, False], NOW) == []


def test_marks_are_applied_by_text_and_skip_steps_gone_meanwhile():
    task = Task(1, "t", steps=(Step("a"), Step("b"), Step("a")))
    marked = edits.apply_marks(task, [("a", True), ("a", True), ("gone", True)], NOW)
    assert [s.done for s in marked.steps] == [True, False, True]
    assert edits.change_detail(task, marked) == "2 steps checked"


# -- through the store ------------------------------------------------------------------------


def test_a_document_is_one_edit_event_with_its_marks(store):
    store.add("Pay rent", final_step="transfer confirmed", steps=["log in", "find the IBAN"])
    text = document.document_for(store.get(1)).replace("[ ] log in", "[x] log in")
    task = apply(store, 1, edited(text, title="Pay December rent", priority="M"))
    assert task.title == "Pay December rent" and task.priority is Priority.M and task.steps[0].done
    events = store.history(1)
    assert [e.kind for e in events].count(EventKind.EDITED) == 1
    assert [e.kind for e in events].count(EventKind.STEP_CHECKED) == 0


@pytest.mark.parametrize(("name", "value", "start"), [
    ("due", "frday", "due: cannot read due date 'frday'"),
    ("wait", "fri 5pm", "wait: cannot read wait date 'fri 5pm'"),
    ("priority", "urgent", "priority: "),
    ("repeat", "every blue moon", "repeat: "),
])
def test_an_unreadable_value_names_its_field_and_writes_nothing(store, name, value, start):
    store.add("Pay rent")
    before = store.get(1)
    with pytest.raises(InvalidInput) as raised:
        apply(store, 1, edited(document.document_for(before), title="other", **{name: value}))
    assert str(raised.value).startswith(start)
    assert store.get(1) == before


def test_a_mark_checked_elsewhere_meanwhile_is_kept(store):
    store.add("Pay rent", steps=["log in", "find the IBAN", "send it"])
    base = store.get(1)
    text = document.document_for(base).replace("[ ] send it", "[x] send it")
    store.check(1, 1)  # another program, while the editor was open
    doc = editor.read(text)
    assert doc is not None
    task = document.apply_document(store, base, doc)
    assert [s.done for s in task.steps] == [True, False, True]


def test_new_final_words_withdraw_a_confirmation_other_lines_keep_it(store):
    store.add("Sign lease", final_step="post the signed copy")
    store.apply([Change(1, rules.confirm_final, EventKind.FINAL_CONFIRMED)])
    text = document.document_for(store.get(1))
    assert "# the final step is confirmed" in text
    assert apply(store, 1, edited(text, title="Sign the lease")).final_confirmed
    task = apply(store, 1, edited(text, final="scan and email it"))
    assert task.final_step == "scan and email it" and not task.final_confirmed


def test_the_editor_session_in_process(store):
    store.add("Pay rent", steps=["log in"])
    seen: list[str] = []

    def person(text: str) -> str:
        seen.append(text)
        if len(seen) == 1:
            return edited(text, due="frday")
        return edited(text, due="2026-12-24")

    result = editing.edit_task(store, 1, edit=person)
    assert result.changed and result.describe() == "due"
    assert seen[1].startswith("# ERROR: due: cannot read due date 'frday'")
    assert editing.edit_task(store, 1, edit=lambda text: text).changed is False
    assert editing.add_task(store, edit=lambda text: "") is None
    added = editing.add_task(store, edit=lambda text: edited(text, title="New one", repeat="monthly"))
    assert added is not None and added.repeat is not None and added.series == added.uid


# -- an unchanged document changes nothing, whatever the task holds ---------------------------

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=texts, final=st.one_of(st.just(""), texts),
    steps=st.lists(st.tuples(texts, st.booleans()), max_size=4),
    due=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2030, 1, 1))),
    wait=st.one_of(st.none(), st.integers(1, 60)),
    priority=st.one_of(st.none(), st.sampled_from(list(Priority))),
    repeat=st.sampled_from(["", "daily", "weekly on fri", "monthly", "every 2 weeks", "2 weeks after done"]),
    tags=st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True), max_size=3, unique=True),
    notes=st.text(max_size=40),
)
def test_an_unchanged_document_reads_back_as_no_change(tmp_path_factory, title, final, steps, due, wait,
                                                       priority, repeat, tags, notes):
    path = tmp_path_factory.mktemp("doc") / "t.db"
    with Store(path, clock=lambda: NOW, create=True) as store:
        try:
            task = store.add(title, final_step=final, steps=[s for s, _ in steps],
                             checks=[c for _, c in steps], due=due,
                             wait=NOW.date() + timedelta(days=wait) if wait else None,
                             priority=priority, repeat=repeat or None, tags=tags, notes=notes)
        except InvalidInput:
            return  # text the task rules refuse never reaches a document
        text = document.document_for(task)
        doc = editor.read(text)
        assert doc is not None
        assert document.apply_document(store, task, doc) == task
        assert len(store.history(task.id)) == 1
