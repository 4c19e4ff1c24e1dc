"""The finishing rules: what a task is, and when it may be called done.

Pure Python. The store calls these functions inside its transactions, so the
rules live here once and every interface (CLI, TUI, import) obeys them.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from enum import StrEnum

from lastmile_tui.domain.errors import (
    FinalStepChanged,
    FinalStepNotConfirmed,
    InvalidInput,
    NoFinalStep,
    NotOpen,
)
from lastmile_tui.domain.patterns import lazy
from lastmile_tui.domain.recurrence import Recurrence, check_rule
from lastmile_tui.domain.values import field, value

MAX_TITLE = 500
MAX_FINAL_STEP = 500
MAX_STEP = 500
MAX_REASON = 500

Due = date | datetime


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class Priority(StrEnum):
    """High, medium, low (Taskwarrior's letters): a tie-breaker inside a stage, never above it."""

    H = "H"
    M = "M"
    L = "L"

    @property
    def rank(self) -> int:
        """0 for high … 2 for low; a task without a priority ranks 3."""
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.H: 0, Priority.M: 1, Priority.L: 2}
NO_PRIORITY_RANK = 3


def clean_priority(text: str) -> Priority:
    """``H``, ``M`` or ``L`` in either case (``high``/``medium``/``low`` too), or ``InvalidInput``
    naming what was typed: one rule for quick-add, ``--pri`` and the form."""
    word = text.strip().upper()
    found = {"HIGH": "H", "MEDIUM": "M", "LOW": "L"}.get(word, word)
    if found not in _PRIORITY_RANK:
        raise InvalidInput(f"priority {text.strip()!r} is not one of H, M or L")
    return Priority(found)


def is_waiting(task: object, today: date) -> bool:
    """Hidden until its wait day: from the board, ``list`` and review (a wait of today is over).
    A task another app says is done is never hidden: it waits for an answer, not for a day."""
    wait = getattr(task, "wait", None)
    return wait is not None and wait > today and getattr(task, "done_claimed_at", None) is None


@value
class Step:
    text: str
    done_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@value
class Task:
    """A task as every layer above the store sees it (never an ORM row)."""

    id: int | None
    title: str
    final_step: str = ""
    steps: tuple[Step, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    due: Due | None = None
    status: Status = Status.OPEN
    created_at: datetime = field(default_factory=datetime.now)
    updated_at: datetime = field(default_factory=datetime.now)
    final_step_confirmed_at: datetime | None = None
    done_at: datetime | None = None
    dropped_reason: str | None = None
    wait: date | None = None
    """Hidden from the board, ``list`` and review until this day (review's snooze sets it too)."""
    reviewed_on: date | None = None
    priority: Priority | None = None
    uid: str = ""
    """The task's identity beyond this database: an iCalendar UID, a Taskwarrior uuid. The store
    gives a new task one; an import that meets the same uid again updates that task."""
    done_elsewhere: str = ""
    """Where a task that arrived already done was finished ("Taskwarrior"): it did not pass
    lastmile's confirmation, and says so. Empty for every task lastmile itself closed."""
    extra: str = ""
    """What another app wrote that lastmile does not read (iCalendar properties), kept verbatim
    so that it is written back unchanged."""
    source_hash: str = ""
    """A digest of the record an import last read for this task: the same record met again is
    skipped, a changed one updates the task."""
    repeat: Recurrence | None = None
    """How the task recurs: finishing it (or dropping it) makes the next occurrence."""
    series: str = ""
    """The uid of a recurring series' first occurrence, shared by all of them (history links them)."""
    done_claimed_at: datetime | None = None
    """When another app (a phone, through CalDAV sync) said this open task was done: a claim that
    waits for a person to confirm the final step here (``complete``) or to say "not yet"."""

    @property
    def steps_total(self) -> int:
        return len(self.steps)

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.steps if s.done_at is not None)

    @property
    def has_final_step(self) -> bool:
        return bool(self.final_step)

    @property
    def final_confirmed(self) -> bool:
        return self.final_step_confirmed_at is not None

    @property
    def next_step_index(self) -> int | None:
        """0-based index of the first unchecked step, or None."""
        for i, s in enumerate(self.steps):
            if s.done_at is None:
                return i
        return None

    @property
    def steps_left(self) -> int:
        return self.steps_total - self.steps_done

    @property
    def only_final_step_left(self) -> bool:
        """A finish line, a checklist, and every step of it checked."""
        return bool(self.final_step) and bool(self.steps) and self.next_step_index is None


def new_uid() -> str:
    """A random (version 4) UUID as text, made without importing ``uuid`` (the quick add pays for
    every import)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# C0 and C1 control characters (tab and newline are handled apart): a terminal obeys them
_CONTROL = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# a lone surrogate (JSON's "\ud800", bad bytes from the shell) is no character at all
_SURROGATE = lazy("[\ud800-\udfff]")


def _require_unicode(text: str, what: str) -> None:
    if _SURROGATE.search(text):
        raise InvalidInput(f"{what} is not valid text (it holds a lone surrogate): {text!r}")


def clean_text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    """Trim and check one line of user text; raise InvalidInput naming *what*."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    _require_unicode(value, what)
    text = value.strip()
    if _CONTROL.search(text):
        raise InvalidInput(f"{what} contains control characters: {text!r}")
    if "\n" in text or "\t" in text:
        text = " ".join(text.split())
    if required and not text:
        raise InvalidInput(f"{what} must not be blank")
    if len(text) > limit:
        raise InvalidInput(f"{what} is {len(text)} characters long; the limit is {limit}")
    return text


def clean_title(title: str) -> str:
    return clean_text(title, "title", MAX_TITLE, required=True)


MAX_NOTES = 100_000
_NOTE_CONTROL = lazy(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_notes(notes: str) -> str:
    """Notes may span lines; other control characters would corrupt a terminal."""
    _require_unicode(notes, "notes")
    text = notes.replace("\r\n", "\n").replace("\r", "\n").strip()  # a lone CR overwrites a line
    if _NOTE_CONTROL.search(text):
        raise InvalidInput("notes contain control characters")
    if len(text) > MAX_NOTES:
        raise InvalidInput(f"notes are {len(text)} characters long; the limit is {MAX_NOTES}")
    return text


MAX_UID = 255
MAX_SOURCE = 100
MAX_EXTRA = 100_000


def clean_uid(uid: str) -> str:
    """A task's identity from another tool: one line of printable text, with no spaces."""
    text = clean_text(uid, "uid", MAX_UID, required=True)
    if any(char.isspace() for char in text):
        raise InvalidInput(f"uid {text!r} must not contain spaces")
    return text


def clean_extra(extra: str) -> str:
    """Kept verbatim for another app (line breaks and tabs included): only checked, never shown."""
    _require_unicode(extra, "kept properties")
    if _NOTE_CONTROL.search(extra.replace("\r", "")):
        raise InvalidInput("kept properties contain control characters")
    if len(extra) > MAX_EXTRA:
        raise InvalidInput(f"kept properties are {len(extra)} characters long; the limit is {MAX_EXTRA}")
    return extra


def clean_final_step(final_step: str) -> str:
    return clean_text(final_step, "final step", MAX_FINAL_STEP)


def clean_step(text: str) -> str:
    return clean_text(text, "step", MAX_STEP, required=True)


_TAG_FORBIDDEN = {" ": "a space", ",": "a comma", "+": "a '+'"}


def clean_tag(tag: str) -> str:
    """One word; ``+`` marks a tag in quick-add and filters, so it cannot sit inside one."""
    _require_unicode(tag, "tag")
    t = tag.strip().removeprefix("+")
    if not t:
        raise InvalidInput(f"tag {tag!r} is empty: a tag is one word, like +home")
    if _CONTROL.search(t):
        raise InvalidInput(f"tag {tag!r} contains control characters")
    for char in t:
        what = _TAG_FORBIDDEN.get(" " if char.isspace() else char)
        if what:
            raise InvalidInput(f"tag {tag!r} is not valid: a tag cannot contain {what}")
    if len(t) > 64:
        raise InvalidInput(f"tag {tag!r} is longer than 64 characters")
    return t


def clean_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Clean and de-duplicate tags, keeping their order."""
    seen: dict[str, None] = {}
    for tag in tags:
        seen.setdefault(clean_tag(tag), None)
    return tuple(seen)


def step_index(task: Task, number: int) -> int:
    """Turn a 1-based step number typed by a person into a list index."""
    if not task.steps:
        raise InvalidInput(f"task {task.id} has no steps")
    if not 1 <= number <= len(task.steps):
        raise InvalidInput(
            f"task {task.id} has steps 1 to {len(task.steps)}; there is no step {number}"
        )
    return number - 1


def require_open(task: Task) -> None:
    if task.status is not Status.OPEN:
        raise NotOpen(task.id, task.status)


def check_can_complete(task: Task, *, confirming: bool, seen: str | None = None) -> None:
    """The finishing guard: the one rule every path to "done" goes through.

    *confirming* is True only when a person has just said "yes, I did the
    final step" (the CLI prompt, ``--confirm``, the TUI modal). *seen* is the
    final step they were shown when they said it: a yes to "transfer 1000 EUR"
    is not a yes to whatever another writer changed it to meanwhile.
    """
    require_open(task)
    if seen is not None and seen != task.final_step:
        raise FinalStepChanged(task.id, seen, task.final_step)
    if not task.has_final_step:
        raise NoFinalStep(task.id)
    if not (confirming or task.final_confirmed):
        raise FinalStepNotConfirmed(task.id, task.final_step, task.steps_left, task.steps_total)


def steps_left_note(steps_left: int, steps_total: int) -> str:
    """What a confirmation says about the checklist: advice, never a rule ("" when all are checked)."""
    if not steps_left:
        return ""
    if steps_left == steps_total:
        return f"none of its {steps_total} steps is checked" if steps_total > 1 else (
            "its one step is not checked")
    return f"{steps_left} of its {steps_total} steps {'is' if steps_left == 1 else 'are'} still unchecked"


def check_consistent(task: Task) -> None:
    """Refuse a state the rules can never reach (for tasks read from a file, not typed)."""
    if (task.status is Status.DONE) != (task.done_at is not None):
        raise InvalidInput("'done_at' must be set exactly when the status is done")
    if task.status is Status.DONE and not (task.final_confirmed or task.done_elsewhere):
        raise InvalidInput("a done task must have its final step confirmed")
    if task.done_elsewhere and task.status is not Status.DONE:
        raise InvalidInput("only a done task can have been done elsewhere")
    if task.final_confirmed and not task.has_final_step:
        raise InvalidInput("a final step cannot be confirmed without its text")
    if task.dropped_reason is not None and task.status is not Status.DROPPED:
        raise InvalidInput("only a dropped task has a reason for dropping")
    if task.done_claimed_at is not None and task.status is not Status.OPEN:
        raise InvalidInput("only an open task can wait for a completion claimed elsewhere")


def clean_task(task: Task) -> Task:
    """The one check for a whole task state from anywhere but typing: an import, a history
    snapshot that undo would put back. Every text rule typed input obeys, then consistency.

    Returns the task with its text normalised (the same object when nothing changes).
    """
    cleaned = {
        "title": clean_title(task.title),
        "final_step": clean_final_step(task.final_step),
        "steps": _clean_steps(task.steps),
        "tags": clean_tags(task.tags),
        "notes": clean_notes(task.notes),
        "dropped_reason": (
            clean_text(task.dropped_reason, "reason", MAX_REASON)
            if task.dropped_reason is not None
            else None
        ),
        "uid": clean_uid(task.uid) if task.uid else "",
        "done_elsewhere": clean_text(task.done_elsewhere, "done elsewhere", MAX_SOURCE),
        "extra": clean_extra(task.extra),
        "source_hash": clean_text(task.source_hash, "source hash", MAX_SOURCE),
        "repeat": task.repeat and Recurrence(check_rule(task.repeat.rule), task.repeat.after_done),
        "series": clean_uid(task.series) if task.series else "",
    }
    changed = {key: value for key, value in cleaned.items() if value != getattr(task, key)}
    task = task.with_changes(**changed) if changed else task  # a copy costs more than the checks
    check_consistent(task)
    return task


def _clean_steps(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    texts = [clean_step(step.text) for step in steps]
    if texts == [step.text for step in steps]:
        return steps
    return tuple(Step(text, step.done_at) for text, step in zip(texts, steps, strict=True))


MAX_DETAIL = 2000


def clean_detail(detail: str) -> str:
    """An event's detail line (read from a file): the one text check, like every other text."""
    return clean_text(detail, "detail", MAX_DETAIL)


def confirm_final(task: Task, now: datetime, seen: str | None = None) -> Task:
    require_open(task)
    if seen is not None and seen != task.final_step:
        raise FinalStepChanged(task.id, seen, task.final_step)
    if not task.has_final_step:
        raise NoFinalStep(task.id)
    return task.with_changes(final_step_confirmed_at=now, updated_at=now)


def complete(task: Task, now: datetime, *, confirming: bool, seen: str | None = None) -> Task:
    check_can_complete(task, confirming=confirming, seen=seen)
    confirmed_at = task.final_step_confirmed_at or now
    return task.with_changes(
        status=Status.DONE, final_step_confirmed_at=confirmed_at, done_at=now, updated_at=now,
        done_claimed_at=None,
    )


def set_final_step(task: Task, text: str, now: datetime) -> Task:
    """Changing the final step's text withdraws any earlier confirmation.

    A done task keeps the finish line it was confirmed against: changing it
    would leave a task done without a confirmed final step.
    """
    new = clean_final_step(text)
    if new == task.final_step:
        return task
    if task.status is Status.DONE:
        raise NotOpen(task.id, task.status)
    return task.with_changes(final_step=new, final_step_confirmed_at=None, updated_at=now)


def confirmation_withdrawn(before: Task, after: Task) -> bool:
    """A change that took back a confirmed final step (its text changed): worth saying so."""
    return before.final_confirmed and not after.final_confirmed


def drop(task: Task, now: datetime, reason: str | None) -> Task:
    require_open(task)
    why = clean_text(reason, "reason", MAX_REASON) if reason else None
    return task.with_changes(status=Status.DROPPED, dropped_reason=why or None, updated_at=now,
                             done_claimed_at=None)


def not_yet(task: Task, now: datetime) -> Task:
    """A person's "no, not yet" to a completion claimed elsewhere: the claim goes, and the notes
    say so (the next sync carries them, with NEEDS-ACTION, to the app that claimed it)."""
    claimed = task.done_claimed_at
    if claimed is None:
        raise InvalidInput(f"task {task.id} has no completion claimed elsewhere to turn down")
    note = f"Not done yet (said in lastmile on {now:%Y-%m-%d}): the final step is still to do."
    notes = f"{task.notes}\n\n{note}" if task.notes else note
    return task.with_changes(done_claimed_at=None, notes=notes, updated_at=now)


def reopen(task: Task, now: datetime) -> Task:
    """Reopen a closed task; for an open one that another app says is done, turn that claim down."""
    if task.status is Status.OPEN and task.done_claimed_at is not None:
        return not_yet(task, now)
    if task.status is Status.OPEN:
        raise InvalidInput(f"task {task.id} is already open")
    return task.with_changes(
        status=Status.OPEN,
        done_at=None,
        dropped_reason=None,
        final_step_confirmed_at=None,
        done_elsewhere="",
        updated_at=now,
    )


def set_step_done(task: Task, index: int, done: bool, now: datetime) -> Task:
    require_open(task)
    steps = list(task.steps)
    step = steps[index]
    if step.done == done:
        state = "already checked" if done else "not checked"
        raise InvalidInput(f"step {index + 1} of task {task.id} is {state}")
    steps[index] = Step(step.text, now if done else None)
    return task.with_changes(steps=tuple(steps), updated_at=now)


def check_next(task: Task, now: datetime) -> Task:
    """Check the first unchecked step (the app's space key)."""
    require_open(task)
    index = task.next_step_index
    if index is None:
        what = "no steps" if not task.steps else "every step checked"
        raise InvalidInput(f"task {task.id} has {what}; only the final step is left")
    return set_step_done(task, index, True, now)


def add_step(task: Task, text: str, now: datetime) -> Task:
    require_open(task)
    return task.with_changes(steps=(*task.steps, Step(clean_step(text))), updated_at=now)


def replace_steps(task: Task, texts: list[str], now: datetime) -> Task:
    """Set the checklist from edited text; a step keeps its check when its text is kept or only
    its wording changed (issue 9, item 18). Blank lines are skipped.

    Marks are carried over in three passes, and never invented: each old step
    gives its mark to at most one new step.

    1. Same text: a step whose text is still there keeps its mark, wherever it moved to.
    2. Reworded in place: where the edit replaced a run of old steps by as many new
       ones (``difflib`` opcodes), the rest of that run is paired by position.
    3. Reworded and moved: when as many old steps as new ones are still unpaired
       (the count is unchanged), they are paired in order.

    A new step left over after that (added, or a rewording the edit made ambiguous,
    such as two steps merged into one) starts unchecked: a lost check is put right
    with one key, a check that was never made would be a false "done".
    """
    new_texts = [clean_step(raw) for raw in texts if raw.strip()]
    old = task.steps
    pair: dict[int, int] = {}  # new index -> old index
    free = list(range(len(old)))  # old steps not yet paired, in order

    def take(new_index: int, old_index: int) -> None:
        pair[new_index] = old_index
        free.remove(old_index)

    for j, text in enumerate(new_texts):  # 1. same text
        i = next((i for i in free if old[i].text == text), None)
        if i is not None:
            take(j, i)
    from difflib import SequenceMatcher  # only an edit of the checklist needs it

    matcher = SequenceMatcher(None, [s.text for s in old], new_texts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():  # 2. reworded in place
        if tag == "replace" and i2 - i1 == j2 - j1:
            olds = [i for i in range(i1, i2) if i in free]
            news = [j for j in range(j1, j2) if j not in pair]
            if len(olds) == len(news):
                for j, i in zip(news, olds, strict=True):
                    take(j, i)
    news = [j for j in range(len(new_texts)) if j not in pair]
    if len(news) == len(free):  # 3. reworded and moved
        for j, i in zip(news, list(free), strict=True):
            take(j, i)
    steps = tuple(
        Step(text, old[pair[j]].done_at if j in pair else None) for j, text in enumerate(new_texts)
    )
    if steps == task.steps:
        return task
    require_open(task)  # a finished task's checklist is its record, as check and step refuse too
    return task.with_changes(steps=steps, updated_at=now)


@value
class TaskSummary:
    """A task without its steps and notes: all that the ranked list needs to show.

    The store builds these straight from one table, so the board and
    ``lastmile list`` never read step rows.
    """

    id: int
    title: str
    final_step: str
    tags: tuple[str, ...]
    due: Due | None
    status: Status
    steps_total: int
    steps_done: int
    created_at: datetime
    updated_at: datetime
    final_step_confirmed_at: datetime | None
    done_at: datetime | None
    dropped_reason: str | None
    wait: date | None
    reviewed_on: date | None
    priority: Priority | None
    repeat: Recurrence | None
    done_claimed_at: datetime | None = None
    """Another app said it is done (``Task.done_claimed_at``): it ranks first, asking."""

    @property
    def has_final_step(self) -> bool:
        return bool(self.final_step)
