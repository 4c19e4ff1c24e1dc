"""Commands that change one task: ``edit``, ``step``, ``check``, ``uncheck``, ``done``, ``drop``,
``reopen``, and ``undo`` for the most recent change.

Standard library only at module level; every rule is the store's (and the
domain's): these only ask, and print what happened.
"""

from __future__ import annotations

import argparse
import sys

from lastmile_tui.cli import batch
from lastmile_tui.cli.common import Ids, add_command, open_store, step_numbers, task_id, task_ids
from lastmile_tui.cli.common import ask as _ask
from lastmile_tui.cli.errors import EXIT_OK, EXIT_REFUSED, UsageError
from lastmile_tui.cli.output import echo_checked, echo_next, echo_task, ranked_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lastmile_tui.cli.common import Subparsers


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "edit", cmd_edit,
                       "change a task's title, final step, due date, priority, wait, notes or tags"
                       " (no flags: in $VISUAL/$EDITOR)",
                       aliases=["modify"]):
        p.add_argument("id", type=task_ids, nargs="+", action=Ids, metavar="ID")
        p.add_argument("--title", metavar="TEXT")
        p.add_argument("--final", "-f", metavar="TEXT", help="set the final step (withdraws a confirmation)")
        p.add_argument("--due", "-d", metavar="WHEN")
        p.add_argument("--no-due", action="store_true", help="remove the due date")
        p.add_argument("--pri", "-p", metavar="H|M|L", help="set the priority")
        p.add_argument("--no-pri", action="store_true", help="remove the priority")
        p.add_argument("--wait", "-w", metavar="WHEN", help="hide it until that day (today: show it again)")
        p.add_argument("--no-wait", action="store_true", help="stop waiting: show it again now")
        p.add_argument("--every", metavar="WHEN", help="make it repeat (monthly, weekly on fri…)")
        p.add_argument("--no-every", action="store_true", help="stop it repeating")
        p.add_argument("--notes", "-n", metavar="TEXT")
        p.add_argument("--tag", "-t", metavar="TAG", action="append", help="replace the tags (repeat)")
        batch.tag_options(p)

    if p := add_command(subparsers, "step", cmd_step, "append a checklist step to a task"):
        p.add_argument("id", type=task_id)
        p.add_argument("text", nargs="+")

    for name, func, verb in (("check", cmd_check, "check"), ("uncheck", cmd_uncheck, "uncheck")):
        if p := add_command(subparsers, name, func, f"{verb} step N (1-based) of a task"):
            p.add_argument("id", type=task_id)
            p.add_argument("number", type=step_numbers, nargs="+", action=Ids, metavar="N")

    if p := add_command(subparsers, "done", cmd_done, "complete a task: asks you to confirm its final step"):
        p.add_argument("id", type=task_ids, nargs="+", action=Ids, metavar="ID")
        p.add_argument("--confirm", "-y", action="store_true",
                       help="I did the final step (needed without a terminal)")

    if p := add_command(subparsers, "drop", cmd_drop, "abandon a task honestly, with an optional reason"):
        p.add_argument("id", type=task_ids, nargs="+", action=Ids, metavar="ID")
        p.add_argument("--reason", "-r", metavar="TEXT")
        p.add_argument("--series", action="store_true",
                       help="a repeating task: end the series (without it, the next one is made)")

    if p := add_command(subparsers, "reopen", cmd_reopen, "reopen a done or dropped task"):
        p.add_argument("id", type=task_id)

    add_command(subparsers, "undo", cmd_undo, "undo the most recent change")


def cmd_edit(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.task import confirmation_withdrawn

    if batch.wants_batch_edit(args):
        return batch.cmd_edit_many(args, edit_fields(args))
    changes = edit_fields(args)
    if not changes:  # no flags: the task in $VISUAL/$EDITOR
        from lastmile_tui.cli.editor import edit_in_editor

        return edit_in_editor(args, args.id)
    with open_store(args) as store:
        before = store.get(args.id)
        task = store.edit(args.id, **changes)
        echo_task(store, task, "Edited" if task != before else "Unchanged")
        if confirmation_withdrawn(before, task):
            print("  the final step changed, so its confirmation was withdrawn")
    return EXIT_OK


def edit_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The fields ``edit``'s options ask to change, for one task or many."""
    changes: dict[str, Any] = {}
    if args.title is not None:
        changes["title"] = args.title
    if args.final is not None:
        changes["final_step"] = args.final
    if args.notes is not None:
        changes["notes"] = args.notes
    if args.tag is not None:
        changes["tags"] = args.tag
    if args.no_due:
        changes["due"] = None
    elif args.due is not None:
        changes["due"] = args.due
    for name, value, clear in (("priority", args.pri, args.no_pri), ("wait", args.wait, args.no_wait),
                               ("repeat", args.every, args.no_every)):
        if clear and value is not None:
            flag = {"priority": "pri", "repeat": "every"}.get(name, name)
            raise UsageError(f"give --{flag} or --no-{flag}, not both")
        if clear:
            changes[name] = None
        elif value is not None:
            changes[name] = value
    return changes


def cmd_step(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        task = store.add_step(args.id, " ".join(args.text))
        print(f"Task {task.id}: step {task.steps_total} added: {task.steps[-1].text}")
        print(f"  {ranked_line(store, task)}")
    return EXIT_OK


def _cmd_toggle(args: argparse.Namespace, done: bool) -> int:
    if len(args.numbers) > 1:
        return batch.cmd_toggle_many(args, done)
    with open_store(args) as store:
        task = (store.check if done else store.uncheck)(args.id, args.number)
        mark = "checked" if done else "unchecked"
        print(f"Task {task.id}: step {args.number} {mark}: {task.steps[args.number - 1].text}")
        echo_checked(store, task, done)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    return _cmd_toggle(args, True)


def cmd_uncheck(args: argparse.Namespace) -> int:
    return _cmd_toggle(args, False)


def cmd_done(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.errors import FinalStepNotConfirmed
    from lastmile_tui.domain.task import steps_left_note

    if len(args.ids) > 1:
        return batch.cmd_done_many(args)
    with open_store(args) as store:
        try:
            done = store.complete(args.id, confirm=args.confirm)
        except FinalStepNotConfirmed as exc:  # the store's guard said no: ask the person, if any
            if not sys.stdin.isatty():
                print(f"lastmile done: {exc}; once you have done it: "
                      f"lastmile done {args.id} --confirm", file=sys.stderr)
                return EXIT_REFUSED
            note = steps_left_note(exc.steps_left, exc.steps_total)
            if note:
                print(f"Task {args.id}: {note} (they are advice; the final step is what counts)")
            if not _ask(f"Final step: {exc.final_step} — done? [y/N] "):
                print(f"Left open: task {args.id} is not done until its final step is.",
                      file=sys.stderr)
                return EXIT_REFUSED
            # the yes is for the text shown: the store refuses if it changed meanwhile
            done = store.complete(args.id, confirm=True, seen=exc.final_step)
        print(f"Done: task {done.id}: {done.title}")
        print(f"  final step confirmed: {done.final_step}")
        echo_next(store, done)
    return EXIT_OK


def cmd_drop(args: argparse.Namespace) -> int:
    if len(args.ids) > 1:
        return batch.cmd_drop_many(args)
    with open_store(args) as store:
        task = store.drop(args.id, args.reason, series=args.series)
        why = f" ({task.dropped_reason})" if task.dropped_reason else ""
        print(f"Dropped task {task.id}: {task.title}{why}")
        echo_next(store, task)
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        task = store.reopen(args.id)
        echo_task(store, task, "Reopened")
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        task, event = store.undo()
        print(f"Undid {event.kind.label} on task {task.id}: {task.title}")
        if task.status.value == "open":
            print(f"  {ranked_line(store, task)}")
        else:
            print(f"  task {task.id} is {task.status.value}")
    return EXIT_OK
