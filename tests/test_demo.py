"""The demo list shows every part of lastmile, and the screenshot script runs from a checkout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from lastmile_tui.demo import DEMO_NOW, seed_demo
from lastmile_tui.domain.dates import is_overdue
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.ranking import Stage
from lastmile_tui.domain.task import Status, is_waiting
from lastmile_tui.store.store import Store
from tests.conftest import Clock
from tests.oracles.ranking import rank
from tests.oracles.store import summaries

SCRIPT = Path(__file__).resolve().parents[1] / "screenshots" / "make_screenshots.py"
SHOTS = ("board", "detail", "complete-modal", "review", "help", "stats", "board-80x24", "detail-80x24")
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("now", [DEMO_NOW, datetime(2027, 3, 1, 18, 30)])
def test_demo_has_the_whole_mix(tmp_path: Path, now: datetime) -> None:
    """Whatever the clock says, the board gets every stage, and the closed list done and dropped."""
    clock = Clock(now)
    with Store(tmp_path / "demo.db", clock=clock) as store:
        seed_demo(store)
        assert store.clock is clock, "seed_demo must give the store its own clock back"
        tasks = summaries(store, include_closed=True)
        history = store.history(1)

    statuses = Counter(t.status for t in tasks)
    assert 12 <= len(tasks) <= 15
    assert statuses[Status.DONE] >= 2
    assert statuses[Status.DROPPED] == 1
    dropped = next(t for t in tasks if t.status is Status.DROPPED)
    assert dropped.dropped_reason

    open_tasks = [t for t in tasks if t.status is Status.OPEN]
    stages = Counter(r.stage for r in rank(open_tasks, now))
    # every stage has a header on the board, but claims: only a sync brings them (the snapshots
    # make one, tests/snapshots/snapshot_app.py)
    assert set(stages) == set(Stage) - {Stage.CLAIMED}
    assert stages[Stage.NO_FINISH_LINE] >= 2
    assert sum(1 for t in open_tasks if t.due is not None and is_overdue(t.due, now)) == 1

    # written in the past, so idle times differ and nothing is stamped after "now"
    assert len({t.updated_at for t in open_tasks}) >= 6
    assert all(t.updated_at <= now for t in tasks)
    assert max(now - t.updated_at for t in open_tasks).days >= 30
    assert history and history[-1].kind is EventKind.CREATED
    assert all(len(t.title) <= 30 for t in tasks)


def test_screenshot_script_help() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--help"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    assert "--out" in result.stdout


def test_screenshot_script_writes_svgs(tmp_path: Path) -> None:
    """Without rsvg-convert on PATH it still writes every SVG, and says in one line why no PNGs."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    out = tmp_path / "shots"
    env = {**os.environ, "PATH": str(empty_bin)}
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "rsvg-convert not found" in result.stdout
    for name in SHOTS:
        svg = out / f"{name}.svg"
        assert svg.read_text(encoding="utf-8").startswith("<svg"), name
    assert not list(out.glob("*.png"))


def test_every_screenshot_is_in_the_readme() -> None:
    """Each shot the script makes is shown in the README, and the README shows no other."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\(screenshots/([\w-]+)\.png\)", readme))
    assert shown == set(SHOTS)
    for name in SHOTS:
        assert (ROOT / "screenshots" / f"{name}.png").is_file(), name


def test_screenshots_are_taken_at_their_sizes(tmp_path: Path) -> None:
    """The board is wide enough for every final step, and the 80x24 shots are 80 by 24."""
    out = tmp_path / "shots"
    env = {**os.environ, "PATH": str(tmp_path)}
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, timeout=120,
                   env=env, check=True)
    board = (out / "board.svg").read_text(encoding="utf-8")
    with Store(tmp_path / "demo.db", clock=Clock(DEMO_NOW)) as store:
        seed_demo(store)
        finals = [t.final_step for t in summaries(store)
                  if t.final_step and not is_waiting(t, DEMO_NOW.date())]  # waiting: not shown
    for final in finals:  # the SVG writes spaces as &#160;
        assert final.replace(" ", "&#160;") in board, final
    small = (out / "board-80x24.svg").read_text(encoding="utf-8")
    assert "?&#160;" in small and "Help" in small and "Quit" in small
