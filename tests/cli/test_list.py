"""``lastmile list``: tag filters, cell widths, and what the first screen must hold (issue 9)."""

from __future__ import annotations

import json


def ids(lastmile, *args: str) -> list[int]:
    return [r["id"] for r in json.loads(lastmile("list", "--json", *args).out)]


def test_every_tag_given_must_be_present(lastmile):
    lastmile("add", "both", "+a", "+b")
    lastmile("add", "only a", "+a")
    lastmile("add", "only b", "+b")
    assert ids(lastmile, "--tag", "a", "--tag", "b") == [1]
    assert sorted(ids(lastmile, "--tag", "a")) == [1, 2]
    r = lastmile("list", "-t", "a", "-t", "b")
    assert "both" in r.out and "only" not in r.out


def test_a_tag_nothing_open_has_says_so_and_counts_the_open_ones(lastmile):
    for n in range(3):
        lastmile("add", f"task {n}", "+work")
    r = lastmile("list", "--tag", "nosuch")
    assert r.code == 0
    assert r.out == "No open task matches +nosuch (3 open; lastmile list shows them)\n"
    r = lastmile("list", "--tag", "work", "--tag", "nosuch", "--all")
    assert r.out == "No task matches +work +nosuch (3 open; lastmile list shows them)\n"
