"""The ``lastmile`` command: parse, call the store, print.

Only the standard library is imported at module level. The store (SQLModel)
is imported inside the commands that use it, and Textual only by the commands
that open the app, so ``lastmile add`` pays for nothing it does not use.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from lastmile_tui import __version__

if TYPE_CHECKING:
    from lastmile_tui.domain.task import Task, TaskSummary
    from lastmile_tui.store.ops import Store
    from lastmile_tui.store.reader import Reader

EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _positive(what: str, first: str) -> Callable[[str], int]:
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


_task_id = _positive("task id", "ids")
_step_number = _positive("step number", "steps")


def _row_count(text: str) -> int:
    """An argparse type for how many rows: a whole number from 0."""
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of rows (0 means all)")
    return int(text)


NO_TASKS_YET = 'No tasks yet. Add one: lastmile add "..." --final "..."'


def _open(args: argparse.Namespace, kind: type[Reader], create: bool) -> Any:
    """Open the database for a command. Only commands that add tasks (*create*) may make a new
    one, and say so once; the others refuse a missing one, naming the path."""
    from lastmile_tui.paths import db_path_is_chosen, resolve_db_path
    from lastmile_tui.store.db import NoDatabase

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


def _open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The full store; *create* only for the commands that add tasks (add, import, the app)."""
    from lastmile_tui.store.ops import Store

    return _open(args, Store, create)


def _open_reader(args: argparse.Namespace) -> Reader:
    """For commands that only read the board: no SQLAlchemy to import, so they start quickly."""
    from lastmile_tui.store.reader import Reader

    return _open(args, Reader, False)


def _first_run(args: argparse.Namespace) -> bool:
    """True before the first task: no --db or $LASTMILE_DB, and no database at the default path."""
    from lastmile_tui.paths import db_path_is_chosen, resolve_db_path

    return not db_path_is_chosen(args.db) and not resolve_db_path().exists()


def _ranked_line(store: Store, task: Task | TaskSummary) -> str:
    from lastmile_tui.domain.ranking import reason

    return reason(task, store.clock())


def _progress(task: Task | TaskSummary) -> str:
    from lastmile_tui.domain.ranking import progress

    done, total = progress(task)
    return f"{done}/{total}" if total else "—"


def _echo_task(store: Store, task: Task, verb: str) -> None:
    from lastmile_tui.domain.dates import format_due

    parts = [f"{verb} task {task.id}: {task.title}"]
    if task.final_step:
        parts.append(f"final: {task.final_step}")
    if task.due is not None:
        parts.append(f"due {format_due(task.due)}")
    parts.extend(f"+{t}" for t in task.tags)
    print(" · ".join(parts))
    print(f"  {_ranked_line(store, task)}")


# -- commands ---------------------------------------------------------------


def cmd_add(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.quickadd import attribute, parse_quick_add

    quick = parse_quick_add(args.title)
    if quick.final_step and args.final:
        raise _usage("give the final step once: --final or final:, not both")
    if quick.due and args.due:
        raise _usage("give the due date once: --due or due:, not both")
    with _open_store(args, create=True) as store:
        task = store.add(
            quick.title,
            final_step=args.final or quick.final_step or "",
            steps=args.step or [],
            due=args.due or quick.due,
            tags=quick.tags + (args.tag or []),
            notes=args.notes or "",
        )
        _echo_task(store, task, "Added")
        if quick.kept:
            names = dict.fromkeys(attribute(w.partition(":")[0]) or "" for w in quick.kept)
            print(f"  kept in the title: {' '.join(quick.kept)} (lastmile does not understand "
                  f"{', '.join(names)} yet; lastmile edit {task.id} --title \"...\" changes it)")
        if not task.final_step:
            print(f'  no finish line yet: lastmile edit {task.id} --final "..."')
    return EXIT_OK


def _widths(text: str) -> Iterator[int]:
    """Terminal cells of each character, as the app measures them: wide East Asian and emoji
    characters take 2, combining marks 0, and an emoji selector (U+FE0F) widens the symbol
    before it."""
    from unicodedata import category, east_asian_width

    last = 0
    for char in text:
        if char == "\ufe0f":
            width = 1 if last == 1 else 0
        elif category(char) in ("Mn", "Me", "Cf") or (
            "\U0001f3fb" <= char <= "\U0001f3ff" and last == 2  # a skin tone joins its emoji
        ):
            width = 0
        else:
            width = 2 if east_asian_width(char) in ("W", "F") else 1
        last = width
        yield width


def _cells(text: str) -> int:
    """How many terminal cells *text* takes (not how many characters)."""
    return len(text) if text.isascii() else sum(_widths(text))


def _fit(text: str, width: int) -> str:
    """*text* padded or cut (with …) to exactly *width* terminal cells."""
    used = _cells(text)
    if used <= width:
        return text + " " * (width - used)
    used = kept = 0
    for cells in _widths(text):
        if used + cells > width - 1:
            break
        kept += 1
        used += cells
    return text[:kept] + "…" + " " * (width - 1 - used)


def _due_cell(task: TaskSummary, now: Any) -> str:
    from lastmile_tui.domain.dates import due_phrase

    if task.due is None:
        return ""
    return due_phrase(task.due, now)


def _list_record(task: TaskSummary, stage_label: str, why: str) -> dict[str, Any]:
    from lastmile_tui.domain.dates import format_due
    from lastmile_tui.domain.ranking import progress

    done, total = progress(task)
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
        "tags": list(task.tags),
        "status": task.status.value,
        "reason": why,
    }


LIST_LIMIT = 30
"""Rows ``lastmile list`` prints unless told otherwise: the top of the ranking, like ``task next``."""


def cmd_list(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.ranking import reason, stage
    from lastmile_tui.domain.task import clean_tag

    query = " ".join(f"+{clean_tag(tag)}" for tag in args.tag or ())  # every tag must be there
    limit = args.limit if args.limit is not None else (0 if args.json else LIST_LIMIT)
    if _first_run(args):
        print("[]" if args.json else NO_TASKS_YET)
        return EXIT_OK
    with _open_reader(args) as store:
        now = store.clock()
        shape = store.board_shape(query, include_closed=args.all)
        total = shape.open + shape.closed
        wanted = total if limit == 0 else min(limit, total)
        open_ = store.ranked_page(0, min(wanted, shape.open), query)
        closed = store.ranked_page(0, wanted - len(open_), query, closed=True) if args.all else []
        unfiltered = store.board_shape().open if query and not total else 0
    rows: list[tuple[TaskSummary, str, str]] = [(t, stage(t).label, reason(t, now)) for t in open_]
    rows += [(t, t.status.value, _closed_reason(t)) for t in closed]
    if args.json:
        records = [_list_record(t, stage_label, why) for t, stage_label, why in rows]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    if not rows and unfiltered:
        which = "task" if args.all else "open task"
        print(f"No {which} matches {query} ({unfiltered:,} open; lastmile list shows them)")
        return EXIT_OK
    if not rows:
        hint = "" if args.all else " (lastmile list --all shows finished ones)"
        print(f'Nothing open. Add one: lastmile add "..." --final "..."{hint}')
        return EXIT_OK
    _print_table(rows, now)
    if len(rows) < total:
        print(f"… and {total - len(rows):,} more (lastmile list -n 0 shows all)")
    return EXIT_OK


def _closed_reason(task: TaskSummary) -> str:
    from lastmile_tui.domain.task import Status

    if task.status is Status.DONE and task.done_at is not None:
        return f"done {task.done_at:%Y-%m-%d %H:%M} · final step confirmed"
    return f"dropped: {task.dropped_reason}" if task.dropped_reason else "dropped"


def _print_table(rows: list[tuple[TaskSummary, str, str]], now: Any) -> None:
    """DUE and WHY as wide as their longest cell (so "overdue 12d" and the reason read whole);
    titles and final steps share what remains, and only on a narrow terminal is WHY cut.
    Widths are terminal cells: a wide character takes two."""
    width = shutil.get_terminal_size((120, 24)).columns
    id_w = max(2, max(len(str(t.id)) for t, _, _ in rows))
    due_w = max(3, *(_cells(_due_cell(t, now)) for t, _, _ in rows))
    fixed = id_w + 2 + 5 + 2 + 2 + 2 + due_w + 2  # ID, DONE, DUE and the gaps
    shared = max(width - fixed, 45)  # titles, final steps and reasons
    why_w = min(max(_cells(why) for _, _, why in rows), max(shared - 2 * _LIST_MIN, shared * 2 // 5))
    rest = shared - why_w
    title_w = max(_cells(t.title) for t, _, _ in rows)
    final_w = max(_cells(t.final_step or "— none —") for t, _, _ in rows)
    if title_w + final_w > rest:
        title_w = min(max(rest * title_w // (title_w + final_w), rest * 2 // 5), rest * 3 // 5)
        final_w = rest - title_w
    print(f"{'ID':>{id_w}}  {'DONE':<5}  {_fit('TITLE', title_w)}  {_fit('FINAL STEP', final_w)}"
          f"  {'DUE':<{due_w}}  WHY")
    for task, _stage, why in rows:
        line = (
            f"{task.id:>{id_w}}  {_progress(task):<5}  {_fit(task.title, title_w)}  "
            f"{_fit(task.final_step or '— none —', final_w)}  "
            f"{_fit(_due_cell(task, now), due_w)}  {_fit(why, why_w)}"
        )
        print(line.rstrip())


_LIST_MIN = 16
"""The narrowest title and final-step columns of ``lastmile list`` before WHY gives way."""


def cmd_count(args: argparse.Namespace) -> int:
    """The board's header as one line, from indexes alone: cheap enough for a shell prompt."""
    from lastmile_tui.store.board import Overview

    if _first_run(args):  # zeros, as a prompt wants them; the hint goes to stderr
        overview = Overview(0, 0, 0, 0)
        if not args.json:
            print(NO_TASKS_YET, file=sys.stderr)
    else:
        with _open_reader(args) as store:
            overview = store.overview()
    if args.json:
        print(json.dumps({"open": overview.open, "last_mile": overview.last_mile,
                          "overdue": overview.overdue, "finished_today": overview.finished_today}))
    else:
        print(f"{overview.open:,} open · {overview.last_mile:,} on the last mile · "
              f"{overview.overdue:,} overdue · {overview.finished_today:,} finished today")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.dates import due_phrase, format_due

    with _open_store(args) as store:
        task = store.get(args.id)
        history = store.history(args.id, limit=20)  # read all before printing any of it
        now = store.clock()
        print(f"#{task.id} {task.title}   [{task.status.value}]")
        if task.status.value == "open":
            print(f"  {_ranked_line(store, task)}")
        if task.final_step:
            mark = (
                f"confirmed {task.final_step_confirmed_at:%Y-%m-%d %H:%M}"
                if task.final_step_confirmed_at
                else "not confirmed"
            )
            print(f"final step: {task.final_step}  ({mark})")
        else:
            print(f'final step: none yet — lastmile edit {task.id} --final "..."')
        if task.steps:
            print("steps:")
            for i, step in enumerate(task.steps, 1):
                print(f"  {i}. [{'x' if step.done else ' '}] {step.text}")
        if task.due is not None:
            print(f"due: {format_due(task.due)} ({due_phrase(task.due, now)})")
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


def cmd_edit(args: argparse.Namespace) -> int:
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
    if not changes:
        raise _usage("nothing to change: give --title, --final, --due, --no-due, --notes or --tag")
    with _open_store(args) as store:
        before = store.get(args.id)
        task = store.edit(args.id, **changes)
        _echo_task(store, task, "Edited" if task != before else "Unchanged")
        if before.final_step_confirmed_at and task.final_step_confirmed_at is None:
            print("  the final step changed, so its confirmation was withdrawn")
    return EXIT_OK


def cmd_step(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        task = store.add_step(args.id, " ".join(args.text))
        print(f"Task {task.id}: step {task.steps_total} added: {task.steps[-1].text}")
        print(f"  {_ranked_line(store, task)}")
    return EXIT_OK


def _cmd_toggle(args: argparse.Namespace, done: bool) -> int:
    with _open_store(args) as store:
        task = (store.check if done else store.uncheck)(args.id, args.number)
        mark = "checked" if done else "unchecked"
        print(f"Task {task.id}: step {args.number} {mark}: {task.steps[args.number - 1].text}")
        print(f"  {_ranked_line(store, task)}")
        if done and task.only_final_step_left:
            print(f"  only the final step is left: {task.final_step}")
            print(f"  when it is done: lastmile done {task.id}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    return _cmd_toggle(args, True)


def cmd_uncheck(args: argparse.Namespace) -> int:
    return _cmd_toggle(args, False)


def _ask(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def cmd_done(args: argparse.Namespace) -> int:
    from lastmile_tui.domain.errors import FinalStepNotConfirmed
    from lastmile_tui.domain.task import steps_left_note

    with _open_store(args) as store:
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
    return EXIT_OK


def cmd_drop(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        task = store.drop(args.id, args.reason)
        why = f" ({task.dropped_reason})" if task.dropped_reason else ""
        print(f"Dropped task {task.id}: {task.title}{why}")
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        task = store.reopen(args.id)
        _echo_task(store, task, "Reopened")
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        task, event = store.undo()
        print(f"Undid {event.kind.label} on task {task.id}: {task.title}")
        if task.status.value == "open":
            print(f"  {_ranked_line(store, task)}")
        else:
            print(f"  task {task.id} is {task.status.value}")
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _path(text: str | None) -> Path | None:
    """A path typed by a person; nothing or ``-`` means the standard stream."""
    return Path(text).expanduser() if text and text != "-" else None


def cmd_backup(args: argparse.Namespace) -> int:
    if args.path and args.path.endswith(("/", os.sep)) and not os.path.isdir(args.path):
        raise _usage(f"no such folder: {args.path}")
    with _open_store(args) as store:
        where = store.backup(_path(args.path))
        print(f"Backed up {store.path} to {where} (checked: ok)")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from lastmile_tui.store import transfer

    target = _path(args.file)
    with _open_store(args) as store:  # streamed: memory stays small
        count = transfer.write(store.export_records(), target, database=store.path,
                               overwrite=args.force)
    if target is not None:
        print(f"Exported {_count(count, 'task')} to {target}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from lastmile_tui.store import transfer

    rows = transfer.to_rows(transfer.read(_path(args.file)))  # all checked before any file is touched
    with _open_store(args, create=True) as store:
        count = store.import_rows(rows)
        events = _count(len(rows.events), "history event")
        print(f"Imported {_count(count, 'task')} ({events}) into {store.path}")
    return EXIT_OK


def cmd_tui(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise _usage("the app needs a terminal (standard input and output are not both one); "
                     "lastmile list prints the ranking")
    from lastmile_tui.ui.run import run_app

    with _open_store(args, create=True) as store:
        return run_app(store, review=getattr(args, "review", False),
                       review_all=getattr(args, "all", False))


class _UsageError(Exception):
    pass


def _usage(message: str) -> _UsageError:
    return _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, func: Callable[[argparse.Namespace], int], help_: str,
                aliases: Sequence[str] = ()) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_, aliases=list(aliases))
        p.set_defaults(func=func)
        return p

    p = command("add", cmd_add, "add a task (understands due:fri, +tag and final:\"...\")")
    p.add_argument("title", nargs="*",
                   help="the title; may contain due:WHEN, +tag, final:TEXT; -- ends them")
    p.add_argument("--final", "-f", metavar="TEXT", help="the final step that makes it done")
    p.add_argument("--step", "-s", metavar="TEXT", action="append", help="a checklist step (repeat)")
    p.add_argument("--due", "-d", metavar="WHEN", help="today, fri, next fri, in 3 days, +2w, Dec 3")
    p.add_argument("--tag", "-t", metavar="TAG", action="append", help="a tag (repeat)")
    p.add_argument("--notes", "-n", metavar="TEXT", help="free notes")

    p = command("list", cmd_list, "open tasks, almost done first", aliases=["ls", "next"])
    p.add_argument("--all", "-a", action="store_true", help="include done and dropped tasks")
    p.add_argument("--tag", "-t", metavar="TAG", action="append",
                   help="only tasks with this tag (repeat: with every one of them)")
    p.add_argument("--limit", "-n", type=_row_count, metavar="N",
                   help=f"show the first N (default {LIST_LIMIT}; with --json every one); 0 for all")
    p.add_argument("--json", action="store_true", help="machine-readable records")

    p = command("count", cmd_count, "open, on the last mile, overdue and finished today, on one line")
    p.add_argument("--json", action="store_true", help="the four numbers as a JSON object")

    p = command("show", cmd_show, "everything about one task, with its history", aliases=["info"])
    p.add_argument("id", type=_task_id)

    p = command("edit", cmd_edit, "change a task's title, final step, due date, notes or tags",
                aliases=["modify"])
    p.add_argument("id", type=_task_id)
    p.add_argument("--title", metavar="TEXT")
    p.add_argument("--final", "-f", metavar="TEXT", help="set the final step (withdraws a confirmation)")
    p.add_argument("--due", "-d", metavar="WHEN")
    p.add_argument("--no-due", action="store_true", help="remove the due date")
    p.add_argument("--notes", "-n", metavar="TEXT")
    p.add_argument("--tag", "-t", metavar="TAG", action="append", help="replace the tags (repeat)")

    p = command("step", cmd_step, "append a checklist step to a task")
    p.add_argument("id", type=_task_id)
    p.add_argument("text", nargs="+")

    for name, func, verb in (("check", cmd_check, "check"), ("uncheck", cmd_uncheck, "uncheck")):
        p = command(name, func, f"{verb} step N (1-based) of a task")
        p.add_argument("id", type=_task_id)
        p.add_argument("number", type=_step_number, metavar="N")

    p = command("done", cmd_done, "complete a task: asks you to confirm its final step")
    p.add_argument("id", type=_task_id)
    p.add_argument("--confirm", "-y", action="store_true",
                   help="I did the final step (needed without a terminal)")

    p = command("drop", cmd_drop, "abandon a task honestly, with an optional reason")
    p.add_argument("id", type=_task_id)
    p.add_argument("--reason", "-r", metavar="TEXT")

    p = command("reopen", cmd_reopen, "reopen a done or dropped task")
    p.add_argument("id", type=_task_id)

    command("undo", cmd_undo, "undo the most recent change")

    p = command("backup", cmd_backup, "copy the database safely, even while lastmile is running")
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="file or folder (default: beside the database, named with the time)")

    p = command("export", cmd_export, "write every task, with its steps and history, as JSON")
    p.add_argument("--format", choices=["json"], default="json", help="json (the default)")
    p.add_argument("file", nargs="?", metavar="FILE", help="where to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = command("import", cmd_import, "load a JSON export into a new, empty database")
    p.add_argument("file", metavar="FILE", help="a file written by lastmile export, or - for stdin")

    command("tui", cmd_tui, "open the app (the same as no command)")
    p = command("review", cmd_tui, "open the app in review mode: finish what is nearly finished")
    p.set_defaults(review=True)
    p.add_argument("--all", "-a", action="store_true", help="include tasks reviewed today")
    return parser


def _forgiving_output() -> None:
    """What cannot be shown in the terminal's encoding is replaced, never an error after the work."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """For JSON on a stream that cannot encode a character: its JSON escape, so no data is lost."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(json.dumps(char)[1:-1] for char in text), error.end


def _exact_json_output() -> None:
    """JSON output (export, --json) keeps every character: non-ASCII text there sits only inside
    strings, where an escape means the same character."""
    import codecs

    codecs.register_error("lastmile-json", _json_escape)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="lastmile-json")


_PATH_ARGUMENTS = frozenset({"db", "path", "file"})
"""Arguments that name files: any bytes are a valid file name, so they are not checked as text."""


def _check_utf8(args: argparse.Namespace) -> None:
    """Text arguments must be UTF-8: the shell hands bad bytes over as lone surrogates."""
    for name, value in vars(args).items():
        if name in _PATH_ARGUMENTS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    shown = os.fsencode(text).decode("utf-8", "backslashreplace")
                    what = "title" if name == "title" else f"--{name.replace('_', '-')}"
                    raise _usage(f"the {what} argument '{shown}' is not valid UTF-8 text; "
                                 "nothing was changed") from None


def _without_terminal(args: argparse.Namespace) -> int:
    """Plain ``lastmile`` with its output piped or redirected: print the ranking, never the app."""
    args.all, args.tag, args.limit, args.json = False, None, None, False
    return cmd_list(args)


_TAKES_ID = frozenset({"show", "info", "edit", "modify", "step", "check", "uncheck", "done",
                       "drop", "reopen"})
"""Commands whose first argument is a task id: Taskwarrior's ``lastmile 3 done`` order works for them."""

_DID_YOU_MEAN = {
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


def _taskwarrior_order(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """``lastmile 3 done`` becomes ``lastmile done 3``; an unknown command gets a "did you mean".

    Only the first word that is not an option is looked at, so titles and
    option values are never rewritten.
    """
    at = _command_at(argv)
    if at is None:
        return argv
    commands = _command_names(parser)
    word = argv[at]
    if word in commands:
        return argv
    if word.isascii() and word.isdigit():
        verb = argv[at + 1] if at + 1 < len(argv) else None
        if verb is None or verb.startswith("-"):  # `lastmile 3`: what Taskwarrior shows, its info
            return [*argv[:at], "show", word, *argv[at + 1:]]
        if verb in _TAKES_ID:
            return [*argv[:at], verb, word, *argv[at + 2:]]
        if verb in commands:
            raise _Exit(f"lastmile: {verb} takes no task id (see lastmile {verb} --help)")
        raise _Exit(_unknown_command(verb, commands).replace(" ID", f" {word}"))
    raise _Exit(_unknown_command(word, commands))


def _command_at(argv: list[str]) -> int | None:
    """Where the command word is: the first word that is not a global option or its value."""
    at = 0
    while at < len(argv) and argv[at].startswith("-") and argv[at] != "-":
        if argv[at] in ("-h", "--help", "--version", "--"):
            return None
        at += 2 if argv[at] == "--db" else 1
    return at if at < len(argv) else None


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:  # noqa: SLF001 - argparse keeps its subcommands only here
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return list(action.choices)
    return []


def _unknown_command(word: str, commands: list[str]) -> str:
    """One line: what lastmile calls that, or the nearest command name."""
    if word in _DID_YOU_MEAN:
        hint = f"did you mean {_DID_YOU_MEAN[word]}?"
    else:
        from difflib import get_close_matches

        near = get_close_matches(word.lower(), commands, n=1)
        hint = f"did you mean lastmile {near[0]}?" if near else "see lastmile --help for the commands"
    return f"lastmile: unknown command {word!r}; {hint}"


class _Exit(Exception):
    """A line for stderr and exit 2, raised before argparse has run."""


def exit_status(error: BaseException) -> int:
    """The exit code for *error*: 1 when lastmile refused, 2 for bad input, 3 for anything else."""
    from lastmile_tui.domain.errors import LastmileError, Refused

    if isinstance(error, Refused):
        return EXIT_REFUSED
    return EXIT_BAD_INPUT if isinstance(error, LastmileError) else 3


def main(argv: Sequence[str] | None = None) -> int:
    _forgiving_output()
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        argv = _taskwarrior_order(argv, parser)
    except _Exit as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    literal: list[str] | None = None
    at = _command_at(argv)
    if at is not None and argv[at] == "add" and "--" in argv[at:]:
        cut = argv.index("--", at)  # argparse drops `--`; quick-add needs to know where it was
        argv, literal = argv[:cut], argv[cut + 1:]
    args, extras = parser.parse_known_args(argv)
    if extras:  # title words after an option: lastmile add Pay --due fri rent +home
        if args.command != "add" or any(e.startswith("-") and e != "-" for e in extras):
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        args.title += extras
    if literal is not None:
        args.title += ["--", *literal]
    func = getattr(args, "func", None)
    if func is None:
        no_terminal = not (sys.stdin.isatty() and sys.stdout.isatty())
        func = _without_terminal if no_terminal else cmd_tui
    if args.command == "export" or getattr(args, "json", False):
        _exact_json_output()
    name = f"lastmile {args.command}" if args.command else "lastmile"
    try:
        _check_utf8(args)
        return func(args)
    except _UsageError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{name}: interrupted; nothing was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
        from lastmile_tui.domain.errors import LastmileError, NoFinalStep

        if isinstance(exc, LastmileError):
            hint = f'; define one with: lastmile edit {exc.task_id} --final "..."' \
                if isinstance(exc, NoFinalStep) else ""
            print(f"{name}: {exc}{hint}", file=sys.stderr)
            return exit_status(exc)
        if os.environ.get("LASTMILE_DEBUG"):
            raise
        print(f"{name}: unexpected error: {exc!r} (set LASTMILE_DEBUG=1 for details)",
              file=sys.stderr)
        return 3
