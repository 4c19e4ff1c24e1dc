"""What every group of commands shares: declaring a command, argument types, opening the database.

Standard library only at module level: the store is imported by the
functions that open it, when a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from lastmile_tui.cli.errors import UsageError
from lastmile_tui.cli.ids import MAX_ID, parse_id_word, unique

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lastmile_tui.store.reader import Reader
    from lastmile_tui.store.store import Store

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
    """What ``register(subparsers)`` receives: the parser's command table."""

Handler = Callable[[argparse.Namespace], int]

NO_TASKS_YET = 'No tasks yet. Add one: lastmile add "..." --final "..."'


class Commands(argparse._SubParsersAction):  # noqa: SLF001 - argparse keeps its command table only here
    """The parser's command table. With *wanted* (the words that may name this run's command), only
    those commands get a parser of their own; every other one is listed by name and help alone, as
    ``lastmile --help`` shows it, which spares a start-up building parsers it will not use."""

    def __init__(self, *args: Any, wanted: Collection[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wanted = None if wanted is None else frozenset(wanted)

    def builds(self, name: str, aliases: Sequence[str]) -> bool:
        return self.wanted is None or not self.wanted.isdisjoint((name, *aliases))

    def list_only(self, name: str, aliases: Sequence[str], help_: str) -> None:
        """What ``add_parser`` records for the help and the command names, without the parser."""
        self._choices_actions.append(self._ChoicesPseudoAction(name, aliases, help_))
        self.name_only(name, *aliases)

    def name_only(self, *names: str) -> None:
        """Known as a command, never parsed with in this run (a hidden one is only this)."""
        for each in names:
            self._name_parser_map[each] = None


def add_command(subparsers: Subparsers, name: str, func: Handler, help_: str,
                aliases: Sequence[str] = ()) -> argparse.ArgumentParser | None:
    """Declare one command: always with ``help=``, so its help and completion scripts list it.

    None when this run will not parse it (``Commands`` with another command wanted): the caller
    declares the command's arguments only on a parser it gets.
    """
    if isinstance(subparsers, Commands) and not subparsers.builds(name, aliases):
        subparsers.list_only(name, aliases, help_)
        return None
    parser = subparsers.add_parser(name, help=help_, description=help_, aliases=list(aliases))
    parser.set_defaults(func=func)
    return parser


def positive(what: str, first: str) -> Callable[[str], int]:
    """An argparse type for whole numbers from 1, naming *what* in its error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what} ({first} start at 1)")
        return value

    return parse


task_id = positive("task id", "ids")
step_number = positive("step number", "steps")


def _ids_of(what: str, largest: int | None) -> Callable[[str], list[int]]:
    """An argparse type for one word of ids: ``7``, ``5-9`` or ``3,4`` (``cli.ids``)."""

    def parse(text: str) -> list[int]:
        try:
            return parse_id_word(text, what, largest)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


task_ids = _ids_of("task id", MAX_ID)
step_numbers = _ids_of("step number", None)  # step 99999 is the task's to refuse: "no step 99999"


class Ids(argparse.Action):
    """``nargs="+"`` of ``task_ids`` words, flattened without repeats into ``ids`` (a list); ``id``
    keeps the first, so a command written for one task reads ``args.id`` as before."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        ids = unique(i for word in values for i in word)
        setattr(namespace, self.dest, ids[0])
        setattr(namespace, f"{self.dest}s", ids)


def ask(question: str) -> bool:
    """A yes/no question in a terminal; anything but yes (or end of input) is no."""
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def row_count(text: str) -> int:
    """An argparse type for how many rows: a whole number from 0."""
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of rows (0 means all)")
    return int(text)


def path_arg(text: str | None) -> Path | None:
    """A path typed by a person; nothing or ``-`` means the standard stream."""
    return Path(text).expanduser() if text and text != "-" else None


PATH_ARGUMENTS = frozenset({"db", "path", "file"})
"""Arguments that name files: any bytes are a valid file name, so they are not checked as text."""


def check_utf8(args: argparse.Namespace) -> None:
    """Text arguments must be UTF-8: the shell hands bad bytes over as lone surrogates."""
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    shown = os.fsencode(text).decode("utf-8", "backslashreplace")
                    what = "title" if name == "title" else f"--{name.replace('_', '-')}"
                    raise UsageError(f"the {what} argument '{shown}' is not valid UTF-8 text; "
                                     "nothing was changed") from None


def _open(args: argparse.Namespace, kind: type[Reader], create: bool) -> Any:
    """Open the database for a command. Only commands that add tasks (*create*) may make a new
    one, and say so once; the others refuse a missing one, naming the path."""
    from lastmile_tui.paths import db_path_is_chosen, resolve_db_path
    from lastmile_tui.store.connection import NoDatabase

    path = resolve_db_path(args.db)
    try:
        store = kind(path, create=create)
    except NoDatabase:
        if db_path_is_chosen(args.db):
            raise
        raise NoDatabase(f"no tasks yet (no database at {path}); "
                         'add one: lastmile add "..." --final "..."') from None
    if store.created:
        print(f"lastmile: created a new database at {path}", file=sys.stderr)
    return store


def open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The full store; *create* only for the commands that add tasks (add, import, the app)."""
    from lastmile_tui.store.store import Store

    return _open(args, Store, create)


def open_reader(args: argparse.Namespace) -> Reader:
    """For commands that only read the board: no SQLAlchemy to import, so they start quickly."""
    from lastmile_tui.store.reader import Reader

    return _open(args, Reader, False)


def first_run(args: argparse.Namespace) -> bool:
    """True before the first task: no --db or $LASTMILE_DB, and no database at the default path."""
    from lastmile_tui.paths import db_path_is_chosen, resolve_db_path

    return not db_path_is_chosen(args.db) and not resolve_db_path().exists()
