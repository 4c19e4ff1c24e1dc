"""``lastmile sync``: two-way sync with a CalDAV task list (``sync/caldav_sync.py`` does it).

Standard library only at module level.
"""

from __future__ import annotations

import argparse

from lastmile_tui.cli.common import add_command, open_store
from lastmile_tui.cli.errors import EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lastmile_tui.cli.common import Subparsers
    from lastmile_tui.sync.caldav_sync import Report, Settings


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "sync", cmd_sync,
                       "sync every task both ways with a CalDAV task list (Radicale, Nextcloud, Fastmail…)"):
        p.add_argument("--url", help="the CalDAV server (default: [sync] url in config.toml)")
        p.add_argument("--user", help="the user name (default: [sync] username)")
        p.add_argument("--calendar", help="the task list's display name or URL (default: [sync] calendar)")
        p.add_argument("--create", action="store_true",
                       help="make the task list if the server has none by that name")
        p.add_argument("--status", action="store_true",
                       help="say when it last synced, with which server, and what waits to go up; "
                            "sync nothing")
        p.add_argument("--verbose", action="store_true", help="list every request made to the server")
        p.add_argument("--steps", choices=("children", "description"),
                       help="write steps as child VTODOs (tasks.org, jtx Board) or as a checklist in "
                            "each task (default: [sync] steps, else as the calendar was last synced)")


def settings(args: argparse.Namespace) -> Settings:
    """The command line's settings over config.toml's ``[sync]`` (``sync/settings.py`` resolves
    them for the app too); the password from $LASTMILE_SYNC_PASSWORD or ``password_cmd``."""
    from lastmile_tui.config import SyncConfig
    from lastmile_tui.sync.settings import resolve

    return resolve(SyncConfig.load(), url=args.url, user=args.user, calendar=args.calendar,
                   create=args.create, steps=args.steps)


def cmd_sync(args: argparse.Namespace) -> int:
    if args.status:
        from lastmile_tui.sync.caldav_sync import status_lines

        with open_store(args) as store:
            from lastmile_tui.domain.errors import plain

            print("\n".join(plain(line) for line in status_lines(store)))
        return EXIT_OK
    from lastmile_tui.sync.caldav_sync import sync

    wanted = settings(args)
    with open_store(args, create=True) as store:
        report = sync(store, wanted)
    _print_report(report, verbose=args.verbose)
    return EXIT_OK


def _print_report(report: Report, *, verbose: bool) -> None:
    from lastmile_tui.cli.output import claim_answers
    from lastmile_tui.domain.errors import plain
    from lastmile_tui.domain.sync import claim_line
    from lastmile_tui.sync.summary import detail_lines, summary_line

    if verbose:
        for line in report.requests:
            print(f"  {line}")
    for line in detail_lines(report):
        print(f"  {line}")
    for task in report.claims:
        print(f"  {task.id}  {plain(task.title)}: {plain(claim_line(task.final_step))} "
              f"({claim_answers(task.id)})")
    print(summary_line(report))
