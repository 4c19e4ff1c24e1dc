"""Last-mile statistics: the arithmetic against simple references, and the store's reading of the
history against a full replay of every snapshot (``tests/oracles/stats.py``)."""

from __future__ import annotations

import sqlite3
import statistics as reference
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lastmile_tui.domain import stats
from lastmile_tui.domain.errors import LastmileError
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Status
from lastmile_tui.store import statistics as queries
from lastmile_tui.store.store import Store
from tests.conftest import NOW, Clock
from tests.oracles.stats import replayed

moments = st.datetimes(datetime(2025, 1, 1), datetime(2027, 1, 1))


@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), max_size=40))
def test_median_is_the_textbook_median(values):
    expected = reference.median(values) if values else None
    assert stats.median(values) == expected


@given(st.lists(moments, max_size=60), st.dates(date(2025, 6, 1), date(2026, 12, 31)),
       st.integers(1, 30))
def test_weekly_buckets_match_counting_week_by_week(found, today, weeks):
    monday = today - timedelta(days=today.weekday())
    expected = []
    for back in range(weeks - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        expected.append(sum(1 for m in found if start <= m.date() < start + timedelta(days=7)))
    assert stats.weekly_counts(found, today, weeks) == expected
    assert stats.period_start(today, weeks).date() == monday - timedelta(weeks=weeks - 1)


@given(st.lists(st.timedeltas(timedelta(0), timedelta(days=90)), max_size=30))
def test_every_wait_falls_in_exactly_one_band(ages):
    counted = stats.bands(ages)
    assert [label for label, _ in counted] == [label for label, _ in stats.WAIT_BANDS]
    assert sum(count for _, count in counted) == len(ages)


def test_the_latest_entering_event_is_when_the_last_mile_began():
    t = [datetime(2026, 1, d) for d in range(1, 6)]
    off = stats.State(True, True, 1)
    on = stats.State(True, True, 0)
    newest_first = [
        stats.Mark(t[4], "edited", on),  # a title edit on the last mile changes nothing
        stats.Mark(t[3], "step_unchecked"),  # never enters (skipped)
        stats.Mark(t[2], "final_set", stats.State(True, False, 0)),  # the final step named last
        stats.Mark(t[1], "step_checked"),
        stats.Mark(t[0], "created"),
    ]
    assert stats.reached_at(newest_first) == t[2]
    assert stats.reached_at(newest_first[:2]) is None
    assert stats.entered(stats.Mark(t[0], "undone", off))
    assert not stats.entered(stats.Mark(t[0], "final_set", None))


def test_summarize_counts_imports_apart_and_sorts_tags_by_their_median():
    now = datetime(2026, 11, 25, 12, 0)
    day = timedelta(days=1)
    finished = [
        stats.Finished(1, now - day, ("home",), now - 3 * day),
        stats.Finished(2, now - day, ("home", "work"), now - 2 * day),
        stats.Finished(3, now - 2 * day, ("work",), None),  # finished with steps unchecked
        stats.Finished(4, now - day, ("work",), now - 9 * day, imported=True),
        stats.Finished(5, now - 200 * day, (), now - 201 * day),  # before the period
    ]
    waiting = [now - 2 * day, now - 40 * day]
    result = stats.summarize(now, 12, finished, stats.Cohort(3, 1, 4, 1), waiting, [])
    assert result.finished == 3 and result.weekly[-1] == 3
    assert result.imported_done == 1 and result.skipped_steps == 1
    assert result.last_mile_median == 1.5 * day and result.last_mile_count == 2
    assert [(t.tag, t.median, t.count) for t in result.per_tag] == [("home", 1.5 * day, 2),
                                                                   ("work", day, 1)]
    assert result.waiting == 2 and result.waiting_median == 21 * day
    assert dict(result.bands) == {"under a day": 0, "1–7 days": 1, "1–4 weeks": 0, "over 4 weeks": 1}
    assert result.cohort.rate() == 3 / 8


def test_span_words():
    assert stats.span_words(None) == "—"
    assert stats.span_words(timedelta(minutes=5)) == "5m"
    assert stats.span_words(timedelta(hours=5, minutes=10)) == "5h 10m"
    assert stats.span_words(timedelta(days=3, hours=4)) == "3d 4h"
    assert stats.span_words(timedelta(days=40, hours=4)) == "40d"


# -- the store ---------------------------------------------------------------------------------


def _read(store: Store, weeks: int = 12) -> stats.Stats:
    with store._reading() as conn:
        return queries.statistics(conn, store.clock(), weeks, stalled_shown=10_000)


def test_a_final_step_named_after_the_steps_starts_the_last_mile(tmp_path):
    clock = Clock()
    with Store(tmp_path / "s.db", clock) as store:
        task = store.add("Tax return", steps=["gather receipts", "fill in"])
        clock.advance(hours=1)
        store.check(task.id, 1)
        clock.advance(hours=1)
        store.check(task.id, 2)  # all steps checked, but no final step yet: not on the last mile
        clock.advance(hours=5)
        store.set_final_step(task.id, "submit the form")
        named = clock.now
        clock.advance(hours=2)
        store.edit(task.id, title="Tax return 2026")  # does not restart the clock
        clock.advance(days=2)
        assert [w.since for w in _read(store).stalled] == [named]
        store.complete(task.id, confirm=True)
        result = _read(store)
    assert result.waiting == 0
    assert result.last_mile_median == clock.now - named
    assert result.finished == 1 and result.imported_done == 0


def test_an_unchecked_step_deleted_by_an_edit_puts_the_task_on_its_last_mile(tmp_path):
    clock = Clock()
    with Store(tmp_path / "s.db", clock) as store:
        task = store.add("Ship it", final_step="deploy", steps=["a", "b"])
        store.check(task.id, 1)
        clock.advance(days=1)
        store.edit(task.id, steps=["a"])
        edited = clock.now
        clock.advance(days=3)
        (waiting,) = _read(store).stalled
    assert waiting.since == edited
    assert (waiting.title, waiting.final_step) == ("Ship it", "deploy")


def test_no_steps_means_on_the_last_mile_from_creation_and_imports_are_apart(tmp_path):
    clock = Clock()
    with Store(tmp_path / "s.db", clock) as store:
        quick = store.add("Call Ana", final_step="call her")
        imported = store.add("Old thing", final_step="file it")
        clock.advance(hours=3)
        store.complete(quick.id, confirm=True)
        store.complete(imported.id, confirm=True)
        with sqlite3.connect(store.path) as conn:  # what the importer writes for a finished task
            conn.execute("UPDATE event SET kind = ? WHERE task_id = ? AND kind = 'completed'",
                         (EventKind.IMPORTED_DONE.value, imported.id))
        result = _read(store)
    assert result.finished == 1 and result.imported_done == 1
    assert result.last_mile_median == timedelta(hours=3)
    assert result.cohort == stats.Cohort(done=1, dropped=0, open=0, imported_done=1)


OPS = st.lists(st.tuples(
    st.sampled_from(["add", "add_bare", "check", "uncheck", "add_step", "final", "unfinal",
                     "edit_steps", "complete", "drop", "reopen", "undo", "title"]),
    st.integers(1, 4), st.integers(1, 3), st.integers(0, 50)), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_the_store_reads_the_history_as_a_full_replay_does(ops):
    clock = Clock(NOW - timedelta(days=20))
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.db", clock) as store:
        for op, task_id, number, hours in ops:
            clock.advance(hours=hours)
            try:
                if op == "add":
                    store.add(f"t{task_id}", final_step="send", steps=["a", "b"][:number - 1])
                elif op == "add_bare":
                    store.add(f"t{task_id}", steps=["a", "b"][:number - 1])
                elif op == "check":
                    store.check(task_id, number)
                elif op == "uncheck":
                    store.uncheck(task_id, number)
                elif op == "add_step":
                    store.add_step(task_id, "c")
                elif op == "final":
                    store.set_final_step(task_id, f"send {number}")
                elif op == "unfinal":
                    store.set_final_step(task_id, "")
                elif op == "edit_steps":
                    store.edit(task_id, steps=["a", "b", "c"][:number - 1])
                elif op == "complete":
                    store.complete(task_id, confirm=True)
                elif op == "drop":
                    store.drop(task_id)
                elif op == "reopen":
                    store.reopen(task_id)
                elif op == "undo":
                    store.undo()
                else:
                    store.edit(task_id, title=f"renamed {number}")
            except LastmileError:
                pass
        result = _read(store)
        with sqlite3.connect(store.path) as conn:
            tasks = [store.get(i) for (i,) in conn.execute("SELECT id FROM task")]
            expected_waiting = sorted(
                (replayed(conn, t.id, t) or t.created_at, t.id) for t in tasks
                if t.status is Status.OPEN and t.final_step and all(s.done for s in t.steps))
            spans = [t.done_at - since for t in tasks if t.status is Status.DONE
                     and (since := replayed(conn, t.id, t)) is not None]
    assert [(w.since, w.id) for w in result.stalled] == expected_waiting
    assert result.last_mile_count == len(spans)
    assert result.last_mile_median == stats.median_span(spans)


def test_a_finished_tasks_checklist_is_its_record(tmp_path):
    """Found by hypothesis: steps rewritten after a task was done changed what its last mile had
    been. A done task's checklist is now refused like check and step refuse it, so the record holds."""
    import pytest

    from lastmile_tui.domain.errors import NotOpen

    clock = Clock(NOW - timedelta(days=2))
    with Store(tmp_path / "s.db", clock) as store:
        store.add("send it", final_step="send")
        clock.advance(hours=5)
        store.complete(1, confirm=True)
        with pytest.raises(NotOpen):
            store.edit(1, steps=["a"])
        figures = store.statistics(12)
    assert figures.last_mile_count == 1 and figures.last_mile_median == timedelta(hours=5)
