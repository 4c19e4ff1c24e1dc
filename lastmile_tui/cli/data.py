"""Commands that move the whole database: ``backup``, ``export`` and ``import``.

Standard library only at module level.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from contextlib import closing
from typing import TYPE_CHECKING

from lastmile_tui.cli.common import add_command, open_store, path_arg
from lastmile_tui.cli.errors import EXIT_OK, UsageError
from lastmile_tui.cli.output import plural

if TYPE_CHECKING:
    from lastmile_tui.cli.common import Subparsers

EXPORT_FORMATS = ("json",)
"""What ``export --format`` accepts; each name has its writer in ``_export_writer``."""


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "backup", cmd_backup,
                       "copy the database safely, even while lastmile is running"):
        p.add_argument("path", nargs="?", metavar="PATH",
                       help="file or folder (default: beside the database, named with the time)")

    if p := add_command(subparsers, "export", cmd_export,
                       "write every task, with its steps and history, as JSON"):
        p.add_argument("--format", choices=EXPORT_FORMATS, default="json", help="json (the default)")
        p.add_argument("file", nargs="?", metavar="FILE", help="where to write (default: standard output)")
        p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    if p := add_command(subparsers, "import", cmd_import,
                       "load a JSON export, ids kept, into a database that does not use them"):
        p.add_argument("file", metavar="FILE", help="a file written by lastmile export, or - for stdin")


def cmd_backup(args: argparse.Namespace) -> int:
    if args.path and args.path.endswith(("/", os.sep)) and not os.path.isdir(args.path):
        raise UsageError(f"no such folder: {args.path}")
    with open_store(args) as store:
        where = store.backup(path_arg(args.path))
        print(f"Backed up {store.path} to {where} (checked: ok)")
    return EXIT_OK


def _export_writer(name: str) -> Callable[..., int]:
    """The writer for ``--format NAME``: it streams records to a file and returns their count."""
    from lastmile_tui.store import interchange

    writers: dict[str, Callable[..., int]] = {"json": interchange.write_export}
    return writers[name]


def cmd_export(args: argparse.Namespace) -> int:
    write = _export_writer(args.format)
    target = path_arg(args.file)
    # streamed: memory stays small; a write that fails half-way ends the read before the store closes
    with open_store(args) as store, closing(store.export_records()) as records:
        count = write(records, target, database=store.path, overwrite=args.force)
    if target is not None:
        print(f"Exported {plural(count, 'task')} to {target}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from lastmile_tui.store import interchange

    # every record is checked before any file is touched
    rows = interchange.to_rows(interchange.read(path_arg(args.file)))
    with open_store(args, create=True) as store:
        count = store.import_rows(rows)
        events = plural(len(rows.events), "history event")
        print(f"Imported {plural(count, 'task')} ({events}) into {store.path}")
    return EXIT_OK

