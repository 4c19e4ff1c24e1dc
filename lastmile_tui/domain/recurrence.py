"""Recurring tasks: the phrases people type (``monthly``, ``every 2 weeks``, ``weekly on fri``,
Taskwarrior's ``2wks``), the RFC 5545 rule they mean, and the next occurrence's due date.

Pure Python; the day is always passed in. A rule is kept as RRULE text (what iCalendar writes), so
a series travels to a calendar and back unchanged; python-dateutil's ``rrule`` does the calendar
arithmetic.

Two modes, because people mean both:

- **fixed**: the next occurrence is the rule's first date after the later of the due date and
  today, so a late finish never stacks up overdue copies;
- **after done**: counted from the day the occurrence was finished ("water the plants every
  2 weeks after done").

Month ends clamp and never skip a month: a series due on the 31st is due on the 30th in
April and on the 28th (29th) in February, then on the 31st again. This is written into the rule
itself when the series is made (``BYMONTHDAY=28,29,30,31;BYSETPOS=-1``: the last of those days
the month has), so it holds in any calendar app that reads the RRULE too, and no occurrence
drifts to the 28th for good.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.patterns import lazy
from lastmile_tui.domain.values import value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dateutil.rrule import rrule

EXAMPLES = ("try daily, weekdays, weekly, every 2 weeks, monthly, quarterly, yearly, "
            "weekly on fri, monthly on the last friday, every 3 days, 2wks, or '2 weeks after done'")

_DAY_WORDS = {
    **dict.fromkeys(("monday", "mon"), "MO"), **dict.fromkeys(("tuesday", "tue", "tues"), "TU"),
    **dict.fromkeys(("wednesday", "wed"), "WE"), **dict.fromkeys(("thursday", "thu", "thur", "thurs"), "TH"),
    **dict.fromkeys(("friday", "fri"), "FR"), **dict.fromkeys(("saturday", "sat"), "SA"),
    **dict.fromkeys(("sunday", "sun"), "SU"),
}
_DAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "last": -1}
_ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}

# (FREQ, INTERVAL) of each single word, Taskwarrior's recur values among them
_WORDS = {
    "daily": ("DAILY", 1), "day": ("DAILY", 1), "weekly": ("WEEKLY", 1), "week": ("WEEKLY", 1),
    "biweekly": ("WEEKLY", 2), "fortnightly": ("WEEKLY", 2), "monthly": ("MONTHLY", 1),
    "month": ("MONTHLY", 1), "bimonthly": ("MONTHLY", 2), "quarterly": ("MONTHLY", 3),
    "semiannual": ("MONTHLY", 6), "yearly": ("YEARLY", 1), "annual": ("YEARLY", 1),
    "annually": ("YEARLY", 1), "year": ("YEARLY", 1), "biannual": ("YEARLY", 2),
    "biyearly": ("YEARLY", 2),
}
# "3 days", "2wks", "6m", "1q": a count and a unit
_UNITS = {
    "d": ("DAILY", 1), "day": ("DAILY", 1), "days": ("DAILY", 1), "da": ("DAILY", 1),
    "w": ("WEEKLY", 1), "wk": ("WEEKLY", 1), "wks": ("WEEKLY", 1), "week": ("WEEKLY", 1),
    "weeks": ("WEEKLY", 1), "m": ("MONTHLY", 1), "mo": ("MONTHLY", 1), "mos": ("MONTHLY", 1),
    "mth": ("MONTHLY", 1), "mths": ("MONTHLY", 1), "month": ("MONTHLY", 1),
    "months": ("MONTHLY", 1), "q": ("MONTHLY", 3), "qtr": ("MONTHLY", 3), "qtrs": ("MONTHLY", 3),
    "quarter": ("MONTHLY", 3), "quarters": ("MONTHLY", 3), "y": ("YEARLY", 1), "yr": ("YEARLY", 1),
    "yrs": ("YEARLY", 1), "year": ("YEARLY", 1), "years": ("YEARLY", 1),
}
_COUNT_UNIT = lazy(r"(?:every )?(\d+|other) ?([a-z]+)", re.ASCII)
_ISO_PERIOD = lazy(r"p(\d+)([dwmy])", re.ASCII)
_EVERY_WORD = lazy(r"(?:every )?([a-z]+)", re.ASCII)
_ON_DAYS = lazy(r"(.+?) on (?:the )?(.+)", re.ASCII)
_MONTH_DAY = lazy(r"(\d{1,2})(?:st|nd|rd|th)?", re.ASCII)
_NTH_DAY = lazy(r"(first|1st|second|2nd|third|3rd|fourth|4th|last) ([a-z]+)", re.ASCII)
MAX_INTERVAL = 1000
MAX_RULE = 200


@value
class Recurrence:
    """A series: its RFC 5545 rule (no DTSTART: the due date is the anchor) and its mode."""

    rule: str
    after_done: bool = False

    def describe(self) -> str:
        """The rule as a person says it: ``monthly``, ``every 2 weeks on Mon, Fri``."""
        return describe(self.rule) + (" after done" if self.after_done else "")

    @property
    def text(self) -> str:
        """The one stored form: the rule, and `` after done`` for that mode."""
        return self.rule + (AFTER_DONE if self.after_done else "")

    @classmethod
    def from_text(cls, text: str | None) -> Recurrence | None:
        if not text:
            return None
        return cls(text.removesuffix(AFTER_DONE), text.endswith(AFTER_DONE))


AFTER_DONE = " after done"


def parse_recurrence(text: str, anchor: date) -> Recurrence:
    """Read how a series repeats; *anchor* is its first due date (the day a monthly series keeps).

    An RRULE (``FREQ=...``) is taken as it is, after a check. Anything unreadable
    is ``InvalidInput`` naming what was typed and the forms that are read.
    """
    words = " ".join(text.lower().replace(",", " ").split())
    after_done = False
    for tail in (" after done", " after completion", " from done", " after finished"):
        if words.endswith(tail):
            words, after_done = words.removesuffix(tail).strip(), True
    if words.upper().startswith(("FREQ=", "RRULE:")):
        return Recurrence(check_rule(text.strip().removeprefix("RRULE:").removeprefix("rrule:")),
                          after_done)
    parts = _phrase(words, anchor) if words else None
    if parts is None:
        raise InvalidInput(f"cannot read {text.strip()!r} as a repeat; {EXAMPLES}")
    return Recurrence(_rule_text(parts), after_done)


def _phrase(words: str, anchor: date) -> dict[str, str] | None:
    """The rule's parts for a phrase, or None when it is not one of ours."""
    if words in ("weekdays", "every weekday", "each weekday", "workdays"):
        return {"FREQ": "WEEKLY", "BYDAY": "MO,TU,WE,TH,FR"}
    on = _ON_DAYS.fullmatch(words)
    if on:
        base = _phrase(on.group(1), anchor)
        return None if base is None else _with_days(base, on.group(2))
    if words in _DAY_WORDS or words.removeprefix("every ") in _DAY_WORDS:  # "every fri"
        return {"FREQ": "WEEKLY", "BYDAY": _DAY_WORDS[words.removeprefix("every ")]}
    iso = _ISO_PERIOD.fullmatch(words)  # Taskwarrior 3 writes P1M, P14D, P1Y
    if iso:
        words = f"{iso.group(1)}{iso.group(2)}"
    match = _COUNT_UNIT.fullmatch(words)
    if match:
        count, unit = match.groups()
        if unit not in _UNITS:
            return None
        freq, per = _UNITS[unit]
        interval = 2 if count == "other" else int(count)
        if not 1 <= interval <= MAX_INTERVAL:
            return None
        return _anchored({"FREQ": freq, "INTERVAL": str(interval * per)}, anchor)
    match = _EVERY_WORD.fullmatch(words)
    if match and match.group(1) in _WORDS:
        freq, interval = _WORDS[match.group(1)]
        return _anchored({"FREQ": freq, "INTERVAL": str(interval)}, anchor)
    return None


def _with_days(base: dict[str, str], text: str) -> dict[str, str] | None:
    """``weekly`` + ``fri and mon``; ``monthly`` + ``last friday`` or ``15th``."""
    freq = base["FREQ"]
    nth = _NTH_DAY.fullmatch(text)
    if nth and freq in ("MONTHLY", "YEARLY") and nth.group(2) in _DAY_WORDS:
        day = _DAY_WORDS[nth.group(2)]
        parts = {k: v for k, v in base.items() if not k.startswith("BY")}
        return {**parts, "BYDAY": f"{_ORDINALS[nth.group(1)]}{day}"}
    day_of_month = _MONTH_DAY.fullmatch(text)
    if day_of_month and freq == "MONTHLY":
        day = int(day_of_month.group(1))
        if not 1 <= day <= 31:
            return None
        parts = {k: v for k, v in base.items() if not k.startswith("BY")}
        return {**parts, **_month_day(day)}
    days = [_DAY_WORDS.get(w) for w in text.replace(" and ", " ").split()]
    if freq == "WEEKLY" and days and all(days):
        return {**base, "BYDAY": ",".join(dict.fromkeys(d for d in days if d))}
    return None


def _month_day(day: int) -> dict[str, str]:
    """The *day*th of each month, clamped to the month's last day when it has fewer."""
    if day <= 28:
        return {"BYMONTHDAY": str(day)}
    return {"BYMONTHDAY": ",".join(str(d) for d in range(28, day + 1)), "BYSETPOS": "-1"}


def _anchored(parts: dict[str, str], anchor: date) -> dict[str, str]:
    """A monthly or yearly series keeps its first due date's day, clamped in shorter months."""
    if parts["FREQ"] == "MONTHLY" and anchor.day > 28:
        return {**parts, **_month_day(anchor.day)}
    if parts["FREQ"] == "YEARLY" and (anchor.month, anchor.day) == (2, 29):
        return {**parts, "BYMONTH": "2", "BYMONTHDAY": "28,29", "BYSETPOS": "-1"}
    return parts


def _rule_text(parts: dict[str, str]) -> str:
    if parts.get("INTERVAL") == "1":
        parts = {k: v for k, v in parts.items() if k != "INTERVAL"}
    return ";".join(f"{key}={value}" for key, value in parts.items())


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        key, sep, value = item.partition("=")
        if not sep or not key or not value or key.upper() in parts:
            raise InvalidInput(f"the repeat rule {rule!r} is not an RRULE like FREQ=MONTHLY;INTERVAL=2")
        parts[key.upper()] = value.upper()
    return parts


def check_rule(rule: str) -> str:
    """An RRULE from a file or a person, checked by dateutil and made canonical (upper case).
    A rule may end on a day (UNTIL); COUNT is refused: each occurrence anchors the rule anew on
    its own due date, so a count would never run out."""
    text = rule.strip()
    if not text or len(text) > MAX_RULE or "\n" in text or "\r" in text:
        raise InvalidInput(f"the repeat rule {rule!r} is not an RRULE like FREQ=MONTHLY;INTERVAL=2")
    parts = _parts(text)
    if parts.get("FREQ") not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise InvalidInput(f"the repeat rule {rule!r} must repeat daily, weekly, monthly or yearly")
    if "COUNT" in parts:
        raise InvalidInput(f"the repeat rule {rule!r} has a COUNT; a series repeats until it is "
                           "stopped or until a day (UNTIL=20271231)")
    canonical = ";".join(f"{k}={v}" for k, v in parts.items())
    _rrule(canonical, date(2026, 1, 1))  # dateutil's own check
    return canonical


def _rrule(rule: str, start: date) -> rrule:
    from dateutil.rrule import rrulestr

    # an UNTIL in UTC cannot be compared with a local start: within a day is close enough
    rule = re.sub(r"(UNTIL=\d{8}(?:T\d{6})?)Z", r"\1", rule)
    try:
        return rrulestr(rule, dtstart=datetime.combine(start, datetime.min.time()))  # type: ignore[return-value]
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(f"the repeat rule {rule!r} cannot be read: {exc}") from None


def next_due(recurrence: Recurrence, due: date | datetime | None, today: date,
             done_on: date | None = None) -> date | datetime | None:
    """The due date of the occurrence after one due on *due*, finished on *done_on* (today by
    default); a time of day is kept. None when the rule has run out (COUNT/UNTIL).

    Fixed: the rule's first date after the later of *due* and *today*, the rule
    anchored on *due*. After done: the first date after the day it was done, the
    rule anchored on that day.
    """
    finished = done_on or today
    anchor_day = (due.date() if isinstance(due, datetime) else due) if due is not None else today
    if recurrence.after_done:
        anchor_day = finished
    rule = _rrule(recurrence.rule, anchor_day)
    after = anchor_day if recurrence.after_done else max(anchor_day, today)
    found = rule.after(datetime.combine(after, datetime.min.time()), inc=False)
    if found is None:
        return None
    day = found.date()
    if isinstance(due, datetime):
        return datetime.combine(day, due.time())
    return day


def describe(rule: str) -> str:
    """A rule in words where it has a usual shape, else the rule itself."""
    try:
        parts = _parts(rule)
    except InvalidInput:
        return rule
    freq, interval = parts.pop("FREQ", ""), int(parts.pop("INTERVAL", "1") or 1)
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(freq)
    if unit is None:
        return rule
    named = {("day", 1): "daily", ("week", 1): "weekly", ("week", 2): "every 2 weeks",
             ("month", 1): "monthly", ("month", 3): "quarterly", ("year", 1): "yearly"}
    words = named.get((unit, interval)) or f"every {interval} {unit}s"
    byday, bymonthday = parts.pop("BYDAY", None), parts.pop("BYMONTHDAY", None)
    setpos = parts.pop("BYSETPOS", None)
    if byday == "MO,TU,WE,TH,FR" and unit == "week" and interval == 1 and not parts:
        return "weekdays"
    if byday:
        nth = re.fullmatch(r"([+-]?\d)([A-Z]{2})", byday)
        if nth and int(nth.group(1)) in _ORDINAL_NAMES and nth.group(2) in _DAY_NAMES:
            words += f" on the {_ORDINAL_NAMES[int(nth.group(1))]} {_DAY_NAMES[nth.group(2)]}"
        elif all(d in _DAY_NAMES for d in byday.split(",")):
            words += " on " + ", ".join(_DAY_NAMES[d] for d in byday.split(","))
        else:
            return rule
    if bymonthday and unit == "month":
        days = bymonthday.split(",")
        last = days[-1]
        if setpos == "-1" or len(days) == 1:
            words += f" on the {last}{_suffix(int(last))}" if last.isdigit() else ""
    parts.pop("BYMONTH", None)
    if "UNTIL" in parts:
        until = parts.pop("UNTIL")
        words += f" until {until[:4]}-{until[4:6]}-{until[6:8]}" if len(until) >= 8 else f" until {until}"
    return words if not parts else rule


def _suffix(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")

