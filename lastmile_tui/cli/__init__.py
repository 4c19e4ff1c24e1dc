"""The ``lastmile`` command: parse, call the store, print.

This module assembles the one parser (each group of commands declares its
own arguments in its ``register(subparsers)``, beside its handlers) and runs
a command, turning what went wrong into one line and an exit code.

Only the standard library is imported at module level, here and in every
``cli`` module. The store is imported inside the commands that use
it, and Textual only by the commands that open the app, so ``lastmile add``
pays for nothing it does not use.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Collection, Sequence

from lastmile_tui import __version__
from lastmile_tui.cli import batch, habits
from lastmile_tui.cli.common import Commands, check_utf8
from lastmile_tui.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNEXPECTED,
    exit_status,
    explain,
)
from lastmile_tui.cli.output import exact_json_output, forgiving_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["build_parser", "main"]

COMMAND_GROUPS: dict[str, tuple[str, ...]] = {
    "add": ("add",),
    "views": ("list", "ls", "next", "count", "show", "info"),
    "stats": ("stats",),
    "tasks": ("edit", "modify", "step", "check", "uncheck", "done", "drop", "reopen", "undo"),
    "data": ("backup", "export", "import"),
    "sync": ("sync",),
    "shell": ("status", "completion", "_complete-ids"),
    "app": ("tui", "review"),
}
"""Every module with commands (in the order ``lastmile --help`` lists them) and the command names
and aliases its ``register`` declares (a test holds them equal), so that a run imports only the
module of its own command: the others are known by name."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser(wanted: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line, declared once (help, completion scripts and dispatch read it).

    With *wanted*, only the commands those words name get their arguments declared; the others are
    listed by name and help, enough for ``lastmile --help`` and the command-name habits.
    """
    parser = _Parser(
        prog="lastmile",
        description="A task manager for finishing: every task has a final step, and nothing is "
        "done until that step is confirmed. With no command, opens the app (without a terminal, "
        "prints the list).",
    )
    parser.add_argument("--version", action="version", version=f"lastmile {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: $LASTMILE_DB or the user data dir)"
    )
    parser.register("action", "parsers", Commands)
    # for commands that read the whole command line (completion), whatever this run built
    parser.set_defaults(whole_parser=build_parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                       wanted=wanted)
    for group, names in COMMAND_GROUPS.items():
        if not wanted or not frozenset(wanted).isdisjoint(names):  # help and no command: all
            importlib.import_module(f"lastmile_tui.cli.{group}").register(subparsers)
        else:
            subparsers.name_only(*names)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    forgiving_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(habits.command_words(argv))
    try:
        argv = habits.taskwarrior_order(argv, parser)
    except habits.WrongCommand as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    literal: list[str] | None = None
    at = habits.command_at(argv)
    argv = batch.tag_words(argv, at, parser)  # edit's +tag/-tag words, before argparse misreads -tag
    if at is not None and argv[at] == "add" and "--" in argv[at:]:
        cut = argv.index("--", at)  # argparse drops `--`; quick-add needs to know where it was
        argv, literal = argv[:cut], argv[cut + 1:]
    args, extras = parser.parse_known_args(argv)
    if extras:  # title words after an option: lastmile add Pay --due fri rent +home
        if args.command != "add" or any(e.startswith("-") and e != "-" for e in extras):
            prog = f"lastmile {args.command}" if args.command else "lastmile"  # the command's name
            parser.exit(EXIT_BAD_INPUT, f"{prog}: unrecognized arguments: {' '.join(extras)} "
                                        f"(see {prog} --help)\n")
        args.title += extras
    if literal is not None:
        args.title += ["--", *literal]
    if (func := getattr(args, "func", None)) is None:
        from lastmile_tui.cli.app import no_command as func
    if args.command == "export" or getattr(args, "json", False):
        exact_json_output()
    name = f"lastmile {args.command}" if args.command else "lastmile"
    try:
        check_utf8(args)
        return func(args)
    except KeyboardInterrupt:
        print(f"{name}: interrupted; nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
        status = exit_status(exc)
        if status == EXIT_UNEXPECTED and os.environ.get("LASTMILE_DEBUG"):
            raise
        print(f"{name}: {explain(exc)}", file=sys.stderr)
        return status
