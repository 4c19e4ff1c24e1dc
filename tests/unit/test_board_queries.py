"""The board's windowed reads agree with the domain: same order, same filter, same counts."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lastmile_tui.domain.dates import is_overdue
from lastmile_tui.domain.ranking import Stage, stage
from lastmile_tui.domain.review import ReviewAim
from lastmile_tui.domain.search import matches_fields
from lastmile_tui.domain.task import Priority, Status, is_waiting
from lastmile_tui.store.store import Store
from tests.conftest import NOW, Clock
from tests.oracles.ranking import rank, sort_key
from tests.oracles.review import review_candidates
from tests.oracles.store import claim, confirm_final, summaries

TAGS = ["work", "home", "Urgent"]
WORDS = ["invoice", "ship", "tax", "Ünïcode", "send"]

task_specs = st.lists(
    st.fixed_dictionaries({
        "title": st.sampled_from(WORDS).map(lambda w: f"{w} it"),
        "final": st.sampled_from(["", "send", "sign it"]),
        "steps": st.integers(0, 4),
        "checked": st.integers(0, 4),
        "confirm": st.booleans(),
        "due": st.one_of(
            st.none(),
            st.integers(-3, 3).map(lambda d: (NOW + timedelta(days=d)).date()),
            st.integers(-50, 50).map(lambda h: NOW + timedelta(hours=h)),
        ),
        "tags": st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
        "tick": st.integers(0, 2),
        "close": st.sampled_from([None, None, "drop", "done", "claim"]),
        "priority": st.sampled_from([None, Priority.H, Priority.M, Priority.L]),
        # waited until a week ago, until today, or waiting yet
        "wait": st.one_of(st.none(), st.integers(-8, 3).map(lambda d: (NOW + timedelta(days=d)).date())),
    }),
    max_size=10,
)


def build(path: Path, specs: list[dict]) -> Store:
    clock = Clock(NOW - timedelta(days=3))
    store = Store(path, clock=clock)
    for spec in specs:
        clock.now = NOW - timedelta(days=spec["tick"])  # equal times: the id breaks ties
        task = store.add(
            spec["title"], final_step=spec["final"], steps=[f"s{i}" for i in range(spec["steps"])],
            due=spec["due"], tags=spec["tags"], priority=spec["priority"], wait=spec["wait"],
        )
        for number in range(1, min(spec["checked"], spec["steps"]) + 1):
            store.check(task.id, number)
        if spec["final"] and (spec["confirm"] or spec["close"] == "done"):
            confirm_final(store, task.id)
        if spec["close"] == "done" and spec["final"]:
            store.complete(task.id)
        elif spec["close"] == "drop":
            store.drop(task.id, "no")
        elif spec["close"] == "claim":  # completed on a phone: open, waiting for a person
            claim(store, task.id)
    clock.now = NOW
    return store


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_specs, st.sampled_from(["", "+work", "send", "+urgent ship", "ünï"]))
def test_pages_follow_the_domain_ranking(specs, query):
    with tempfile.TemporaryDirectory() as folder, build(Path(folder) / "t.db", specs) as store:
        every = summaries(store, include_closed=True)
        today = NOW.date()
        hidden = [t for t in every if t.status is Status.OPEN and is_waiting(t, today)]
        matching = [t for t in every if matches_fields(query, t.title, t.final_step, t.tags)]
        shown = [t for t in matching if t not in hidden]
        open_ = [t for t in shown if t.status is Status.OPEN]
        closed = sorted((t for t in shown if t.status is not Status.OPEN),
                        key=lambda t: (t.updated_at, t.id), reverse=True)
        expected = [r.item.id for r in rank(open_, NOW)]

        assert [t.id for t in store.ranked_page(0, 100, query)] == expected
        assert [t.id for t in store.ranked_page(2, 3, query)] == expected[2:5]
        assert [t.id for t in store.ranked_page(0, 100, query, closed=True)] == [t.id for t in closed]

        shape = store.board_shape(query, include_closed=True)
        assert shape.stages == dict(Counter(r.stage for r in rank(open_, NOW)))
        assert shape.closed == len(closed)
        assert shape.waiting == sum(1 for t in matching if t in hidden)
        assert [t.id for t in store.waiting(query)] == [
            t.id for t in sorted((t for t in matching if t in hidden),
                                 key=lambda t: (t.wait, sort_key(t, NOW)[1:]))]
        assert shape.longest_title == max((len(t.title) for t in shown), default=0)
        counts = store.counts(query, include_closed=True)  # list's cheaper totals: the same numbers
        assert (counts.open, counts.waiting, counts.closed) == (len(open_), shape.waiting, len(closed))
        assert counts.claimed == shape.stages.get(Stage.CLAIMED, 0)
        assert store.counts(query).closed == 0

        for index, task_id in enumerate(expected):
            assert store.place(task_id, query) == (False, index)
        for index, task in enumerate(closed):
            assert store.place(task.id, query) == (True, index)
        for task in every:
            if task not in shown:
                assert store.place(task.id, query) is None

        all_open = [t for t in every if t.status is Status.OPEN and t not in hidden]
        overview = store.overview()
        assert overview.open == len(all_open)
        # the header counts progress: a last-mile task in the due-now lane is still on the last mile
        assert overview.last_mile == sum(1 for t in all_open if stage(t) is Stage.LAST_MILE)
        # a claim (completed elsewhere) is not overdue work: it waits for one answer, at the top
        assert overview.overdue == sum(1 for t in all_open if t.due and is_overdue(t.due, NOW)
                                       and stage(t) is not Stage.CLAIMED)
        midnight = NOW.replace(hour=0, minute=0)
    assert overview.finished_today == sum(
        1 for t in every if t.status is Status.DONE and t.done_at >= midnight
    )


def test_a_date_due_today_is_not_overdue_until_the_day_ends(store):
    store.add("today", due=date(2026, 11, 25))
    store.add("an hour ago", due=NOW - timedelta(hours=1))
    assert store.overview().overdue == 1


def test_an_unknown_task_has_no_place(store):
    assert store.place(99) is None


def test_the_filter_is_the_domains_rule():
    assert matches_fields("+Work send", "Send it", "", ("work",))
    assert not matches_fields("+work", "work", "", ())
    assert matches_fields("INVOICE", "", "send the invoice", ())
    assert matches_fields("", "anything", "", ())


def test_a_confirmed_final_step_moves_the_stored_rank(store):
    first = store.add("a", final_step="f", steps=["x"])
    second = store.add("b", final_step="f", steps=["x"])
    store.check(second.id, 1)
    assert [t.id for t in store.ranked_page(0, 10)] == [second.id, first.id]
    confirm_final(store, first.id)
    assert [t.id for t in store.ranked_page(0, 10)] == [first.id, second.id]
    store.undo()
    assert [t.id for t in store.ranked_page(0, 10)] == [second.id, first.id]


def test_it_reads_a_window_through_the_index(store):
    conn = store._connection()
    try:
        plan = " ".join(r[3] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM task WHERE status = 'open'"
            " ORDER BY rank_stage, rank_fraction, due_key, priority_rank, updated_at, id LIMIT 30"
        ))
    finally:
        conn.close()
    assert "ix_task_rank" in plan and "TEMP B-TREE" not in plan


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_specs, st.booleans(), st.sampled_from([None, 1, 2, 4]), st.sampled_from([None, -1, 0]))
def test_the_review_queue_is_the_domains_review(specs, include_reviewed, snooze_days, reviewed):
    with tempfile.TemporaryDirectory() as folder, build(Path(folder) / "t.db", specs) as store:
        for task in summaries(store)[::2]:
            if snooze_days is not None:  # snoozed two days ago: over, ending today, or not yet
                store.clock.now = NOW - timedelta(days=2)
                store.snooze(task.id, snooze_days)
                store.clock.now = NOW
            if reviewed is not None:
                store.mark_reviewed(task.id, (NOW + timedelta(days=reviewed)).date())
        expected = review_candidates(summaries(store), NOW, include_reviewed=include_reviewed)
        assert store.review_queue(include_reviewed=include_reviewed) == [r.item.id for r in expected]


aims = st.builds(
    ReviewAim,
    st.sampled_from(["", "+work", "ship", "+Urgent send", "nothing-matches"]),
    st.sampled_from([None, 0, 1, 3, 10]),
    st.booleans(),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_specs, st.booleans(), aims)
def test_an_aimed_review_queue_is_the_domains_aim(specs, include_reviewed, aim):
    with tempfile.TemporaryDirectory() as folder, build(Path(folder) / "t.db", specs) as store:
        expected = review_candidates(summaries(store), NOW, include_reviewed=include_reviewed,
                                     aim=aim)
        got = store.review_queue(include_reviewed=include_reviewed, aim=aim)
        assert got == [r.item.id for r in expected]


def test_the_due_now_lane_leads_every_window_whichever_index_reads_it(store, monkeypatch):
    """Overdue and due-today work comes first in pages, counts and places (issue 9, item 29)."""
    from lastmile_tui.store import queries

    for n in range(12):
        task = store.add(f"nearly {n}", final_step="f", steps=["x"])
        store.check(task.id, 1)
    lane = [
        store.add("overdue, no finish line", due=NOW - timedelta(days=2)).id,
        store.add("due tonight", final_step="f", due=NOW.replace(hour=23)).id,
        store.add("due today", due=NOW.date()).id,
    ]
    store.add("due tomorrow", due=(NOW + timedelta(days=1)).date())
    expected = [r.item.id for r in rank(summaries(store), NOW)]
    assert set(expected[:3]) == set(lane)
    for small_lane in (0, 500):  # read through the ranking index, then through the due-date one
        monkeypatch.setattr(queries, "_SMALL_LANE", small_lane)
        for offset in range(len(expected)):
            assert [t.id for t in store.ranked_page(offset, 4)] == expected[offset:offset + 4]
    assert store.board_shape().stages[Stage.DUE_NOW] == 3
    assert [store.place(task_id) for task_id in expected] == [(False, i) for i in range(16)]
    store.clock.now = NOW + timedelta(days=1)  # at midnight tomorrow's task joins the lane
    assert store.board_shape().stages[Stage.DUE_NOW] == 4


def test_the_lane_and_the_rest_are_read_through_indexes(store):
    """Neither part of a window sorts the whole list; the lane's own sort is of the lane only."""
    from lastmile_tui.store.queries import _LATER, RANK_ORDER, _lane_source

    conn = store._connection()
    try:
        def plan(sql: str) -> str:
            return " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", ("x",)))

        rest = plan(f"SELECT id FROM task WHERE status = 'open' AND {_LATER}"
                    f" ORDER BY {RANK_ORDER} LIMIT 30")
        assert "ix_task_rank" in rest and "TEMP B-TREE" not in rest
        small = plan(f"SELECT id FROM {_lane_source(1)} WHERE status = 'open' AND due_key < ?"
                     f" ORDER BY {RANK_ORDER} LIMIT 30")
        assert "SEARCH task USING INDEX ix_task_open_due" in small
        big = plan(f"SELECT id FROM {_lane_source(10_000)} WHERE status = 'open' AND due_key < ?"
                   f" ORDER BY {RANK_ORDER} LIMIT 30")
        assert "ix_task_rank" in big and "TEMP B-TREE" not in big
    finally:
        conn.close()
