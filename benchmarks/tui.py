"""The Textual board: the first frame at every size (with the peak memory of the same processes),
cursor keystrokes, and a step checked until the list is re-ranked.

Each figure runs in a fresh interpreter (a probe), against a bare Textual app
or the same at the smallest size.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._lastmile import make_board
from benchmarks.data import Suite
from benchmarks.timing import Row, measured, probe
from tests.oracles.store import summaries

SCREEN = (120, 35)
PRESSES = 200
SINGLE_PRESSES = 20
DETAIL_QUIET = 0.15  # lastmile_tui.ui.screens.board.DETAIL_QUIET, not imported: the parent never loads the UI

FIGURES = (
    "TUI first frame",
    "TUI first frame (absolute)",
    "TUI keystroke",
    "TUI keystroke (pilot wall)",
    "TUI keystroke after a pause",
    "TUI check step",
    "memory",
)


def first_frame(suite: Suite) -> list[Row]:
    """The board's first rows at every size, a bare Textual app as the floor; peak memory on the way."""
    seconds: dict[int, list[float]] = {size: [] for size in suite.sizes}
    memory: dict[int, list[float]] = {size: [] for size in suite.sizes}
    bare: list[float] = []
    probe("first-frame")  # warm the page cache and .pyc files
    for _ in range(suite.runs):
        bare.append(probe("first-frame")["seconds"])
        for size in suite.sizes:
            result = probe("first-frame", "--file", suite.db(size))
            seconds[size].append(result["seconds"])
            memory[size].append(result["rss_mb"])
    small = seconds[suite.small]
    rows = [measured("TUI first frame", suite.small, small, bare, "a bare Textual app's first frame")]
    for size in suite.sizes[1:]:
        limit = 1.5 if size == suite.big else 1.2 if size == suite.mid else None
        rows.append(measured("TUI first frame", size, seconds[size], small, f"first frame at {suite.small:,}",
                             max_ratio=limit))
    rows.append(measured("TUI first frame (absolute)", suite.mid, seconds[suite.mid], bare,
                         "a bare Textual app's first frame", max_value=1500))
    rows.append(measured("memory", suite.big, memory[suite.big], memory[suite.small],
                         f"peak RSS at {suite.small:,}", unit="MB", max_value=250))
    return rows


def keystroke(suite: Suite) -> list[Row]:
    """Cursor moves on the board against the same key bound to nothing in a bare app."""
    options = ("--runs", suite.runs, "--presses", suite.presses)
    board = probe("keys", "--file", suite.db(suite.mid), *options)
    bare = probe("keys", *options)
    floor_of = f"the same {suite.presses} presses of a key bound to nothing in a bare app"
    return [
        measured("TUI keystroke", suite.mid, board["cpu"], bare["cpu"], f"CPU time of {floor_of}",
                 max_value=20),
        measured("TUI keystroke (pilot wall)", suite.mid, board["wall"], bare["wall"],
                 f"wall time of {floor_of}"),
        measured("TUI keystroke after a pause", suite.mid, board["single"], bare["single"],
                 "CPU time of one press and a pause in the bare app"),
    ]


def check_step(suite: Suite) -> list[Row]:
    """Space on a task until the list is re-ranked, against the same at the smallest size."""
    board = probe("check", "--file", suite.db(suite.mid), "--runs", suite.runs)["samples"]
    small = probe("check", "--file", suite.db(suite.small), "--runs", suite.runs)["samples"]
    return [measured("TUI check step", suite.mid, board, small, f"check step at {suite.small:,}",
                     max_value=100)]


def _board(db: Path, folder: Path) -> Any:
    return make_board(db, folder / "c.toml")


def _bare() -> Any:
    """The smallest Textual app with the same key bound: what the pilot and Textual cost by themselves."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Static

    class Bare(App[None]):
        BINDINGS = [Binding("j", "nothing", "Nothing")]

        def compose(self) -> ComposeResult:
            yield Static("lastmile", id="bare")

        def action_nothing(self) -> None:
            """The floor of a keystroke: the key is dispatched and nothing else happens."""

    return Bare()


def _shown(app: Any) -> bool:
    """The board lists its first rows (or, for the bare app, its one widget is mounted)."""
    if app.screen.query("#bare"):
        return True
    return any(task_list.task_count > 0 for task_list in app.screen.query("TaskList"))


async def _until(pilot: Any, done: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the board did not show what was expected in time")
        await pilot.pause()


async def _probe_first_frame(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Seconds from opening the store to the board's first rows (imports done before), and peak memory."""
    db = Path(args.file) if args.file else None
    start = time.perf_counter()
    app = _board(db, folder) if db else _bare()
    async with app.run_test(size=SCREEN) as pilot:
        await _until(pilot, lambda: _shown(app))
        seconds = time.perf_counter() - start
        rss_mb = _peak_rss_mb()
    if db:
        app.store.close()
    return {"seconds": seconds, "rss_mb": rss_mb}


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across exec, so a child
    forked from a big parent would report the parent's peak; ``VmHWM`` starts afresh with exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _probe_keys(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Per press in a burst: the process's CPU time (the app's whole work, painting included) and
    the wall time; then the CPU time of single presses each followed by a pause, as a person
    taps a key and reads the detail pane (in a burst the pane is redrawn when the keys stop).

    ``pilot.press`` sleeps in 20 ms steps until the process looks idle, at
    least twice per key, so its wall time says more about the pilot than the
    app; the CPU time leaves those sleeps out (a cursor move reads SQLite from
    the page cache, so it waits on no disk).
    """
    db = Path(args.file) if args.file else None
    app = _board(db, folder) if db else _bare()
    async with app.run_test(size=SCREEN) as pilot:
        await _until(pilot, lambda: _shown(app))
        for _ in range(20):  # warm up caches the first moves fill
            await pilot.press("j")
        cpu, wall = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.presses):
                await pilot.press("j")
            cpu.append((time.process_time() - start_cpu) / args.presses)
            wall.append((time.perf_counter() - start) / args.presses)
        single = []
        for _ in range(SINGLE_PRESSES):  # one key at a time: the detail pane is redrawn for each
            start_cpu = time.process_time()
            await pilot.press("j")
            await pilot.pause(DETAIL_QUIET + 0.05)
            single.append(time.process_time() - start_cpu)
    if db:
        app.store.close()
    return {"cpu": cpu, "wall": wall, "single": single}


async def _probe_check(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Wall time from space on a task with a step left until the list has been set again from the store.

    The key is posted with ``simulate_key`` and the wait yields to the event
    loop without sleeping (``pilot.press`` would add its 20 ms idle checks),
    so the write's fsync counts and the pilot does not. The list's
    ``show`` is wrapped to count calls: the board offers no public sign
    that a re-ranked list is in place.
    """
    db, runs = Path(args.file), args.runs
    app = _board(db, folder)
    store = app.store
    candidates = [s.id for s in summaries(store) if s.steps_done < s.steps_total]
    if len(candidates) <= runs:
        raise RuntimeError(f"{db} has only {len(candidates)} open tasks with a step left")
    chosen = candidates[:: len(candidates) // (runs + 1)][: runs + 1]  # the first one warms up
    async with app.run_test(size=SCREEN) as pilot:
        await _until(pilot, lambda: _shown(app))
        task_list = app.screen.query_one("TaskList")
        resets = [0]
        show = task_list.show

        def counted(*args: Any, **kwargs: Any) -> None:
            show(*args, **kwargs)
            resets[0] += 1

        task_list.show = counted
        samples = []
        for task_id in chosen:
            if not task_list.select_id(task_id):
                raise RuntimeError(f"task {task_id} is not on the board")
            await pilot.pause()
            before, seen = store.get(task_id).steps_done, resets[0]
            start = time.perf_counter()
            app.simulate_key("space")
            while resets[0] == seen:
                if time.perf_counter() - start > 60:
                    raise TimeoutError(f"space on task {task_id} never re-set the list")
                await asyncio.sleep(0)
            samples.append(time.perf_counter() - start)
            await pilot.pause()
            if store.get(task_id).steps_done != before + 1 or task_list.highlighted_id != task_id:
                raise RuntimeError(f"space on task {task_id} did not check its next step in place")
    store.close()
    return {"samples": samples[1:]}


PROBES: dict[str, Callable[[argparse.Namespace, Path], Any]] = {
    "first-frame": _probe_first_frame,
    "keys": _probe_keys,
    "check": _probe_check,
}
