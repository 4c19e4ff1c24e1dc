"""Last-mile statistics: finishes per week, the finish rate, and how long the last mile takes.

Pure Python; the clock comes in as ``now``. The store reads the facts (done
and open tasks, their history events) and this module does the arithmetic.

**When a task reached its last mile.** A task is *on the last mile* while it
is open, has a final step, and every one of its steps is checked (a task with
a final step and no steps is on it from the moment it has that final step).
The moment it got there is read from the history, exactly: every event the
store writes keeps the state *before* it, so the task has been on the last
mile without a break since the **latest event whose state before was off the
last mile** (the state after each event is the state before the next, and the
last one leads to the state now). Only some kinds of event can move a task
onto the last mile, so only those are read:

- ``created``, ``imported``, ``next_occurrence``, ``reopened`` and ``step_checked`` were
  always preceded by a state off it (nothing before creation; a closed task; a
  step can only be checked while unchecked), so they need no snapshot;
- any other kind that may change the steps, the final step or the status
  (``final_set``, ``edited``, ``undone`` and kinds this module does not know)
  is decided by its snapshot;
- kinds that never put a task on its last mile (a step added unchecked, a step
  unchecked, completing, dropping, snoozing, confirming) are skipped.

This is cheaper than replaying every snapshot and exact where the step rows'
``done_at`` alone are not: a final step named after the steps were checked, an
unchecked step deleted by an edit, an undo, or a reopened task.

For a finished task the same reading stops at its completion; a task finished
while some of its steps were unchecked never had only the final step left and
is left out of the last-mile times (counted as ``skipped_steps``).
Completions imported as done (history event ``imported_done``, or no
completion event at all) are counted apart and left out of everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from lastmile_tui.domain.values import field, value

DEFAULT_WEEKS = 12
MAX_WEEKS = 520
STALLED_SHOWN = 10

ENTERS_ALWAYS = frozenset({"created", "imported", "next_occurrence", "reopened", "step_checked"})
"""Event kinds whose state before was off the last mile by construction (no snapshot needed)."""

NEVER_ENTERS = frozenset({
    "step_added", "step_unchecked", "completed", "imported_done", "dropped", "snoozed",
    "final_confirmed",
})
"""Event kinds that can never move a task onto its last mile: skipped."""

WAIT_BANDS: tuple[tuple[str, timedelta | None], ...] = (
    ("under a day", timedelta(days=1)),
    ("1–7 days", timedelta(days=7)),
    ("1–4 weeks", timedelta(days=28)),
    ("over 4 weeks", None),
)
"""How long the open tasks have sat on their last mile, in bands (upper bounds, exclusive)."""


@value
class State:
    """The parts of a task's state that say whether it is on the last mile."""

    open: bool
    final_step: bool
    steps_left: int

    @property
    def on_last_mile(self) -> bool:
        return self.open and self.final_step and self.steps_left == 0


@value
class Mark:
    """One history event as this module reads it; *before* only where the kind needs it."""

    at: datetime
    kind: str
    before: State | None = None


def entered(mark: Mark) -> bool:
    """True when the state before *mark* was off the last mile."""
    if mark.kind in ENTERS_ALWAYS:
        return True
    if mark.kind in NEVER_ENTERS:
        return False
    return mark.before is not None and not mark.before.on_last_mile


def reached_at(marks_newest_first: Iterable[Mark]) -> datetime | None:
    """When a task now on its last mile got there: the latest mark whose state before was off it
    (None when the history holds no such mark)."""
    for mark in marks_newest_first:
        if entered(mark):
            return mark.at
    return None


# -- the period and its weeks ----------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of *day*'s week."""
    return day - timedelta(days=day.weekday())


def period_start(today: date, weeks: int) -> datetime:
    """Midnight on the Monday that begins the first of *weeks* weeks ending with this one."""
    return datetime.combine(week_start(today) - timedelta(weeks=weeks - 1), time.min)


def weekly_counts(moments: Iterable[datetime], today: date, weeks: int) -> list[int]:
    """How many *moments* fall in each of the last *weeks* weeks (Monday to Sunday), oldest
    first, this week last; moments outside them are not counted."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    counts = [0] * weeks
    base = first.toordinal()
    for moment in moments:
        index = (moment.date().toordinal() - base) // 7
        if 0 <= index < weeks:
            counts[index] += 1
    return counts


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def median_span(spans: Sequence[timedelta]) -> timedelta | None:
    found = median([span.total_seconds() for span in spans])
    return None if found is None else timedelta(seconds=found)


# -- what the store reads, and what comes out ---------------------------------------------------


@value
class Finished:
    """A task done in the period, with when it reached its last mile (None: it never did)."""

    id: int
    done_at: datetime
    tags: tuple[str, ...]
    reached: datetime | None
    imported: bool = False


@value
class Waiting:
    """An open task on its last mile now, and since when."""

    id: int
    title: str
    final_step: str
    tags: tuple[str, ...]
    since: datetime


@value
class Cohort:
    """What became of the tasks added in the period (imported completions apart)."""

    done: int = 0
    dropped: int = 0
    open: int = 0
    imported_done: int = 0

    @property
    def total(self) -> int:
        return self.done + self.dropped + self.open

    def rate(self) -> float | None:
        """The share of them finished: done over done, dropped and still open."""
        return self.done / self.total if self.total else None


@value
class TagTime:
    tag: str
    median: timedelta
    count: int


@value
class Stats:
    now: datetime
    weeks: int
    since: datetime
    weekly: list[int]
    cohort: Cohort
    imported_done: int
    """Completions imported as done in the period: counted here only."""
    skipped_steps: int
    """Finished in the period with steps unchecked: never on the last mile, no last-mile time."""
    last_mile_median: timedelta | None
    last_mile_count: int
    per_tag: list[TagTime]
    waiting: int
    waiting_median: timedelta | None
    bands: list[tuple[str, int]]
    stalled: list[Waiting] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(self.weekly)

    @property
    def week_starts(self) -> list[date]:
        first = self.since.date()
        return [first + timedelta(weeks=i) for i in range(self.weeks)]


def summarize(
    now: datetime,
    weeks: int,
    finished: Iterable[Finished],
    cohort: Cohort,
    waiting_since: Iterable[datetime],
    stalled: Iterable[Waiting],
) -> Stats:
    """The statistics of the *weeks* weeks ending now, from what the store read: the tasks
    finished since the period began, what became of those added in it, since when each open task
    has been on its last mile, and the longest waiting of them (*stalled*) in full."""
    since = period_start(now.date(), weeks)
    own = [f for f in finished if since <= f.done_at <= now]
    imported = [f for f in own if f.imported]
    mine = [f for f in own if not f.imported]
    spans = [(f, f.done_at - f.reached) for f in mine if f.reached is not None]
    by_tag: dict[str, list[timedelta]] = {}
    for task, span in spans:
        for tag in task.tags:
            by_tag.setdefault(tag, []).append(span)
    per_tag = [TagTime(tag, median_span(values), len(values))  # type: ignore[arg-type]
               for tag, values in by_tag.items()]
    per_tag.sort(key=lambda t: (-t.median, t.tag))
    ages = [now - moment for moment in waiting_since]
    return Stats(
        now=now,
        weeks=weeks,
        since=since,
        weekly=weekly_counts((f.done_at for f in mine), now.date(), weeks),
        cohort=cohort,
        imported_done=len(imported),
        skipped_steps=len(mine) - len(spans),
        last_mile_median=median_span([span for _task, span in spans]),
        last_mile_count=len(spans),
        per_tag=per_tag,
        waiting=len(ages),
        waiting_median=median_span(ages),
        bands=bands(ages),
        stalled=sorted(stalled, key=lambda w: (w.since, w.id)),
    )


def bands(ages: Iterable[timedelta]) -> list[tuple[str, int]]:
    """How many *ages* fall in each of ``WAIT_BANDS``."""
    counts = [0] * len(WAIT_BANDS)
    for age in ages:
        for index, (_label, upper) in enumerate(WAIT_BANDS):
            if upper is None or age < upper:
                counts[index] += 1
                break
    return [(label, count) for (label, _upper), count in zip(WAIT_BANDS, counts, strict=True)]


def span_words(span: timedelta | None) -> str:
    """A duration for people: ``3d 4h``, ``5h 10m``, ``12m``; ``—`` for none."""
    if span is None:
        return "—"
    minutes = max(int(span.total_seconds()) // 60, 0)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours and days < 10 else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{minutes}m"
