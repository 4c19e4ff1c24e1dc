"""500 tasks through a real Radicale in a bounded number of requests: the figures in the README
("Sync across machines") come from this test (run with ``-s`` to see them)."""

from __future__ import annotations

import time

from lastmile_tui.domain.changes import Create
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Task

N = 500


def test_500_tasks_sync_in_a_bounded_number_of_requests(laptop, desktop):
    now = laptop.now
    laptop.store.apply([Create(Task(None, f"task {n}", final_step="finish it", created_at=now,
                                    updated_at=now), EventKind.CREATED) for n in range(N)])
    figures = {}

    def timed(what, machine):
        started = time.perf_counter()
        report = machine.sync()
        figures[what] = (len(report.requests), time.perf_counter() - started, report.server_seconds)
        return report

    first = timed("first push of 500 (laptop)", laptop)
    assert len(first.pushed) == N and len(first.requests) <= N + 8  # discovery, one REPORT, one PUT each
    pulled = timed("first pull of 500 (desktop)", desktop)
    assert len(pulled.added) == N
    assert len(pulled.requests) <= 6 + -(-N // 200)  # discovery, one REPORT, multiget 200 at a time
    quiet = timed("nothing changed (laptop)", laptop)
    assert len(quiet.requests) == 1 and not quiet.pushed
    for task in list(laptop.store.all_tasks())[:50]:
        laptop.store.edit(task.id, notes="changed")
    changed = timed("50 changed, sent (laptop)", laptop)
    assert len(changed.pushed) == 50 and len(changed.requests) == 51
    taken = timed("50 changed, taken (desktop)", desktop)
    assert len(taken.updated) == 50 and len(taken.requests) == 2  # one REPORT, one multiget
    print()
    for what, (requests, seconds, server) in figures.items():
        print(f"{what}: {requests} requests, {seconds:.2f} s ({server:.2f} s waiting for the server)")
