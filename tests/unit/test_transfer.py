"""JSON export and import: lossless both ways, one transaction, and a bad record imports nothing."""

from __future__ import annotations

import copy
import json
import random
import time
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Status, Step, Task
from lastmile_tui.formats import lastmile_json
from lastmile_tui.formats.record import snapshot, task_to_dict
from lastmile_tui.store import interchange
from lastmile_tui.store.store import Store
from tests.oracles.store import confirm_final, summaries
from tests.unit.test_store import dump

WORDS = ["ship", "invoice", "call", "🚀", "שלום", "עולם", "naïve", "日本語", "fix", "Zoë", "مرحبا"]


def generated_export(tasks: int, seed: int = 1, notes_size: int = 40) -> dict[str, Any]:
    """A varied, valid export of *tasks* tasks, written as ``lastmile export`` writes one.

    Every status, confirmed and unconfirmed final steps, checked and unchecked
    steps, dates with and without times, snoozes, review marks, emoji and
    right-to-left text, and histories whose event ids interleave across tasks.
    """
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 9, 0)

    def moment(after: datetime) -> datetime:
        return after + timedelta(minutes=rng.randrange(1, 50_000), microseconds=rng.randrange(10**6))

    def text(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words))

    built: list[tuple[Task, Task, int]] = []
    for task_id in range(1, tasks + 1):
        created = moment(start)
        final = rng.choice(["", "send it", "post the form ✉", text(3)])
        status = rng.choice([Status.OPEN, Status.OPEN, Status.DONE, Status.DROPPED])
        if status is Status.DONE and not final:
            status = Status.OPEN
        updated = moment(created)
        confirmed = updated if final and (status is Status.DONE or rng.random() < 0.2) else None
        task = Task(
            id=task_id,
            uid=f"{rng.getrandbits(128):032x}",
            title=text(rng.randint(1, 6)),
            final_step=final,
            steps=tuple(
                Step(f"step {i} {text(2)}", moment(created) if rng.random() < 0.5 else None)
                for i in range(rng.randint(0, 4))
            ),
            tags=tuple(dict.fromkeys(rng.sample(WORDS, rng.randint(0, 3)))),
            notes="\n".join(text(6) for _ in range(max(1, notes_size // 40))),
            due=rng.choice([
                None,
                date(2026, 1, 1) + timedelta(days=rng.randrange(700)),
                datetime(2026, 3, 1, 17, 30)
                + timedelta(days=rng.randrange(700), minutes=15 * rng.randrange(90)),
            ]),
            status=status,
            created_at=created,
            updated_at=updated,
            final_step_confirmed_at=confirmed,
            done_at=updated if status is Status.DONE else None,
            dropped_reason=rng.choice([None, "no longer needed"]) if status is Status.DROPPED else None,
            wait=rng.choice([None, date(2026, 5, 1)]),
            reviewed_on=rng.choice([None, date(2026, 4, 30)]),
        )
        earlier = task.with_changes(title=text(2), status=Status.OPEN, done_at=None,
                                    final_step_confirmed_at=None, dropped_reason=None)
        built.append((task, earlier, rng.randint(1, 4)))

    # ids handed out in an order that interleaves the tasks, increasing within each task
    owners = [task.id for task, _earlier, events in built for _ in range(events)]
    rng.shuffle(owners)
    ids: dict[int, list[int]] = {}
    for event_id, owner in enumerate(owners, 1):
        ids.setdefault(owner, []).append(event_id)

    records = []
    for task, earlier, _events in built:
        history = []
        for number, event_id in enumerate(ids[task.id]):
            first = number == 0
            history.append({
                "id": event_id,
                "at": moment(task.created_at).isoformat(),
                "kind": EventKind.CREATED.value if first else rng.choice(["edited", "step_checked"]),
                "detail": task.title if first else "title",
                "before": None if first else json.loads(snapshot(earlier)),
                "undone_at": moment(task.created_at).isoformat() if rng.random() < 0.1 else None,
            })
        records.append({**task_to_dict(task), "history": history})
    return {"format": "lastmile", "version": 1, "tasks": records}


def test_a_generated_data_set_of_thousands_round_trips_exactly(tmp_path):
    document = generated_export(3000, seed=11)
    text = lastmile_json.dumps(document)
    started = time.perf_counter()
    with Store(tmp_path / "one.db") as one:
        assert one.import_rows(interchange.to_rows(interchange.read(_write(tmp_path, text)))) == 3000
    imported = time.perf_counter() - started
    with Store(tmp_path / "one.db") as one:
        started = time.perf_counter()
        first = lastmile_json.document(one.export_records())
        exported = time.perf_counter() - started
    assert lastmile_json.dumps(first) == text  # what was read is exactly what comes back out
    with Store(tmp_path / "two.db") as two:
        two.import_rows(interchange.to_rows(first))
        assert lastmile_json.dumps(lastmile_json.document(two.export_records())) == text
    print(f"\nimport of 3000 tasks (from the file): {imported:.2f}s; export: {exported:.2f}s")
    assert imported < 20


def _write(tmp_path, text: str):
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    return path


def build_real_history(store: Store, clock) -> None:
    """Every operation the store has, so every field and event kind appears."""
    store.add("Send invoice 🧾", final_step="email the PDF", steps=["export hours", "fill"],
              due="fri 5pm", tags=["work", "money"], notes="client: ACME\nnet 30")
    store.add("שלום עולם", final_step="לשלוח", tags=["עברית"], due="2026-12-03")
    store.add("Long notes", notes="x" * 10_000)
    store.add("Vague")
    clock.advance(minutes=5)
    store.check(1, 1)
    confirm_final(store, 2)
    store.complete(2)
    store.drop(3, "not now")
    store.reopen(3)
    store.drop(3)
    store.snooze(4, 2)
    store.mark_reviewed(4)
    clock.advance(seconds=1.5)
    store.edit(1, title="Send the invoice", steps=["export hours", "fill", "check"])
    store.set_final_step(4, "decide")
    store.add_step(4, "think")
    store.complete(1, confirm=True)
    store.undo()
    store.uncheck(1, 1)


def test_real_data_with_every_kind_of_change_round_trips(tmp_path, clock):
    with Store(tmp_path / "a.db", clock=clock) as a:
        build_real_history(a, clock)
        document = lastmile_json.document(a.export_records())
        tasks = [a.get(n) for n in range(1, 5)]
        histories = [a.history(n) for n in range(1, 5)]
        with Store(tmp_path / "b.db", clock=clock) as b:
            assert b.import_rows(interchange.to_rows(json.loads(lastmile_json.dumps(document)))) == 4
            assert lastmile_json.document(b.export_records()) == document
            assert [b.get(n) for n in range(1, 5)] == tasks
            assert [b.history(n) for n in range(1, 5)] == histories
            assert summaries(b, include_closed=True) == summaries(a, include_closed=True)
            # undo after a restore takes back the same change it would have before
            assert b.undo() == a.undo()
            assert lastmile_json.document(b.export_records()) == lastmile_json.document(a.export_records())
            assert b.add("next").id == a.add("next").id == 5


def test_an_import_stores_the_same_values_as_the_store_writes(tmp_path, clock):
    """Import hands the driver stored forms itself: times and snapshots must be the very same text."""
    with Store(tmp_path / "a.db", clock=clock) as a:
        build_real_history(a, clock)
        document = lastmile_json.document(a.export_records())
    with Store(tmp_path / "b.db", clock=clock) as b:
        b.import_rows(interchange.to_rows(json.loads(lastmile_json.dumps(document))))
    assert _stored_values(tmp_path / "b.db") == _stored_values(tmp_path / "a.db")


def _stored_values(path) -> list[tuple]:
    """Every row, steps without their own ids (an import numbers them afresh)."""
    rows = [row[:1] + row[2:] if row[0] == "step" else row for row in dump(path)]
    return sorted(rows, key=repr)


def test_export_holds_everything_about_a_task(store, clock):
    build_real_history(store, clock)
    record = lastmile_json.document(store.export_records())["tasks"][1]
    assert record["title"] == "שלום עולם" and record["status"] == "done"
    assert record["final_step_confirmed_at"] is not None and record["done_at"] is not None
    assert [e["kind"] for e in record["history"]] == ["created", "final_confirmed", "completed"]
    assert record["history"][2]["before"]["final_step_confirmed_at"] is not None
    notes = lastmile_json.document(store.export_records())["tasks"][2]["notes"]
    assert notes == "x" * 10_000


def test_an_empty_database_exports_an_empty_list(store):
    assert lastmile_json.document(store.export_records()) == {"format": "lastmile", "version": 1, "tasks": []}


def _bad(document: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    bad = copy.deepcopy(document)
    bad["tasks"][index].update(changes)
    return bad


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "title must not be blank"),
        ({"title": "bell \x07"}, "control characters"),
        ({"title": 42}, "'title' must be text"),
        ({"id": "7"}, "'id' must be a whole number"),
        ({"id": True}, "'id' must be a whole number"),
        ({"id": 0}, "out of range"),
        ({"id": 1}, "task id 1 appears twice"),
        ({"status": "finished"}, "'status' must be one of open, done, dropped"),
        ({"created_at": "yesterday"}, "'created_at' is not a date and time"),
        ({"created_at": "2026-02-30T10:00:00"}, "'created_at' is not a date and time"),
        ({"updated_at": "2026-01-01T10:00:00+02:00"}, "without a time zone"),
        ({"due": "2026-02-30"}, "2026-02-30"),
        ({"tags": ["two words"]}, "two words"),
        ({"tags": "work"}, "'tags' must be a list"),
        ({"steps": [{"done_at": None}]}, "'text' is missing"),
        ({"status": "done", "done_at": "2026-01-02T10:00:00", "final_step": "x",
          "final_step_confirmed_at": None}, "final step confirmed"),
        ({"status": "done", "done_at": None}, "'done_at' must be set exactly when"),
        ({"final_step": "", "final_step_confirmed_at": "2026-01-02T10:00:00"},
         "cannot be confirmed without its text"),
        ({"history": [{"id": 99999, "at": "2026-01-01T10:00:00", "kind": "exploded"}]},
         "history[0]: 'kind' 'exploded'"),
        ({"history": [{"id": 99999, "at": "2026-01-01T10:00:00", "kind": "edited",
                       "before": {"title": "x"}}]}, "history[0]: 'before': 'created_at' is missing"),
        ({"history": "none"}, "'history' must be a list"),
    ],
)
def test_one_bad_record_imports_nothing_and_is_named(tmp_path, changes, message):
    document = generated_export(40, seed=3)
    bad = _bad(document, 17, **changes)
    record_id = bad["tasks"][17].get("id")
    path = tmp_path / "empty.db"
    Store(path).close()
    before = dump(path)
    with pytest.raises(InvalidInput) as caught, Store(path) as store:
        store.import_rows(interchange.to_rows(bad))
    text = str(caught.value)
    assert text.startswith(f"tasks[17] (id {json.dumps(record_id)}): ")
    assert message in text and text.endswith("nothing was imported")
    assert dump(path) == before


def test_a_record_that_is_not_an_object_is_named(tmp_path):
    document = generated_export(3)
    document["tasks"].insert(1, "oops")
    with pytest.raises(InvalidInput, match=r"^tasks\[1\]: a task record must be a JSON object"):
        interchange.to_rows(document)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "an export file must be a JSON object"),
        ({"tasks": []}, "not a lastmile export"),
        ({"format": "todo.txt", "version": 1, "tasks": []}, "not a lastmile export"),
        ({"format": "lastmile", "tasks": []}, 'needs "version": 1, not null'),
        ({"format": "lastmile", "version": 2, "tasks": []}, "format version 2; this lastmile reads up to"),
        ({"format": "lastmile", "version": 1}, 'needs a "tasks" list'),
    ],
)
def test_the_header_is_checked(document, message):
    with pytest.raises(InvalidInput, match=message):
        interchange.to_rows(document)


def test_import_refuses_ids_the_database_already_holds(store, db_path):
    store.add("mine")
    before = dump(db_path)
    with pytest.raises(InvalidInput, match="already holds task id 1 that the file uses"):
        store.import_rows(interchange.to_rows(generated_export(5)))
    assert dump(db_path) == before


def test_import_merges_into_a_database_whose_ids_it_does_not_use(store, db_path, tmp_path):
    exported = generated_export(5)
    for record in exported["tasks"]:  # another database's export, whose ids are not ours
        record["id"] += 100
        for event in record["history"]:
            event["id"] += 1000
    store.add("mine", final_step="f")
    assert store.import_rows(interchange.to_rows(exported)) == 5
    assert [t.id for t in summaries(store, include_closed=True)] == [1, 101, 102, 103, 104, 105]
    assert store.get(1).title == "mine"


def test_read_reports_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(InvalidInput, match="cannot read .*missing.json"):
        interchange.read(tmp_path / "missing.json")
    path = tmp_path / "bad.json"
    for content, message in (
        ('{"format": "lastmile",', "is not JSON \\(line 1"),
        ("[" * 100_000, "not JSON"),
        ("1" * 10_000, "not JSON that lastmile can read"),
    ):
        path.write_text(content)
        with pytest.raises(InvalidInput, match=message):
            interchange.read(path)
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(InvalidInput, match="bad.json is not UTF-8 text \\(byte 1 is not\\)"):
        interchange.read(path)


def test_export_to_a_file_is_written_whole(tmp_path, store):
    store.add("x")
    target = tmp_path / "out.json"
    interchange.write_export(store.export_records(), target)
    assert json.loads(target.read_text())["tasks"][0]["title"] == "x"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    with pytest.raises(InvalidInput, match="cannot write"):
        interchange.write_export(store.export_records(), tmp_path / "no" / "such" / "folder.json")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELDS = [*task_to_dict(Task(id=1, title="x")), "history"]
SMALL = generated_export(3, seed=5)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(FIELDS), value=JSON, in_event=st.booleans(),
       event_field=st.sampled_from(["id", "at", "kind", "detail", "before", "undone_at"]))
def test_any_value_in_any_field_is_read_or_refused_cleanly(field, value, in_event, event_field):
    document = copy.deepcopy(SMALL)
    record = document["tasks"][1]
    if in_event and record["history"]:
        record["history"][0][event_field] = value
    else:
        record[field] = value
    try:
        rows = interchange.to_rows(document)
    except InvalidInput as exc:
        assert str(exc).startswith("tasks[1] (id ") and "\n" not in str(exc)
        return
    assert len(rows.tasks) == len(SMALL["tasks"])



def test_a_restore_counts_the_open_tasks_once_and_keeps_counting_after(tmp_path, clock):
    """import_rows turns the open-count triggers off while it inserts, counts once at the end and
    makes the triggers again (in its one transaction): the counts are right after it, after the
    next write, and after a restore that fails half-way."""
    from tests.unit.test_store import kept_counts

    with Store(tmp_path / "a.db", clock=clock) as a:
        build_real_history(a, clock)
        document = json.loads(lastmile_json.dumps(lastmile_json.document(a.export_records())))
    with Store(tmp_path / "b.db", clock=clock) as b:
        b.import_rows(interchange.to_rows(document))
        kept, counted = kept_counts(tmp_path / "b.db")
        assert kept == counted and counted
        b.add("after the restore", final_step="f")
        b.drop(b.add("dropped after it").id, "no")
        kept, counted = kept_counts(tmp_path / "b.db")
        assert kept == counted
        with pytest.raises(InvalidInput):  # its ids are taken now: nothing is imported
            b.import_rows(interchange.to_rows(document))
        b.add("and after a refused one")
        kept, counted = kept_counts(tmp_path / "b.db")
        assert kept == counted
