"""Reading ``task export``: the files Taskwarrior 2.6 really wrote (``tests/data/peers``), the
3.x shape, the older one-object-per-line form, and bad files named by record and field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import Priority, Status
from lastmile_tui.formats import files, taskwarrior, todotxt

PEERS = Path(__file__).parent.parent / "data" / "peers"
BERLIN = ZoneInfo("Europe/Berlin")  # the zone make_fixtures.sh ran Taskwarrior in


def read_fixture(name: str, tz=BERLIN):
    return taskwarrior.read((PEERS / name).read_text(encoding="utf-8"), tz=tz)


def by_title(batch):
    """Each task by its title, a done one as "done: title" (a recurring task has both)."""
    return {("done: " if i.task.status is Status.DONE else "") + i.task.title: i for i in batch.tasks}


def test_the_26_export_maps_every_kind_of_task():
    batch = read_fixture("taskwarrior-2.6.json")
    assert files.sniff((PEERS / "taskwarrior-2.6.json").read_text()) == "taskwarrior"
    assert batch.source == "Taskwarrior"
    tasks = by_title(batch)
    assert set(tasks) == {"Renew passport", "Plan the garden", "Buy seeds", 'Call mum about "the visit"',
                          "Water the plants", "done: Read the old report"}
    passport = tasks["Renew passport"]
    t = passport.task
    assert t.priority is Priority.H and t.tags == ("home.admin", "errand")
    assert t.due == date(2030, 1, 15)  # 23:00 UTC the day before is midnight in Berlin: all day
    assert t.final_step == "hand the form in at the town hall" and not t.final_confirmed
    assert "photo booth is in the station" in t.notes
    assert "taskwarrior: estimate=2h" in t.notes.splitlines()  # the UDA is kept
    assert "final_step" in passport.owns
    garden = tasks["Plan the garden"].task
    assert garden.wait == date(2030, 3, 1) and garden.status is Status.OPEN and garden.priority is Priority.L
    assert "final_step" not in tasks["Plan the garden"].owns  # a final step typed in lastmile survives
    seeds = tasks["Buy seeds"].task
    assert seeds.due == datetime(2030, 2, 10, 17, 30)  # a time: local, naive
    assert seeds.notes.startswith("depends on: Plan the garden (Taskwarrior ")
    done = tasks["done: Read the old report"].task
    assert done.done_elsewhere == "Taskwarrior" and not done.final_confirmed and done.done_at is not None
    assert done.priority is Priority.M
    skipped = {s.title: s.why for s in batch.skipped}
    assert skipped["Obsolete idea"] == "deleted in Taskwarrior"
    assert skipped["Water the plants"].startswith("the template of a recurring series")
    plants = tasks["Water the plants"]  # the current instance: one series, open
    assert plants.task.repeat is not None and plants.task.repeat.describe() == "weekly"
    assert plants.task.notes == "" and "repeat" in plants.owns
    template = next(s for s in batch.skipped if s.title == "Water the plants")
    assert plants.task.series and plants.task.series != plants.task.uid, template
    assert all(len(i.task.uid) == 36 for i in batch.tasks)  # Taskwarrior's uuid is the identity


def test_the_3x_shape_waiting_recurring_and_depends_lists():
    batch = read_fixture("taskwarrior-3.json", tz=UTC)
    tasks = by_title(batch)
    assert tasks["Winter tyres on"].task.wait == date(2030, 10, 1)
    assert tasks["Fix the bike"].task.tags == ("errands", "outside", "repair")
    pump = tasks["Pump the tyres"].task.notes.splitlines()
    assert pump == ["depends on: Fix the bike (Taskwarrior 0f3a7f1e)",
                    "depends on: Winter tyres on (Taskwarrior 9a7c0b44)"]
    assert [s.where for s in batch.skipped] == ["tasks[3]"]
    assert tasks["done: Backup the laptop"].task.done_at == datetime(2026, 11, 30, 19, 30)
    assert tasks["Backup the laptop"].task.due == date(2026, 12, 7)
    assert tasks["Backup the laptop"].task.repeat is not None


def test_only_the_first_pending_instance_of_a_series_is_open():
    template = {"uuid": "t", "description": "Stand-up", "status": "recurring", "recur": "P1D",
                "due": "20261201T080000Z", "entry": "20261130T080000Z"}
    instances = [
        {"uuid": f"i{n}", "description": "Stand-up", "status": "pending", "parent": "t",
         "imask": n, "recur": "P1D", "due": f"2026120{n + 1}T080000Z", "entry": "20261130T080000Z"}
        for n in range(3)
    ]
    batch = taskwarrior.read(json.dumps([template, *reversed(instances)]), tz=UTC)
    assert [i.task.uid for i in batch.tasks] == ["i0"]
    assert batch.tasks[0].task.series == "t" and batch.tasks[0].task.repeat.describe() == "daily"
    assert sorted(s.why.split(";")[0] for s in batch.skipped) == [
        "a later occurrence of a recurring series", "a later occurrence of a recurring series",
        "the template of a recurring series"]


def test_the_old_one_object_per_line_form_and_comma_strings():
    text = ('{"uuid":"u1","description":"Old one","tags":"a,b","status":"pending"},\n'
            '\n{"uuid":"u2","description":"Other","depends":"u1,zz","project":"my project"}\n')
    batch = taskwarrior.read(text, tz=UTC)
    one, two = (i.task for i in batch.tasks)
    assert one.tags == ("a", "b") and [i.where for i in batch.tasks] == ["line 1", "line 3"]
    assert two.notes.splitlines() == ["depends on: Old one (Taskwarrior u1)",
                                      "depends on: Taskwarrior task zz"]
    assert two.tags == ("my-project",)


def test_a_line_separator_inside_a_description_is_not_a_new_record():
    text = '{"uuid":"u1","description":"a\u2028b"}\n{"uuid":"u2","description":"c"}\n'
    batch = taskwarrior.read(text, tz=UTC)
    assert [i.task.title for i in batch.tasks] == ["a\u2028b", "c"]


def test_a_custom_priority_and_odd_values_are_kept_in_the_notes():
    record = {"uuid": "u", "description": "d", "priority": "X", "estimate": 3, "tags2": ["a"]}
    task = taskwarrior.read(json.dumps([record]), tz=UTC).tasks[0].task
    assert task.priority is None
    assert set(task.notes.splitlines()) == {"taskwarrior: priority=X", "taskwarrior: estimate=3",
                                           'taskwarrior: tags2=["a"]'}


def test_the_same_record_twice_gives_the_same_digest_a_changed_one_another():
    record = {"uuid": "u", "description": "d", "entry": "20261101T100000Z", "urgency": 1}
    first = taskwarrior.read(json.dumps([record]), tz=UTC).tasks[0].task
    moved = taskwarrior.read(json.dumps([record | {"urgency": 9, "id": 4}]), tz=UTC).tasks[0].task
    changed = taskwarrior.read(json.dumps([record | {"due": "20261201T000000Z"}]), tz=UTC).tasks[0].task
    assert first.source_hash == moved.source_hash != changed.source_hash


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"uuid": "a", "description": "ok"}, "text"], r"^tasks\[1\]: a task must be a JSON object"),
        ([{"uuid": "a", "description": "ok"}, {"uuid": "b"}], r"^tasks\[1\]: 'description' is missing"),
        ([{"description": "no id"}], r"^tasks\[0\]: 'uuid' is missing"),
        ([{"uuid": "a", "description": "x", "due": "tomorrow"}],
         r"^tasks\[0\]: 'due' is not a Taskwarrior date"),
        ([{"uuid": "a", "description": "x", "end": "20261399T000000Z"}],
         r"^tasks\[0\]: 'end' is not a real date"),
        ([{"uuid": "a", "description": "x", "status": "gone"}], r"^tasks\[0\]: 'status' must be one of"),
        ([{"uuid": "a", "description": "x", "tags": [1]}], r"^tasks\[0\]: 'tags' must be a list"),
        ([{"uuid": "a", "description": "x", "annotations": [{}]}], r"annotations\[0\] must be an object"),
        ([{"uuid": "a b", "description": "x"}], r"^tasks\[0\]: uid 'a b' must not contain spaces"),
        ([{"uuid": "a", "description": "\u001b]52;c;x\u0007"}], r"^tasks\[0\]: title contains control"),
        ([{"uuid": "a", "description": "x"}, {"uuid": "a", "description": "y"}], None),
    ],
)
def test_a_bad_record_is_named_with_its_field(records, message):
    if message is None:  # one uuid twice: the batch names both when the store checks it
        with pytest.raises(InvalidInput, match=r"tasks\[1\]: the same task as tasks\[0\]"):
            taskwarrior.read(json.dumps(records), tz=UTC).check_unique()
        return
    with pytest.raises(InvalidInput, match=message) as err:
        taskwarrior.read(json.dumps(records), tz=UTC)
    assert str(err.value).endswith("nothing was imported")
    assert "\n" not in str(err.value)


def test_text_that_is_not_json_says_where():
    with pytest.raises(InvalidInput, match=r"^not JSON \(line 2, column 16\)"):
        taskwarrior.read('[{"uuid": "a",\n"description": }]')
    with pytest.raises(InvalidInput, match=r"^not JSON \(line 3, column 2\)"):
        taskwarrior.read('{"uuid": "a", "description": "x"}\n{"uuid": "b", "description": "y"}\n{oops\n')
    with pytest.raises(InvalidInput, match=r"^not JSON \(line 1, column 4\): Extra data"):
        taskwarrior.read("[] []")


@pytest.mark.skipif(not (shutil.which("task") and shutil.which("todo-txt")),
                    reason="Taskwarrior and todotxt-cli are not installed")
def test_what_the_installed_tools_write_today_still_reads(tmp_path):
    """The fixtures' script run again against the tools on this machine: their output now, not
    only the files kept, is read (times shift; the shape must not)."""
    script = PEERS / "make_fixtures.sh"
    subprocess.run(["sh", str(script), str(tmp_path)], check=True, capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(tmp_path)})
    fresh = taskwarrior.read((tmp_path / "taskwarrior-2.6.json").read_text(), tz=BERLIN)
    kept = read_fixture("taskwarrior-2.6.json")
    assert sorted(i.task.title for i in fresh.tasks) == sorted(i.task.title for i in kept.tasks)
    assert sorted(s.why for s in fresh.skipped) == sorted(s.why for s in kept.skipped)
    todo = todotxt.read((tmp_path / "todo.txt").read_text())
    assert len(todo.tasks) == 5 and sum(i.task.status is Status.DONE for i in todo.tasks) == 1
