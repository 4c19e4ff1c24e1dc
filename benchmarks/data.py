"""The tasks every figure measures: generated once per size, built into a database through the
store's bulk path (the JSON import) and shared; ``--data DIR`` keeps them between runs."""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from benchmarks._lastmile import FORMAT, VERSION, Store, to_rows, write_export
from benchmarks.timing import probe

SEED = 20261125
GENERATOR = 1  # bump when the generated mix changes, so that kept databases are rebuilt

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
            "wait": None,
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
    return {"format": FORMAT, "version": VERSION, "tasks": records}


def built_files(size: int, folder: Path) -> tuple[Path, Path]:
    """Where the database and the export file of *size* tasks live in *folder*."""
    return folder / f"lastmile-{size}-g{GENERATOR}.db", folder / f"export-{size}-g{GENERATOR}.json"


def build(size: int, folder: Path) -> tuple[Path, Path]:
    """The database and export of *size* tasks, built once and kept (in a child: this process stays small)."""
    db, export = built_files(size, folder)
    if not (db.exists() and export.exists()):
        probe("build", "--size", size, "--data", folder)
    return db, export


def probe_build(args: argparse.Namespace, _folder: Path) -> dict[str, Any]:
    """Build through the JSON import; the export is written last, so a build cut short is redone."""
    db, export = built_files(args.size, args.data)
    remove_database(db)
    document = generate(args.size, date.today())
    with Store(db) as store:
        store.import_rows(to_rows(document))
    write_export(document["tasks"], export)
    return {"db": str(db), "export": str(export)}


def remove_database(path: Path) -> None:
    """A database and the files SQLite keeps beside it."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        path.with_name(name).unlink(missing_ok=True)


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
        remove_database(target)
        with Store(self.db(size)) as store:
            store.backup(target)
        return target
