"""The shell's reads (``store/shell.py``) agree with the domain: a prompt's counts and typed-id lookup."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lastmile_tui.domain.dates import due_moment, is_overdue
from lastmile_tui.domain.ranking import lane_cutoff
from lastmile_tui.domain.task import Status
from lastmile_tui.store.shell import _id_ranges
from lastmile_tui.store.store import Store
from tests.conftest import NOW, Clock

specs = st.lists(
    st.fixed_dictionaries({
        "due": st.one_of(
            st.none(),
            st.integers(-2, 2).map(lambda d: (NOW + timedelta(days=d)).date()),
            st.integers(-30, 30).map(lambda h: NOW + timedelta(hours=h)),
        ),
        # snoozed from `days_ago` for `days`: the wait ends before, on or after today
        "wait": st.one_of(st.none(), st.tuples(st.integers(0, 4), st.integers(1, 4))),
        "close": st.sampled_from([None, None, None, "drop"]),
    }),
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs)
def test_the_prompt_counts_follow_the_domain(tasks):
    clock = Clock(NOW)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "t.db", clock=clock) as store:
        for spec in tasks:
            task = store.add("t", final_step="f", due=spec["due"])
            if spec["wait"] is not None:
                days_ago, days = spec["wait"]
                clock.now = NOW - timedelta(days=days_ago)
                store.snooze(task.id, days)
                clock.now = NOW
            if spec["close"] == "drop":
                store.drop(task.id)
        every = list(store.all_tasks())
        glance = store.glance()
        overview = store.overview()  # the header's own numbers, not a second definition
    open_ = [t for t in every if t.status is Status.OPEN]
    waiting = [t for t in open_ if t.wait is not None and t.wait > NOW.date()]
    shown = [t for t in open_ if t not in waiting]
    assert glance.waiting == len(waiting)
    assert glance.due_today == sum(1 for t in shown if t.due is not None and not is_overdue(t.due, NOW)
                                   and due_moment(t.due) < lane_cutoff(NOW))
    assert (glance.open, glance.last_mile, glance.overdue, glance.finished_today) == (
        overview.open, overview.last_mile, overview.overdue, overview.finished_today)


@given(st.integers(1, 99_999), st.integers(0, 200_000))
def test_id_ranges_hold_exactly_the_ids_with_the_typed_digits(prefix, highest):
    spans = _id_ranges(str(prefix), highest)
    inside = {n for low, high in spans for n in range(low, high + 1)} if highest < 2_000 else None
    if inside is not None:
        assert inside == {n for n in range(1, highest + 1) if str(n).startswith(str(prefix))}
    for low, high in spans:
        assert str(low).startswith(str(prefix)) and str(high).startswith(str(prefix)) and high <= highest


def test_typed_digits_find_open_closed_or_any(store):
    for n in range(1, 25):
        store.add(f"task {n}", final_step="f")
    store.drop(12)
    assert [i for i, _ in store.ids_starting("1")] == [1, 10, 11, *range(13, 20)]
    assert store.ids_starting("12", open_=False, closed=True) == [(12, "task 12")]
    assert [i for i, _ in store.ids_starting("2", closed=True)] == [2, 20, 21, 22, 23, 24]
    assert [i for i, _ in store.ids_starting("1", limit=3)] == [1, 10, 11]
    for nothing in ("0", "01", "x", "1a", "", "²", "99"):
        assert store.ids_starting(nothing) == [], nothing
