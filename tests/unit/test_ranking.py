"""Almost done first: stages, the order, the reasons, and the invariants behind them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lastmile_tui.domain.ranking import Stage, due_now, lane, progress, reason, stage
from lastmile_tui.domain.task import Priority, Step, Task
from tests.oracles.ranking import Ranked, rank, sort_key

NOW = datetime(2026, 11, 25, 10, 0)  # Wednesday


@dataclass(frozen=True)
class Item:
    """The least a thing needs to be ranked."""

    id: int | None
    final_step: str = "ship it"
    steps_total: int = 0
    steps_done: int = 0
    final_step_confirmed_at: datetime | None = None
    due: date | datetime | None = None
    updated_at: datetime = NOW
    priority: Priority | None = None
    done_claimed_at: datetime | None = None


def order(*items: Item) -> list[int | None]:
    return [r.item.id for r in rank(items, NOW)]


# -- progress and stages --------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (Item(1, final_step="", steps_total=3, steps_done=2), (2, 3)),
        (Item(1, final_step="", steps_total=0), (0, 0)),
        (Item(1), (0, 1)),
        (Item(1, steps_total=3, steps_done=2), (2, 4)),
        (Item(1, steps_total=3, steps_done=3), (3, 4)),
        (Item(1, steps_total=3, steps_done=3, final_step_confirmed_at=NOW), (4, 4)),
        (Item(1, final_step_confirmed_at=NOW), (1, 1)),
    ],
)
def test_progress_counts_the_final_step_as_the_last_step(item, expected):
    assert progress(item) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (Item(1, steps_total=4, steps_done=4), Stage.LAST_MILE),
        (Item(1, steps_total=1, steps_done=1), Stage.LAST_MILE),
        (Item(1, steps_total=3, steps_done=0, final_step_confirmed_at=NOW), Stage.LAST_MILE),
        (Item(1, final_step_confirmed_at=NOW), Stage.LAST_MILE),
        (Item(1, steps_total=3, steps_done=2), Stage.CLOSE),  # 2/4
        (Item(1, steps_total=4, steps_done=3), Stage.CLOSE),  # 3/5
        (Item(1, steps_total=2, steps_done=1), Stage.IN_PROGRESS),  # 1/3
        (Item(1, steps_total=9, steps_done=1), Stage.IN_PROGRESS),  # 1/10
        (Item(1, steps_total=2, steps_done=0), Stage.NOT_STARTED),
        (Item(1), Stage.NOT_STARTED),  # a final step alone is 0/1
        (Item(1, final_step=""), Stage.NO_FINISH_LINE),
        (Item(1, final_step="", steps_total=3, steps_done=3), Stage.NO_FINISH_LINE),
    ],
)
def test_stage(item, expected):
    assert stage(item) is expected


def test_stage_labels():
    assert [s.label for s in Stage] == [
        "Completed elsewhere",
        "Overdue & due today",
        "On the last mile",
        "Close",
        "In progress",
        "Not started",
        "No finish line",
    ]


def test_real_tasks_rank_too():
    task = Task(id=1, title="Send invoice", final_step="email it",
                steps=(Step("export hours", NOW),), updated_at=NOW)
    assert stage(task) is Stage.LAST_MILE and progress(task) == (1, 2)
    assert reason(task, NOW) == "last mile · 1/1 steps"


# -- the order --------------------------------------------------------------------


def test_almost_done_first():
    items = [
        Item(1, final_step=""),
        Item(2),
        Item(3, steps_total=4, steps_done=1),
        Item(4, steps_total=2, steps_done=2),
        Item(5, steps_total=3, steps_done=2),
        Item(6, final_step="", steps_total=2, steps_done=2),
        Item(7, final_step_confirmed_at=NOW),
    ]
    assert order(*items) == [7, 4, 5, 3, 2, 6, 1]
    assert [r.stage for r in rank(items, NOW)] == [
        Stage.LAST_MILE,
        Stage.LAST_MILE,
        Stage.CLOSE,
        Stage.IN_PROGRESS,
        Stage.NOT_STARTED,
        Stage.NO_FINISH_LINE,
        Stage.NO_FINISH_LINE,
    ]


def test_within_a_stage_the_larger_fraction_comes_first():
    close_half = Item(1, steps_total=3, steps_done=2, updated_at=NOW - timedelta(days=30))
    close_more = Item(2, steps_total=9, steps_done=8)
    assert order(close_half, close_more) == [2, 1]


def test_equal_fractions_tie_exactly_and_fall_through_to_the_due_date():
    third = Item(1, steps_total=2, steps_done=1)  # 1/3
    two_sixths = Item(2, steps_total=5, steps_done=2, due=date(2026, 12, 1))  # 2/6
    assert order(third, two_sixths) == [2, 1]


def test_due_dates_overdue_and_soonest_first_and_none_last():
    items = [
        Item(1),
        Item(2, due=date(2026, 11, 27)),
        Item(3, due=date(2026, 11, 25)),  # today, until midnight
        Item(4, due=datetime(2026, 11, 25, 17, 0)),
        Item(5, due=date(2026, 11, 20)),
        Item(6, due=date(9999, 12, 31)),
    ]
    assert order(*items) == [5, 4, 3, 2, 6, 1]


def test_the_longest_untouched_comes_first_then_the_lowest_id():
    items = [
        Item(4, updated_at=NOW),
        Item(3, updated_at=NOW - timedelta(days=1)),
        Item(1, updated_at=NOW),
        Item(2, updated_at=NOW - timedelta(days=9)),
    ]
    assert order(*items) == [2, 3, 1, 4]


def test_an_unsaved_item_comes_after_saved_equals():
    assert order(Item(None), Item(5)) == [5, None]


def test_sort_key_agrees_with_rank():
    items = [Item(i, steps_total=i % 4, steps_done=i % 3 % (i % 4 + 1)) for i in range(20)]
    ranked = [r.item for r in rank(items, NOW)]
    assert ranked == sorted(items, key=lambda item: sort_key(item, NOW))


def test_ranked_rows_carry_stage_position_and_a_lazy_reason():
    items = [Item(1), Item(2, steps_total=1, steps_done=1, due=date(2026, 11, 26))]
    ranked = rank(iter(items), NOW)
    assert ranked == [
        Ranked(items[1], Stage.LAST_MILE, 0),
        Ranked(items[0], Stage.NOT_STARTED, 1),
    ]
    assert ranked[0].reason(NOW) == "last mile · 1/1 steps · due tomorrow"
    assert rank([], NOW) == []


# -- reasons ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            Item(1, steps_total=4, steps_done=4, due=date(2026, 11, 26),
                 updated_at=NOW - timedelta(days=6)),
            "last mile · 4/4 steps · due tomorrow · idle 6d",
        ),
        (Item(1, final_step_confirmed_at=NOW), "final step confirmed"),
        (
            Item(1, steps_total=3, steps_done=1, final_step_confirmed_at=NOW),
            "final step confirmed · 1/3 steps",
        ),
        (Item(1, steps_total=3, steps_done=2), "close · 2/3 steps"),
        (
            Item(1, steps_total=3, steps_done=1, due=date(2026, 11, 22)),
            "in progress · 1/3 steps · overdue 2d",
        ),
        (
            Item(1, steps_total=3, due=datetime(2026, 11, 25, 7, 0)),
            "not started · 0/3 steps · overdue 3h",
        ),
        (Item(1, due=datetime(2026, 11, 25, 17, 0)), "not started · due today 17:00"),
        (Item(1, final_step="", steps_total=2, steps_done=2), "no finish line · 2/2 steps"),
        (Item(1, final_step="", updated_at=NOW - timedelta(days=90)), "no finish line · idle 3mo"),
        (Item(1, updated_at=NOW - timedelta(hours=23, minutes=59)), "not started"),
        (Item(1, updated_at=NOW - timedelta(days=1)), "not started · idle 1d"),
        (Item(1, updated_at=NOW - timedelta(days=20)), "not started · idle 2w"),
    ],
)
def test_reason(item, expected):
    assert reason(item, NOW) == expected


# -- invariants -------------------------------------------------------------------

# A few shared values besides the arbitrary ones, so that ties (down to the id) are common.
DUES = st.one_of(
    st.none(),
    st.sampled_from([date(2026, 11, 24), date(2026, 11, 25), datetime(2026, 11, 25, 17, 0)]),
    st.dates(min_value=date(2026, 11, 1), max_value=date(2027, 1, 31)),
    st.datetimes(min_value=datetime(2026, 11, 1), max_value=datetime(2027, 1, 31)),
)
UPDATED = st.one_of(
    st.sampled_from([NOW, NOW - timedelta(days=2)]),
    st.integers(min_value=0, max_value=60 * 24 * 90).map(
        lambda minutes: NOW - timedelta(minutes=minutes)
    ),
)


@st.composite
def items(draw: st.DrawFn, item_id: int | None = None, with_final: bool | None = None) -> Item:
    final = draw(st.booleans()) if with_final is None else with_final
    total = draw(st.integers(min_value=0, max_value=6))
    return Item(
        id=draw(st.integers(min_value=1, max_value=10_000)) if item_id is None else item_id,
        final_step="ship it" if final else "",
        steps_total=total,
        steps_done=draw(st.integers(min_value=0, max_value=total)),
        final_step_confirmed_at=NOW if final and draw(st.booleans()) else None,
        due=draw(DUES),
        updated_at=draw(UPDATED),
        priority=draw(st.sampled_from([None, *Priority])),
        # now and then a claim: another app said it is done (a sync brought it)
        done_claimed_at=NOW - timedelta(hours=1) if draw(st.integers(0, 5)) == 0 else None,
    )


ITEM_LISTS = st.lists(items(), max_size=25, unique_by=lambda item: item.id)


@given(ITEM_LISTS, st.data())
@settings(max_examples=200)
def test_checking_off_a_step_never_moves_a_task_below_one_it_was_above(tasks, data):
    open_steps = [i for i, t in enumerate(tasks) if t.steps_done < t.steps_total]
    if not open_steps:
        return
    index = data.draw(st.sampled_from(open_steps))
    task = tasks[index]
    before = order(*tasks)
    below = before[before.index(task.id) + 1 :]
    checked = replace(task, steps_done=task.steps_done + 1, updated_at=NOW)
    after = order(*tasks[:index], checked, *tasks[index + 1 :])
    assert set(below) <= set(after[after.index(task.id) + 1 :])


@given(items(item_id=1, with_final=True), st.data(), ITEM_LISTS)
@settings(max_examples=200)
def test_the_last_mile_ranks_above_a_task_with_steps_left(base, data, others):
    total = data.draw(st.integers(min_value=1, max_value=8))
    left = data.draw(st.integers(min_value=1, max_value=total))
    base = replace(base, done_claimed_at=None)  # a claim leads whatever its steps
    last_mile = replace(base, steps_total=total, steps_done=total)
    steps_left = replace(base, id=2, steps_total=total, steps_done=total - left)
    assert stage(last_mile) is Stage.LAST_MILE
    everyone = [t for t in others if t.id not in (1, 2)] + [steps_left, last_mile]
    ranked = order(*everyone)
    assert ranked.index(1) < ranked.index(2)


@given(ITEM_LISTS)
@settings(max_examples=200)
def test_tasks_with_a_final_step_rank_above_tasks_without(tasks):
    """Outside the lanes of claims and of overdue and due-today work, which lead whatever their
    progress."""
    ranked = [r for r in rank(tasks, NOW) if r.stage not in (Stage.DUE_NOW, Stage.CLAIMED)]
    has_final = [bool(r.item.final_step) for r in ranked]
    assert has_final == sorted(has_final, reverse=True)
    assert [r.stage is not Stage.NO_FINISH_LINE for r in ranked] == has_final


@given(ITEM_LISTS, st.randoms(use_true_random=False))
@settings(max_examples=200)
def test_rank_is_a_deterministic_permutation(tasks, rnd):
    ranked = rank(tasks, NOW)
    assert sorted((r.item for r in ranked), key=id) == sorted(tasks, key=id)
    assert [r.position for r in ranked] == list(range(len(tasks)))
    assert [r.stage for r in ranked] == sorted(r.stage for r in ranked)
    shuffled = list(tasks)
    rnd.shuffle(shuffled)
    assert [r.item for r in rank(shuffled, NOW)] == [r.item for r in ranked]


# Ids may repeat or be missing (unsaved), and a date shares its moment with the last
# microsecond of that day, so that every tie-break of the key is exercised.
SAME_MOMENT_DUES = st.sampled_from([date(2026, 11, 25), datetime(2026, 11, 25, 23, 59, 59, 999999)])
LOOSE_ITEMS = st.lists(
    st.builds(
        lambda item, item_id, due: replace(item, id=item_id, due=due),
        items(),
        st.one_of(st.none(), st.integers(min_value=-3, max_value=3), st.integers()),
        st.one_of(DUES, SAME_MOMENT_DUES),
    ),
    max_size=40,
)


@given(LOOSE_ITEMS)
@settings(max_examples=300)
def test_rank_is_exactly_the_stable_sort_by_sort_key(tasks):
    expected = sorted(tasks, key=lambda item: sort_key(item, NOW))
    ranked = rank(iter(tasks), NOW)
    assert [id(r.item) for r in ranked] == [id(item) for item in expected]  # the very objects
    assert [r.stage for r in ranked] == [lane(item, NOW) for item in expected]
    assert [r.position for r in ranked] == list(range(len(tasks)))
    assert all(type(r) is Ranked for r in ranked)


# -- the lane of overdue and due-today work --------------------------------------------


def test_overdue_and_due_today_lead_whatever_their_progress():
    items = [
        Item(1, steps_total=2, steps_done=2, final_step_confirmed_at=NOW),  # last mile, undated
        Item(2, final_step="", due=date(2026, 11, 20)),  # overdue, no finish line
        Item(3, due=date(2026, 11, 25)),  # due today (a date lasts until midnight)
        Item(4, steps_total=1, steps_done=1, due=datetime(2026, 11, 25, 23, 0)),  # today, last mile
        Item(5, steps_total=1, steps_done=1, due=date(2026, 11, 26)),  # tomorrow: not yet
    ]
    ranked = rank(items, NOW)
    assert [r.item.id for r in ranked] == [4, 3, 2, 1, 5]  # almost done first inside the lane
    assert [r.stage for r in ranked] == [Stage.DUE_NOW] * 3 + [Stage.LAST_MILE] * 2
    assert [stage(r.item) for r in ranked][:3] == [
        Stage.LAST_MILE, Stage.NOT_STARTED, Stage.NO_FINISH_LINE]  # the progress stage is kept
    assert reason(items[1], NOW) == "no finish line · overdue 4d"


def test_the_lane_turns_at_midnight():
    tomorrow = Item(1, due=date(2026, 11, 26))
    assert not due_now(tomorrow, NOW)
    assert due_now(tomorrow, datetime(2026, 11, 26, 0, 0))
    assert due_now(Item(2, due=datetime(2026, 11, 25, 23, 59, 59)), NOW)
    assert not due_now(Item(3, due=datetime(2026, 11, 26, 0, 0)), NOW)
    assert not due_now(Item(4), NOW)


@given(ITEM_LISTS)
@settings(max_examples=200)
def test_due_now_work_is_never_below_work_that_is_not(tasks):
    ranked = [r for r in rank(tasks, NOW) if r.stage is not Stage.CLAIMED]  # claims lead: below
    flags = [due_now(r.item, NOW) for r in ranked]
    assert flags == sorted(flags, reverse=True)
    # the rest keeps almost-done-first: stages never go back up
    rest = [stage(r.item) for r in ranked if not due_now(r.item, NOW)]
    assert rest == sorted(rest)
    lane_stages = [stage(r.item) for r in ranked if due_now(r.item, NOW)]
    assert lane_stages == sorted(lane_stages)


# -- the lane of claims: completed elsewhere, waiting for a person ---------------------


def test_a_claim_leads_even_overdue_work_on_its_last_mile():
    claimed = Item(1, steps_total=3, done_claimed_at=NOW, due=date(2027, 1, 5))  # 0/4, due later
    items = [
        Item(2, steps_total=1, steps_done=1, final_step_confirmed_at=NOW, due=date(2026, 11, 20)),
        Item(3, steps_total=2, steps_done=2),
        claimed,
        Item(4, final_step="", done_claimed_at=NOW),  # a claim without a finish line, too
    ]
    ranked = rank(items, NOW)
    assert [r.item.id for r in ranked] == [1, 4, 2, 3]  # among claims: almost done first
    assert [r.stage for r in ranked] == [Stage.CLAIMED] * 2 + [Stage.DUE_NOW, Stage.LAST_MILE]
    assert stage(claimed) is lane(claimed, NOW) is Stage.CLAIMED
    assert lane(Item(5, done_claimed_at=NOW, due=date(2026, 11, 1)), NOW) is Stage.CLAIMED
    assert progress(claimed) == (0, 4)  # the final step is the one still unanswered


def test_a_claims_reason_is_its_question():
    assert reason(Item(1, steps_total=2, steps_done=2, done_claimed_at=NOW, due=date(2026, 11, 26)),
                  NOW) == "completed elsewhere — did you do ‹ship it›? · 2/2 steps · due tomorrow"
    assert reason(Item(1, final_step="", done_claimed_at=NOW), NOW) == (
        "completed elsewhere: give it a final step, then confirm it")


@given(ITEM_LISTS)
@settings(max_examples=200)
def test_claims_are_never_below_anything_else(tasks):
    ranked = rank(tasks, NOW)
    flags = [r.item.done_claimed_at is not None for r in ranked]
    assert flags == sorted(flags, reverse=True)
    assert [r.stage is Stage.CLAIMED for r in ranked] == flags
