"""The sync's pure rules (``domain/sync.py``, ``task.not_yet``): a completion claimed elsewhere
waits for a person, "not yet" turns it down with a note, the newer change wins a conflict."""

from __future__ import annotations

from datetime import datetime

import pytest

from lastmile_tui.domain import sync as rules
from lastmile_tui.domain import task as task_rules
from lastmile_tui.domain.errors import InvalidInput, NoFinalStep
from lastmile_tui.domain.imports import OWNABLE, arrived
from lastmile_tui.domain.task import Status, Task

NOW = datetime(2026, 11, 30, 9, 0)
DONE_AT = datetime(2026, 11, 30, 8, 0)


def incoming(**fields: object):
    task = Task(None, "Pay rent", uid="u1", final_step="check the bank", created_at=NOW,
                updated_at=NOW, **fields)  # type: ignore[arg-type]
    return arrived(task, "VTODO 1", OWNABLE - {"done_claimed_at"}, "CalDAV")


def test_completed_elsewhere_without_confirmation_arrives_open_with_a_claim():
    got = rules.claimed(incoming(status=Status.DONE, done_at=DONE_AT), "CalDAV").task
    assert got.status is Status.OPEN and got.done_claimed_at == DONE_AT
    assert got.done_at is None and not got.done_elsewhere and not got.final_confirmed


def test_completed_with_lastmiles_confirmation_arrives_done():
    got = rules.claimed(incoming(status=Status.DONE, done_at=DONE_AT, final_step_confirmed_at=DONE_AT),
                        "CalDAV").task
    assert got.status is Status.DONE and got.done_claimed_at is None


def test_an_open_vtodo_clears_a_claim_and_the_sync_owns_it():
    got = rules.claimed(incoming(), "CalDAV")
    assert got.task.done_claimed_at is None and "done_claimed_at" in got.owns


def test_confirming_finishes_a_claimed_task_and_clears_the_claim():
    claimed = Task(1, "Pay rent", final_step="check the bank", done_claimed_at=DONE_AT)
    done = task_rules.complete(claimed, NOW, confirming=True)
    assert done.status is Status.DONE and done.done_claimed_at is None and done.final_confirmed
    task_rules.check_consistent(done)


def test_a_claim_without_a_final_step_asks_for_one_first():
    with pytest.raises(NoFinalStep):
        task_rules.complete(Task(1, "Buy milk", done_claimed_at=DONE_AT), NOW, confirming=True)


def test_not_yet_clears_the_claim_with_a_note_and_reopen_says_it():
    claimed = Task(1, "Pay rent", final_step="check the bank", notes="landlord: Ana", done_claimed_at=DONE_AT)
    for turned_down in (task_rules.not_yet(claimed, NOW), task_rules.reopen(claimed, NOW)):
        assert turned_down.done_claimed_at is None and turned_down.status is Status.OPEN
        assert turned_down.notes.startswith("landlord: Ana\n\nNot done yet (said in lastmile on 2026-11-30)")
    with pytest.raises(InvalidInput):
        task_rules.not_yet(Task(1, "Nothing claimed"), NOW)


def test_only_an_open_task_can_carry_a_claim():
    with pytest.raises(InvalidInput, match="only an open task"):
        task_rules.check_consistent(Task(1, "x", final_step="y", status=Status.DROPPED, done_claimed_at=NOW))


def test_the_newer_change_wins_a_tie_goes_to_the_server():
    here = Task(1, "a", updated_at=datetime(2026, 11, 30, 9, 0, 30, 500))

    def server(*at: int) -> Task:
        return Task(None, "b", updated_at=datetime(2026, 11, 30, *at))

    assert rules.winner(here, server(9, 0, 0)) is rules.Winner.HERE
    assert rules.winner(here, server(9, 0, 30)) is rules.Winner.SERVER  # iCalendar has whole seconds
    assert rules.winner(here, server(9, 5)) is rules.Winner.SERVER


def test_what_list_says_of_a_claim():
    said = rules.claim_line("email the PDF")
    assert said == "completed elsewhere \u2014 did you do \u2039email the PDF\u203a?"
    assert "give it a final step" in rules.claim_line("")
