"""Commands that move the whole database: ``backup``, ``export`` and ``import``.

Standard library only at module level.
"""

from __future__ import annotations

import argparse
import os
from contextlib import closing

from lastmile_tui.cli.common import add_command, open_store, path_arg
from lastmile_tui.cli.errors import EXIT_OK, UsageError
from lastmile_tui.cli.output import plural

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lastmile_tui.cli.common import Subparsers
    from lastmile_tui.domain.imports import Batch
    from lastmile_tui.store import interchange
    from lastmile_tui.store.store import ImportReport

EXPORT_FORMATS = ("json", "todotxt", "ics", "vdir")
"""What ``export --format`` accepts (``formats.files.EXPORT_FORMATS``, held equal by a test)."""

IMPORT_FORMATS = ("lastmile", "taskwarrior", "todotxt", "ics")
"""What ``import --from`` accepts (``formats.files.IMPORT_FORMATS``, held equal by a test)."""


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "backup", cmd_backup,
                       "copy the database safely, even while lastmile is running"):
        p.add_argument("path", nargs="?", metavar="PATH",
                       help="file or folder (default: beside the database, named with the time)")

    if p := add_command(subparsers, "export", cmd_export,
                       "write every task: as lastmile JSON (with history), todo.txt or iCalendar"):
        p.add_argument("--format", choices=EXPORT_FORMATS, default="json",
                       help="json (the default, everything lastmile knows), todotxt, ics (one "
                            "calendar file), vdir (a folder of .ics files, as todoman and vdirsyncer use)")
        p.add_argument("file", nargs="?", metavar="FILE",
                       help="where to write (default: standard output; a folder for vdir)")
        p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    if p := add_command(subparsers, "import", cmd_import,
                       "bring tasks in from lastmile, Taskwarrior, todo.txt or iCalendar files"):
        p.add_argument("file", metavar="FILE",
                       help="the file (its format is recognised by its content), or - for stdin")
        p.add_argument("--from", dest="source", choices=IMPORT_FORMATS, metavar="FORMAT",
                       help="read the file as this format: " + ", ".join(IMPORT_FORMATS))
        p.add_argument("--dry-run", action="store_true",
                       help="say what would be added, updated and skipped, and change nothing")


def cmd_backup(args: argparse.Namespace) -> int:
    if args.path and args.path.endswith(("/", os.sep)) and not os.path.isdir(args.path):
        raise UsageError(f"no such folder: {args.path}")
    with open_store(args) as store:
        where = store.backup(path_arg(args.path))
        print(f"Backed up {store.path} to {where} (checked: ok)")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from lastmile_tui.store import interchange

    target = path_arg(args.file)
    if args.format == "vdir":
        if target is None:
            raise UsageError("export --format vdir needs a folder to write the .ics files into")
        with open_store(args) as store, closing(store.all_tasks()) as tasks:
            count = interchange.write_vdir(tasks, target, database=store.path, overwrite=args.force)
        print(f"Exported {plural(count, 'task')} to {target}")
        return EXIT_OK
    # streamed: memory stays small; a write that fails half-way ends the read before the store closes
    with open_store(args) as store:
        if args.format == "json":
            items, stream = store.export_records(), None
        else:
            from lastmile_tui.formats import files

            items, stream = store.all_tasks(), files.writer(args.format).write_stream
        with closing(items):
            count = interchange.write_export(items, target, database=store.path, overwrite=args.force,
                                             **({"stream": stream} if stream else {}))
    if target is not None:
        print(f"Exported {plural(count, 'task')} to {target}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from lastmile_tui.formats import files
    from lastmile_tui.store import interchange

    source = path_arg(args.file)
    if source is not None and source.is_dir():  # a vdir: one .ics file per task
        if args.source not in (None, "ics"):
            raise UsageError(f"{source} is a folder: only --from ics reads a folder (a vdir)")
        print(f"Reading {source} as a vdir (a folder of iCalendar files)")
        batch = interchange.read_vdir(source)
        return _import_batch(args, batch)
    text = interchange.read_text(source)
    name = args.source or files.sniff(text)
    if not args.source:
        print(f"Reading {interchange.source_name(source)} as {files.NAMES[name]}")
    if name == "lastmile":
        from lastmile_tui.formats.lastmile_json import parse

        return _import_lastmile(args, interchange.to_rows(parse(text, interchange.source_name(source))))
    # every record is read and checked before the database is opened
    return _import_batch(args, files.reader(name).read(text))


def _import_batch(args: argparse.Namespace, batch: Batch) -> int:
    """A batch another tool's file gave, through the store's import door (or a dry run)."""
    if args.dry_run and not _database_exists(args):  # everything would be new
        from lastmile_tui.store.store import ImportReport

        batch.check_unique()
        _print_report(ImportReport(batch.source, [i.task for i in batch.tasks], skipped=batch.skipped),
                      dry_run=True)
        return EXIT_OK
    with open_store(args, create=not args.dry_run) as store:
        report = store.import_tasks(batch, dry_run=args.dry_run)
        _print_report(report, args.dry_run)
        if not args.dry_run:
            print(f"  into {store.path}")
    return EXIT_OK


def _database_exists(args: argparse.Namespace) -> bool:
    from lastmile_tui.paths import resolve_db_path

    return resolve_db_path(args.db).exists()


def _import_lastmile(args: argparse.Namespace, rows: interchange.Rows) -> int:
    """lastmile's own export: ids and history kept, so only into a database without those ids."""
    events = plural(len(rows.events), "history event")
    if args.dry_run:
        print(f"Would import {plural(len(rows.tasks), 'task')} ({events}); nothing was changed")
        return EXIT_OK
    with open_store(args, create=True) as store:
        count = store.import_rows(rows)
        print(f"Imported {plural(count, 'task')} ({events}) into {store.path}")
    return EXIT_OK


def _print_report(report: ImportReport, dry_run: bool) -> None:
    """Every task a dry run would touch, and what it skips; then one summary line."""
    if dry_run:
        for verb, tasks in (("add", report.added), ("update", report.updated)):
            for task in tasks:
                print(f"  would {verb}: {task.title}")
    for skipped in report.skipped:
        print(f"  {'would skip' if dry_run else 'skipped'} {skipped.where}: {skipped.title} "
              f"({skipped.why})")
    counts = (f"{len(report.added):,} added, {len(report.updated):,} updated, "
              f"{len(report.unchanged):,} unchanged, {len(report.skipped):,} skipped")
    if dry_run:
        print(f"Dry run of an import from {report.source}: {counts}; nothing was changed")
    else:
        print(f"Imported from {report.source}: {counts}")

