"""Repeat phrases to RRULEs, the next due date in both modes, and month ends that clamp."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.recurrence import Recurrence, describe, next_due, parse_recurrence

JAN_31 = date(2026, 1, 31)


@pytest.mark.parametrize(
    ("typed", "rule", "words"),
    [
        ("daily", "FREQ=DAILY", "daily"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "weekdays"),
        ("weekly", "FREQ=WEEKLY", "weekly"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("Every  2  Weeks", "FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("monthly", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "monthly on the 31st"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
         "quarterly on the 31st"),
        ("yearly", "FREQ=YEARLY", "yearly"),
        ("weekly on fri", "FREQ=WEEKLY;BYDAY=FR", "weekly on Fri"),
        ("weekly on mon and thu", "FREQ=WEEKLY;BYDAY=MO,TH", "weekly on Mon, Thu"),
        ("monthly on the last friday", "FREQ=MONTHLY;BYDAY=-1FR", "monthly on the last Fri"),
        ("monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15", "monthly on the 15th"),
        ("every 3 days", "FREQ=DAILY;INTERVAL=3", "every 3 days"),
        ("2wks", "FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("biweekly", "FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("bimonthly", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
         "every 2 months on the 31st"),
        ("semiannual", "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
         "every 6 months on the 31st"),
        ("biannual", "FREQ=YEARLY;INTERVAL=2", "every 2 years"),
        ("10d", "FREQ=DAILY;INTERVAL=10", "every 10 days"),
        ("3w", "FREQ=WEEKLY;INTERVAL=3", "every 3 weeks"),
        ("2q", "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
         "every 6 months on the 31st"),
        ("1y", "FREQ=YEARLY", "yearly"),
        ("FREQ=MONTHLY;INTERVAL=2", "FREQ=MONTHLY;INTERVAL=2", "every 2 months"),
    ],
)
def test_phrases_read_into_rules(typed, rule, words):
    recurrence = parse_recurrence(typed, JAN_31)
    assert (recurrence.rule, recurrence.after_done) == (rule, False)
    assert recurrence.describe() == words


def test_a_day_early_in_the_month_needs_no_clamp():
    assert parse_recurrence("monthly", date(2026, 1, 1)).rule == "FREQ=MONTHLY"


def test_after_done_is_its_own_mode():
    recurrence = parse_recurrence("2 weeks after done", JAN_31)
    assert recurrence == Recurrence("FREQ=WEEKLY;INTERVAL=2", after_done=True)
    assert recurrence.describe() == "every 2 weeks after done"
    assert Recurrence.from_text(recurrence.text) == recurrence


@pytest.mark.parametrize("typed", ["fortnite", "every 0 days", "monthly on the 32nd", "", "  ",
                                   "FREQ=SECONDLY", "FREQ=MONTHLY;BYDAY=XX", "weekly on someday",
                                   "every 5000 days"])
def test_an_unreadable_repeat_names_what_was_typed(typed):
    with pytest.raises(InvalidInput) as caught:
        parse_recurrence(typed, JAN_31)
    assert typed.strip() in str(caught.value) or "RRULE" in str(caught.value)


def test_month_ends_clamp_and_never_skip_a_month():
    recurrence = parse_recurrence("monthly", JAN_31)
    due, seen = JAN_31, []
    for _ in range(13):
        due = next_due(recurrence, due, due)
        seen.append(due)
    assert seen[:4] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
    assert [d.month for d in seen] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 6))
def test_a_monthly_series_keeps_its_day_or_the_months_last(start, months):
    recurrence = parse_recurrence(f"every {months} months" if months > 1 else "monthly", start)
    due = start
    for step in range(1, 15):
        due = next_due(recurrence, due, due)
        expected_month = (start.month - 1 + step * months) % 12 + 1
        assert due.month == expected_month
        last = calendar.monthrange(due.year, due.month)[1]
        assert due.day == min(start.day, last)


def test_fixed_never_stacks_overdue_copies():
    weekly = parse_recurrence("weekly", date(2026, 11, 2))  # Mondays
    assert next_due(weekly, date(2026, 11, 2), date(2026, 11, 25)) == date(2026, 11, 30)
    assert next_due(weekly, date(2026, 11, 30), date(2026, 11, 27)) == date(2026, 12, 7)


def test_after_done_counts_from_the_finish():
    plants = parse_recurrence("2 weeks after done", date(2026, 11, 2))
    assert next_due(plants, date(2026, 11, 2), date(2026, 11, 9), done_on=date(2026, 11, 9)) == \
        date(2026, 11, 23)


def test_a_time_of_day_is_kept():
    standup = parse_recurrence("weekdays", date(2026, 11, 27))
    assert next_due(standup, datetime(2026, 11, 27, 9, 30), date(2026, 11, 27)) == \
        datetime(2026, 11, 30, 9, 30)


def test_a_rule_that_runs_out_has_no_next():
    short = parse_recurrence("FREQ=DAILY;UNTIL=20261102", date(2026, 11, 1))
    assert short.describe() == "daily until 2026-11-02"
    assert next_due(short, date(2026, 11, 1), date(2026, 11, 1)) == date(2026, 11, 2)
    assert next_due(short, date(2026, 11, 2), date(2026, 11, 2)) is None
    with pytest.raises(InvalidInput, match="COUNT"):
        parse_recurrence("FREQ=DAILY;COUNT=2", date(2026, 11, 1))


@given(st.sampled_from(["daily", "weekly", "monthly", "every 3 days", "weekly on fri", "weekdays",
                        "monthly on the last friday", "quarterly", "yearly"]),
       st.dates(min_value=date(2020, 1, 1), max_value=date(2080, 1, 1)),
       st.integers(0, 400))
def test_the_next_date_is_always_after_today_and_the_due_date(phrase, due, late):
    today = due + timedelta(days=late)
    following = next_due(parse_recurrence(phrase, due), due, today)
    assert following is not None and following > today and following > due


def test_describe_falls_back_to_the_rule():
    assert describe("FREQ=MONTHLY;BYWEEKNO=3") == "FREQ=MONTHLY;BYWEEKNO=3"
