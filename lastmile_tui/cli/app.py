"""Opening the app: ``tui``, ``review``, plain ``lastmile``, and what plain ``lastmile`` does
without a terminal (print the ranking; never start the app).

Standard library only at module level: Textual is imported only when the app opens.
"""

from __future__ import annotations

import argparse
import sys

from lastmile_tui.cli import views
from lastmile_tui.cli.common import add_command, open_store
from lastmile_tui.cli.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lastmile_tui.cli.common import Subparsers
    from lastmile_tui.domain.review import ReviewAim


def register(subparsers: Subparsers) -> None:
    add_command(subparsers, "tui", cmd_tui, "open the app (the same as no command)")
    if p := add_command(subparsers, "review", cmd_tui,
                       "open the app in review mode: finish what is nearly finished"):
        p.set_defaults(review=True)
        p.add_argument("--all", "-a", action="store_true", help="include tasks reviewed today")
        aim_arguments(p)


def aim_arguments(parser: argparse.ArgumentParser) -> None:
    """``review [FILTER...] [--due-within 3d] [--last-mile]``: a review aimed at part of the list."""
    parser.add_argument("filter", nargs="*", metavar="FILTER",
                        help="only tasks matching, as the board's / filter: words and +tags")
    parser.add_argument("--due-within", metavar="WINDOW", type=_window,
                        help="only tasks due within that many days (3d, 2w), overdue included")
    parser.add_argument("--last-mile", action="store_true",
                        help="only tasks whose final step is all that is left")


def _window(text: str) -> int:
    from lastmile_tui.domain.errors import InvalidInput
    from lastmile_tui.domain.review import parse_within

    try:
        return parse_within(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def review_aim(args: argparse.Namespace) -> ReviewAim | None:
    """The aim the review command was given, or None (the whole review; plain ``lastmile``)."""
    if not getattr(args, "review", False):
        return None
    from lastmile_tui.domain.review import ReviewAim

    return ReviewAim(" ".join(args.filter), args.due_within, args.last_mile)


def _in_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_tui(args: argparse.Namespace) -> int:
    if not _in_terminal():
        raise UsageError("the app needs a terminal (standard input and output are not both one); "
                         "lastmile list prints the ranking")
    from lastmile_tui.ui.run import run_app

    with open_store(args, create=True) as store:
        return run_app(store, review=getattr(args, "review", False),
                       review_all=getattr(args, "all", False), review_aim=review_aim(args))


def without_terminal(args: argparse.Namespace) -> int:
    """Plain ``lastmile`` with its output piped or redirected: print the ranking, never the app."""
    parser = argparse.ArgumentParser(prog="lastmile")  # list's own defaults, whatever they become
    views.register(parser.add_subparsers())
    listing = parser.parse_args(["list"])
    listing.db = args.db
    return views.cmd_list(listing)


def no_command(args: argparse.Namespace) -> int:
    """Plain ``lastmile``: the app in a terminal, the list anywhere else."""
    return cmd_tui(args) if _in_terminal() else without_terminal(args)
