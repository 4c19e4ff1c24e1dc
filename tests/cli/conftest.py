"""Run the real ``lastmile`` command in a subprocess against a temp database."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


def lastmile_command() -> list[str]:
    script = Path(sys.executable).parent / "lastmile"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lastmile_tui"]


@dataclass
class Result:
    code: int
    out: str
    err: str


class Runner:
    def __init__(self, db: Path, home: Path) -> None:
        self.db = db
        self.env = {
            **os.environ,
            "LASTMILE_DB": str(db),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "COLUMNS": "160",
        }

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None) -> Result:
        proc = subprocess.run(
            [*lastmile_command(), *args],
            capture_output=True,
            text=True,
            input=input if input is not None else "",
            env={**self.env, **(env or {})},
            timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def lastmile(tmp_path: Path) -> Runner:
    return Runner(tmp_path / "cli.db", tmp_path / "home")
