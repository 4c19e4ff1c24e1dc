"""lastmile's benchmark suite (issue 5): each figure is a median next to a floor measured in the same run.

    python benchmarks/run.py [--sizes 100,10000,100000] [--runs 5] [--json FILE]
                             [--quick] [--peers] [--data DIR]

Databases are built once per size through the store's bulk path (the JSON
import) and shared by every figure; ``--data DIR`` keeps them between runs.
A figure and its floor are measured alternately, so a machine that slows
down moves both and the ratio stays trustworthy. Each TUI figure runs in a
fresh interpreter: this file again, with the hidden ``--probe`` option.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from operator import attrgetter
from pathlib import Path
from typing import Any

from lastmile_tui.formats import lastmile_json
from lastmile_tui.store import interchange
from lastmile_tui.store.store import Store

HERE = Path(__file__).resolve()
SEED = 20261125
GENERATOR = 1  # bump when the generated mix changes, so that kept databases are rebuilt
SCREEN = (120, 35)
PRESSES = 200
SINGLE_PRESSES = 20
DETAIL_QUIET = 0.15  # lastmile_tui.ui.screens.board.DETAIL_QUIET, not imported: the parent never loads the UI
DEFAULT_SIZES = (100, 10_000, 100_000)
QUICK_SIZES = (100, 1_000)
IMPORT_FLOOR = "import sqlmodel, dateutil.parser, platformdirs"

FIGURES = (
    "quick-add",
    "quick-add imports textual",
    "list",
    "TUI first frame",
    "TUI first frame (absolute)",
    "TUI keystroke",
    "TUI keystroke (pilot wall)",
    "TUI keystroke after a pause",
    "TUI check step",
    "bulk import",
    "bulk import with reading the file",
    "bulk import: read JSON",
    "bulk import: check (to_rows)",
    "bulk import: insert (import_rows)",
    "board read (counts + first page)",
    "list -n 0 (every open task)",
    "ranking",
    "memory",
)
"""Every row name the suite prints (the test checks that a quick run prints them all)."""


# -- the data -------------------------------------------------------------------------------

_VERBS = ["Send", "Fix", "Write", "Review", "Plan", "Call", "Renew", "Book", "Pay", "Clean up",
          "Ship", "Draft", "Order", "Update", "Test", "Return", "Sort out", "Prepare"]
_THINGS = ["the invoice for March", "kitchen tap", "blog post on caching", "pull request #412",
           "team offsite", "dentist appointment", "passport", "flights to Lisbon", "electricity bill",
           "garage shelves", "release 2.3", "grant report", "office chair", "résumé", "backup script",
           "tax return", "Zoë's birthday present", "conference talk", "car insurance", "photo album"]
_STEPS = ["gather receipts", "outline", "first draft", "ask Ana", "check the numbers", "book a slot",
          "print the form", "buy parts", "run the tests", "get sign-off", "pack", "compare prices",
          "find the old file", "write it up", "proofread"]
_FINALS = ["email it to the client", "merge and deploy", "publish the post", "submit the form",
           "pay online", "hand it in", "send the confirmation", "tell the team", "file it"]
_TAGS = ["work", "home", "admin", "writing", "errand", "money", "health", "code"]
_LATER_KINDS = ["step_checked", "edited", "final_set", "step_added"]


def generate(size: int, today: date, seed: int = SEED) -> dict[str, Any]:
    """An export of *size* tasks with the issue's mix; the same seed and day give the same document.

    Steps 0–8, a third of the open tasks on the last mile, about 10% without a
    final step, due dates spread around *today* (some overdue, most none),
    20% done or dropped, 1–3 history events per task.
    """
    rng = random.Random(seed)
    start = datetime.combine(today, clock_time(9, 0))
    records: list[dict[str, Any]] = []
    event_id = 0
    for task_id in range(1, size + 1):
        created = start - timedelta(days=rng.uniform(1, 400))
        updated = created + (start - created) * rng.random()
        roll = rng.random()
        status = "done" if roll < 0.12 else "dropped" if roll < 0.20 else "open"
        count = rng.randint(0, 8)
        final = rng.choice(_FINALS) if status == "done" or rng.random() >= 0.10 else ""
        # 0.42 of the open tasks with a final step and a step: about a third of all open ones
        last_mile = status == "done" or (bool(final) and count > 0 and rng.random() < 0.42)
        checked = count if last_mile else rng.randint(0, count - 1) if count else 0
        steps = [
            {"text": rng.choice(_STEPS), "done_at": (created + (updated - created) * rng.random()).isoformat()
             if number < checked else None}
            for number in range(count)
        ]
        confirmed = status == "done" or (last_mile and rng.random() < 0.1)
        due = None
        if rng.random() < 0.45:
            day = today + timedelta(days=rng.randint(-20, 60))
            due = f"{day.isoformat()} 17:00" if rng.random() < 0.2 else day.isoformat()
        record = {
            "id": task_id,
            "title": f"{rng.choice(_VERBS)} {rng.choice(_THINGS)}",
            "final_step": final,
            "final_step_confirmed_at": updated.isoformat() if confirmed else None,
            "steps": steps,
            "tags": rng.sample(_TAGS, rng.choice((0, 0, 1, 1, 2))),
            "notes": "See the shared folder; ask before spending over 200." if rng.random() < 0.2 else "",
            "due": due,
            "status": status,
            "created_at": created.isoformat(),
            "updated_at": updated.isoformat(),
            "done_at": updated.isoformat() if status == "done" else None,
            "dropped_reason": rng.choice((None, "no longer needed", "someone else did it"))
            if status == "dropped" else None,
            "snoozed_until": None,
            "reviewed_on": None,
        }
        event_id += 1
        history = [{"id": event_id, "at": created.isoformat(), "kind": "created", "detail": record["title"],
                    "before": None, "undone_at": None}]
        last = {"done": "completed", "dropped": "dropped"}.get(status)
        for number in range(rng.randint(0, 2)):
            event_id += 1
            kind = last if last and number == 0 else rng.choice(_LATER_KINDS)
            history.append({"id": event_id, "at": updated.isoformat(), "kind": kind, "detail": "",
                            "before": dict(record), "undone_at": None})
        record["history"] = history
        records.append(record)
    return {"format": lastmile_json.FORMAT, "version": lastmile_json.VERSION, "tasks": records}


def built_files(size: int, folder: Path) -> tuple[Path, Path]:
    """Where the database and the export file of *size* tasks live in *folder*."""
    return folder / f"lastmile-{size}-g{GENERATOR}.db", folder / f"export-{size}-g{GENERATOR}.json"


def build(size: int, folder: Path) -> tuple[Path, Path]:
    """The database and export of *size* tasks, built once and kept (in a child: this process stays small)."""
    db, export = built_files(size, folder)
    if not (db.exists() and export.exists()):
        probe("build", "--size", size, "--data", folder)
    return db, export


def _probe_build(args: argparse.Namespace, _folder: Path) -> dict[str, Any]:
    """Build through the JSON import; the export is written last, so a build cut short is redone."""
    db, export = built_files(args.size, args.data)
    _remove_database(db)
    document = generate(args.size, date.today())
    with Store(db) as store:
        store.import_rows(interchange.to_rows(document))
    interchange.write_export(document["tasks"], export)
    return {"db": str(db), "export": str(export)}


def _remove_database(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        path.with_name(name).unlink(missing_ok=True)


# -- rows of the table ------------------------------------------------------------------------


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
            _show(self.median, self.unit),
            "—" if self.floor is None else _show(self.floor, self.unit),
            "—" if ratio is None else f"{ratio:.2f}×",
            self.target or "—",
            self.verdict,
        ]


def _show(value: float | str, unit: str) -> str:
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
        row.target = f"≤ {_show(max_value, unit)}"
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


# -- measuring ------------------------------------------------------------------------------


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


def alternate(commands: list[list[str]], runs: int, env: dict[str, str] | None = None) -> list[list[float]]:
    """Time each command *runs* times, one of each in turn, after one untimed round (page cache, .pyc)."""
    for command in commands:
        _timed(command, env)
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, times in zip(commands, samples, strict=True):
            times.append(_timed(command, env))
    return samples


def lastmile_command() -> list[str]:
    """The installed ``lastmile`` script beside this interpreter, else ``python -m lastmile_tui``."""
    script = Path(sys.executable).with_name("lastmile")
    return [str(script)] if script.exists() else [sys.executable, "-m", "lastmile_tui"]


def probe(kind: str, *options: object) -> dict[str, Any]:
    """Run one measurement (or a build) in a fresh interpreter and return the JSON it printed."""
    command = [sys.executable, str(HERE), "--probe", kind, *map(str, options)]
    proc = subprocess.run(command, env=child_environment(), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@dataclass
class Suite:
    """The sizes, the built databases and a scratch folder shared by every figure."""

    sizes: list[int]
    runs: int
    presses: int
    data: Path
    scratch: Path
    built: dict[int, tuple[Path, Path]] = field(default_factory=dict)

    @property
    def small(self) -> int:
        return self.sizes[0]

    @property
    def big(self) -> int:
        return self.sizes[-1]

    @property
    def mid(self) -> int:
        """The issue's 10k: the middle size, or the largest when only two are given."""
        return self.sizes[1] if len(self.sizes) > 2 else self.sizes[-1]

    def db(self, size: int) -> Path:
        return self.built[size][0]

    def export(self, size: int) -> Path:
        return self.built[size][1]

    def copy(self, size: int, name: str) -> Path:
        """A private copy of a database, for figures that write to it."""
        target = self.scratch / name
        _remove_database(target)
        with Store(self.db(size)) as store:
            store.backup(target)
        return target


def quick_add(suite: Suite) -> list[Row]:
    """``lastmile add`` as a person types it, against the bare imports it cannot avoid."""
    db = suite.copy(suite.mid, "quick-add.db")
    args = ["--db", str(db), "add", "x", "--final", "y", "--due", "fri"]
    add, floor = alternate([lastmile_command() + args, [sys.executable, "-c", IMPORT_FLOOR]], suite.runs)
    rows = [measured("quick-add", suite.mid, add, floor, f"python -c {IMPORT_FLOOR!r}", max_ratio=1.25)]
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "lastmile_tui", *args],
                          env=child_environment(), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode:
        raise RuntimeError(f"lastmile add failed: {proc.stderr[-2000:]}")
    modules = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:")}
    textual = sorted(m for m in modules if m.split(".")[0] == "textual")
    answer = f"yes ({len(textual)} modules)" if textual else "no"
    rows.append(Row("quick-add imports textual", suite.mid, answer, "", target="no",
                    verdict="MISS" if textual else "PASS"))
    return rows


def list_command(suite: Suite) -> list[Row]:
    """``lastmile list``: the larger list against the smaller (and the first against the imports)."""
    sizes = suite.sizes[1:] if len(suite.sizes) > 2 else suite.sizes
    commands = [lastmile_command() + ["--db", str(suite.db(size)), "list"] for size in sizes]
    *lists, floor = alternate([*commands, [sys.executable, "-c", IMPORT_FLOOR]], suite.runs)
    rows = [measured("list", sizes[0], lists[0], floor, f"python -c {IMPORT_FLOOR!r}")]
    for index in range(1, len(sizes)):
        size, before = sizes[index], sizes[index - 1]
        rows.append(measured("list", size, lists[index], lists[index - 1], f"list at {before:,}",
                             max_ratio=1.5 if size == suite.big else None))
    everything = lastmile_command() + ["--db", str(suite.db(suite.big)), "list", "-n", "0"]
    (every,) = alternate([everything], max(1, min(suite.runs, 3)))
    rows.append(measured("list -n 0 (every open task)", suite.big, every, lists[-1],
                         f"list at {suite.big:,}"))
    return rows


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


def ranking(suite: Suite) -> list[Row]:
    """``rank`` on every task of the largest database as open ones, against one plain sort of them."""
    from lastmile_tui.domain.ranking import rank
    from lastmile_tui.domain.task import Status

    with Store(suite.db(suite.big)) as store:
        items = [replace(s, status=Status.OPEN, done_at=None, dropped_reason=None)
                 for s in store.summaries(include_closed=True)]
    now = datetime.now()
    by_update = attrgetter("updated_at")
    ranked, floor = [], []
    for _ in range(suite.runs):
        ranked.append(_seconds(lambda: rank(items, now)))
        floor.append(_seconds(lambda: sorted(items, key=by_update)))
    return [measured("ranking", len(items), ranked, floor, "sorted() by one attribute", max_value=250)]


def board_read(suite: Suite) -> list[Row]:
    """What the board reads on open and after each change: counts, header and the first page,
    at every size against the smallest (the work must not grow with the database)."""
    from lastmile_tui.ui.widgets.rows import PAGE

    def read(store: Store) -> None:
        store.board_shape()
        store.overview()
        store.ranked_page(0, PAGE)

    samples: dict[int, list[float]] = {}
    for size in suite.sizes:
        with Store(suite.db(size)) as store:
            read(store)
            samples[size] = [_seconds(lambda store=store: read(store)) for _ in range(suite.runs)]
    small = samples[suite.small]
    return [measured("board read (counts + first page)", size, samples[size], small,
                     f"the same at {suite.small:,}") for size in suite.sizes[1:]]


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
        document = interchange.read(export)
        read = time.perf_counter()
        rows = interchange.to_rows(document)
        result["read"].append(read - start)
        result["check"].append(time.perf_counter() - read)
        del document
        target = folder / "import.db"
        _remove_database(target)
        with Store(target) as store:
            result["insert"].append(_seconds(lambda store=store, rows=rows: store.import_rows(rows)))
        _remove_database(target)
        result["floor"].append(_raw_insert(folder / "raw.db", rows))
    return result


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


@contextmanager
def _raw(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _raw_insert(path: Path, rows: interchange.Rows) -> float:
    """Seconds for plain sqlite3 to insert the same rows in one transaction (the schema made by the store)."""
    _remove_database(path)
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
    _remove_database(path)
    return elapsed


def _plain(value: object) -> object:
    """Dates as the text SQLAlchemy stores, converted before timing (sqlite3's adapters are deprecated)."""
    return value.isoformat(" ") if isinstance(value, datetime) else value


# -- the TUI probes (each in a fresh interpreter) ---------------------------------------------


def _board(db: Path, folder: Path) -> Any:
    from lastmile_tui.config import Config
    from lastmile_tui.ui.app import make_app

    return make_app(Store(db), config=Config(path=folder / "c.toml"), poll_interval=3600)


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
    candidates = [s.id for s in store.summaries() if s.steps_done < s.steps_total]
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
    "build": _probe_build,
    "import": _probe_import,
    "first-frame": _probe_first_frame,
    "keys": _probe_keys,
    "check": _probe_check,
}


def run_probe(args: argparse.Namespace) -> int:
    """The child's side of :func:`probe`: one JSON line on stdout."""
    with tempfile.TemporaryDirectory(prefix="lastmile-probe-") as folder:
        result = PROBES[args.probe](args, Path(folder))
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
    print(json.dumps(result))
    return 0


# -- Taskwarrior side by side ------------------------------------------------------------------


def _tw_time(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _tw_due(text: str) -> str:
    moment = datetime.fromisoformat(text) if " " in text else datetime.combine(
        date.fromisoformat(text), clock_time(23, 59, 59))
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def taskwarrior_record(record: dict[str, Any]) -> dict[str, Any]:
    """One exported lastmile task as a Taskwarrior 2.6 import record."""
    status = {"open": "pending", "done": "completed", "dropped": "deleted"}[record["status"]]
    out: dict[str, Any] = {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"lastmile:{record['id']}")),
        "description": record["title"],
        "status": status,
        "entry": _tw_time(record["created_at"]),
        "modified": _tw_time(record["updated_at"]),
    }
    if record["tags"]:
        out["tags"] = record["tags"]
    if record["due"]:
        out["due"] = _tw_due(record["due"])
    if status != "pending":
        out["end"] = _tw_time(record["done_at"] or record["updated_at"])
    return out


def peers(suite: Suite) -> dict[str, Any]:
    """Taskwarrior 2.6 beside lastmile at every size, from the same tasks, in a private TASKRC/TASKDATA."""
    task = shutil.which("task")
    if task is None:
        return {"skipped": "Taskwarrior (`task`) is not on PATH (Debian package taskwarrior)"}
    rows = []
    for size in suite.sizes:
        home = suite.scratch / f"taskwarrior-{size}"
        shutil.rmtree(home, ignore_errors=True)
        (home / "data").mkdir(parents=True)
        rc = home / "taskrc"
        rc.write_text(f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
        seed = home / "seed.json"
        document = interchange.read(suite.export(size))
        seed.write_text(json.dumps([taskwarrior_record(r) for r in document["tasks"]]), encoding="utf-8")
        env = child_environment({"TASKRC": str(rc), "TASKDATA": str(home / "data")})
        subprocess.run([task, "import", str(seed)], env=env, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        db = suite.copy(size, f"peers-{size}.db")
        ours = lastmile_command() + ["--db", str(db)]
        pairs = [("add", ours + ["add", "x", "--due", "fri"], [task, "add", "x", "due:fri"]),
                 ("list / next", ours + ["list"], [task, "next"]),
                 ("count", ours + ["count"], [task, "count"])]
        for name, mine, theirs in pairs:
            commands = [c for c in (mine, theirs) if c is not None]
            times = alternate(commands, suite.runs, env)
            theirs_ms = statistics.median(times[-1]) * 1000
            mine_ms = statistics.median(times[0]) * 1000 if mine else None
            rows.append({"figure": name, "size": size, "lastmile_ms": mine_ms, "taskwarrior_ms": theirs_ms,
                         "ratio": mine_ms / theirs_ms if mine_ms else None})
    return {"taskwarrior": task, "rows": rows}


def peers_table(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"peers: skipped: {result['skipped']}"
    lines = ["| peer figure | size | lastmile | Taskwarrior 2.6 | lastmile ÷ Taskwarrior |",
             "|---|--:|--:|--:|--:|"]
    for row in result["rows"]:
        mine = "no such command" if row["lastmile_ms"] is None else _show(row["lastmile_ms"], "ms")
        ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}×"
        theirs = _show(row["taskwarrior_ms"], "ms")
        lines.append(f"| {row['figure']} | {row['size']:,} | {mine} | {theirs} | {ratio} |")
    return "\n".join(lines)


# -- the command ------------------------------------------------------------------------------


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
    parser.add_argument("--presses", type=int, default=PRESSES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.presses = list(QUICK_SIZES), 1, 20
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    return args


# The in-process figures come last, so that the children the others start are forked from a small process.
FIGURE_STEPS: list[Callable[[Suite], list[Row]]] = [
    quick_add, list_command, first_frame, keystroke, check_step, bulk_import, board_read, ranking,
]


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
        peer_result = peers(suite) if args.peers else None
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
        print(peers_table(peer_result))
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
