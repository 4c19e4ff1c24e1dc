"""``lastmile stats``: real processes on a real database."""

from __future__ import annotations

import json

from lastmile_tui.cli.output import cells


def _sample(lastmile) -> None:
    lastmile("add", "Send invoice", "--final", "email it", "+work")
    lastmile("add", "Fix the tap [/]", "--final", "turn the water on", "+home")
    lastmile("add", "Write post", "--final", "publish", "--step", "draft", "+work")
    lastmile("add", "Plan trip", "--final", "book it")
    lastmile("done", "1", "--confirm")
    lastmile("drop", "4")


def test_stats_prints_every_part_within_80_columns(lastmile):
    _sample(lastmile)
    r = lastmile("stats")
    assert r.code == 0, r.err
    for part in ("Finished per week (1 in all", "Finish rate of the 4 tasks added",
                 "done 1 (25%) · dropped 1 (25%) · still open 2 (50%)", "+work",
                 "On the last mile now: 1 open task", "Fix the tap [/] → turn the water on"):
        assert part in r.out, part
    assert max(cells(line) for line in r.out.splitlines()) <= 80


def test_stats_json_has_the_figures(lastmile):
    _sample(lastmile)
    data = json.loads(lastmile("stats", "--json", "--weeks", "4").out)
    assert data["weeks"] == 4 and len(data["finished_per_week"]) == 4
    assert data["finished"] == 1 and data["finished_per_week"][-1]["finished"] == 1
    assert data["finish_rate"] == {"added": 4, "done": 1, "dropped": 1, "open": 2,
                                   "imported_done": 0, "rate": 0.25}
    assert data["last_mile"]["tasks"] == 1
    assert [t["tag"] for t in data["last_mile"]["per_tag"]] == ["work"]
    assert data["on_last_mile_now"]["open"] == 1
    assert [s["id"] for s in data["stalled"]] == [2]


def test_bad_weeks_is_one_line_and_exit_2(lastmile):
    _sample(lastmile)
    for bad in ("0", "x", "-3", "9999", "1.5"):
        r = lastmile("stats", "--weeks", bad)
        assert r.code == 2, bad
        assert r.out == "" and len(r.err.splitlines()) == 1 and "Traceback" not in r.err
        assert "number of weeks" in r.err


def test_stats_on_an_empty_or_missing_database(lastmile, tmp_path):
    r = lastmile("--db", str(tmp_path / "none.db"), "stats")
    assert r.code != 0 and len(r.err.splitlines()) == 1
    lastmile("add", "x")
    lastmile("drop", "1")
    r = lastmile("stats")
    assert r.code == 0 and "no task finished from its last mile" in r.out
