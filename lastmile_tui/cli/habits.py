"""Habits from other task managers: Taskwarrior's ``lastmile 3 done`` order, its words for
things (``delete``, ``annotate``...), and a "did you mean" for a mistyped command.

Runs before argparse, on the raw words. Standard library only.
"""

from __future__ import annotations

import argparse

DID_YOU_MEAN = {
    "delete": "lastmile drop ID [--reason TEXT] (a dropped task stays in the history)",
    "del": "lastmile drop ID [--reason TEXT]",
    "rm": "lastmile drop ID [--reason TEXT]",
    "remove": "lastmile drop ID [--reason TEXT]",
    "annotate": 'lastmile edit ID --notes "..." (it replaces the notes; lastmile show ID shows them)',
    "append": 'lastmile edit ID --title "..."',
    "prepend": 'lastmile edit ID --title "..."',
    "complete": "lastmile done ID",
    "finish": "lastmile done ID",
    "start": "lastmile check ID N (lastmile has no start/stop; steps show progress)",
    "stop": "lastmile uncheck ID N (lastmile has no start/stop; steps show progress)",
    "new": 'lastmile add "..."',
    "create": 'lastmile add "..."',
    "all": "lastmile list --all",
    "completed": "lastmile list --all",
}
"""Words from other task managers with the lastmile command that does that job."""


class WrongCommand(Exception):
    """A line for stderr and exit 2, raised before argparse has run."""


def taskwarrior_order(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """``lastmile 3 done`` becomes ``lastmile done 3``; an unknown command gets a "did you mean".

    Only the first word that is not an option is looked at, so titles and
    option values are never rewritten.
    """
    at = command_at(argv)
    if at is None:
        return argv
    commands = _commands(parser)
    word = argv[at]
    if word in commands:
        return argv
    if word.isascii() and word.isdigit():
        verb = argv[at + 1] if at + 1 < len(argv) else None
        if verb is None or verb.startswith("-"):  # `lastmile 3`: what Taskwarrior shows, its info
            return [*argv[:at], "show", word, *argv[at + 1:]]
        if verb in commands and _takes_id(commands[verb]):
            return [*argv[:at], verb, word, *argv[at + 2:]]
        if verb in commands:
            raise WrongCommand(f"lastmile: {verb} takes no task id (see lastmile {verb} --help)")
        raise WrongCommand(_unknown_command(verb, list(commands)).replace(" ID", f" {word}"))
    raise WrongCommand(_unknown_command(word, list(commands)))


def command_at(argv: list[str]) -> int | None:
    """Where the command word is: the first word that is not a global option or its value."""
    at = 0
    while at < len(argv) and argv[at].startswith("-") and argv[at] != "-":
        if argv[at] in ("-h", "--help", "--version", "--"):
            return None
        at += 2 if argv[at] == "--db" else 1
    return at if at < len(argv) else None


def command_words(argv: list[str]) -> frozenset[str]:
    """The words that may name this run's command: the first that is not a global option, the one
    after it (``lastmile 3 done``), and ``show`` for ``lastmile 3``; none for ``lastmile --help``."""
    at = command_at(argv)
    if at is None:
        return frozenset()
    words = argv[at:at + 2]
    return frozenset([*words, "show"] if words[0].isascii() and words[0].isdigit() else words)


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser | None]:
    """Every command name and alias, with its parser (None for one this run does not parse)."""
    for action in parser._actions:  # noqa: SLF001 - argparse keeps its subcommands only here
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return dict(action.choices)
    return {}


def _takes_id(command: argparse.ArgumentParser | None) -> bool:
    """Whether a command's first argument is a task id: read from its declaration, not a list."""
    if command is None:  # the verb is always among the words its parser was built for
        raise AssertionError("a command's parser was not built")
    positionals = [a for a in command._actions if not a.option_strings]  # noqa: SLF001
    return bool(positionals) and positionals[0].dest == "id"


def _unknown_command(word: str, commands: list[str]) -> str:
    """One line: what lastmile calls that, or the nearest command name."""
    if word in DID_YOU_MEAN:
        hint = f"did you mean {DID_YOU_MEAN[word]}?"
    else:
        from difflib import get_close_matches

        near = get_close_matches(word.lower(), commands, n=1)
        hint = f"did you mean lastmile {near[0]}?" if near else "see lastmile --help for the commands"
    return f"lastmile: unknown command {word!r}; {hint}"
