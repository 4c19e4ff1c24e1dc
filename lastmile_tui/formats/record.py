"""A task as a plain JSON-ready record and back: the one form the export, ``--json`` and the
history's snapshots share. Reading is strict, because a record may come from a file a person
edited; it names the first field that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache

from lastmile_tui.domain.dates import format_due, load_due
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.recurrence import Recurrence
from lastmile_tui.domain.task import Priority, Status, Step, Task

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_ID = 2**63 - 1
"""SQLite's largest integer: the largest id a task or an event can have, in a file or a row."""

STATUSES = {status.value: status for status in Status}
"""A status from its word (a dict lookup: read for every one of 100,000 rows)."""

PRIORITIES = {priority.value: priority for priority in Priority}


def load_day(text: str | None) -> date | None:
    """A day from its ISO text (``2026-11-25``), in a record or a row."""
    return date.fromisoformat(text) if text else None


def iso_text(value: date | None) -> str | None:
    """A date or a moment as ISO text (``2026-11-25``, ``2026-11-25T10:00:00``)."""
    return value.isoformat() if value else None


def task_to_dict(task: Task) -> dict[str, Any]:
    """A JSON-ready record of everything about a task (history snapshots, --json, export)."""
    return {
        "id": task.id,
        "title": task.title,
        "final_step": task.final_step,
        "final_step_confirmed_at": iso_text(task.final_step_confirmed_at),
        "steps": [{"text": s.text, "done_at": iso_text(s.done_at)} for s in task.steps],
        "tags": list(task.tags),
        "notes": task.notes,
        "due": format_due(task.due) if task.due is not None else None,
        "status": task.status.value,
        "created_at": iso_text(task.created_at),
        "updated_at": iso_text(task.updated_at),
        "done_at": iso_text(task.done_at),
        "dropped_reason": task.dropped_reason,
        "wait": iso_text(task.wait),
        "reviewed_on": iso_text(task.reviewed_on),
        "priority": task.priority.value if task.priority else None,
        "uid": task.uid,
        "done_elsewhere": task.done_elsewhere,
        "extra": task.extra,
        "source_hash": task.source_hash,
        "repeat": task.repeat.text if task.repeat else None,
        "series": task.series,
        # only while a completion claimed elsewhere waits (sync): every other export keeps its bytes
        **({"done_claimed_at": iso_text(task.done_claimed_at)} if task.done_claimed_at else {}),
    }


# -- reading records back: strict, because they may come from a file a person edited ----------

_MISSING: Any = object()
_NONE = type(None)
_TEXT = (str,)
_TEXT_OR_NULL = (str, _NONE)
_INT_OR_NULL = (int, _NONE)


def _value(data: dict[str, Any], key: str, kinds: tuple[type, ...], default: Any = _MISSING) -> Any:
    value = data.get(key, default)
    if type(value) in kinds:  # the usual case, checked first: an import reads millions of fields
        return value
    if value is _MISSING:
        raise InvalidInput(f"{key!r} is missing")
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        import json  # only to quote what is wrong

        names = " or ".join("null" if k is _NONE else _JSON_NAMES[k] for k in kinds)
        raise InvalidInput(f"{key!r} must be {names}, not {json.dumps(value)[:60]}")
    return value


_JSON_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "an object"}


def read_object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        import json  # only to quote what is wrong

        raise InvalidInput(f"{what} must be a JSON object, not {json.dumps(data)[:60]}")
    return data


def read_moment(data: dict[str, Any], key: str, *, required: bool = False) -> datetime | None:
    """A naive local date and time in ISO form, as ``task_to_dict`` writes it."""
    text = _value(data, key, _TEXT, _MISSING) if required else _value(data, key, _TEXT_OR_NULL, None)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{key!r} is not a date and time like 2026-11-25T10:00:00: {text!r}") from None
    if moment.tzinfo is not None:
        raise InvalidInput(f"{key!r} must be local time without a time zone: {text!r}")
    return moment


def _read_day(data: dict[str, Any], key: str) -> date | None:
    text = _value(data, key, _TEXT_OR_NULL, None)
    try:
        return load_day(text)
    except ValueError:
        raise InvalidInput(f"{key!r} is not a date like 2026-11-25: {text!r}") from None


def read_text(data: dict[str, Any], key: str, default: Any = _MISSING) -> str:
    return _value(data, key, _TEXT, default)


def read_int(data: dict[str, Any], key: str, default: Any = _MISSING) -> int:
    return _value(data, key, (int,), default)


def read_list(data: dict[str, Any], key: str) -> list[Any]:
    return _value(data, key, (list,), [])


def _read_step(data: Any, number: int) -> Step:
    if not isinstance(data, dict):
        read_object(data, f"step {number}")  # raises, naming the step (no name made otherwise)
    return Step(read_text(data, "text"), read_moment(data, "done_at"))


def _read_status(data: dict[str, Any]) -> Status:
    text = read_text(data, "status", "open")
    status = STATUSES.get(text)
    if status is None:
        known = ", ".join(s.value for s in Status)
        raise InvalidInput(f"'status' must be one of {known}, not {text!r}")
    return status


def _read_priority(data: dict[str, Any]) -> Priority | None:
    text = _value(data, "priority", _TEXT_OR_NULL, None)
    if text is None:
        return None
    priority = PRIORITIES.get(text)
    if priority is None:
        raise InvalidInput(f"'priority' must be H, M, L or null, not {text!r}")
    return priority


def task_from_dict(data: Any) -> Task:
    """Read what :func:`task_to_dict` wrote, checking every field's type and form.

    It does not apply the rules for typed text (an old snapshot must stay
    restorable even if those rules grow stricter); import applies them.
    """
    record = read_object(data, "a task")
    tags = read_list(record, "tags")
    if tags and not all(isinstance(t, str) for t in tags):
        raise InvalidInput("'tags' must be a list of text")
    return Task(
        id=_value(record, "id", _INT_OR_NULL, None),
        title=read_text(record, "title"),
        final_step=read_text(record, "final_step", ""),
        steps=tuple([_read_step(s, i) for i, s in enumerate(read_list(record, "steps"), 1)]),
        tags=tuple(tags),
        notes=read_text(record, "notes", ""),
        due=load_due(_value(record, "due", _TEXT_OR_NULL, None)),
        status=_read_status(record),
        created_at=read_moment(record, "created_at", required=True),  # type: ignore[arg-type]
        updated_at=read_moment(record, "updated_at", required=True),  # type: ignore[arg-type]
        final_step_confirmed_at=read_moment(record, "final_step_confirmed_at"),
        done_at=read_moment(record, "done_at"),
        dropped_reason=_value(record, "dropped_reason", _TEXT_OR_NULL, None),
        # "snoozed_until": what review's snooze was called before it became the wait date
        wait=_read_day(record, "wait" if "wait" in record else "snoozed_until"),
        reviewed_on=_read_day(record, "reviewed_on"),
        priority=_read_priority(record),
        uid=read_text(record, "uid", ""),
        done_elsewhere=read_text(record, "done_elsewhere", ""),
        extra=read_text(record, "extra", ""),
        source_hash=read_text(record, "source_hash", ""),
        repeat=Recurrence.from_text(_value(record, "repeat", _TEXT_OR_NULL, None)),
        series=read_text(record, "series", ""),
        done_claimed_at=read_moment(record, "done_claimed_at"),
    )


@cache
def _snapshot_encoder() -> Callable[[Any], str]:
    """Made once, when a change first writes a snapshot (json is not imported before: ``add`` and
    the reads never need it); the data is parsed JSON or task_to_dict's, so never circular."""
    import json

    return json.JSONEncoder(ensure_ascii=False, sort_keys=True, check_circular=False).encode


def dump_snapshot(data: dict[str, Any]) -> str:
    """The one text form of a stored snapshot, so an export read back stores the same bytes."""
    return _snapshot_encoder()(data)


def snapshot(task: Task) -> str:
    return dump_snapshot(task_to_dict(task))


def from_snapshot(text: str) -> Task:
    import json

    return task_from_dict(json.loads(text))
