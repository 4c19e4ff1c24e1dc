"""Snapshots of the main views at 120x35 and 80x24, from the demo list at a fixed moment.

A snapshot belongs to one Textual version. After an intended change to the
look, regenerate with ``pytest tests/snapshots --snapshot-update`` and look at
the SVGs in ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from lastmile_tui.ui.app import LastmileApp
from lastmile_tui.ui.screens.confirm import ConfirmClaimScreen, ConfirmFinalScreen
from lastmile_tui.ui.screens.detail import TaskDetailScreen
from lastmile_tui.ui.screens.help import HelpScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.screens.stats import StatsScreen
from tests.snapshots.snapshot_app import SIZE, SMALL, build_app, settle

SnapCompare = Callable[..., bool]


@pytest.fixture
def demo_app(tmp_path: Path) -> Iterator[Callable[..., LastmileApp]]:
    """Build demo apps on temp databases and close their stores afterwards."""
    apps: list[LastmileApp] = []

    def factory(**kwargs: bool) -> LastmileApp:
        app = build_app(tmp_path / f"app{len(apps)}", **kwargs)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.store.close()


def test_board(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """The ranked list with the last-mile task highlighted and its detail beside it."""
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=settle)


def test_board_detail_focused(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """Enter on "Release v2.3" puts the focus in its checklist."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_complete_modal(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """c on the last-mile task asks "Did you do this?" about its final step."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot, until=ConfirmFinalScreen)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_review(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """``lastmile review`` opens on the nearest-finished task."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot, until=ReviewScreen)

    assert snap_compare(demo_app(review=True), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """? on the board lists every key, board and review."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot, until=HelpScreen)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_board_80x24(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """The default terminal: the list alone, the header's short words, help and quit in the footer."""
    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=settle)


def test_board_with_a_claim_80x24(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """A task completed on a phone leads the board in its own lane, with the key that answers it."""
    assert snap_compare(demo_app(claim=True), terminal_size=SMALL, run_before=settle)


def test_claim_modal_80x24(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """c on it asks "Completed elsewhere — did you do this?": yes, not yet, or later."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot, until=ConfirmClaimScreen)

    assert snap_compare(demo_app(claim=True), terminal_size=SMALL, run_before=run_before)


def test_board_synced_80x24(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """Sync configured: the header ends with when it last synced, still one line at 80 columns."""
    app = demo_app()
    assert app.config.path is not None
    app.config.path.write_text('[sync]\nurl = "https://dav.example.org/"\nusername = "alice"\n',
                               encoding="utf-8")
    app.store.set_sync_state({"last_sync": "2026-11-25 09:42:07"})
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_detail_screen_80x24(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp]) -> None:
    """Enter on "Release v2.3" at 80x24 opens its detail as a screen of its own."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot, until=TaskDetailScreen)

    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x35", "80x24"])
def test_stats(snap_compare: SnapCompare, demo_app: Callable[..., LastmileApp], size) -> None:
    """S on the board: the headline digits, the weekly sparkline, per-tag bars, the stalled list."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot, until=StatsScreen)

    assert snap_compare(demo_app(), terminal_size=size, run_before=run_before)
