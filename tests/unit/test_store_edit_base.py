"""An edit made from a form writes only what the person changed (issue 9, item 5).

Two ``Store`` objects on the same real SQLite file stand for the app and a
``lastmile edit`` in another shell.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lastmile_tui.cli.errors import exit_status
from lastmile_tui.domain.errors import EditConflict
from lastmile_tui.domain.history import EventKind
from lastmile_tui.store.store import Store
from tests.unit.test_store import dump


def form(task) -> dict:
    """Every field as the edit form sends it back when the person changed nothing."""
    return {
        "title": task.title, "final_step": task.final_step,
        "steps": [s.text for s in task.steps], "due": None if task.due is None else task.due,
        "tags": list(task.tags), "notes": task.notes,
    }


@pytest.fixture
def other(db_path, clock):
    with Store(db_path, clock=clock) as s:
        yield s


def test_fields_the_person_did_not_change_are_not_written(store, other):
    task = store.add("Send invoice", final_step="email PDF", steps=["export hours"],
                     tags=["work"], notes="old notes", due="fri")
    base = store.get(task.id)
    other.edit(task.id, title="Send invoice #42", notes="PO number 7781", tags=["work", "urgent"])
    other.check(task.id, 1)
    saved = store.edit(task.id, **{**form(base), "final_step": "email PDF and file it"}, base=base)
    assert saved.title == "Send invoice #42"  # theirs kept
    assert saved.notes == "PO number 7781" and saved.tags == ("work", "urgent")
    assert saved.steps[0].done  # their check kept: the person left the steps alone
    assert saved.final_step == "email PDF and file it"  # yours written
    assert store.get(task.id) == saved
    detail = store.history(task.id, limit=1)[0].detail
    assert "final step" in detail and not {"title", "notes", "tags", "steps"} & set(detail.split())


def test_the_same_field_changed_underneath_is_refused_with_both_values(store, other, db_path):
    task = store.add("Send invoice", final_step="email PDF", notes="n")
    base = store.get(task.id)
    other.edit(task.id, title="Send invoice #42")
    before = dump(db_path)
    with pytest.raises(EditConflict) as caught:
        store.edit(task.id, **{**form(base), "title": "Send the invoice", "notes": "mine"},
                   base=base)
    assert dump(db_path) == before  # nothing written, not even the notes
    message = str(caught.value)
    assert "the title changed to 'Send invoice #42' elsewhere while you edited" in message
    assert "yours: 'Send the invoice'" in message and "nothing was saved" in message
    assert exit_status(caught.value) == 1
    assert [c.name for c in caught.value.conflicts] == ["title"]
    assert caught.value.current.title == "Send invoice #42"
    assert caught.value.mine == {"title": "Send the invoice", "notes": "mine"}
    # saving again against what is there now keeps yours (the person chose)
    again = store.edit(task.id, **{**form(base), "title": "Send the invoice", "notes": "mine"},
                       base=caught.value.current)
    assert again.title == "Send the invoice" and again.notes == "mine"


def test_both_making_the_same_change_is_no_conflict(store, other):
    task = store.add("Send invoice", final_step="email PDF")
    base = store.get(task.id)
    other.edit(task.id, final_step="email the PDF")
    saved = store.edit(task.id, **{**form(base), "final_step": "email the PDF"}, base=base)
    assert saved.final_step == "email the PDF"


def test_an_unchanged_form_writes_nothing_at_all(store, other, db_path):
    task = store.add("Send invoice", final_step="email PDF", steps=["a", "b"], due="fri",
                     tags=["x"], notes="multi\nline")
    base = store.get(task.id)
    other.check(task.id, 2)
    before = dump(db_path)
    store.edit(task.id, **form(base), base=base)
    assert dump(db_path) == before


def test_without_a_base_edit_writes_what_it_is_given(store, other):
    """The CLI's ``lastmile edit`` names the fields to set: it has no form to compare with."""
    task = store.add("Send invoice", final_step="email PDF")
    other.edit(task.id, title="theirs")
    assert store.edit(task.id, title="mine").title == "mine"
    assert store.history(task.id, limit=1)[0].kind is EventKind.EDITED


TEXT = st.sampled_from(["a", "b", "c"])


@settings(max_examples=60, deadline=None)
@given(base_title=TEXT, theirs=TEXT, yours=TEXT, base_notes=TEXT, their_notes=TEXT)
def test_merge_rule_for_every_combination(tmp_path_factory, base_title, theirs, yours, base_notes,
                                          their_notes):
    """Never overwrite a change the person did not make; never lose one they did without saying."""
    path = tmp_path_factory.mktemp("merge") / "m.db"
    with Store(path) as app, Store(path) as shell:
        task = app.add(base_title, notes=base_notes)
        base = app.get(task.id)
        shell.edit(task.id, title=theirs, notes=their_notes)
        try:
            saved = app.edit(task.id, **{**form(base), "title": yours}, base=base)
        except EditConflict as exc:
            assert yours not in (base_title, theirs) and theirs != base_title
            assert app.get(task.id).title == theirs
            assert exc.conflicts[0].theirs == theirs and exc.conflicts[0].yours == yours
            return
        assert saved.notes == their_notes  # the person never touched the notes
        assert saved.title == (theirs if yours == base_title else yours)
