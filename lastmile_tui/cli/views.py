"""Commands that read: ``list`` (the ranking as a table or JSON), ``count`` and ``show``.

Standard library only at module level. ``list`` and ``count`` read through
the store's plain-sqlite3 reader, so they never import SQLAlchemy.
"""

from __future__ import annotations

import argparse
import shutil
import sys

from lastmile_tui.cli.common import (
    NO_TASKS_YET,
    add_command,
    first_run,
    open_reader,
    row_count,
    task_id,
)
from lastmile_tui.cli.errors import EXIT_OK, UsageError
from lastmile_tui.cli.output import cells, claim_answers, fit, plural, progress, ranked_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lastmile_tui.cli.common import Subparsers
    from lastmile_tui.domain.task import TaskSummary

LIST_LIMIT = 30
"""Rows ``lastmile list`` prints unless told otherwise: the top of the ranking, like ``task next``."""

_LIST_MIN = 16
"""The narrowest title and final-step columns of ``lastmile list`` before WHY gives way."""


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "list", cmd_list, "open tasks, almost done first",
                       aliases=["ls", "next"]):
        shown = p.add_mutually_exclusive_group()
        shown.add_argument("--all", "-a", action="store_true", help="include done and dropped tasks")
        shown.add_argument("--waiting", "-W", action="store_true",
                           help="only the tasks a wait hides, soonest back first")
        p.add_argument("--tag", "-t", metavar="TAG", action="append",
                       help="only tasks with this tag (repeat: with every one of them)")
        p.add_argument("plus_tags", nargs="*", metavar="+TAG",
                       help="the same, as add and Taskwarrior write it: lastmile list +work +urgent")
        p.add_argument("--limit", "-n", type=row_count, metavar="N",
                       help=f"show the first N (default {LIST_LIMIT}; with --json every one); 0 for all")
        p.add_argument("--json", action="store_true", help="machine-readable records")

    if p := add_command(subparsers, "count", cmd_count,
                       "open, on the last mile, overdue and finished today, on one line"):
        p.add_argument("--json", action="store_true", help="the four numbers as a JSON object")

    if p := add_command(subparsers, "show", cmd_show, "everything about one task, with its history",
                       aliases=["info"]):
        p.add_argument("id", type=task_id)


# -- list ------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.ranking import reason, stage
    from lastmile_tui.domain.task import clean_tag

    for word in args.plus_tags:
        if not word.startswith("+") or not word[1:].strip():
            raise UsageError(f"{word!r} is not a +tag: list narrows by tags (lastmile list +work); "
                             "the app's filter (/) searches titles")
    tags = [*(args.tag or ()), *(word[1:] for word in args.plus_tags)]
    query = " ".join(f"+{clean_tag(tag)}" for tag in tags)  # every tag must be there
    limit = args.limit if args.limit is not None else (0 if args.json else LIST_LIMIT)
    if first_run(args):
        print("[]" if args.json else NO_TASKS_YET)
        return EXIT_OK
    with open_reader(args) as store:
        now = store.clock()
        shape = store.counts(query, include_closed=args.all)
        if args.waiting:
            open_, closed = store.waiting(query, limit or -1), []
            total = shape.waiting
        else:  # --all: every task, the waiting ones after the open ones they would join
            total = shape.open + (shape.waiting + shape.closed if args.all else 0)
            wanted = total if limit == 0 else min(limit, total)
            open_ = store.ranked_page(0, min(wanted, shape.open), query)
            if args.all and wanted > len(open_) and shape.waiting:
                open_ += store.waiting(query, min(wanted - len(open_), shape.waiting))
            closed = store.ranked_page(0, wanted - len(open_), query, closed=True) if args.all else []
        unfiltered = store.counts().open if query and not total and not args.waiting else 0
    rows: list[tuple[TaskSummary, str, str]] = [(t, stage(t).label, reason(t, now)) for t in open_]
    rows += [(t, t.status.value, _closed_reason(t)) for t in closed]
    if args.json:
        import json

        records = [_list_record(t, stage_label, why) for t, stage_label, why in rows]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    if not rows and unfiltered:
        which = "task" if args.all else "open task"
        print(f"No {which} matches {query} ({unfiltered:,} open; lastmile list shows them)")
        return EXIT_OK
    if not rows and args.waiting:
        print(f"Nothing is waiting{' that matches ' + query if query else ''}.")
        return EXIT_OK
    if not rows and not shape.waiting:
        hint = "" if args.all else " (lastmile list --all shows finished ones)"
        print(f'Nothing open. Add one: lastmile add "..." --final "..."{hint}')
        return EXIT_OK
    if rows:
        _print_table(rows, now)
    if len(rows) < total:
        more = "--waiting -n 0" if args.waiting else "-n 0"
        print(f"… and {total - len(rows):,} more (lastmile list {more} shows all)")
    claims = shape.claimed
    if claims and not args.waiting:  # they lead the table; say once how to answer them
        print(f"{claims:,} completed elsewhere — {claim_answers('ID')}")
    if shape.waiting and not args.waiting and not args.all:
        their = "its" if shape.waiting == 1 else "their"
        print(f"{plural(shape.waiting, 'task')} waiting, hidden until {their} day"
              " (lastmile list --waiting)")
    return EXIT_OK


def _due_cell(task: TaskSummary, now: Any) -> str:
    from lastmile_tui.domain.dates import due_phrase

    if task.due is None:
        return ""
    return due_phrase(task.due, now)


def _list_record(task: TaskSummary, stage_label: str, why: str) -> dict[str, Any]:
    from lastmile_tui.domain import ranking
    from lastmile_tui.domain.dates import format_due

    done, total = ranking.progress(task)
    return {
        "id": task.id,
        "title": task.title,
        "final_step": task.final_step,
        "final_step_confirmed": task.final_step_confirmed_at is not None,
        "progress": f"{done}/{total}",
        "done": done,
        "total": total,
        "stage": stage_label,
        "due": format_due(task.due) if task.due is not None else None,
        "priority": task.priority.value if task.priority is not None else None,
        "wait": task.wait.isoformat() if task.wait is not None else None,
        "tags": list(task.tags),
        "status": task.status.value,
        "reason": why,
        # when another app said it is done (a sync brought the claim); it waits for a person
        "completed_elsewhere": (task.done_claimed_at.isoformat(timespec="seconds")
                                if task.done_claimed_at is not None else None),
    }


def _closed_reason(task: TaskSummary) -> str:
    from lastmile_tui.domain.task import Status

    if task.status is Status.DONE and task.done_at is not None:
        how = "final step confirmed" if task.final_step_confirmed_at else "done elsewhere, not confirmed"
        return f"done {task.done_at:%Y-%m-%d %H:%M} · {how}"
    return f"dropped: {task.dropped_reason}" if task.dropped_reason else "dropped"


def _print_table(rows: list[tuple[TaskSummary, str, str]], now: Any) -> None:
    """DUE and WHY as wide as their longest cell (so "overdue 12d" and the reason read whole);
    titles and final steps share what remains, and only on a narrow terminal is WHY cut.
    Widths are terminal cells: a wide character takes two."""
    width = shutil.get_terminal_size((120, 24)).columns
    id_w = max(2, max(len(str(t.id)) for t, _, _ in rows))
    due_w = max(3, *(cells(_due_cell(t, now)) for t, _, _ in rows))
    # the priority's letter in a column of its own, only when a row shown has one
    pri = any(t.priority is not None for t, _, _ in rows)
    fixed = id_w + 2 + 3 * pri + 5 + 2 + 2 + 2 + due_w + 2  # ID, P, DONE, DUE and the gaps
    shared = max(width - fixed, 45)  # titles, final steps and reasons
    why_w = min(max(cells(why) for _, _, why in rows), max(shared - 2 * _LIST_MIN, shared * 2 // 5))
    rest = shared - why_w
    title_w = max(len("TITLE"), *(cells(t.title) for t, _, _ in rows))
    final_w = max(len("FINAL STEP"), *(cells(t.final_step or "— none —") for t, _, _ in rows))
    if title_w + final_w > rest:
        title_w = min(max(rest * title_w // (title_w + final_w), rest * 2 // 5), rest * 3 // 5)
        final_w = rest - title_w
    print(f"{'ID':>{id_w}}  {'P  ' if pri else ''}{'DONE':<5}  {fit('TITLE', title_w)}  "
          f"{fit('FINAL STEP', final_w)}  {'DUE':<{due_w}}  WHY")
    for task, _stage, why in rows:
        letter = f"{task.priority.value if task.priority else ' '}  " if pri else ""
        line = (
            f"{task.id:>{id_w}}  {letter}{progress(task):<5}  {fit(task.title, title_w)}  "
            f"{fit(task.final_step or '— none —', final_w)}  "
            f"{fit(_due_cell(task, now), due_w)}  {fit(why, why_w)}"
        )
        print(line.rstrip())


# -- count and show -----------------------------------------------------------------


def cmd_count(args: argparse.Namespace) -> int:
    """The board's header as one line, from indexes alone: cheap enough for a shell prompt."""
    from lastmile_tui.store.queries import Overview

    if first_run(args):  # zeros, as a prompt wants them; the hint goes to stderr
        overview = Overview(0, 0, 0, 0)
        if not args.json:
            print(NO_TASKS_YET, file=sys.stderr)
    else:
        with open_reader(args) as store:
            overview = store.overview()
    if args.json:
        import json

        print(json.dumps({"open": overview.open, "last_mile": overview.last_mile,
                          "overdue": overview.overdue, "finished_today": overview.finished_today}))
    else:
        print(f"{overview.open:,} open · {overview.last_mile:,} on the last mile · "
              f"{overview.overdue:,} overdue · {overview.finished_today:,} finished today")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.dates import due_phrase, format_due
    from lastmile_tui.domain.ranking import wait_phrase

    with open_reader(args) as store:
        task = store.get(args.id)
        history = store.history(args.id, limit=20)  # read all before printing any of it
        now = store.clock()
        print(f"#{task.id} {task.title}   [{task.status.value}]")
        if task.status.value == "open":
            print(f"  {ranked_line(store, task)}")
        if task.done_claimed_at is not None:
            from lastmile_tui.domain.sync import claim_line

            print(f"  {claim_line(task.final_step)} ({claim_answers(task.id)})")
        if task.done_elsewhere:
            from lastmile_tui.domain.imports import done_elsewhere_line

            print(done_elsewhere_line(task))
        if task.final_step:
            mark = (
                f"confirmed {task.final_step_confirmed_at:%Y-%m-%d %H:%M}"
                if task.final_step_confirmed_at
                else "not confirmed"
            )
            print(f"final step: {task.final_step}  ({mark})")
        elif task.status.value == "open":
            print(f'final step: none yet — lastmile edit {task.id} --final "..."')
        else:
            print("final step: none")
        if task.steps:
            print("steps:")
            for i, step in enumerate(task.steps, 1):
                print(f"  {i}. [{'x' if step.done else ' '}] {step.text}")
        if task.due is not None:
            print(f"due: {format_due(task.due)} ({due_phrase(task.due, now)})")
        if task.priority is not None:
            print(f"priority: {task.priority.value}")
        waited = wait_phrase(task.wait, now) if task.status.value == "open" else ""
        if waited:
            print(f"wait: {format_due(task.wait)} ({waited})")
        if task.repeat is not None:
            from lastmile_tui.domain.series import repeat_line

            print(repeat_line(task, now) if task.status.value == "open"
                  else f"repeats {task.repeat.describe()}")
        if task.tags:
            print("tags: " + " ".join(f"+{t}" for t in task.tags))
        if task.dropped_reason:
            print(f"dropped: {task.dropped_reason}")
        if task.notes:
            print("notes:")
            for line in task.notes.splitlines():
                print(f"  {line}")
        print("history:")
        for event in reversed(history):
            print(f"  {event.at:%Y-%m-%d %H:%M}  {event.describe()}")
    return EXIT_OK
