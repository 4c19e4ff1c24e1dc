"""The shell around lastmile: ``status`` for a prompt, ``completion`` scripts, and the hidden
``_complete-ids`` those scripts call on Tab.

All three run often (every prompt, every Tab), so they read on the plain-sqlite3
path and never create a database; shtab is imported only when a script is
generated, which is once, at install time, not on every Tab.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence

from lastmile_tui.cli.common import PATH_ARGUMENTS, Commands, add_command, task_id, task_ids
from lastmile_tui.cli.errors import EXIT_OK, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lastmile_tui.cli.common import Subparsers
    from lastmile_tui.store.reader import Reader

SHELLS = ("bash", "zsh", "fish")

COMPLETE_IDS = "_complete-ids"
"""The hidden command the completion scripts run for task ids (not in ``--help``)."""

ID_LIMIT = 200
"""Ids ``_complete-ids`` prints at most: the top of the ranking, or the lowest ids with the typed
digits; more than a screenful helps nobody choose."""

DEFAULT_PARTS = (("last_mile", "on the last mile"), ("overdue", "overdue"), ("due_today", "due today"))
"""The default status line, part by part; a part whose number is zero is left out."""

CLOSED_ID_COMMANDS = frozenset({"reopen"})
"""Commands whose task id names a closed task: Tab offers those instead of open ones."""


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "status", cmd_status,
                       "one short line for a shell prompt or a status bar (nothing when there is "
                       "nothing to say)"):
        shape = p.add_mutually_exclusive_group()
        shape.add_argument("--format", "-f", metavar="FORMAT",
                           help="the line, with {open} {last_mile} {overdue} {due_today} {waiting} "
                                "{finished_today}; printed only when a number it names is not zero")
        shape.add_argument("--json", action="store_true", help="every number as a JSON object")

    if p := add_command(subparsers, "completion", cmd_completion,
                       "print a Tab-completion script for bash, zsh or fish (see the README)"):
        p.add_argument("shell", choices=SHELLS)

    # no help=: hidden from --help and from the completion scripts' command lists (and built
    # only when it is this run's command)
    if isinstance(subparsers, Commands) and not subparsers.builds(COMPLETE_IDS, ()):
        subparsers.name_only(COMPLETE_IDS)
        return
    p = subparsers.add_parser(COMPLETE_IDS)
    p.set_defaults(func=cmd_complete_ids)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--open", dest="which", action="store_const", const="open", default="open")
    which.add_argument("--closed", dest="which", action="store_const", const="closed")
    which.add_argument("--all", dest="which", action="store_const", const="all")
    p.add_argument("prefix", nargs="?", default="")


# -- status ------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    """Print the prompt's line; nothing at all (exit 0) before the first task or when all is quiet."""
    from lastmile_tui.store.shell import GLANCE_FIELDS

    template = None if args.format is None else checked_format(args.format, GLANCE_FIELDS)
    counts = _glance(args)
    if args.json:
        import json

        zero = dict.fromkeys(GLANCE_FIELDS, 0)
        print(json.dumps(counts if counts is not None else zero))
        return EXIT_OK
    line = "" if counts is None else status_line(counts, template)
    if line:
        print(line)
    return EXIT_OK


def checked_format(text: str, names: Sequence[str]) -> tuple[str, frozenset[str]]:
    """*text* checked as a status format, with the names it uses; a mistake is a ``UsageError``."""
    import string

    try:
        fields = [field for _lit, field, _spec, _conv in string.Formatter().parse(text)
                  if field is not None]
    except ValueError as exc:  # "Single '}' encountered", "expected '}' before end of string"
        raise UsageError(f"--format {text!r} is not a valid format ({exc}); "
                         "write {{ and }} for literal braces") from None
    unknown = [field for field in fields if field not in names]
    if unknown:
        raise UsageError(f"--format names {{{unknown[0]}}}, which is not a status number; "
                         f"use {' '.join('{' + n + '}' for n in names)}")
    try:
        text.format_map(dict.fromkeys(names, 0))
    except (ValueError, TypeError, LookupError) as exc:  # a bad spec: {open:s}, {open:{width}}
        raise UsageError(f"--format {text!r} is not a valid format ({exc!s})") from None
    return text, frozenset(fields)


def status_line(counts: Mapping[str, int], template: tuple[str, frozenset[str]] | None) -> str:
    """The status line for *counts*: empty when every number it would show is zero."""
    if template is None:
        return " · ".join(f"{counts[name]:,} {words}" for name, words in DEFAULT_PARTS if counts[name])
    text, used = template
    if not any(counts[name] for name in used or ("open",)):
        return ""
    return text.format_map(counts)


def _glance(args: argparse.Namespace) -> dict[str, int] | None:
    """The counts, or None when there is no database (none is made, and nothing is said)."""
    reader = _reader_if_any(args)
    if reader is None:
        return None
    with reader:
        return reader.glance().as_dict()


def _reader_if_any(args: argparse.Namespace) -> Reader | None:
    """The database opened for reading, or None when it does not exist (never created)."""
    from lastmile_tui.paths import resolve_db_path
    from lastmile_tui.store.connection import NoDatabase
    from lastmile_tui.store.reader import Reader

    path = resolve_db_path(args.db)
    if not path.exists():
        return None
    try:
        return Reader(path, create=False)
    except NoDatabase:  # removed between the two looks
        return None


# -- task ids for Tab ----------------------------------------------------------------


def cmd_complete_ids(args: argparse.Namespace) -> int:
    """``ID<TAB>title`` lines: the top of the ranking (closed: newest first), or with typed
    digits the ids that start with them. No database: no lines, exit 0."""
    reader = _reader_if_any(args)
    if reader is None:
        return EXIT_OK
    with reader:
        open_, closed = args.which in ("open", "all"), args.which in ("closed", "all")
        if args.prefix:
            found = reader.ids_starting(args.prefix, open_=open_, closed=closed, limit=ID_LIMIT)
        else:
            tasks = reader.ranked_page(0, ID_LIMIT) if open_ else []
            if closed and len(tasks) < ID_LIMIT:
                tasks += reader.ranked_page(0, ID_LIMIT - len(tasks), closed=True)
            found = [(task.id, task.title) for task in tasks]
    sys.stdout.write("".join(f"{number}\t{one_line(title)}\n" for number, title in found))
    return EXIT_OK


_BREAKS_A_LINE = "[\x00-\x1f\x7f-\x9f\u2028\u2029]"
"""C0 and C1 controls (tab, newline, escape...) and the Unicode line and paragraph separators."""


def one_line(text: str) -> str:
    """A title safe inside a completion script's output: every control character becomes a
    space, so one task is one line with one tab, and no terminal sequence gets through. (Titles
    are cleaned when they are written; this is the belt to that pair of braces.)"""
    return re.sub(_BREAKS_A_LINE, " ", text).strip()  # compiled on first use, not by every command


# -- completion scripts ------------------------------------------------------------------

_BASH_IDS = r"""
# Task ids for Tab, from `lastmile _complete-ids` (plain sqlite3, no Textual): bash shows ids only.
# $1=--open or --closed, $2=the word being completed; a --db on the line is passed along.
_lastmile_ids() {
  local db=() i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} == --db ]] && db=(--db "${COMP_WORDS[i+1]}")
  done
  command lastmile ${db[@]+"${db[@]}"} _complete-ids "$1" -- "$2" 2>/dev/null | cut -f1
}
_lastmile_open_ids() { _lastmile_ids --open "$1"; }
_lastmile_closed_ids() { _lastmile_ids --closed "$1"; }
"""

_ZSH_IDS = r"""
# Task ids for Tab with their titles, in ranking order, from `lastmile _complete-ids`.
_lastmile_ids() {
  local -a ids db typed=(${(z)LBUFFER})  # the whole line: $words may start at the command
  local line i=${typed[(I)--db]}
  (( i )) && db=(--db "${(Q)typed[i+1]}")
  for line in ${(f)"$(command lastmile $db _complete-ids $1 -- $PREFIX 2>/dev/null)"}; do
    ids+=("${line%%$'\t'*}:${line#*$'\t'}")
  done
  _describe -V -t task-ids 'task id' ids
}
_lastmile_open_ids() { _lastmile_ids --open }
_lastmile_closed_ids() { _lastmile_ids --closed }
"""

_FISH_IDS = r"""
# Task ids for Tab with their titles, in ranking order, from `lastmile _complete-ids`.
function __lastmile_ids
    set -l db
    set -l words (commandline -opc)
    if set -l i (contains -i -- --db $words)
        set db --db $words[(math $i + 1)]
    end
    command lastmile $db _complete-ids $argv -- (commandline -ct) 2>/dev/null
end
"""


def _ids_completer(which: str) -> dict[str, Any]:
    """shtab's custom completer for a task id: one shell function per shell, defined once."""
    return {
        "bash": f"_lastmile_{which}_ids",
        "zsh": f"_lastmile_{which}_ids",
        "fish": f"(__lastmile_ids --{which})",
        "preamble": {"bash": _BASH_IDS, "zsh": _ZSH_IDS, "fish": _FISH_IDS},
    }


def attach_completers(parser: argparse.ArgumentParser, files: Any) -> None:
    """Mark every task-id argument with the id completer and every file argument with *files*
    (``shtab.FILE``), by walking the parser: no command module has to know about completion."""
    for action in parser._actions:
        if action.dest in PATH_ARGUMENTS:
            action.complete = files  # type: ignore[attr-defined]
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                for arg in sub._actions:
                    if arg.type in (task_id, task_ids):
                        which = "closed" if name in CLOSED_ID_COMMANDS else "open"
                        arg.complete = _ids_completer(which)  # type: ignore[attr-defined]
                    elif arg.dest in PATH_ARGUMENTS:
                        arg.complete = files  # type: ignore[attr-defined]


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The static completion script for *shell*, generated from the one parser by shtab."""
    import shtab

    attach_completers(parser, shtab.FILE)
    return shtab.complete(parser, shell=shell)


def cmd_completion(args: argparse.Namespace) -> int:
    """Print the script; installing it is one line per shell (README, "Shell completion")."""
    print(completion_script(args.whole_parser(), args.shell))
    return EXIT_OK
