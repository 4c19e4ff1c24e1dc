"""Several tasks at once: ``done 3 4 7``, ``drop 5-9``, ``check 3 1 2``, ``edit 3 4 +urgent -someday``.

The commands in ``cli/tasks.py`` hand over here when given more than one id (or step); each
asks the store once (``complete_many``, ``drop_many``, ``check_many``, ``edit_many``), so the whole
command is one transaction: a bad id or a refused task leaves every task as it was, and the
line says which. Standard library only at module level.
"""

from __future__ import annotations

import argparse
import sys

from lastmile_tui.cli.common import ask, open_store
from lastmile_tui.cli.errors import EXIT_OK, EXIT_REFUSED, UsageError, exit_status, explain
from lastmile_tui.cli.ids import is_tag_word
from lastmile_tui.cli.output import echo_checked, echo_next, echo_task

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from lastmile_tui.domain.errors import FinalStepNotConfirmed
    from lastmile_tui.domain.task import Task

EDIT_COMMANDS = frozenset({"edit", "modify"})


def tag_options(parser: argparse.ArgumentParser) -> None:
    """``edit``'s ``+tag``/``-tag`` words arrive as these options (``tag_words``)."""
    parser.add_argument("--add-tag", metavar="TAG", action="append", default=[],
                        help="add a tag, keeping the others (or write +TAG)")
    parser.add_argument("--remove-tag", metavar="TAG", action="append", default=[],
                        help="remove a tag, keeping the others (or write -TAG)")


def tag_words(argv: list[str], at: int | None, parser: argparse.ArgumentParser) -> list[str]:
    """For ``edit``: each ``+tag`` becomes ``--add-tag=tag`` and each ``-tag`` ``--remove-tag=tag``
    before argparse reads the words (it would take ``-someday`` for ``-s omeday``). The word after
    an option that takes a value is that value, never a tag; ``--`` ends the rewriting. So ``-dfri``
    is a tag to remove: write ``-d fri``. Which options take a value is read from *parser* and
    ``edit``'s own parser, so the two never disagree."""
    if at is None or argv[at] not in EDIT_COMMANDS:
        return argv
    value_options, flags = _options(parser, _command_parser(parser, argv[at]))
    out = argv[:at + 1]
    words = iter(argv[at + 1:])
    for word in words:
        if word == "--":
            out.append(word)
            out.extend(words)
            break
        if word in value_options:
            out.append(word)
            out.extend(_next(words))
        elif is_tag_word(word) and word not in flags:
            out.append(f"--{'add' if word[0] == '+' else 'remove'}-tag={word[1:]}")
        else:
            out.append(word)
    return out


def _command_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:  # noqa: SLF001 - argparse keeps its subcommands only here
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return action.choices.get(name)  # type: ignore[no-any-return]
    return None


def _options(*parsers: argparse.ArgumentParser | None) -> tuple[frozenset[str], frozenset[str]]:
    """(the options whose next word is their value, the options that take none) of *parsers*."""
    actions = [a for p in parsers if p is not None for a in p._actions if a.option_strings]  # noqa: SLF001
    return (frozenset(s for a in actions if a.nargs != 0 for s in a.option_strings),
            frozenset(s for a in actions if a.nargs == 0 for s in a.option_strings))


def _next(words: Iterator[str]) -> list[str]:
    return [word for word in [next(words, None)] if word is not None]


def wants_batch_edit(args: argparse.Namespace) -> bool:
    """Several ids, or tags added or removed (one task or many)."""
    return len(args.ids) > 1 or bool(args.add_tag or args.remove_tag)


def _all_or_nothing(name: str, count: int, work: Callable[[], Any]) -> Any:
    """Run one batch call; a refusal is one line naming the task, and says nothing changed."""
    from lastmile_tui.domain.errors import LastmileError

    try:
        return work()
    except LastmileError as exc:
        print(f"lastmile {name}: {explain(exc)}; nothing was changed "
              f"(none of the {count} tasks)", file=sys.stderr)
        raise _Reported(exit_status(exc)) from None


class _Reported(Exception):
    """A batch refusal already printed: only its exit code is left to return."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _reported(func: Callable[..., int]) -> Callable[..., int]:
    def run(*args: Any) -> int:
        try:
            return func(*args)
        except _Reported as done:
            return done.status

    run.__doc__ = func.__doc__
    return run


@_reported
def cmd_edit_many(args: argparse.Namespace, fields: dict[str, Any]) -> int:
    """The same edit to every task named; +tag/-tag change each task's own tags."""
    if len(args.ids) > 1 and ("title" in fields or "final_step" in fields):
        raise UsageError("--title and --final change one task at a time; give one id")
    if not fields and not args.add_tag and not args.remove_tag:
        raise UsageError("nothing to change: give +TAG, -TAG, --due, --no-due, --pri, --no-pri,"
                         " --wait, --no-wait, --notes or --tag")
    with open_store(args) as store:
        before = _all_or_nothing("edit", len(args.ids), lambda: store.get_many(args.ids))
        after = _all_or_nothing("edit", len(args.ids), lambda: store.edit_many(
            args.ids, add_tags=args.add_tag, remove_tags=args.remove_tag, **fields))
        for old, new in zip(before, after, strict=True):
            echo_task(store, new, "Edited" if new != old else "Unchanged")
    return EXIT_OK


@_reported
def cmd_drop_many(args: argparse.Namespace) -> int:
    """Drop every task named, with one reason, or none of them."""
    with open_store(args) as store:
        dropped = _all_or_nothing("drop", len(args.ids),
                                  lambda: store.drop_many(args.ids, args.reason, series=args.series))
        for task in dropped:
            why = f" ({task.dropped_reason})" if task.dropped_reason else ""
            print(f"Dropped task {task.id}: {task.title}{why}")
            echo_next(store, task)
    return EXIT_OK


@_reported
def cmd_toggle_many(args: argparse.Namespace, done: bool) -> int:
    """Check (or uncheck) several steps of one task: ``check 3 1 2``."""
    with open_store(args) as store:
        task = _all_or_nothing("check" if done else "uncheck", 1,
                               lambda: store.check_many(args.id, args.numbers, done=done))
        mark = "checked" if done else "unchecked"
        numbers = ", ".join(str(n) for n in args.numbers)
        print(f"Task {task.id}: steps {numbers} {mark}")
        echo_checked(store, task, done)
    return EXIT_OK


@_reported
def cmd_done_many(args: argparse.Namespace) -> int:
    """Complete every task named in one transaction. Each final step not yet confirmed is shown
    and asked about one by one in a terminal (``--confirm`` says yes to all); a no leaves that
    task open and the rest are completed; without a terminal nothing is completed."""
    ids: list[int] = args.ids
    with open_store(args) as store:
        tasks = _all_or_nothing("done", len(ids), lambda: store.get_many(ids))
        asking = _all_or_nothing("done", len(ids), lambda: _unconfirmed(tasks, args.confirm))
        seen: dict[int, str] = {}
        declined: list[int] = []
        if asking and not sys.stdin.isatty():
            shown = ", ".join(str(exc.task_id) for exc in asking)
            print(f"lastmile done: {'task' if len(asking) == 1 else 'tasks'} {shown} "
                  f"{'is' if len(asking) == 1 else 'are'} not done until the final step is "
                  f"confirmed; nothing was completed. Once you have done them: lastmile done "
                  f"{' '.join(map(str, ids))} --confirm", file=sys.stderr)
            return EXIT_REFUSED
        for exc in asking:
            if _confirm_one(exc):
                seen[exc.task_id] = exc.final_step  # type: ignore[index]
            else:
                declined.append(exc.task_id)  # type: ignore[arg-type]
        chosen = [i for i in ids if i not in declined]
        done = _all_or_nothing("done", len(chosen), lambda: store.complete_many(
            chosen, confirm=args.confirm, seen=seen)) if chosen else []
        for task in done:
            print(f"Done: task {task.id}: {task.title}")
            print(f"  final step confirmed: {task.final_step}")
            echo_next(store, task)
        if declined:
            left = ", ".join(map(str, declined))
            print(f"Left open: {'task' if len(declined) == 1 else 'tasks'} {left}: not done until "
                  "the final step is.", file=sys.stderr)
            return EXIT_REFUSED
    return EXIT_OK


def _unconfirmed(tasks: list[Task], confirm: bool) -> list[FinalStepNotConfirmed]:
    """The guard asked of every task before anyone is asked anything: a task that is not open or
    has no final step refuses the whole command; those that only need a yes are returned."""
    from lastmile_tui.domain.errors import FinalStepNotConfirmed
    from lastmile_tui.domain.task import check_can_complete

    asking = []
    for task in tasks:
        try:
            check_can_complete(task, confirming=confirm)
        except FinalStepNotConfirmed as exc:
            asking.append(exc)
    return asking


def _confirm_one(exc: FinalStepNotConfirmed) -> bool:
    """One question, as the single ``done`` asks it."""
    from lastmile_tui.domain.task import steps_left_note

    note = steps_left_note(exc.steps_left, exc.steps_total)
    print(f"Task {exc.task_id}: {note}" if note else f"Task {exc.task_id}:")
    return ask(f"Final step: {exc.final_step} — done? [y/N] ")
