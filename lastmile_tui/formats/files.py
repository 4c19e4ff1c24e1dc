"""Which format a file is in, and the module that reads or writes it.

Every other tool's format has one module here with the same two faces, loaded
only when a command needs it: ``read(text) -> imports.Batch`` for ``lastmile
import`` (the batch names its source, "Taskwarrior", for history and
``done_elsewhere``), and ``write_stream(out, tasks) -> int`` for ``lastmile
export`` (it returns how many tasks it wrote). lastmile's own JSON keeps its
own path (ids and history kept, ``lastmile_json``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from types import ModuleType
from typing import Protocol, TextIO, cast

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.imports import Batch
from lastmile_tui.domain.task import Task

IMPORT_FORMATS = ("lastmile", "taskwarrior", "todotxt", "ics")
"""What ``import --from`` accepts, in the order ``sniff`` tries them."""

EXPORT_FORMATS = ("json", "todotxt", "ics", "vdir")
"""What ``export --format`` accepts (``vdir`` writes a folder, one ``.ics`` per task)."""

NAMES = {"lastmile": "lastmile JSON", "taskwarrior": "Taskwarrior JSON", "todotxt": "todo.txt",
         "ics": "iCalendar"}

_MODULES = {"taskwarrior": "taskwarrior", "todotxt": "todotxt", "ics": "ical", "vdir": "ical"}


class Reader(Protocol):
    def read(self, text: str) -> Batch: ...


class Writer(Protocol):
    def write_stream(self, out: TextIO, tasks: Iterable[Task]) -> int: ...


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"lastmile_tui.formats.{_MODULES[name]}")


def reader(name: str) -> Reader:
    """What reads format *name* (``taskwarrior``, ``todotxt``, ``ics``) for an import."""
    return cast(Reader, _module(name))


def writer(name: str) -> Writer:
    """What writes format *name* (``todotxt``, ``ics``) for an export."""
    return cast(Writer, _module(name))


def sniff(text: str) -> str:
    """The format of a file by its content, or one clear line saying it is none of them."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("BEGIN:VCALENDAR") or head.startswith("BEGIN:VTODO"):
        return "ics"
    if head.startswith(("{", "[")):
        return _sniff_json(head)
    if not head:
        raise InvalidInput("the file is empty: there is nothing to import")
    return "todotxt"


def _sniff_json(text: str) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        first = text.splitlines()[0]
        try:  # Taskwarrior before 2.6 exported one object per line
            data = json.loads(first)
        except ValueError:
            raise InvalidInput(
                f"the file starts like JSON but is not JSON lastmile can read (line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg}); give --from taskwarrior|todotxt|ics|lastmile "
                "if you know what it is"
            ) from None
    if isinstance(data, dict) and data.get("format") == "lastmile":
        return "lastmile"
    record = data[0] if isinstance(data, list) and data else data
    if isinstance(record, dict) and ("uuid" in record or "description" in record):
        return "taskwarrior"
    if data == []:
        return "taskwarrior"  # ``task export`` of an empty list
    raise InvalidInput(
        "the file is JSON, but neither a lastmile export nor a Taskwarrior export "
        "(no \"format\": \"lastmile\", no task with a uuid)"
    )
