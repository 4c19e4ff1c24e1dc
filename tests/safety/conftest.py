"""Helpers for the data-safety tests: real files, real processes, nothing mocked."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.conftest import Result, Runner


def fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's hash and the names beside it: a refusal must change neither."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return digest, sorted(p.name for p in path.parent.iterdir())


def query(path: Path, sql: str) -> list[tuple]:
    """Rows of *sql* from a fresh connection of our own, closed again at once."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def integrity(path: Path) -> str:
    return query(path, "PRAGMA integrity_check")[0][0]


def count(path: Path, table: str = "task") -> int:
    return query(path, f"SELECT count(*) FROM {table}")[0][0]


def python(script: str, *args: str, **kwargs) -> subprocess.Popen:
    """Start ``python -c script args`` with this checkout importable."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.Popen([sys.executable, "-c", script, *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def wait_for(predicate, timeout: float = 60.0, what: str = "a condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def run_main(db: Path, *args: str) -> Result:
    """``lastmile --db DB ARGS`` in this process: the same code as the command, minus start-up."""
    from lastmile_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), *args])
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def lastmile(tmp_path: Path) -> Runner:
    return Runner(tmp_path / "data" / "lastmile.db", tmp_path / "home")
