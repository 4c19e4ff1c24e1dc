"""Make the README screenshots: the real app on a fresh demo database, each at its own size.

Run it from a checkout:  python screenshots/make_screenshots.py [--out DIR]

It seeds a temp database with ``lastmile_tui.demo.seed_demo`` under a fixed
clock (the one the snapshot tests use), so running it twice gives the same
files and a diff shows only real changes to the look. The board is taken wide
enough that every title and final step reads whole and short enough that it is
not half empty; the ``-80x24`` shots show the default terminal. It writes SVGs with
``App.save_screenshot``; when ``rsvg-convert`` (Debian package
``librsvg2-bin``) is on PATH it also writes a PNG beside each one. It installs
nothing itself.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WIDE = (150, 27)  # the whole demo list: every title and final step whole, no empty half
SIZE = (120, 35)
SMALL = (80, 24)
THEME = "textual-dark"

if TYPE_CHECKING:
    from textual.pilot import Pilot
    from textual.screen import Screen

    from lastmile_tui.store.store import Store

Scene = Callable[["Pilot"], Awaitable[None]]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write SVG (and, with rsvg-convert, PNG) screenshots of lastmile's main views."
    )
    parser.add_argument("--out", type=Path, default=HERE, metavar="DIR",
                        help=f"folder to write into (default: {HERE})")
    return parser.parse_args(argv)


async def settle(pilot: Pilot, until: type[Screen] | None = None, tries: int = 50) -> None:
    """Wait for the app to finish what it started; keep text cursors from blinking mid-shot."""
    from textual.widgets import Input, TextArea

    app = pilot.app
    for _ in range(tries):
        await pilot.pause()
        if until is None or isinstance(app.screen, until):
            break
    else:
        raise RuntimeError(f"{until.__name__ if until else 'the app'} did not appear")
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, Input | TextArea)
            widget.cursor_blink = False
    await pilot.pause()


async def board(pilot: Pilot) -> None:
    await settle(pilot)


async def detail(pilot: Pilot) -> None:
    """Release v2.3: steps partly checked and a few history lines; enter focuses its checklist."""
    await settle(pilot)
    await pilot.press("j", "enter")
    await settle(pilot)


async def detail_screen(pilot: Pilot) -> None:
    """At 80x24 there is no room for the pane: enter opens Release v2.3 as a screen of its own."""
    from lastmile_tui.ui.screens.detail import TaskDetailScreen

    await settle(pilot)
    await pilot.press("j", "enter")
    await settle(pilot, until=TaskDetailScreen)


async def complete_modal(pilot: Pilot) -> None:
    from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen

    await settle(pilot)
    await pilot.press("c")
    await settle(pilot, until=ConfirmFinalScreen)


async def review(pilot: Pilot) -> None:
    from lastmile_tui.ui.screens.review import ReviewScreen

    await settle(pilot, until=ReviewScreen)


async def help_screen(pilot: Pilot) -> None:
    from lastmile_tui.ui.screens.help import HelpScreen

    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot, until=HelpScreen)


async def stats_screen(pilot: Pilot) -> None:
    """S on the board: finishes per week, the finish rate, last-mile times, the longest stalled."""
    from lastmile_tui.ui.screens.stats import StatsScreen

    await settle(pilot)
    await pilot.press("S")
    await settle(pilot, until=StatsScreen)


# name -> (how to get there, start in review mode?, terminal size)
SHOTS: dict[str, tuple[Scene, bool, tuple[int, int]]] = {
    "board": (board, False, WIDE),
    "detail": (detail, False, WIDE),
    "complete-modal": (complete_modal, False, WIDE),
    "review": (review, True, (120, 24)),
    "help": (help_screen, False, SIZE),
    "stats": (stats_screen, False, SIZE),
    "board-80x24": (board, False, SMALL),
    "detail-80x24": (detail_screen, False, SMALL),
}


async def shoot(
    store: Store, folder: Path, out: Path, name: str, scene: Scene, in_review: bool, size: tuple[int, int]
) -> Path:
    """Run the real app on *store* in a *size* terminal, walk it to the scene and save ``name.svg``."""
    from lastmile_tui.config import Config
    from lastmile_tui.ui.app import make_app

    config = Config(theme=THEME, path=folder / "config.toml")
    app = make_app(store, config=config, review=in_review, poll_interval=3600.0)
    async with app.run_test(size=size) as pilot:
        await scene(pilot)
        return Path(app.save_screenshot(f"{name}.svg", str(out)))


async def make_all(out: Path) -> list[Path]:
    """Seed one temp database and photograph each view of it (none of them writes to it)."""
    from lastmile_tui.demo import DEMO_NOW, seed_demo
    from lastmile_tui.store.store import Store

    with tempfile.TemporaryDirectory(prefix="lastmile-shots-") as tmp:
        folder = Path(tmp)
        with Store(folder / "lastmile.db", clock=lambda: DEMO_NOW) as store:
            seed_demo(store)
            return [
                await shoot(store, folder, out, name, scene, in_review, size)
                for name, (scene, in_review, size) in SHOTS.items()
            ]


# rsvg-convert 2.54 ignores textLength and collapses leading spaces, so a PNG of the
# SVG as written drifts: text after a run of spaces slides left, long borders come up
# short. For the PNG only, keep spaces (xml:space) and widen each glyph from the
# fallback monospace font's 0.602em (DejaVu Sans Mono, Menlo) to the 0.61em cell
# that Rich lays the SVG out on, at its 20px font size.
_CELL_FIX = "text { letter-spacing: %.2fpx; }\n</style>" % ((0.61 - 0.602) * 20)


def png_ready(svg_text: str) -> str:
    """The SVG as rsvg-convert needs it to draw the terminal grid faithfully."""
    return svg_text.replace("<svg ", '<svg xml:space="preserve" ', 1).replace("</style>", _CELL_FIX, 1)


def to_png(svgs: list[Path]) -> list[Path]:
    """PNG copies via rsvg-convert (cairosvg drifts columns); the SVGs stay as Textual wrote them."""
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        print("rsvg-convert not found (Debian package librsvg2-bin): wrote SVGs only")
        return []
    pngs = []
    for svg in svgs:
        png = svg.with_suffix(".png")
        text = png_ready(svg.read_text(encoding="utf-8"))
        subprocess.run([rsvg, "--output", str(png)], input=text.encode("utf-8"), check=True)
        pngs.append(png)
    return pngs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))  # photograph this checkout, installed or not
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    svgs = asyncio.run(make_all(out))
    for path in [*svgs, *to_png(svgs)]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
