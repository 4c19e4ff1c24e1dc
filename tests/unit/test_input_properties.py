"""Any text at all, typed into any field: stored and read back exactly, or refused with one clean line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lastmile_tui.domain import task as rules
from lastmile_tui.domain.errors import InvalidInput, LastmileError
from lastmile_tui.formats.record import task_from_dict, task_to_dict
from tests.oracles.store import summaries
from tests.unit.test_store import dump

AWKWARD = [
    "", " ", "+", "++", ",", "a,b", "\x00", "\x1b[31mred", "\x9bcsi", "\x7f", "\t", "a\tb\nc",
    "\u202eevil\u202c", "\u2028", "\ufeffbom", "e\u0301", "🚀" * 130, "שלום עולם", "مرحبا",
    "日本語のタスク", "Zoë", "x" * 501, "2026-02-30", "2026-12-03", "fri 25:00", "fri 5pm",
    "in 99999999999 days", "+9999999y", "dec 32", "feb 29 2027", "feb 29 2028", "0000-01-01",
    "9999-12-31", "today", "eom", "noon", "13pm", "in 3h", "tomorrow 9:60",
]
TEXT = st.one_of(st.text(max_size=80), st.sampled_from(AWKWARD),
                 st.text(st.characters(codec="utf-8"), max_size=600))
DUE = st.one_of(st.none(), TEXT, st.from_regex(r"\A\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?\Z"),
                st.from_regex(r"\A(in |\+)\d{1,12} ?(h|d|w|m|y|days|weeks|months|years)\Z"))
SETTINGS = settings(max_examples=250, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_clean_refusal(exc: LastmileError) -> None:
    assert isinstance(exc, InvalidInput), repr(exc)
    assert str(exc) and "\n" not in str(exc)


@SETTINGS
@given(title=TEXT, final=TEXT, tags=st.lists(TEXT, max_size=4), due=DUE)
def test_add_stores_faithfully_or_refuses_cleanly(store, db_path, title, final, tags, due):
    before = dump(db_path)
    try:
        task = store.add(title, final_step=final, tags=tags, due=due)
    except LastmileError as exc:
        assert_clean_refusal(exc)
        assert dump(db_path) == before
        return
    again = store.get(task.id)
    assert again == task
    assert again.title == rules.clean_title(title) and again.title.strip() == again.title
    assert again.final_step == rules.clean_final_step(final)
    assert again.tags == rules.clean_tags(tags)
    assert (again.due is None) == (due is None or not due.strip())
    summary = next(s for s in summaries(store, include_closed=True) if s.id == task.id)
    assert (summary.title, summary.final_step, summary.tags, summary.due) == (
        again.title, again.final_step, again.tags, again.due)
    assert task_from_dict(task_to_dict(again)) == again  # history snapshots and export keep it too


@SETTINGS
@given(title=TEXT, final=TEXT, tags=st.lists(TEXT, max_size=4), due=DUE, notes=TEXT)
def test_edit_stores_faithfully_or_refuses_cleanly(store, db_path, title, final, tags, due, notes):
    task_id = store.add("target").id
    before = dump(db_path)
    try:
        task = store.edit(task_id, title=title, final_step=final, tags=tags, due=due, notes=notes)
    except LastmileError as exc:
        assert_clean_refusal(exc)
        assert dump(db_path) == before
        return
    assert store.get(task_id) == task
    assert task.notes == rules.clean_notes(notes)
    restored, _event = store.undo()  # and the history can always put it back
    assert restored.title == "target" and store.get(task_id).title == "target"
