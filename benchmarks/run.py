"""lastmile's benchmark suite (issue 5): each figure is a median next to a floor measured in the same run.

    python benchmarks/run.py [--sizes 100,10000,100000] [--runs 5] [--json FILE]
                             [--quick] [--peers] [--data DIR]

Databases are built once per size through the store's bulk path (the JSON
import) and shared by every figure; ``--data DIR`` keeps them between runs.
A figure and its floor are measured alternately, so a machine that slows
down moves both and the ratio stays trustworthy. Each TUI figure runs in a
fresh interpreter: this file again, with the hidden ``--probe`` option.

One module per family of figures: ``cli`` (quick-add, every other command,
help, list, stats), ``tui`` (first frame and its memory, keystrokes, checking
a step), ``transfer`` (the bulk import), ``ranking`` (the board's read, the reference ranking) and ``peers``
(Taskwarrior); ``timing`` is the one timing helper, ``data`` builds the
databases, and ``_lastmile`` holds every import of lastmile's store and ui.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: the repository, not this folder, is what imports resolve in
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from benchmarks import cli, peers, ranking, transfer, tui
from benchmarks.data import Suite, build, probe_build
from benchmarks.timing import Row, table

DEFAULT_SIZES = (100, 10_000, 100_000)
QUICK_SIZES = (100, 1_000)

FIGURES = (*cli.FIGURES, *tui.FIGURES, *transfer.FIGURES, *ranking.FIGURES)
"""Every row name the suite prints (the test checks that a quick run prints them all)."""

PROBES: dict[str, Callable[[argparse.Namespace, Path], Any]] = {
    "build": probe_build, **transfer.PROBES, **tui.PROBES,
}

# The in-process figures come last, so that the children the others start are forked from a small process.
FIGURE_STEPS: list[Callable[[Suite], list[Row]]] = [
    cli.quick_add, cli.commands, cli.list_command, cli.stats_command, tui.first_frame, tui.keystroke,
    tui.check_step, transfer.bulk_import, ranking.board_read, ranking.ranking,
]


def run_probe(args: argparse.Namespace) -> int:
    """The child's side of :func:`probe`: one JSON line on stdout."""
    with tempfile.TemporaryDirectory(prefix="lastmile-probe-") as folder:
        result = PROBES[args.probe](args, Path(folder))
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
    print(json.dumps(result))
    return 0


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are whole numbers joined by commas, not {text!r}") from None
    if len(sizes) < 2 or sizes[0] < 10:
        raise argparse.ArgumentTypeError("give at least two sizes, each of 10 tasks or more")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python benchmarks/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=list(DEFAULT_SIZES),
                        help="task counts, smallest first (default 100,10000,100000)")
    parser.add_argument("--runs", type=int, default=5, help="repeats of each figure; the median is reported")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure and sample here")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 1000, one run (a smoke test)")
    parser.add_argument("--peers", action="store_true", help="Taskwarrior 2.6 side by side, if installed")
    parser.add_argument("--data", type=Path, metavar="DIR", help="keep the built databases here for reuse")
    parser.add_argument("--probe", choices=sorted(PROBES), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--presses", type=int, default=tui.PRESSES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.presses = list(QUICK_SIZES), 1, 20
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.probe:
        return run_probe(args)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lastmile-bench-") as tmp:
        data = args.data or Path(tmp) / "data"
        data.mkdir(parents=True, exist_ok=True)
        suite = Suite(args.sizes, args.runs, args.presses, data, Path(tmp))
        for size in suite.sizes:
            _progress(began, f"database of {size:,} tasks")
            suite.built[size] = build(size, data)
        rows: list[Row] = []
        for step in FIGURE_STEPS:
            _progress(began, step.__doc__.splitlines()[0] if step.__doc__ else step.__name__)
            rows += step(suite)
        peer_result = peers.peers(suite) if args.peers else None
        if peer_result is not None:
            _progress(began, "peers done")
    sizes = ", ".join(f"{s:,}" for s in args.sizes)
    quick = " · quick: smaller sizes stand in for 10k/100k, verdicts only indicative" if args.quick else ""
    print(f"lastmile benchmarks · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"median of {args.runs} run{'s' if args.runs != 1 else ''} · sizes {sizes}{quick}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE is set here; the programs measured ran with bytecode caching on)")
    print()
    print(table(rows))
    print()
    for figure, floor_of in dict.fromkeys((r.figure, r.floor_of) for r in rows if r.floor_of):
        print(f"  floor of {figure}: {floor_of}")
    missed = sorted({r.figure for r in rows if r.verdict == "MISS"})
    print(f"\nMISS: {', '.join(missed)}" if missed else "\nevery target met")
    if peer_result is not None:
        print()
        print(peers.peers_table(peer_result))
    elapsed = time.perf_counter() - began
    print(f"\n(the suite took {elapsed:.0f} s)")
    if args.json:
        report = {
            "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform()},
            "sizes": args.sizes, "runs": args.runs, "quick": args.quick, "seconds": elapsed,
            "figures": [{**asdict(row), "ratio": row.ratio} for row in rows],
            "peers": peer_result,
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def _progress(began: float, what: str) -> None:
    print(f"[{time.perf_counter() - began:6.1f} s] {what}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
