"""Quick-add as typed in a shell (issue 9, items 20 and 21)."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import rows


def shown(lastmile, task_id: int = 1) -> dict:
    records = json.loads(lastmile("list", "--json").out)
    return next(r for r in records if r["id"] == task_id)


def test_double_dash_keeps_the_rest_as_title(lastmile):
    r = lastmile("add", "Buy", "milk", "--", "due:fri", "+home", "--final", "x")
    assert r.code == 0, r.err
    assert r.out.startswith("Added task 1: Buy milk due:fri +home --final x\n")
    task = shown(lastmile)
    assert (task["title"], task["due"], task["tags"], task["final_step"]) == (
        "Buy milk due:fri +home --final x", None, [], "")


def test_double_dash_first(lastmile):
    r = lastmile("add", "--", "+5", "dollars")
    assert r.code == 0, r.err
    assert shown(lastmile)["title"] == "+5 dollars"


def test_a_number_after_plus_is_title_not_a_tag(lastmile):
    r = lastmile("add", "Price is +5 dollars", "+shop")
    assert r.code == 0, r.err
    task = shown(lastmile)
    assert (task["title"], task["tags"]) == ("Price is +5 dollars", ["shop"])


@pytest.mark.parametrize("word", ["due:", "final:", 'final:""', "project:"])
def test_an_empty_attribute_is_bad_input_and_writes_nothing(lastmile, word):
    r = lastmile("add", "Pay rent", word)
    assert r.code == 2, (r.out, r.err)
    assert f"{word.partition(':')[0]}: is empty" in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert rows(lastmile.db) == []


def test_unknown_attributes_are_kept_and_the_echo_says_so(lastmile):
    r = lastmile("add", "Deploy", "until:eoy", "project:web.app", "sched:fri", "+ops")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "Added task 1: Deploy until:eoy sched:fri · +web.app · +ops"
    assert ("  kept in the title: until:eoy sched:fri (lastmile does not read until or "
            'scheduled yet; lastmile edit 1 --title "..." changes it)') in r.out.splitlines()
    task = shown(lastmile)
    assert (task["title"], task["tags"]) == ("Deploy until:eoy sched:fri", ["web.app", "ops"])


def test_plain_titles_get_no_note(lastmile):
    r = lastmile("add", "Call mum", "due:2030-01-02", "+family")
    assert r.code == 0 and "kept in the title" not in r.out
