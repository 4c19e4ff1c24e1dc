"""Due dates: every word people may type, and every way of getting it wrong.

"Now" is always pinned, so these pass on any day of the year.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lastmile_tui.domain.dates import (
    describe_age,
    describe_due,
    due_moment,
    due_phrase,
    format_due,
    is_overdue,
    load_due,
    parse_due,
)
from lastmile_tui.domain.errors import DateParseError, InvalidInput

WED = datetime(2026, 11, 25, 10, 0)  # Wednesday
FRI = datetime(2026, 11, 27, 10, 0)
SUN = datetime(2026, 11, 29, 10, 0)
JAN31 = datetime(2027, 1, 31, 9, 0)  # a Sunday
LEAP_JAN31 = datetime(2028, 1, 31, 9, 0)


def test_pinned_days_are_the_weekdays_the_tests_assume():
    assert [d.strftime("%a") for d in (WED, FRI, SUN, JAN31)] == ["Wed", "Fri", "Sun", "Sun"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 25)),
        ("tomorrow", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        # weekdays: the next such day strictly after today
        ("thursday", date(2026, 11, 26)),
        ("thu", date(2026, 11, 26)),
        ("thur", date(2026, 11, 26)),
        ("thurs", date(2026, 11, 26)),
        ("friday", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("saturday", date(2026, 11, 28)),
        ("sat", date(2026, 11, 28)),
        ("sunday", date(2026, 11, 29)),
        ("sun", date(2026, 11, 29)),
        ("monday", date(2026, 11, 30)),
        ("mon", date(2026, 11, 30)),
        ("tuesday", date(2026, 12, 1)),
        ("tue", date(2026, 12, 1)),
        ("tues", date(2026, 12, 1)),
        ("wednesday", date(2026, 12, 2)),
        ("wed", date(2026, 12, 2)),
        ("next fri", date(2026, 11, 27)),
        ("next friday", date(2026, 11, 27)),
        ("next wed", date(2026, 12, 2)),
        # relative
        ("in 1 day", date(2026, 11, 26)),
        ("in 3 days", date(2026, 11, 28)),
        ("in 3d", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("in 2w", date(2026, 12, 9)),
        ("in 1 month", date(2026, 12, 25)),
        ("in 2 years", date(2028, 11, 25)),
        ("+3d", date(2026, 11, 28)),
        ("+2w", date(2026, 12, 9)),
        ("+1m", date(2026, 12, 25)),
        ("+1y", date(2027, 11, 25)),
        ("+0d", date(2026, 11, 25)),
        # ends of periods
        ("eow", date(2026, 11, 29)),
        ("eom", date(2026, 11, 30)),
        ("eoy", date(2026, 12, 31)),
        # absolute
        ("2026-12-03", date(2026, 12, 3)),
        ("2026-02-28", date(2026, 2, 28)),
        ("Dec 3", date(2026, 12, 3)),
        ("3 Dec", date(2026, 12, 3)),
        ("December 3", date(2026, 12, 3)),
        ("dec 3 2027", date(2027, 12, 3)),
        ("Dec 3, 2027", date(2027, 12, 3)),
        ("dec 3 2025", date(2025, 12, 3)),  # a typed year is never rolled
        ("Sept 9", date(2027, 9, 9)),
        # case and whitespace
        ("  TOMORROW ", date(2026, 11, 26)),
        ("Next   FRI", date(2026, 11, 27)),
    ],
)
def test_dates_on_a_wednesday(text, expected):
    due = parse_due(text, WED)
    assert due == expected and type(due) is date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri 5pm", datetime(2026, 11, 27, 17, 0)),
        ("next fri 5pm", datetime(2026, 11, 27, 17, 0)),
        ("tomorrow 9:30", datetime(2026, 11, 26, 9, 30)),
        ("today 17:00", datetime(2026, 11, 25, 17, 0)),
        ("Dec 3 9am", datetime(2026, 12, 3, 9, 0)),
        ("dec 3 2027 9am", datetime(2027, 12, 3, 9, 0)),
        ("in 3 days 8am", datetime(2026, 11, 28, 8, 0)),
        ("eom 6pm", datetime(2026, 11, 30, 18, 0)),
        ("5pm", datetime(2026, 11, 25, 17, 0)),
        ("5 PM", datetime(2026, 11, 25, 17, 0)),
        ("5:30pm", datetime(2026, 11, 25, 17, 30)),
        ("17:00", datetime(2026, 11, 25, 17, 0)),
        ("9am", datetime(2026, 11, 25, 9, 0)),  # already past: still today, as typed
        ("noon", datetime(2026, 11, 25, 12, 0)),
        ("fri noon", datetime(2026, 11, 27, 12, 0)),
        ("12am", datetime(2026, 11, 25, 0, 0)),
        ("12pm", datetime(2026, 11, 25, 12, 0)),
        ("0:00", datetime(2026, 11, 25, 0, 0)),
        ("2026-12-03T17:00", datetime(2026, 12, 3, 17, 0)),
        ("2026-12-03 17:00", datetime(2026, 12, 3, 17, 0)),
        ("+4h", datetime(2026, 11, 25, 14, 0)),
        ("in 4 hours", datetime(2026, 11, 25, 14, 0)),
        ("in 1 hour", datetime(2026, 11, 25, 11, 0)),
        ("+20h", datetime(2026, 11, 26, 6, 0)),
    ],
)
def test_times_make_datetimes(text, expected):
    due = parse_due(text, WED)
    assert due == expected and type(due) is datetime


def test_hours_drop_seconds():
    now = datetime(2026, 11, 25, 10, 7, 42, 123456)
    assert parse_due("+4h", now) == datetime(2026, 11, 25, 14, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri", date(2026, 12, 4)),  # on a Friday, fri is a week away
        ("next fri", date(2026, 12, 4)),
        ("sat", date(2026, 11, 28)),
        ("thu", date(2026, 12, 3)),
        ("eow", date(2026, 11, 29)),
        ("today 5pm", datetime(2026, 11, 27, 17, 0)),
    ],
)
def test_on_a_friday(text, expected):
    assert parse_due(text, FRI) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eow", date(2026, 11, 29)),  # Sunday: the end of the week is today
        ("sun", date(2026, 12, 6)),
        ("mon", date(2026, 11, 30)),
        ("eom", date(2026, 11, 30)),
    ],
)
def test_on_a_sunday(text, expected):
    assert parse_due(text, SUN) == expected


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (JAN31, "+1m", date(2027, 2, 28)),
        (JAN31, "in 1 month", date(2027, 2, 28)),
        (JAN31, "+2m", date(2027, 3, 31)),
        (LEAP_JAN31, "+1m", date(2028, 2, 29)),
        (JAN31, "eom", date(2027, 1, 31)),
        (JAN31, "eow", date(2027, 1, 31)),
        (JAN31, "+1y", date(2028, 1, 31)),
        (datetime(2028, 2, 29, 9, 0), "+1y", date(2029, 2, 28)),
    ],
)
def test_calendar_arithmetic_clamps_to_the_month(now, text, expected):
    assert parse_due(text, now) == expected


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (WED, "Jan 5", date(2027, 1, 5)),  # already passed this year
        (WED, "Nov 24", date(2027, 11, 24)),  # yesterday: next year
        (WED, "Nov 25", date(2026, 11, 25)),  # today has not passed
        (WED, "Nov 25 9am", datetime(2026, 11, 25, 9, 0)),
        (WED, "Dec 3", date(2026, 12, 3)),
        (datetime(2026, 12, 10, 9, 0), "Dec 3", date(2027, 12, 3)),
        (datetime(2026, 12, 10, 9, 0), "Dec 3 9am", datetime(2027, 12, 3, 9, 0)),
        (datetime(2026, 12, 10, 9, 0), "Jan 5", date(2027, 1, 5)),
        (datetime(2026, 12, 10, 9, 0), "dec 3 2026", date(2026, 12, 3)),
    ],
)
def test_month_day_without_a_year_rolls_into_next_year_once_passed(now, text, expected):
    assert parse_due(text, now) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "blorp",
        "someday maybe",
        "in x days",
        "in days",
        "in 3",
        "+0x",
        "+3",
        "3d",
        "-1d",
        "fri fri",
        "tomorrow tomorrow",
        "next next fri",
        "next",
        "next week",
        "fri5pm",
        "meeting on fri",  # no fuzzy reading, ever
        "25:00",
        "fri 25:00",
        "9:60",
        "13pm",
        "0am",
        "17",
        "+4h 5pm",
        "2026-02-30",
        "2026-13-01",
        "2026-1-5",
        "2026-12-03 17:00:00",
        "Feb 30",
        "dec 32",
        "dec 0",
        "mon 3",
        "blorp 3",
        "Dec",
        "dec 3 27",
        "+99999999999999999999d",
        "+99999999999999999999h",
        "+9999999y",
        "in 9999 years",
    ],
)
def test_unreadable_input_is_an_error_naming_it(text):
    with pytest.raises(DateParseError) as caught:
        parse_due(text, WED)
    message = str(caught.value)
    assert f"cannot read due date {text.strip()!r}" in message
    assert "tomorrow, fri, next fri, in 3 days" in message
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.text == text


def test_the_last_day_of_the_calendar_cannot_roll_over():
    with pytest.raises(DateParseError, match="'Jan 5'"):
        parse_due("Jan 5", datetime(9999, 12, 31, 9, 0))


def test_feb_29_without_a_year_needs_a_leap_year():
    assert parse_due("Feb 29", datetime(2028, 1, 10)) == date(2028, 2, 29)
    with pytest.raises(DateParseError, match="'Feb 29'"):
        parse_due("Feb 29", WED)


@given(st.text(max_size=30))
@settings(max_examples=200)
def test_any_text_gives_a_due_date_or_a_date_parse_error(text):
    try:
        due = parse_due(text, WED)
    except DateParseError as err:
        assert repr(text.strip()) in str(err)
    else:
        assert isinstance(due, date)


# -- storage --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (date(2026, 12, 3), "2026-12-03"),
        (datetime(2026, 12, 3, 17, 0), "2026-12-03 17:00"),
        (datetime(2026, 12, 3, 7, 5), "2026-12-03 07:05"),
        (date(5, 1, 2), "0005-01-02"),
    ],
)
def test_format_and_load_are_inverse(due, text):
    assert format_due(due) == text
    loaded = load_due(text)
    assert loaded == due and type(loaded) is type(due)


def test_load_due_reads_nothing_and_iso_exports():
    assert load_due(None) is None
    assert load_due("") is None
    assert load_due("2026-12-03T17:00:00") == datetime(2026, 12, 3, 17, 0)
    assert load_due("2026-12-03T17:00") == datetime(2026, 12, 3, 17, 0)


@pytest.mark.parametrize(
    "text", ["fri", "blorp", "2026-02-30", "2026-12-03 25:00", "2026-12-03T17:00+01:00"]
)
def test_load_due_refuses_what_it_cannot_store(text):
    with pytest.raises(DateParseError) as caught:
        load_due(text)
    assert str(caught.value) == (
        f"cannot read due date {text!r}: "
        "expected 2026-12-03 or 2026-12-03 17:00 (local time, no zone)"
    )


@given(
    st.one_of(
        st.dates(min_value=date(1000, 1, 1)),
        st.datetimes(min_value=datetime(1000, 1, 1)).map(
            lambda d: d.replace(second=0, microsecond=0)
        ),
    )
)
@settings(max_examples=200)
def test_what_is_stored_reads_back_and_can_be_typed_again(due):
    text = format_due(due)
    assert load_due(text) == due
    assert parse_due(text, WED) == due


# -- moments and overdue ----------------------------------------------------------


def test_a_date_lasts_until_the_end_of_its_day():
    assert due_moment(date(2026, 11, 25)) == datetime(2026, 11, 25, 23, 59, 59, 999999)
    assert due_moment(datetime(2026, 11, 25, 17, 0)) == datetime(2026, 11, 25, 17, 0)


@pytest.mark.parametrize(
    ("due", "now", "overdue"),
    [
        (date(2026, 11, 25), datetime(2026, 11, 25, 23, 59), False),
        (date(2026, 11, 25), datetime(2026, 11, 26, 0, 0), True),
        (date(2026, 11, 24), WED, True),
        (datetime(2026, 11, 25, 9, 0), WED, True),
        (datetime(2026, 11, 25, 10, 0), WED, False),  # due this very minute: not yet late
        (datetime(2026, 11, 25, 11, 0), WED, False),
    ],
)
def test_is_overdue(due, now, overdue):
    assert is_overdue(due, now) is overdue


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2026, 11, 22), "overdue 2d"),  # ran out at midnight on the 23rd: 2d 10h ago
        (date(2026, 11, 24), "overdue 10h"),
        (datetime(2026, 11, 25, 7, 0), "overdue 3h"),
        (datetime(2026, 11, 25, 9, 15), "overdue 45m"),
        (date(2026, 10, 1), "overdue 7w"),
        (date(2026, 11, 25), "due today"),
        (datetime(2026, 11, 25, 17, 0), "due today 17:00"),
        (datetime(2026, 11, 25, 10, 0), "due today 10:00"),
        (date(2026, 11, 26), "due tomorrow"),
        (datetime(2026, 11, 26, 9, 30), "due tomorrow"),
        (date(2026, 11, 27), "due fri"),
        (datetime(2026, 11, 27, 17, 0), "due fri"),
        (date(2026, 12, 1), "due tue"),  # six days ahead
        (date(2026, 12, 2), "due Dec 2"),  # a week ahead
        (date(2026, 12, 31), "due Dec 31"),
        (date(2027, 1, 5), "due Jan 5"),  # next year, but within 300 days
        (date(2027, 9, 21), "due Sep 21"),  # exactly 300 days
        (date(2027, 9, 22), "due 2027-09-22"),
        (date(2027, 12, 3), "due 2027-12-03"),
        (datetime(2027, 12, 3, 17, 0), "due 2027-12-03"),
    ],
)
def test_describe_due_on_a_wednesday(due, expected):
    assert describe_due(due, WED) == expected
    assert due_phrase(due, WED) == expected.removeprefix("due ")  # the same, for columns


def test_describe_due_later_this_year():
    assert describe_due(date(2027, 12, 31), JAN31) == "due Dec 31"  # 334 days, same year


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=-30), "0m"),
        (timedelta(0), "0m"),
        (timedelta(seconds=45), "0m"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=59, seconds=59), "59m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=23, minutes=59), "23h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=13, hours=23), "13d"),
        (timedelta(days=14), "2w"),
        (timedelta(days=59), "8w"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=365), "12mo"),
    ],
)
def test_describe_age(delta, expected):
    assert describe_age(delta) == expected


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("1st", datetime(2026, 11, 30, 9), date(2026, 12, 1)),
        ("30th", datetime(2026, 11, 30, 9), date(2026, 11, 30)),  # today is the 30th
        ("31st", datetime(2026, 11, 30, 9), date(2026, 12, 31)),  # the first month that has one
        ("the 29th", datetime(2027, 1, 30, 9), date(2027, 3, 29)),  # Feb 2027 has no 29th
    ],
)
def test_days_of_the_month_are_never_moved_to_another_day(text, now, expected):
    assert parse_due(text, now) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 31))
def test_an_ordinal_day_is_that_day_on_or_after_today(today, day):
    found = parse_due(f"{day}th", datetime.combine(today, datetime.min.time()))
    assert found.day == day and found >= today and (found - today).days < 93
