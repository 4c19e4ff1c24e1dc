"""``lastmile sync``: two-way sync with a CalDAV task list (``sync/caldav_sync.py`` does it).

Standard library only at module level.
"""

from __future__ import annotations

import argparse
import os

from lastmile_tui.cli.common import add_command, open_store
from lastmile_tui.cli.errors import EXIT_OK, UsageError
from lastmile_tui.cli.output import plural

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lastmile_tui.cli.common import Subparsers
    from lastmile_tui.sync.caldav_sync import Report, Settings

PASSWORD_ENV = "LASTMILE_SYNC_PASSWORD"


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
    """The settings from the command line over config.toml's ``[sync]``; the password from
    $LASTMILE_SYNC_PASSWORD or the output of ``password_cmd`` (lastmile never stores one)."""
    from lastmile_tui.config import SyncConfig
    from lastmile_tui.sync.caldav_sync import Settings

    config = SyncConfig.load()
    url, user = args.url or config.url, args.user or config.username
    calendar = args.calendar or config.calendar
    if not url or not user:
        raise UsageError("sync needs a server and a user: set [sync] url and username in "
                         "config.toml, or pass --url and --user")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{url!r} is not a server address (it starts with https:// or http://)")
    if config.auth not in ("basic", "digest", "auto"):
        raise UsageError(f"[sync] auth = {config.auth!r} in config.toml: use basic, digest or auto")
    return Settings(url, user, _password(config.password_cmd), calendar, create=args.create,
                    auth=config.auth)


def _password(command: str) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    if not command:
        raise UsageError(f"sync needs a password: set {PASSWORD_ENV}, or [sync] password_cmd in "
                         "config.toml (a command that prints it, e.g. pass show caldav)")
    import shlex
    import subprocess

    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=60, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"the password command {command!r} could not run ({exc})") from None
    if done.returncode != 0:
        raise UsageError(f"the password command {command!r} failed (exit {done.returncode})")
    return done.stdout.splitlines()[0] if done.stdout else ""


def cmd_sync(args: argparse.Namespace) -> int:
    if args.status:
        from lastmile_tui.sync.caldav_sync import status_lines

        with open_store(args) as store:
            print("\n".join(_shown(line) for line in status_lines(store)))
        return EXIT_OK
    from lastmile_tui.sync.caldav_sync import sync

    wanted = settings(args)
    wanted.steps = args.steps or _steps_option()
    with open_store(args, create=True) as store:
        report = sync(store, wanted)
    _print_report(report, verbose=args.verbose)
    return EXIT_OK


def _steps_option() -> str | None:
    """``[sync] steps`` from config.toml: children, description, or None (follow the calendar)."""
    from lastmile_tui.config import SyncConfig

    steps = SyncConfig.load().steps
    if steps not in ("", "children", "description"):
        raise UsageError(f"[sync] steps = {steps!r} in config.toml: use children or description")
    return steps or None


def _shown(text: str) -> str:
    """Text from the server, printable only (never terminal control)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _print_report(report: Report, *, verbose: bool) -> None:
    from lastmile_tui.domain.sync import claim_line

    if verbose:
        for line in report.requests:
            print(f"  {line}")
    for line in report.conflicts:
        print(f"  conflict: {_shown(line)}")
    for skipped in report.skipped:
        print(f"  skipped {_shown(skipped.where)}: {_shown(skipped.why)}")
    for title in report.dropped:
        print(f"  dropped (deleted on the server): {_shown(title)}")
    for task in report.claims:
        print(f"  {task.id}  {_shown(task.title)}: {_shown(claim_line(task.final_step))} "
              f"(yes: lastmile done {task.id} · not yet: lastmile reopen {task.id})")
    print(f"Synced: {len(report.added):,} added here, {len(report.updated):,} updated here, "
          f"{len(report.pushed):,} sent, {plural(len(report.conflicts), 'conflict')}, "
          f"{len(report.skipped):,} skipped; {plural(len(report.requests), 'request')} in "
          f"{report.seconds:.2f} s ({report.server_seconds:.2f} s waiting for the server)")
