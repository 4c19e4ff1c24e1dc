"""The export format moved from the store to formats/ without changing a byte.

``tests/data/demo-export.json`` was written by the export as it was before the
move (``store/transfer.py``, commit 48f7fc8) from the demo database seeded at
``DEMO_NOW``, and rewritten once when schema v4 added priority, wait, uid,
done_elsewhere and extra (the uids made ``demo-1``, ``demo-2``… as below), and again when
the demo gained three priorities and a waiting task (issue 12: only those changed); the same
database exported now must give the same bytes, and reading the file back
through the format alone (no database) must give the same records.
"""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

from lastmile_tui.demo import DEMO_NOW, seed_demo
from lastmile_tui.domain import task as rules
from lastmile_tui.formats import lastmile_json
from lastmile_tui.store.store import Store

BEFORE = Path(__file__).parent.parent / "data" / "demo-export.json"


def test_the_demo_database_exports_the_same_bytes_as_before_the_move(tmp_path, monkeypatch):
    numbers = itertools.count(1)  # uids are random; the file's must not be
    monkeypatch.setattr(rules, "new_uid", lambda: f"demo-{next(numbers)}")
    with Store(tmp_path / "demo.db", clock=lambda: DEMO_NOW, create=True) as store:
        seed_demo(store)
        out = io.StringIO()
        lastmile_json.write_stream(out, store.export_records())
    assert out.getvalue() == BEFORE.read_text(encoding="utf-8")


def test_the_format_reads_and_writes_without_a_database():
    text = BEFORE.read_text(encoding="utf-8")
    document = lastmile_json.parse(text, "demo-export.json")
    imported = list(lastmile_json.read_document(document))
    assert [i.id for i in imported] == [record["id"] for record in document["tasks"]]
    again = lastmile_json.document(lastmile_json.export_record(i.task, i.history) for i in imported)
    assert lastmile_json.dumps(again) == text
    assert json.loads(lastmile_json.dumps(again)) == document
