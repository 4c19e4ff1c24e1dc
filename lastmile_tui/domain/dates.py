"""Due dates as people type and read them: ``fri``, ``+2w``, ``Dec 3 9am``, ``overdue 2d``.

Pure Python: the clock is always passed in (naive local time), so every
answer is reproducible. Input is read strictly; anything we cannot read for
certain is an error naming what was typed, never a silent guess (which is
why dateutil's fuzzy mode is never used, and dateutil only ever sees input
that a pattern here has already shaped as "month name and day").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dateutil import parser
from dateutil.relativedelta import relativedelta

from lastmile_tui.domain.errors import DateParseError
from lastmile_tui.domain.patterns import lazy

EXAMPLES = (
    "try today, tomorrow, fri, next fri, in 3 days, +2w, eow, eom, 1st, Dec 3, 2026-12-03 "
    "or 'fri 5pm'"
)

_STORED = "expected 2026-12-03 or 2026-12-03 17:00 (local time, no zone)"


_NAMED_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_WEEKDAYS = {
    **dict.fromkeys(("monday", "mon"), 0),
    **dict.fromkeys(("tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("wednesday", "wed"), 2),
    **dict.fromkeys(("thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("friday", "fri"), 4),
    **dict.fromkeys(("saturday", "sat"), 5),
    **dict.fromkeys(("sunday", "sun"), 6),
}
_UNITS = {"h": "hours", "d": "days", "w": "weeks", "m": "months", "y": "years"}
_RELATIVE = lazy(r"(?:in |\+)(\d+) ?(h|hours?|d|days?|w|weeks?|m|months?|y|years?)", re.ASCII)
_ISO_DATE = lazy(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_T = lazy(r"^(\d{4}-\d{2}-\d{2})t(?=\d)", re.ASCII)
_ORDINAL_DAY = lazy(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)", re.ASCII)
_MONTH_DAY = lazy(r"(?:([a-z]+) (\d{1,2})|(\d{1,2}) ([a-z]+))(?:,? (\d{4}))?", re.ASCII)
_TIME_SUFFIX = lazy(r"(?:^| )(noon|\d{1,2}(?::\d{2})? ?[ap]m|\d{1,2}:\d{2})$", re.ASCII)
_CLOCK = lazy(r"(\d{1,2})(?::(\d{2}))? ?([ap]m)?", re.ASCII)
_MONTH_NAMES = parser.parserinfo()
_WEEKDAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_due(text: str, now: datetime) -> date | datetime:
    """Read a due date typed by a person: a ``date``, or a ``datetime`` when a time was given.

    Weekday names mean the next such day strictly after today, as Taskwarrior
    reads them: on a Friday, ``fri`` is a week away. ``next fri`` means the same
    day as ``fri``; the word only reads naturally, it never adds a week.
    """
    words = " ".join(text.lower().split())
    try:
        return _parse(_ISO_T.sub(r"\1 ", words), now)
    except (ValueError, OverflowError) as err:  # dateutil's ParserError is a ValueError
        raise DateParseError(text, EXAMPLES) from err


def parse_wait(text: str, now: datetime) -> date | None:
    """Read a wait (hide until) typed by a person: a day, read like a due date.

    A wait is a whole day, so a time of day is an error naming what was typed.
    A day of today or earlier means "not waiting" (None): the task is shown
    already, so there is nothing to hide it until.
    """
    try:
        day = parse_due(text, now)
    except DateParseError as err:
        raise DateParseError(text, EXAMPLES, "wait date") from err
    if isinstance(day, datetime):
        raise DateParseError(text, "a wait is a whole day, without a time (fri, +3d, Dec 3)",
                             "wait date")
    return day if day > now.date() else None


def _parse(words: str, now: datetime) -> date | datetime:
    suffix = _TIME_SUFFIX.search(words)
    if suffix is None:
        return _day(words, now)
    clock = _time_of_day(suffix.group(1))
    rest = words[: suffix.start()]
    day = _day(rest, now) if rest else now.date()
    if isinstance(day, datetime):
        raise ValueError("a time of day cannot follow a number of hours")
    return datetime.combine(day, clock)


def _time_of_day(text: str) -> time:
    if text == "noon":
        return time(12)
    match = _CLOCK.fullmatch(text)
    assert match is not None  # _TIME_SUFFIX only lets clock shapes through
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text} is not a time of day")
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute)  # rejects 25:00 and 9:60


def _day(words: str, now: datetime) -> date | datetime:
    """Everything but the time of day; hours alone give a ``datetime``."""
    today = now.date()
    if words in _NAMED_DAYS:
        return today + timedelta(days=_NAMED_DAYS[words])
    weekday = _WEEKDAYS.get(words.removeprefix("next "))
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if words == "eow":
        return today + timedelta(days=6 - today.weekday())
    if words == "eom":
        return today + relativedelta(day=31)
    if words == "eoy":
        return today.replace(month=12, day=31)
    relative = _RELATIVE.fullmatch(words)
    if relative:
        amount, unit = int(relative.group(1)), _UNITS[relative.group(2)[0]]
        if unit == "hours":
            return (now + timedelta(hours=amount)).replace(second=0, microsecond=0)
        return today + relativedelta(**{unit: amount})
    if _ISO_DATE.fullmatch(words):
        return date.fromisoformat(words)
    month_day = _MONTH_DAY.fullmatch(words)
    if month_day:
        return _month_day(words, month_day, today)
    ordinal = _ORDINAL_DAY.fullmatch(words)
    if ordinal:
        return _next_day_of_month(int(ordinal.group(1)), today)
    raise ValueError(f"unknown due date {words!r}")


def _next_day_of_month(day: int, today: date) -> date:
    """``1st``, ``the 15th``: the next such day from today on, in the first month that has it
    (on Nov 30, ``31st`` is Dec 31: a series made from it keeps the 31st)."""
    if not 1 <= day <= 31:
        raise ValueError(f"there is no day {day} in a month")
    month = today.replace(day=1)
    while True:
        try:
            candidate = month.replace(day=day)
        except ValueError:  # this month is too short
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        month = (month + timedelta(days=32)).replace(day=1)


def _month_day(words: str, match: re.Match[str], today: date) -> date:
    """``Dec 3``, ``3 Dec``, ``dec 3 2027``; with no year, a day already past means next year."""
    month = match.group(1) or match.group(4)
    day = int(match.group(2) or match.group(3))
    if _MONTH_NAMES.month(month) is None or not 1 <= day <= 31:
        raise ValueError(f"{words!r} is not a month and day")  # dateutil reads "dec 32" as 2032
    due = parser.parse(words, default=datetime(today.year, 1, 1)).date()
    if match.group(5) is None and due < today:
        due = parser.parse(words, default=datetime(today.year + 1, 1, 1)).date()
    return due


def format_due(due: date | datetime) -> str:
    """The one text form for storage and display: ``2026-12-03`` or ``2026-12-03 17:00``."""
    if isinstance(due, datetime):
        return due.isoformat(sep=" ", timespec="minutes")
    return due.isoformat()


def load_due(text: str | None) -> date | datetime | None:
    """Read what :func:`format_due` wrote (or an ISO ``2026-12-03T17:00:00`` from an export)."""
    if not text:
        return None
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        due = datetime.fromisoformat(text)
    except ValueError as err:
        raise DateParseError(text, _STORED) from err
    if due.tzinfo is not None:  # every moment in lastmile is naive local time
        raise DateParseError(text, _STORED)
    return due


def due_moment(due: date | datetime) -> datetime:
    """The instant a due date runs out: a plain date lasts until the end of that day."""
    if isinstance(due, datetime):
        return due
    return datetime.combine(due, time.max)


def is_overdue(due: date | datetime, now: datetime) -> bool:
    return due_moment(due) < now


def describe_due(due: date | datetime, now: datetime) -> str:
    """A short phrase for reasons: ``overdue 2d``, ``due today 17:00``, ``due fri``..."""
    phrase = due_phrase(due, now)
    return phrase if phrase.startswith("overdue") else f"due {phrase}"


def due_phrase(due: date | datetime, now: datetime) -> str:
    """The same without "due", for a column or a parenthesis: ``overdue 2d``, ``today 17:00``, ``fri``."""
    if is_overdue(due, now):
        return f"overdue {describe_age(now - due_moment(due))}"
    day = due.date() if isinstance(due, datetime) else due
    if isinstance(due, datetime) and day == now.date():
        return f"today {due:%H:%M}"
    return day_phrase(day, now)


def day_phrase(day: date, now: datetime) -> str:
    """A day near *now* in a word, either side of it: ``today``, ``tomorrow``, ``yesterday``,
    ``fri`` (within six days), ``Dec 3``, or the ISO date when it is far off."""
    days = (day - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if -6 <= days <= 6:
        return _WEEKDAY_ABBR[day.weekday()]
    if day.year == now.year or abs(days) <= 300:
        return f"{_MONTH_ABBR[day.month - 1]} {day.day}"
    return day.isoformat()


def describe_age(delta: timedelta) -> str:
    """A span in its largest useful unit, rounded down: ``5m``, ``3h``, ``6d``, ``3w``, ``4mo``.

    Negative spans (a clock that moved back) read as ``0m``.
    """
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    days = seconds // 86400
    if days < 14:
        return f"{days}d"
    if days < 60:
        return f"{days // 7}w"
    return f"{days // 30}mo"
