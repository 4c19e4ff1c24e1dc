"""iCalendar (RFC 5545) VTODOs: one calendar file, or one ``UID.ics`` per task in a vdir, as
todoman, vdirsyncer and (later) lastmile's own CalDAV sync read and write them.

Every app reads the standard properties: SUMMARY, DUE, CATEGORIES, PRIORITY
(1/5/9 for H/M/L), STATUS, PERCENT-COMPLETE, COMPLETED, and a DESCRIPTION that
shows the checklist as ``[x]``/``[ ]`` lines, the final step last. What only
lastmile understands rides in ``X-LASTMILE-*`` properties, which are the
source of truth when they are present: the final step, its confirmation,
each step with its check time, the wait date. A VTODO another app wrote (no
``X-LASTMILE-*``) is read from its standard properties; one that is
COMPLETED there arrives done *in another calendar app*, never confirmed.

Whatever lastmile does not read (other apps' ``X-`` properties, ATTENDEE,
DTSTART, RRULE, VALARM …) is kept in ``Task.extra`` as iCalendar text and
written back unchanged; lastmile's own properties always win, never twice.

Times go out in UTC (``Z``); lastmile's naive local times are converted. An
all-day DUE stays a DATE. ``icalendar`` is imported here only, so only an
iCalendar import or export pays for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from hashlib import blake2b
from typing import TYPE_CHECKING, Any, TextIO

from icalendar import Calendar, Component, Todo, vRecur, vText

from lastmile_tui.domain.errors import InvalidInput, plain
from lastmile_tui.domain.imports import OWNABLE, Batch, Incoming, Skipped, arrived
from lastmile_tui.domain.recurrence import Recurrence, check_rule
from lastmile_tui.domain.task import Priority, Status, Step, Task

if TYPE_CHECKING:
    from lastmile_tui.domain.task import Due

SOURCE = "iCalendar"
ELSEWHERE = "another calendar app"
"""What a task COMPLETED by another app says it was done in ("done in another calendar app")."""
PRODID = "-//lastmile//EN"

FINAL_STEP = "X-LASTMILE-FINAL-STEP"
FINAL_CONFIRMED = "X-LASTMILE-FINAL-CONFIRMED"
STEP = "X-LASTMILE-STEP"
STEP_CHECKED = "X-CHECKED"
"""The parameter of an ``X-LASTMILE-STEP`` that holds when it was checked (UTC); none: unchecked."""
WAIT = "X-LASTMILE-WAIT"
DONE_ELSEWHERE = "X-LASTMILE-DONE-ELSEWHERE"
DROPPED_REASON = "X-LASTMILE-DROPPED-REASON"
REPEAT = "X-LASTMILE-REPEAT"
"""The repeat as lastmile keeps it (``FREQ=WEEKLY;INTERVAL=2 after done``); ``RRULE`` says the
same to other apps, for a fixed series only (an after-done one has no RRULE form)."""
SERIES = "X-LASTMILE-SERIES"
STEPS_AS = "X-LASTMILE-STEPS"
"""``children`` on a task whose steps (and final step) are its child VTODOs, not its checklist."""
ROLE = "X-LASTMILE-ROLE"
"""On a child VTODO lastmile wrote: ``step``, or ``final`` for the final step (the last child)."""
SORT_ORDER = "X-APPLE-SORT-ORDER"
"""The order of children, as tasks.org and jtx Board read and write it."""
STEPS_MODES = ("description", "children")
"""How a sync writes steps: a checklist in the task's own VTODO (every app shows it), or child
VTODOs (``RELATED-TO;RELTYPE=PARENT``) that tasks.org and jtx Board show as subtasks to tick."""

OURS = frozenset({
    "UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SUMMARY", "DUE", "CATEGORIES", "PRIORITY",
    "STATUS", "PERCENT-COMPLETE", "COMPLETED", "DESCRIPTION",
})
"""The standard properties lastmile reads and writes itself; every ``X-LASTMILE-*`` is ours too."""

FOREIGN_OWNS = frozenset({"title", "notes", "due", "priority", "tags", "status", "extra", "repeat"})
"""What a VTODO from another app speaks for: the rest (steps, final step) is lastmile's."""

_PRIORITY_OUT = {Priority.H: 1, Priority.M: 5, Priority.L: 9}
_STATUS_IN = {"COMPLETED": Status.DONE, "CANCELLED": Status.DROPPED}


def _ours(name: str) -> bool:
    return name in OURS or name.startswith("X-LASTMILE-")


def _escaped(text: str) -> str:
    """RFC 5545 TEXT escaping, and only that."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


_ESCAPE = re.compile(r"\\([\\;,nN])")


def _unescaped(text: str) -> str:
    """TEXT as written, read back: what icalendar leaves as it is in an ``X-`` property."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


class _Text(vText):
    """A TEXT value escaped by RFC 5545 alone: icalendar 7 also reads a literal backslash-N in the
    text as a line break, which would turn the title ``C:\\New folder`` into two lines."""

    def to_ical(self) -> bytes:
        return _escaped(str(self)).encode("utf-8")


class _Categories(vText):
    """CATEGORIES, each tag escaped as :class:`_Text` is."""

    tags: tuple[str, ...]

    def __new__(cls, tags: tuple[str, ...]) -> _Categories:
        self = super().__new__(cls, ",".join(tags))
        self.tags = tags
        return self

    def to_ical(self) -> bytes:
        return ",".join(_escaped(tag) for tag in self.tags).encode("utf-8")


# -- writing ------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """A naive local time (lastmile's) as UTC, whole seconds: what iCalendar can say."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    """A UTC time as iCalendar writes it (``20261130T090000Z``), for lastmile's ``X-`` properties."""
    return _utc(moment).strftime("%Y%m%dT%H%M%SZ")


def percent(task: Task) -> int:
    """Done ÷ (steps + 1), the final step counting once confirmed; 100 only then."""
    if task.final_confirmed and task.status is Status.DONE:
        return 100
    done = task.steps_done + (1 if task.final_confirmed else 0)
    return min(99, done * 100 // (task.steps_total + 1))


def status(task: Task) -> str:
    """NEEDS-ACTION, IN-PROCESS once a step is checked, COMPLETED when done, CANCELLED for dropped."""
    if task.status is Status.DONE:
        return "COMPLETED"
    if task.status is Status.DROPPED:
        return "CANCELLED"
    return "IN-PROCESS" if task.steps_done or task.final_confirmed else "NEEDS-ACTION"


def description(task: Task) -> str:
    """The checklist any app can show (``[x] export hours``, ``[ ] FINAL: email PDF``), then the notes."""
    lines = [f"[{'x' if step.done else ' '}] {step.text}" for step in task.steps]
    if task.final_step:
        lines.append(f"[{'x' if task.final_confirmed else ' '}] FINAL: {task.final_step}")
    checklist = "\n".join(lines)
    return "\n\n".join(part for part in (checklist, task.notes) if part)


def vtodo(task: Task, *, children: bool = False) -> Todo:
    """The VTODO of *task*: lastmile's properties first, then what another app wrote (``extra``).
    With *children* (and steps or a final step to show) its steps are child VTODOs
    (``child_vtodos``): the DESCRIPTION is then the notes alone and ``X-LASTMILE-STEPS`` says so."""
    children = children and bool(task.steps or task.final_step)
    todo = Todo()
    todo.add("UID", _Text(task.uid))
    todo.add("DTSTAMP", _utc(task.updated_at))
    todo.add("CREATED", _utc(task.created_at))
    todo.add("LAST-MODIFIED", _utc(task.updated_at))
    todo.add("SUMMARY", _Text(task.title))
    if task.due is not None:
        todo.add("DUE", _utc(task.due) if isinstance(task.due, datetime) else task.due)
    if task.tags:
        todo.add("CATEGORIES", _Categories(task.tags))
    if task.priority is not None:
        todo.add("PRIORITY", _PRIORITY_OUT[task.priority])
    if task.done_claimed_at is not None:  # another app said done: lastmile never flips that back
        todo.add("STATUS", "COMPLETED")
        todo.add("PERCENT-COMPLETE", 100)
        todo.add("COMPLETED", _utc(task.done_claimed_at))
    else:
        todo.add("STATUS", status(task))
        todo.add("PERCENT-COMPLETE", percent(task))
    if task.status is Status.DONE and task.done_at is not None and task.done_claimed_at is None:
        todo.add("COMPLETED", _utc(task.done_at))  # one COMPLETED, ever: servers refuse two
    text = task.notes if children else description(task)
    if text:
        todo.add("DESCRIPTION", _Text(text))
    todo.add(FINAL_STEP, _Text(task.final_step))
    if task.final_step_confirmed_at is not None:
        todo.add(FINAL_CONFIRMED, _stamp(task.final_step_confirmed_at))
    if children:
        todo.add(STEPS_AS, "children")
    for step in () if children else task.steps:
        params = {STEP_CHECKED: _stamp(step.done_at)} if step.done_at else {}
        todo.add(STEP, _Text(step.text), parameters=params)
    if task.wait is not None:
        todo.add(WAIT, task.wait)  # with VALUE=DATE
    if task.done_elsewhere:
        todo.add(DONE_ELSEWHERE, _Text(task.done_elsewhere))
    if task.dropped_reason:
        todo.add(DROPPED_REASON, _Text(task.dropped_reason))
    if task.repeat is not None:
        if not task.repeat.after_done:
            todo.add("RRULE", vRecur.from_ical(task.repeat.rule))
        todo.add(REPEAT, _Text(task.repeat.text))
    if task.series:
        todo.add(SERIES, _Text(task.series))
    if task.extra:
        _add_kept(todo, task.extra, skip_rrule=task.repeat is not None)
    return todo


def _add_kept(todo: Todo, extra: str, *, skip_rrule: bool) -> None:
    """Put back what another app wrote, except anything lastmile now says itself."""
    kept = Todo.from_ical(f"BEGIN:VTODO\r\n{extra}END:VTODO\r\n")
    for name in kept:
        if not _ours(name) and not (skip_rrule and name == "RRULE"):
            todo[name] = kept[name]
    for component in kept.subcomponents:
        todo.add_component(component)


def _calendar(todos: Iterable[Todo]) -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    for todo in todos:
        calendar.add_component(todo)
    calendar.add_missing_timezones()  # a kept DTSTART;TZID=... needs its VTIMEZONE
    return calendar


def child_uid(parent: str, text: str, occurrence: int = 1) -> str:
    """A step's child VTODO UID: from the task's UID and the step's text (the *occurrence*-th step
    with that text), so it stays the same when steps are reordered, added or removed around it;
    a step whose text is edited becomes a new child. The final step's child is ``UID-final``."""
    said = text if occurrence == 1 else f"{text}\n{occurrence}"
    return f"{parent}-step-{blake2b(said.encode('utf-8', 'surrogatepass'), digest_size=6).hexdigest()}"


def child_vtodos(task: Task) -> list[Todo]:
    """The child VTODOs of *task*: one per step in order, then the final step (``ROLE:final``),
    each ``RELATED-TO;RELTYPE=PARENT`` the task and ordered by ``X-APPLE-SORT-ORDER``;
    COMPLETED when checked (the final step: when confirmed). Empty without steps or final step."""
    seen: dict[str, int] = {}
    kids = []
    for number, step in enumerate(task.steps, 1):
        seen[step.text] = seen.get(step.text, 0) + 1
        kids.append(_child(task, child_uid(task.uid, step.text, seen[step.text]), step.text,
                           step.done_at, number, "step"))
    if task.final_step:
        kids.append(_child(task, f"{task.uid}-final", task.final_step, task.final_step_confirmed_at,
                           len(task.steps) + 1, "final"))
    return kids


def _child(task: Task, uid: str, text: str, done_at: datetime | None, order: int, role: str) -> Todo:
    todo = Todo()
    todo.add("UID", _Text(uid))
    todo.add("DTSTAMP", _utc(task.created_at))  # no LAST-MODIFIED: a phone's edit brings one
    todo.add("CREATED", _utc(task.created_at))
    todo.add("SUMMARY", _Text(text))
    todo.add("RELATED-TO", _Text(task.uid), parameters={"RELTYPE": "PARENT"})
    todo.add(SORT_ORDER, str(order))
    todo.add("STATUS", "COMPLETED" if done_at else "NEEDS-ACTION")
    todo.add("PERCENT-COMPLETE", 100 if done_at else 0)
    if done_at:
        todo.add("COMPLETED", _utc(done_at))
    todo.add(ROLE, role)
    return todo


def objects(task: Task, *, children: bool = False) -> dict[str, str]:
    """What a sync puts on the server for *task*: UID → one calendar with one VTODO, the task's
    own first, then (with *children*) one per step and the final step."""
    found = {task.uid: _calendar([vtodo(task, children=children)]).to_ical().decode("utf-8")}
    for kid in child_vtodos(task) if children else ():
        found[str(kid["UID"])] = _calendar([kid]).to_ical().decode("utf-8")
    return found


def object_digest(text: str) -> str:
    """32 hex digits of one object's text (``objects``): which children changed."""
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def digest(task: Task, *, children: bool = False) -> str:
    """32 hex digits of the VTODO *task* makes (with *children*, of its child VTODOs too): a sync
    compares it with the one last exchanged."""
    if children and (task.steps or task.final_step):
        hashed = blake2b(digest_size=16)
        for text in objects(task, children=True).values():
            hashed.update(text.encode("utf-8", "surrogatepass"))
        return hashed.hexdigest()
    return blake2b(vtodo(task).to_ical(), digest_size=16).hexdigest()


def write_one(task: Task) -> str:
    """One calendar holding one VTODO: a vdir's ``UID.ics``."""
    return _calendar([vtodo(task)]).to_ical().decode("utf-8")


def write_stream(out: TextIO, tasks: Iterable[Task]) -> int:
    """One VCALENDAR with every task as a VTODO, written one VTODO at a time (memory stays
    small); returns how many were written. The VTIMEZONEs that kept properties name go last."""
    empty = _calendar([]).to_ical().decode("utf-8")
    end = empty.index("END:VCALENDAR")
    out.write(empty[:end])
    count, zoned = 0, []
    for task in tasks:
        todo = vtodo(task)
        out.write(todo.to_ical().decode("utf-8"))
        if "TZID=" in task.extra:
            zoned.append(todo)
        count += 1
    if zoned:
        for zone in _calendar(zoned).timezones:
            out.write(zone.to_ical().decode("utf-8"))
    out.write(empty[end:])
    return count


# -- reading ------------------------------------------------------------------------------


def read(text: str, *, name: str = "") -> Batch:
    """Every VTODO of *text*: one calendar, several concatenated, or bare VTODOs. One clear line
    naming the VTODO (and the file *name*, for a vdir) for anything wrong; nothing imported."""
    batch = Batch(SOURCE)
    numbers = {"VTODO": 0, "VEVENT": 0, "VJOURNAL": 0}
    prefix = f"{plain(name)}, " if name else ""
    try:
        components = _components(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{prefix}{exc}") from None
    read_todos: list[tuple[Incoming, Component]] = []
    for component in components:
        if component.name not in numbers:
            continue  # VTIMEZONE, or something no app puts in a task list
        numbers[component.name] += 1
        if component.name == "VTODO":
            read_todos.append((task_from_vtodo(component, numbers["VTODO"], prefix), component))
        else:
            what = "an event" if component.name == "VEVENT" else "a journal entry"
            batch.skipped.append(Skipped(f"{prefix}{component.name} {numbers[component.name]}",
                                         plain(str(component.get("SUMMARY", ""))), f"{what}, not a task"))
    batch.tasks += families(read_todos)
    return batch


def families(read_todos: list[tuple[Incoming, Component]]) -> list[Incoming]:
    """The tasks among *read_todos*, each with the step children lastmile wrote for it folded
    back in (``fold``); a child whose task is not among them stays a task of its own."""
    uids = {incoming.task.uid for incoming, _todo in read_todos}
    kids: dict[str, list[Component]] = {}
    for incoming, todo in read_todos:
        parent = parent_of(todo)
        if role(todo) and parent in uids and parent != incoming.task.uid:
            kids.setdefault(parent, []).append(todo)
    folded = {id(todo) for group in kids.values() for todo in group}
    return [fold(incoming, todo, kids[incoming.task.uid]) if incoming.task.uid in kids else incoming
            for incoming, todo in read_todos if id(todo) not in folded]


def _components(text: str) -> list[Component]:
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith("BEGIN:VTODO"):
        body = f"BEGIN:VCALENDAR\r\n{body.rstrip()}\r\nEND:VCALENDAR\r\n"
    if not body.startswith("BEGIN:VCALENDAR"):
        raise InvalidInput("the file is not iCalendar: it does not start with BEGIN:VCALENDAR; "
                           "nothing was imported")
    try:
        calendars = Calendar.from_ical(body, multiple=True)
    except ValueError as exc:
        _name_the_bad_vtodo(body)
        raise InvalidInput(f"the file is not iCalendar lastmile can read ({_first_line(exc)}); "
                           "nothing was imported") from None
    return [sub for calendar in calendars for sub in calendar.subcomponents]


_VTODO_BLOCK = re.compile(r"^BEGIN:VTODO\r?\n.*?^END:VTODO\r?$", re.MULTILINE | re.DOTALL)
_UID_LINE = re.compile(r"^UID[;:](?:[^:\r\n]*:)?([^\r\n]*)", re.MULTILINE)


def _name_the_bad_vtodo(body: str) -> None:
    """The parser refused the whole file: find the first VTODO it refuses alone, and name it."""
    for number, match in enumerate(_VTODO_BLOCK.finditer(body), 1):
        try:
            Todo.from_ical(match.group(0))
        except ValueError as exc:
            uid = _UID_LINE.search(match.group(0))
            shown = f" (UID {_shown(uid.group(1).strip())})" if uid else ""
            raise InvalidInput(f"VTODO {number}{shown}: a property lastmile cannot read "
                               f"({_first_line(exc)}); nothing was imported") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def task_from_vtodo(todo: Component, number: int = 1, prefix: str = "") -> Incoming:
    """The task a VTODO holds, checked by the import rules; *number* names it in messages
    (``VTODO 3 (UID abc)``). A VTODO without a UID gets one from a digest of its text, so
    importing the same file again finds the same task."""
    uid = str(todo.get("UID", "")).strip()
    if not uid:
        uid = "lastmile-" + blake2b(todo.to_ical(), digest_size=16).hexdigest()
    where = f"{prefix}VTODO {number} (UID {_shown(uid)})"
    try:
        task, owns = _task(todo, uid)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}; nothing was imported") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise InvalidInput(f"{where}: a property lastmile cannot read ({_first_line(exc)}); "
                           "nothing was imported") from None
    return arrived(task, where, owns, SOURCE)


def _shown(uid: str) -> str:
    uid = plain(uid)
    return uid if len(uid) <= 60 else uid[:57] + "..."


def _text(todo: Component, name: str) -> str:
    value = todo.get(name)
    if isinstance(value, list):  # a property written twice: the first one speaks
        value = value[0]
    return "" if value is None else str(value)


def _task(todo: Component, uid: str) -> tuple[Task, frozenset[str]]:
    ours = any(name.startswith("X-LASTMILE-") for name in todo)
    title = _text(todo, "SUMMARY")
    if not title.strip():
        raise InvalidInput("it has no SUMMARY, and a task needs a title")
    created = _moment(todo, "CREATED")
    updated = _moment(todo, "LAST-MODIFIED") or _moment(todo, "DTSTAMP") or created
    created = created or updated
    state = _STATUS_IN.get(_text(todo, "STATUS").upper(), Status.OPEN)
    repeat = _repeat(todo)
    fields: dict[str, Any] = {
        "title": title,
        "due": _due(todo),
        "tags": _tags(todo),
        "priority": _priority(todo),
        "status": state,
        "done_at": _moment(todo, "COMPLETED") if state is Status.DONE else None,
        "extra": _kept(todo, skip_rrule=repeat is not None),
        "repeat": repeat,
        "series": _unescaped(_text(todo, SERIES)),
        **({"created_at": created} if created else {}),
        **({"updated_at": updated} if updated else {}),
    }
    if ours:
        final_step = _unescaped(_text(todo, FINAL_STEP))
        steps = tuple(_step(prop) for prop in _all(todo, STEP))
        confirmed = _moment(todo, FINAL_CONFIRMED)
        as_children = _text(todo, STEPS_AS).strip().lower() == "children"
        fields.update(
            final_step=final_step,
            steps=steps,
            final_step_confirmed_at=confirmed,
            notes=(_text(todo, "DESCRIPTION").replace("\r\n", "\n").strip() if as_children else
                   _notes(_text(todo, "DESCRIPTION"), steps, final_step, confirmed is not None)),
            wait=_date(todo, WAIT),
            done_elsewhere=(_unescaped(_text(todo, DONE_ELSEWHERE)) or ELSEWHERE
                            if state is Status.DONE else ""),
            dropped_reason=(_unescaped(_text(todo, DROPPED_REASON)) or None
                            if state is Status.DROPPED else None),
        )
        owns = OWNABLE
    else:
        fields.update(notes=_text(todo, "DESCRIPTION"),
                      done_elsewhere=ELSEWHERE if state is Status.DONE else "")
        owns = FOREIGN_OWNS
    return Task(None, uid=uid, **fields), owns


def _all(todo: Component, name: str) -> list[Any]:
    value = todo.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _local(moment: datetime) -> datetime:
    """An aware time as lastmile's naive local time; a floating one is local already."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _moment(todo: Component, name: str) -> datetime | None:
    value = todo.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0]
    moment = _decoded(value)
    if type(moment) is date:
        return datetime.combine(moment, datetime.min.time())
    if not isinstance(moment, datetime):
        raise ValueError(f"{name} is not a date and time")
    return _local(moment)


def _decoded(value: Any) -> Any:
    """The date or time a property holds, for typed properties and ``X-`` ones (kept as text)."""
    if hasattr(value, "dt"):
        return value.dt
    from icalendar import vDDDTypes

    return vDDDTypes.from_ical(str(value))


def _date(todo: Component, name: str) -> date | None:
    value = todo.get(name)
    if value is None:
        return None
    day = _decoded(value[0] if isinstance(value, list) else value)
    return day.date() if isinstance(day, datetime) else day


def _due(todo: Component) -> Due | None:
    value = todo.get("DUE")
    if value is None:
        return None
    due = _decoded(value[0] if isinstance(value, list) else value)
    if isinstance(due, datetime):
        return _local(due).replace(second=0, microsecond=0)
    if isinstance(due, date):
        return due
    raise ValueError("DUE is not a date")


def _step(prop: Any) -> Step:
    checked = getattr(prop, "params", {}).get(STEP_CHECKED)
    done_at = None
    if checked:
        done_at = _local(_decoded(str(checked)))
        if not isinstance(done_at, datetime):
            done_at = datetime.combine(done_at, datetime.min.time())
    return Step(_unescaped(str(prop)), done_at)


_TAG_SPACES = re.compile(r"[\s,+]+")


def _tags(todo: Component) -> tuple[str, ...]:
    """CATEGORIES as tags: a tag is one word, so ``Work stuff`` becomes ``Work-stuff``."""
    tags: list[str] = []
    for prop in _all(todo, "CATEGORIES"):
        for category in getattr(prop, "cats", [prop]):
            tag = _TAG_SPACES.sub("-", str(category).strip())[:64]
            if tag:
                tags.append(tag)
    return tuple(dict.fromkeys(tags))


def _priority(todo: Component) -> Priority | None:
    """RFC 5545: 1–4 high, 5 medium, 6–9 low, 0 (or none) undefined."""
    text = _text(todo, "PRIORITY").strip()
    if not text:
        return None
    number = int(text)
    if number <= 0 or number > 9:
        return None
    return Priority.H if number <= 4 else Priority.M if number == 5 else Priority.L


def _notes(text: str, steps: tuple[Step, ...], final_step: str, confirmed: bool) -> str:
    """The notes from a DESCRIPTION lastmile wrote: what follows the checklist it rendered."""
    checklist = description(Task(None, "-", final_step=final_step, steps=steps,
                                 final_step_confirmed_at=datetime.min if confirmed else None))
    text = text.replace("\r\n", "\n")
    if not checklist:
        return text.strip()
    if text.startswith(checklist):
        return text[len(checklist):].strip()
    lines = text.split("\n")  # another app rewrote it: drop the checklist lines it kept
    while lines and re.match(r"\[[ xX]\] ", lines[0]):
        lines.pop(0)
    return "\n".join(lines).strip()


def _repeat(todo: Component) -> Recurrence | None:
    """lastmile's own repeat, else another app's RRULE when lastmile can follow it (one it
    cannot, with a COUNT say, stays in ``extra`` for that app)."""
    ours = _text(todo, REPEAT)
    if ours:
        repeat = Recurrence.from_text(_unescaped(ours))
        assert repeat is not None
        return Recurrence(check_rule(repeat.rule), repeat.after_done)
    rule = todo.get("RRULE")
    if rule is None or isinstance(rule, list):
        return None
    try:
        return Recurrence(check_rule(rule.to_ical().decode("ascii", "replace")))
    except InvalidInput:
        return None


def _kept(todo: Component, *, skip_rrule: bool) -> str:
    """Everything lastmile does not read, as iCalendar content lines (subcomponents too)."""
    kept = Todo()
    for name in todo:
        if not _ours(name) and not (skip_rrule and name == "RRULE"):
            kept[name] = todo[name]
    for component in todo.subcomponents:
        kept.add_component(component)
    lines = kept.to_ical().decode("utf-8").split("\r\n")
    return "".join(line + "\r\n" for line in lines[1:-2])  # without BEGIN:VTODO, END:VTODO, ""


# -- children: a task's steps as child VTODOs ------------------------------------------------


def parent_of(todo: Component) -> str:
    """The UID of the VTODO *todo* is a child of (``RELATED-TO``, whose RELTYPE is PARENT unless
    it says otherwise), or ''."""
    for prop in _all(todo, "RELATED-TO"):
        reltype = str(getattr(prop, "params", {}).get("RELTYPE", "PARENT")).upper()
        if reltype == "PARENT" and str(prop).strip():
            return str(prop).strip()
    return ""


def role(todo: Component) -> str:
    """``step`` or ``final`` on a child lastmile wrote; '' on one another app made."""
    return _text(todo, ROLE).strip().lower()


def read_component(text: str, *, name: str = "") -> tuple[Incoming, Component] | None:
    """The one VTODO of a CalDAV object, as a task and as read (for ``fold``); None for an
    object without one. Raises ``InvalidInput`` (one line) for one lastmile cannot read, or for
    more than one VTODO."""
    prefix = f"{plain(name)}, " if name else ""
    try:
        todos = [c for c in _components(text) if c.name == "VTODO"]
    except InvalidInput as exc:
        raise InvalidInput(f"{prefix}{exc}") from None
    if len(todos) > 1:
        raise InvalidInput(f"{prefix}more than one VTODO in one object")
    if not todos:
        return None
    return task_from_vtodo(todos[0], 1, prefix), todos[0]


def fold(parent: Incoming, parent_todo: Component, kids: list[Component]) -> Incoming:
    """The task *parent* with its children *kids* (every child VTODO it has on the server) read
    back into it: the steps in ``X-APPLE-SORT-ORDER``, checked when COMPLETED; the child marked
    ``final`` is the final step, and COMPLETED by another app (the task's own VTODO does not say
    lastmile confirmed it) it is a person ticking the final step itself: the confirmation, and
    the task is done. A child's LAST-MODIFIED later than the task's is when the task changed."""
    task = parent.task
    final: Component | None = None
    steps = []
    for kid in sorted(kids, key=_child_order):
        if role(kid) == "final" and final is None:
            final = kid
            continue
        steps.append(Step(_text(kid, "SUMMARY"), _done_at(kid)))
    changes: dict[str, Any] = {"steps": tuple(steps)}
    owns = parent.owns | {"steps"}
    if final is not None:
        owns |= {"final_step", "final_step_confirmed_at", "status"}
        ticked = _done_at(final)
        confirmed = task.final_step_confirmed_at if ticked else None
        changes.update(final_step=_text(final, "SUMMARY"), final_step_confirmed_at=confirmed or ticked)
        if ticked and FINAL_CONFIRMED not in parent_todo and task.status is not Status.DONE:
            changes.update(status=Status.DONE, done_at=ticked, done_elsewhere="", done_claimed_at=None)
        elif ticked and task.status is Status.DONE:
            changes.update(done_elsewhere="")
    latest = max((m for kid in kids if (m := _moment(kid, "LAST-MODIFIED")) is not None), default=None)
    if latest is not None and latest > task.updated_at:
        changes["updated_at"] = latest
    return arrived(task.with_changes(**changes), parent.where, owns, SOURCE)


def _child_order(kid: Component) -> tuple[int, str, str]:
    order = _text(kid, SORT_ORDER).strip()
    created = _moment(kid, "CREATED") or _moment(kid, "DTSTAMP")
    return (int(order) if order.lstrip("-").isdigit() else 1 << 31,
            created.isoformat() if created else "", str(kid.get("UID", "")))


def _done_at(kid: Component) -> datetime | None:
    """When a child was ticked: COMPLETED (else its LAST-MODIFIED), if its STATUS says so."""
    if _text(kid, "STATUS").upper() != "COMPLETED":
        return None
    return _moment(kid, "COMPLETED") or _moment(kid, "LAST-MODIFIED") or _moment(kid, "DTSTAMP")


CHILD_SAYS = ("SUMMARY", "STATUS", SORT_ORDER, "COMPLETED", ROLE, "RELATED-TO")
PARENT_SAYS = ("STATUS", "PERCENT-COMPLETE", "COMPLETED", FINAL_STEP, FINAL_CONFIRMED, STEPS_AS)
"""What a sync compares between a child (or its task) on the server and the one it would write:
a phone that ticked a child left its task's PERCENT-COMPLETE behind, a step added in the middle
moved the final step's sort order; those go up again, the rest of a phone's copy is left be."""


def says_the_same(there: Component, ours: Component, names: Iterable[str]) -> bool:
    """*there* and *ours* hold the same *names* (as iCalendar text)."""
    return all(_said(there, name) == _said(ours, name) for name in names)


def _said(todo: Component, name: str) -> str:
    value = todo.get(name)
    if isinstance(value, list):
        value = value[0]
    if value is None:
        return ""
    text = value.to_ical() if hasattr(value, "to_ical") else str(value)
    return (text.decode("utf-8") if isinstance(text, bytes) else text).strip()
