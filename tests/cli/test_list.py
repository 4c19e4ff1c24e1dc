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


def test_plus_tags_as_add_and_taskwarrior_write_them(lastmile):
    lastmile("add", "both", "+a", "+b")
    lastmile("add", "only a", "+a")
    assert sorted(ids(lastmile, "+a")) == [1, 2]
    assert ids(lastmile, "+a", "+b") == ids(lastmile, "-t", "b", "+a") == [1]
    r = lastmile("list", "a")  # a bare word is no tag: one line, exit 2, nothing listed
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    assert "'a' is not a +tag" in r.err and "lastmile list +work" in r.err
    assert lastmile("list", "+").code == 2


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


def test_overdue_and_due_today_work_never_falls_off_the_first_screen(lastmile, tmp_path):
    """40 tasks on the last mile fill the first 30 rows; work due now still leads (item 29)."""
    from datetime import date, timedelta

    today = date.today()
    stamp = f"{today - timedelta(days=30)}T09:00:00"

    def task(task_id: int, title: str, **fields: object) -> dict:
        return {"id": task_id, "title": title, "status": "open", "created_at": stamp,
                "updated_at": stamp, **fields}

    nearly = [task(n, f"nearly done {n}", final_step="send it",
                   steps=[{"text": "draft", "done_at": stamp}]) for n in range(1, 41)]
    due_now = [
        task(41, "overdue, no finish line", due=str(today - timedelta(days=3))),
        task(42, "due today, not started", final_step="file it", steps=[{"text": "a"}],
             due=str(today)),
    ]
    later = [task(43, "due tomorrow, no finish line", due=str(today + timedelta(days=1)))]
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"format": "lastmile", "version": 1,
                                "tasks": nearly + due_now + later}))
    assert lastmile("import", str(path)).code == 0

    assert ids(lastmile, "-n", "30")[:2] == [42, 41]  # almost done first inside the lane
    r = lastmile("list")
    rows = r.out.splitlines()[1:31]
    assert "due today, not started" in rows[0] and "overdue, no finish line" in rows[1]
    assert "no finish line · overdue 2d" in rows[1]  # a date lasts until its midnight
    assert all("nearly done" in row for row in rows[2:])
    assert "due tomorrow" not in r.out  # everything else keeps almost done first
    assert "… and 13 more" in r.out
    assert lastmile("count").out.split(" · ")[2] == "1 overdue"


def test_a_claim_leads_the_list_with_its_question_and_one_line_on_how_to_answer(lastmile):
    """A task a phone completed (a sync brought the claim) is first in the ranking, its reason
    the question; ``--json`` tells when; ``reopen`` says not yet and the lane is gone."""
    from datetime import datetime

    from lastmile_tui.domain.imports import OWNABLE, Batch, arrived
    from lastmile_tui.domain.sync import claimed
    from lastmile_tui.domain.task import Status, Task
    from lastmile_tui.store.store import Store

    lastmile("add", "Overdue thing", "--final", "send it", "--due", "2020-01-01")
    on_phone = datetime(2026, 11, 24, 8, 30)
    with Store(lastmile.db) as store:
        task = Task(None, "Pay rent", final_step="check the bank", uid="phone-1", status=Status.DONE,
                    done_at=on_phone, created_at=on_phone, updated_at=on_phone)
        store.import_tasks(Batch("CalDAV", [claimed(arrived(task, "VTODO", OWNABLE, "CalDAV"), "CalDAV")]))
    listed = lastmile("list")
    header, first, second, *rest = listed.out.splitlines()
    assert first.split()[:3] == ["2", "0/1", "Pay"]
    assert first.endswith("completed elsewhere — did you do ‹check the bank›? · 6d ago")
    assert second.split()[0] == "1"  # overdue work comes after the claim
    assert rest == ["1 completed elsewhere — yes: lastmile done ID · not yet: lastmile reopen ID"]
    records = json.loads(lastmile("list", "--json").out)
    assert [(r["id"], r["stage"], r["completed_elsewhere"]) for r in records] == [
        (2, "Completed elsewhere", "2026-11-24T08:30:00"), (1, "Not started", None)]
    reopened = lastmile("reopen", "2")
    assert reopened.code == 0, reopened.err
    assert ids(lastmile) == [1, 2]
    assert "completed elsewhere" not in lastmile("list").out
    assert "Not done yet" in lastmile("show", "2").out


def test_a_task_completed_elsewhere_is_never_hidden_by_its_wait(lastmile):
    """A phone said done: the task waits for an answer, not for its wait day (found by a tester:
    a claim on a waiting task was only in ``list --waiting``)."""
    from lastmile_tui.store.store import Store
    from tests.oracles.store import claim

    lastmile("add", "Hidden one", "final:check it", "wait:2030-01-01")
    lastmile("add", "Shown one", "final:f")
    assert "1 task waiting" in lastmile("list").out
    with Store(lastmile.db) as store:
        claim(store, 1)
    out = lastmile("list").out
    assert out.splitlines()[1].split()[0] == "1" and "completed elsewhere" in out
    assert "waiting, hidden" not in out
    assert json.loads(lastmile("count", "--json").out)["open"] == 2
    assert lastmile("list", "--waiting").out.startswith("Nothing is waiting")
