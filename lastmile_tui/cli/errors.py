"""Exit codes and messages: how the CLI reports what went wrong.

The domain's errors say what happened in words and nothing more; the CLI
decides the exit code (0 ok, 1 lastmile refused, 2 bad input, 3 unexpected)
and adds the hint naming the command that helps. Standard library only at
module level: the domain's classes are imported when an error is reported.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_REFUSED = 1
"""The guard or another writer said no (not done until the final step is confirmed, ...)."""
EXIT_BAD_INPUT = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A command used wrongly: one line on stderr, exit 2, nothing changed."""


def exit_status(error: BaseException) -> int:
    """The exit code for *error*: 1 when lastmile refused, 2 for bad input, 3 for anything else."""
    from lastmile_tui.domain.errors import LastmileError, Refused

    if isinstance(error, Refused):
        return EXIT_REFUSED
    if isinstance(error, LastmileError | UsageError):
        return EXIT_BAD_INPUT
    return EXIT_UNEXPECTED


def explain(error: BaseException) -> str:
    """The line after ``lastmile COMMAND:``: the error's words, and the command that helps."""
    from lastmile_tui.domain.errors import NoFinalStep, NoSuchCalendar, SyncNotSetUp

    if exit_status(error) == EXIT_UNEXPECTED:
        return f"unexpected error: {error!r} (set LASTMILE_DEBUG=1 for details)"
    if isinstance(error, NoFinalStep):
        return f'{error}; define one with: lastmile edit {error.task_id} --final "..."'
    if isinstance(error, SyncNotSetUp):
        return f"{error}, or pass --url and --user"
    if isinstance(error, NoSuchCalendar):
        return f"{error}; make it with: lastmile sync --create"
    return str(error)
