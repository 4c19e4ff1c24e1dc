"""`lastmile list` at 120 columns: DUE and WHY read whole; titles and final steps take what remains."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta


def test_due_and_reason_are_whole_at_120_columns(lastmile):
    long_ago = (date.today() - timedelta(days=12)).isoformat()
    lastmile("add", "Quarterly tax return with a title long enough to be cut somewhere",
             "--final", "submit the return online through the tax office portal",
             "--step", "collect the receipts", "--step", "fill in the sheet", "--due", long_ago)
    lastmile("check", "1", "1")
    lastmile("add", "Plan offsite")
    listed = lastmile("list", env={"COLUMNS": "120"})
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    records = json.loads(lastmile("list", "--json").out)
    assert re.search(r"  overdue 1\dd  ", lines[1])  # cut to "overdue 1…" in a ten-cell column before
    for line, record in zip(lines[1:], records, strict=True):
        assert line.endswith(record["reason"])  # every reason whole
        assert len(line) <= 120
    assert "…" in lines[1]  # the title and final step gave way instead


def test_titles_and_final_steps_read_whole_when_there_is_room(lastmile):
    lastmile("add", "Send invoice", "--final", "email the PDF to billing@acme.example", "--due", "tomorrow")
    listed = lastmile("list", env={"COLUMNS": "120"})
    assert "Send invoice" in listed.out and "email the PDF to billing@acme.example" in listed.out
    assert "…" not in listed.out


def test_column_headings_are_whole_over_short_titles(lastmile):
    lastmile("add", "a", "--final", "f")
    for columns in ("80", "120"):
        heading = lastmile("list", env={"COLUMNS": columns}).out.splitlines()[0]
        assert heading.split() == ["ID", "DONE", "TITLE", "FINAL", "STEP", "DUE", "WHY"], heading
