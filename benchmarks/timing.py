"""The one timing helper: whole processes timed alternately with their floor, medians, the table.

A figure and its floor are measured in the same run, one after the other in
turn, so a machine that slows down moves both and the ratio stays
trustworthy. Programs are timed as whole processes (start-up included, as a
person waits for them); a figure that needs a fresh interpreter of its own
runs as a probe: ``run.py`` again with the hidden ``--probe`` option.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUN = Path(__file__).resolve().with_name("run.py")
"""The suite's entry point, which a probe runs again in a fresh interpreter."""



@dataclass
class Row:
    """One line of the table; times are in milliseconds, memory in MB."""

    figure: str
    size: int
    median: float | str
    unit: str
    floor: float | None = None
    floor_of: str = ""
    target: str = ""
    verdict: str = "info"
    samples: list[float] = field(default_factory=list)
    floor_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.floor is None or not isinstance(self.median, float) or self.floor <= 0:
            return None
        return self.median / self.floor

    def cells(self) -> list[str]:
        ratio = self.ratio
        return [
            self.figure,
            f"{self.size:,}",
            show(self.median, self.unit),
            "—" if self.floor is None else show(self.floor, self.unit),
            "—" if ratio is None else f"{ratio:.2f}×",
            self.target or "—",
            self.verdict,
        ]


def show(value: float | str, unit: str) -> str:
    if isinstance(value, str):
        return value
    if unit == "ms" and value >= 1000:
        return f"{value / 1000:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"
    return f"{value:.0f} {unit}"


def measured(
    figure: str,
    size: int,
    samples: list[float],
    floor_samples: list[float],
    floor_of: str,
    *,
    unit: str = "ms",
    max_ratio: float | None = None,
    max_value: float | None = None,
) -> Row:
    """A row from raw samples (seconds for times): the median, its floor and the verdict."""
    scale = 1000.0 if unit == "ms" else 1.0
    values = [s * scale for s in samples]
    floors = [s * scale for s in floor_samples]
    floor = statistics.median(floors) if floors else None
    row = Row(figure, size, statistics.median(values), unit, floor, floor_of,
              samples=values, floor_samples=floors)
    if max_ratio is not None:
        row.target = f"≤ {max_ratio:g}× floor"
        row.verdict = "PASS" if row.median <= max_ratio * row.floor else "MISS"  # type: ignore[operator]
    elif max_value is not None:
        row.target = f"≤ {show(max_value, unit)}"
        row.verdict = "PASS" if row.median <= max_value else "MISS"  # type: ignore[operator]
    return row


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table, ready to paste into the README."""
    header = ["figure", "size", "median", "floor", "ratio", "target", "verdict"]
    body = [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = {1, 2, 3, 4}

    def line(cells: list[str]) -> str:
        padded = (c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths))
    rule += "|"
    return "\n".join([line(header), rule, *(line(cells) for cells in body)])


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment for the programs measured, with bytecode caching on as installs have it.

    With PYTHONDONTWRITEBYTECODE set (as in some sandboxes), every start would
    compile lastmile's own modules again while its dependencies keep the .pyc
    files written when they were installed: a cost no installed lastmile pays.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | (extra or {})


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of one run of *command*; a failure stops the suite with its error."""
    start = time.perf_counter()
    proc = subprocess.run(command, env=env or child_environment(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return elapsed


Command = list[str] | Callable[[int], list[str]]
"""A program to time: the same arguments every round, or a function of the round (0 is the untimed
one, then 1 to *runs*) for a command that must act on something fresh each time."""


def alternate(commands: list[Command], runs: int, env: dict[str, str] | None = None) -> list[list[float]]:
    """Time each command *runs* times, one of each in turn, after one untimed round (page cache, .pyc)."""
    for command in commands:
        _timed(command(0) if callable(command) else command, env)
    samples: list[list[float]] = [[] for _ in commands]
    for round_ in range(1, runs + 1):
        for command, times in zip(commands, samples, strict=True):
            times.append(_timed(command(round_) if callable(command) else command, env))
    return samples


def lastmile_command() -> list[str]:
    """The installed ``lastmile`` script beside this interpreter, else ``python -m lastmile_tui``."""
    script = Path(sys.executable).with_name("lastmile")
    return [str(script)] if script.exists() else [sys.executable, "-m", "lastmile_tui"]


def probe(kind: str, *options: object) -> dict[str, Any]:
    """Run one measurement (or a build) in a fresh interpreter and return the JSON it printed."""
    command = [sys.executable, str(RUN), "--probe", kind, *map(str, options)]
    proc = subprocess.run(command, env=child_environment(), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def seconds(work: Callable[[], object]) -> float:
    """Wall time of one call of *work*, for the figures measured inside this process."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
