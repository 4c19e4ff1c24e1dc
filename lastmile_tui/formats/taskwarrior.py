"""Taskwarrior's ``task export`` (2.6 and 3.x JSON arrays, and the older one object per line)
read into an import batch.

What maps to what, so that nothing Taskwarrior said is lost:

* ``pending`` → open; ``waiting`` (3.x), or 2.6's ``pending`` with a ``wait`` → open, hidden
  until that day; ``completed`` → done *in Taskwarrior* (``done_elsewhere``: it never passed
  lastmile's confirmation, and its history says "imported as done"); ``deleted`` → skipped.
* A recurring series (the ``recurring`` template and its instances, linked by ``parent``) →
  one lastmile series: the template's ``recur`` read as a repeat (``weekly``, ``2wks``,
  ``P1M``), its uuid naming the series; the earliest pending instance is the open occurrence,
  finished instances arrive done, and later pending ones (Taskwarrior makes them ahead) are
  skipped: lastmile makes the next occurrence when the current one is finished.
* ``project`` → a tag, dots kept (``home.garden``); ``tags`` → tags; ``priority`` H/M/L.
* ``annotations`` → lines of the notes with their dates; one starting ``final:`` → the final
  step (the last such one wins); ``depends`` (a list, or an old comma string) → a notes line
  naming the other task.
* Every other attribute (UDAs such as ``estimate``, ``scheduled``) → a notes line
  ``taskwarrior: estimate=2h``, its value as Taskwarrior wrote it.
* ``entry`` / ``modified`` / ``end`` → created, updated, done. Times are UTC
  (``20261125T103000Z``) and become local time; a due at local midnight is an all-day date.
* ``id`` and ``urgency`` are Taskwarrior's own bookkeeping and are not kept.

Identity is the Taskwarrior ``uuid``, so a second import of a later export updates the tasks
that changed (as ``task import`` does) and adds nothing twice. The source speaks for title,
notes, tags, due, wait, priority and status, and for the final step only when an annotation
gives one: steps and a final step added in lastmile survive a re-import.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.imports import Batch, Incoming, Skipped, arrived
from lastmile_tui.domain.recurrence import Recurrence, parse_recurrence
from lastmile_tui.domain.task import Priority, Status, Task

SOURCE = "Taskwarrior"

OWNS = frozenset({"title", "notes", "tags", "due", "wait", "priority", "status"})
"""What a Taskwarrior record speaks for; ``final_step`` is added when an annotation gives one."""

_SKIPPED = frozenset({"id", "urgency", "uuid", "description", "status", "entry", "modified", "end",
                      "due", "wait", "priority", "project", "tags", "annotations", "depends",
                      "mask", "imask", "parent", "rtype", "recur", "until"})
"""Attributes read into fields, or Taskwarrior's own bookkeeping; every other one is kept."""

_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})Z")
_STATUSES = ("pending", "waiting", "completed", "deleted", "recurring")
_PRIORITIES = {"H": Priority.H, "M": Priority.M, "L": Priority.L}
FINAL = "final:"


def read(text: str, tz: tzinfo | None = None) -> Batch:
    """Every record of a ``task export`` as an import batch, or ``InvalidInput`` naming the first
    bad record (``tasks[3]``, ``line 4``) and the field: then nothing is imported.

    *tz* is the zone the UTC times are shown in (the machine's local zone by default).
    """
    records = _records(text)
    names = {r["uuid"]: r["description"] for _, r in records
             if isinstance(r, dict) and isinstance(r.get("uuid"), str)
             and isinstance(r.get("description"), str)}
    current = _current_instances(records)
    batch = Batch(SOURCE)
    for where, record in records:
        try:
            item = _one(record, where, names, tz, current)
        except InvalidInput as exc:
            if str(exc).startswith(f"{where}: "):
                raise
            raise InvalidInput(f"{where}: {exc}; nothing was imported") from exc
        (batch.skipped if isinstance(item, Skipped) else batch.tasks).append(item)
    return batch


def _records(text: str) -> list[tuple[str, Any]]:
    """The records with where each one is: ``tasks[i]`` in an array, ``line N`` one per line."""
    body = text.lstrip("\ufeff")
    if body.lstrip().startswith("["):
        data = _json(body, 0)  # text starting with "[" that parses is a list
        return [(f"tasks[{i}]", record) for i, record in enumerate(data)]
    try:  # one object, perhaps spread over several lines
        return [("line 1", json.loads(body))]
    except ValueError:
        pass
    records = []
    for number, line in enumerate(body.split("\n"), 1):  # JSON may hold a raw U+2028
        line = line.strip().removesuffix(",")
        if line:
            records.append((f"line {number}", _json(line, number - 1)))
    return records


def _json(text: str, lines_before: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not JSON (line {exc.lineno + lines_before}, column {exc.colno}): "
                           f"{exc.msg}; nothing was imported") from None


def _current_instances(records: list[tuple[str, Any]]) -> dict[str, str]:
    """For each recurring series (by its template's uuid), the uuid of its open occurrence: the
    pending instance due first (its ``imask`` breaks ties)."""
    best: dict[str, tuple[str, int, str]] = {}
    for _where, record in records:
        if not isinstance(record, dict) or record.get("status", "pending") not in ("pending", "waiting"):
            continue
        parent, uid = record.get("parent"), record.get("uuid")
        if not isinstance(parent, str) or not isinstance(uid, str):
            continue
        mask = record.get("imask")
        key = (str(record.get("due", "")), mask if isinstance(mask, int) else 0, uid)
        if parent not in best or key < best[parent]:
            best[parent] = key
    return {parent: key[2] for parent, key in best.items()}


def _one(record: Any, where: str, names: dict[str, str], tz: tzinfo | None,
         current: dict[str, str]) -> Incoming | Skipped:
    if not isinstance(record, dict):
        raise InvalidInput(f"a task must be a JSON object, not {json.dumps(record)[:40]}")
    title = _text(record, "description")
    uid = _text(record, "uuid")
    status = record.get("status", "pending")
    if status not in _STATUSES:
        raise InvalidInput(f"'status' must be one of {', '.join(_STATUSES)}, not "
                           f"{json.dumps(status)[:40]}")
    moments = {key: _moment(record, key, tz) for key in ("entry", "modified", "end", "due", "wait")}
    if status == "deleted":
        return Skipped(where, title, "deleted in Taskwarrior")
    if status == "recurring":
        return Skipped(where, title, "the template of a recurring series; its current occurrence "
                                     "is imported")
    parent = record.get("parent")
    if isinstance(parent, str) and status in ("pending", "waiting") and current.get(parent) != uid:
        return Skipped(where, title, "a later occurrence of a recurring series; lastmile makes it "
                                     "when the current one is finished")
    notes, final_step = _notes(record, names, tz)
    tags = [*(_project(record)), *_tags(record)]
    priority, kept_priority = _priority(record)
    if kept_priority:
        notes.append(f"taskwarrior: priority={kept_priority}")
    created = moments["entry"] or moments["modified"] or datetime(1970, 1, 1)
    done = status == "completed"
    task = Task(
        None, title, final_step=final_step or "", tags=tuple(tags), notes="\n".join(notes),
        due=_due(moments["due"]), status=Status.DONE if done else Status.OPEN,
        created_at=created, updated_at=moments["modified"] or created,
        done_at=(moments["end"] or moments["modified"] or created) if done else None,
        wait=moments["wait"].date() if moments["wait"] else None, priority=priority, uid=uid,
    )
    repeat = _repeat(record, task)
    if repeat is not None:
        task = task.with_changes(repeat=repeat, series=parent if isinstance(parent, str) else uid)
    owns = OWNS | {"final_step"} if final_step is not None else OWNS
    if repeat is not None:
        owns |= {"repeat"}
    return arrived(task, where, owns, SOURCE)


def _repeat(record: dict[str, Any], task: Task) -> Recurrence | None:
    """A recurring instance's ``recur`` (and ``until``) as lastmile's repeat, anchored on its due."""
    recur = record.get("recur")
    if recur is None or not isinstance(record.get("parent"), str) and record.get("status") != "recurring":
        return None
    if not isinstance(recur, str):
        raise InvalidInput(f"'recur' must be text, not {json.dumps(recur)[:40]}")
    anchor = task.due if task.due is not None else task.created_at
    day = anchor.date() if isinstance(anchor, datetime) else anchor
    repeat = parse_recurrence(recur, day)
    until = record.get("until")
    if isinstance(until, str) and _DATE.fullmatch(until):
        repeat = Recurrence(f"{repeat.rule};UNTIL={until.replace('-', '')[:8]}", repeat.after_done)
    return repeat


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        raise InvalidInput(f"{key!r} is missing")
    if not isinstance(value, str):
        raise InvalidInput(f"{key!r} must be text, not {json.dumps(value)[:40]}")
    return value


def _moment(record: dict[str, Any], key: str, tz: tzinfo | None) -> datetime | None:
    """A Taskwarrior time (UTC, ``20261125T103000Z``) as naive local time."""
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not (match := _DATE.fullmatch(value)):
        raise InvalidInput(f"{key!r} is not a Taskwarrior date like 20261125T103000Z: "
                           f"{json.dumps(value)[:40]}")
    try:
        utc = datetime(*map(int, match.groups()), tzinfo=UTC)  # type: ignore[misc]
    except ValueError:
        raise InvalidInput(f"{key!r} is not a real date: {value}") from None
    return utc.astimezone(tz).replace(tzinfo=None)


def _due(moment: datetime | None) -> date | datetime | None:
    """A due at local midnight is a whole day (Taskwarrior has no all-day dates)."""
    if moment is None:
        return None
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date()
    return moment.replace(second=0, microsecond=0)


def _project(record: dict[str, Any]) -> list[str]:
    project = record.get("project")
    if project is None:
        return []
    if not isinstance(project, str):
        raise InvalidInput(f"'project' must be text, not {json.dumps(project)[:40]}")
    return ["-".join(project.split())] if project.strip() else []


def _tags(record: dict[str, Any]) -> list[str]:
    tags = record.get("tags", [])
    if isinstance(tags, str):  # before 2.6, a comma string
        tags = [t for t in tags.split(",") if t.strip()]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InvalidInput(f"'tags' must be a list of words, not {json.dumps(tags)[:40]}")
    return tags


def _priority(record: dict[str, Any]) -> tuple[Priority | None, str]:
    """H/M/L, or a custom value (``uda.priority.values``) kept in the notes."""
    value = record.get("priority")
    if value is None or value == "":
        return None, ""
    if not isinstance(value, str):
        raise InvalidInput(f"'priority' must be text, not {json.dumps(value)[:40]}")
    return _PRIORITIES.get(value), "" if value in _PRIORITIES else value


def _notes(record: dict[str, Any], names: dict[str, str], tz: tzinfo | None) -> tuple[list[str], str | None]:
    """The notes lines (annotations, dependencies, kept attributes) and the final step, if any."""
    lines: list[str] = []
    final_step = None
    annotations = record.get("annotations", [])
    if not isinstance(annotations, list):
        raise InvalidInput("'annotations' must be a list")
    for i, note in enumerate(annotations):
        if not isinstance(note, dict) or not isinstance(note.get("description"), str):
            raise InvalidInput(f"annotations[{i}] must be an object with a description")
        text = note["description"]
        if text.strip().lower().startswith(FINAL):
            final_step = text.strip()[len(FINAL):].strip()
            continue
        when = _moment(note, "entry", tz)
        lines.append(f"{when:%Y-%m-%d %H:%M} {text}" if when else text)
    depends = record.get("depends", [])
    if isinstance(depends, str):  # before 2.6, a comma string
        depends = [d.strip() for d in depends.split(",") if d.strip()]
    if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
        raise InvalidInput(f"'depends' must be a list of uuids, not {json.dumps(depends)[:40]}")
    for uuid in depends:
        name = names.get(uuid)
        lines.append(f"depends on: {name} (Taskwarrior {uuid[:8]})" if name
                     else f"depends on: Taskwarrior task {uuid}")
    for key in sorted(set(record) - _SKIPPED):
        value = record[key]
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"taskwarrior: {key}={shown}")
    return lines, final_step
