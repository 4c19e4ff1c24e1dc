"""Import and export: the JSON import of the largest export, each part timed (reading, checking,
inserting), against plain sqlite3 inserting the same rows in one transaction."""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks._lastmile import Rows, Store, read_export, to_rows
from benchmarks.data import Suite, remove_database
from benchmarks.timing import Row, measured, probe, seconds

FIGURES = (
    "bulk import",
    "bulk import with reading the file",
    "bulk import: read JSON",
    "bulk import: check (to_rows)",
    "bulk import: insert (import_rows)",
)


def bulk_import(suite: Suite) -> list[Row]:
    """The JSON import of the largest export (reading, checking, inserting) against raw sqlite3 inserts."""
    result = probe("import", "--file", suite.export(suite.big), "--runs", suite.runs)
    total = [c + i for c, i in zip(result["check"], result["insert"], strict=True)]
    size, floor, floor_of = suite.big, result["floor"], "sqlite3 executemany of the same rows"
    return [
        measured("bulk import", size, total, floor, floor_of, max_value=10_000),
        measured("bulk import with reading the file", size,
                 [r + t for r, t in zip(result["read"], total, strict=True)], [], ""),
        measured("bulk import: read JSON", size, result["read"], [], ""),
        measured("bulk import: check (to_rows)", size, result["check"], [], ""),
        measured("bulk import: insert (import_rows)", size, result["insert"], floor, floor_of),
    ]


def _probe_import(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Import the export into a fresh database *runs* times, each part timed, and the raw floor after."""
    export = Path(args.file)
    result: dict[str, list[float]] = {"read": [], "check": [], "insert": [], "floor": []}
    for _ in range(args.runs):
        start = time.perf_counter()
        document = read_export(export)
        read = time.perf_counter()
        rows = to_rows(document)
        result["read"].append(read - start)
        result["check"].append(time.perf_counter() - read)
        del document
        target = folder / "import.db"
        remove_database(target)
        with Store(target) as store:
            result["insert"].append(seconds(lambda store=store, rows=rows: store.import_rows(rows)))
        remove_database(target)
        result["floor"].append(_raw_insert(folder / "raw.db", rows))
    return result


@contextmanager
def _raw(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _raw_insert(path: Path, rows: Rows) -> float:
    """Seconds for plain sqlite3 to insert the same rows in one transaction (the schema made by the store)."""
    remove_database(path)
    Store(path).close()
    tables = []
    for name, values in (("task", rows.tasks), ("step", rows.steps), ("event", rows.events)):
        if values:
            columns = list(values[0])
            sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
            tables.append((sql, [{k: _plain(v) for k, v in row.items()} for row in values]))
    with _raw(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for sql, values in tables:
            conn.executemany(sql, values)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
    remove_database(path)
    return elapsed


def _plain(value: object) -> object:
    """Dates as the text SQLAlchemy stores, converted before timing (sqlite3's adapters are deprecated)."""
    return value.isoformat(" ") if isinstance(value, datetime) else value


PROBES: dict[str, Callable[[argparse.Namespace, Path], Any]] = {"import": _probe_import}
