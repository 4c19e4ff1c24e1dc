"""``lastmile add``: the quick-add grammar (``due:fri``, ``+tag``, ``final:"..."``) from any shell.

Standard library only at module level.
"""

from __future__ import annotations

import argparse

from lastmile_tui.cli.common import add_command, open_store
from lastmile_tui.cli.errors import EXIT_OK, UsageError
from lastmile_tui.cli.output import echo_task

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lastmile_tui.cli.common import Subparsers


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "add", cmd_add,
                       "add a task (understands due:fri, pri:H, wait:mon, +tag and final:\"...\")"):
        p.add_argument("title", nargs="*",
                       help="the title; may contain due:WHEN, pri:H|M|L, wait:WHEN, +tag, final:TEXT;"
                       " -- ends them")
        p.add_argument("--final", "-f", metavar="TEXT", help="the final step that makes it done")
        p.add_argument("--step", "-s", metavar="TEXT", action="append", help="a checklist step (repeat)")
        p.add_argument("--due", "-d", metavar="WHEN", help="today, fri, next fri, in 3 days, +2w, Dec 3")
        p.add_argument("--pri", "-p", metavar="H|M|L", help="priority: breaks ties inside a stage")
        p.add_argument("--wait", "-w", metavar="WHEN",
                       help="hide it from the board, list and review until that day")
        p.add_argument("--every", metavar="WHEN",
                       help="repeat: daily, weekdays, weekly on fri, monthly, every 2 weeks, "
                            "'2 weeks after done' (finishing one makes the next)")
        p.add_argument("--tag", "-t", metavar="TAG", action="append", help="a tag (repeat)")
        p.add_argument("--notes", "-n", metavar="TEXT", help="free notes")
        p.add_argument("--edit", "-e", action="store_true",
                       help="write the task in $VISUAL/$EDITOR, from an empty document")


def cmd_add(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.quickadd import attribute, parse_quick_add

    if args.edit:
        from lastmile_tui.cli.editor import add_in_editor

        if args.title or any((args.final, args.step, args.due, args.pri, args.wait, args.tag, args.notes)):
            raise UsageError("--edit starts from an empty document: give it no title or other flags")
        return add_in_editor(args)
    quick = parse_quick_add(args.title)
    if quick.final_step and args.final:
        raise UsageError("give the final step once: --final or final:, not both")
    if quick.due and args.due:
        raise UsageError("give the due date once: --due or due:, not both")
    if quick.priority and args.pri:
        raise UsageError("give the priority once: --pri or pri:, not both")
    if quick.wait and args.wait:
        raise UsageError("give the wait once: --wait or wait:, not both")
    if quick.repeat and args.every:
        raise UsageError("give the repeat once: --every or every:, not both")
    with open_store(args, create=True) as store:
        task = store.add(
            quick.title,
            final_step=args.final or quick.final_step or "",
            steps=args.step or [],
            due=args.due or quick.due,
            tags=quick.tags + (args.tag or []),
            notes=args.notes or "",
            priority=args.pri or quick.priority,
            wait=args.wait or quick.wait,
            repeat=args.every or quick.repeat,
        )
        echo_task(store, task, "Added")
        if quick.kept:
            names = dict.fromkeys(attribute(w.partition(":")[0]) or "" for w in quick.kept)
            *first, last = names
            what = f"{', '.join(first)} or {last}" if first else last
            print(f"  kept in the title: {' '.join(quick.kept)} (lastmile does not read {what} "
                  f"yet; lastmile edit {task.id} --title \"...\" changes it)")
        if not task.final_step:
            print(f'  no finish line yet: lastmile edit {task.id} --final "..."')
    return EXIT_OK
