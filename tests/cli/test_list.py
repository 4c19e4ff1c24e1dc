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


WIDE = ["会議の準備をする", "party 🎉 time", "send ✉️ invites", "café crème ü", "thumbs 👍🏽 up",
        "会議の準備をする会議の準備をする会議の準備をする会議の準備をする", "plain ascii"]


def test_columns_line_up_in_terminal_cells_for_cjk_and_emoji(lastmile):
    from rich.cells import cell_len  # the app's own measure (Textual draws with it)

    for n, title in enumerate(WIDE):
        lastmile("add", title, "--final", WIDE[-1 - n], "--due", "2030-01-02")
    lines = lastmile("list", env={"COLUMNS": "100"}).out.splitlines()
    header, rows = lines[0], lines[1:]
    assert len(rows) == len(WIDE)
    columns = [header.index(name) for name in ("FINAL STEP", "DUE", "WHY")]
    for row in rows:
        for column, marker in zip(columns, ("", "2030", "not started"), strict=True):
            # the text before each column takes exactly as many cells as the header's
            cut = next(i for i in range(len(row) + 1) if cell_len(row[:i]) >= column)
            assert cell_len(row[:cut]) == column, row
            assert row[cut:].startswith(marker), (row, marker)
            assert row[cut - 2:cut] == "  ", row
        assert cell_len(row) <= 100
