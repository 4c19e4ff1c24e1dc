"""Claims (completed elsewhere, waiting for a person) are a lane of the stored ranking: every write
that sets or clears one ranks the row again, and a database from before the lane is ranked again
when it is opened (schema v7)."""

from __future__ import annotations

import sqlite3
from datetime import date

from lastmile_tui.domain.ranking import Stage, order_columns, stage
from lastmile_tui.domain.review import ReviewAim
from lastmile_tui.domain.task import Status
from lastmile_tui.store import db
from lastmile_tui.store.store import Store
from tests.conftest import NOW
from tests.oracles.ranking import rank
from tests.oracles.store import claim, summaries


def stored(store: Store, task_id: int) -> tuple:
    with store._reading() as conn:
        return conn.execute("SELECT rank_stage, rank_fraction, due_key, priority_rank FROM task"
                            " WHERE id = ?", (task_id,)).fetchone()


def ranked_rightly(store: Store, task_id: int) -> bool:
    """The row's rank columns are what the domain says of the task as it is."""
    return stored(store, task_id) == order_columns(store.get(task_id))


def test_every_path_that_sets_or_clears_a_claim_ranks_the_row_again(store):
    later = store.add("due next month", final_step="sign", steps=["a", "b"], due=date(2026, 12, 20))
    store.add("overdue, last mile", final_step="send", steps=["a"], due=date(2026, 11, 20))
    store.check(2, 1)
    claimed = claim(store, later.id)  # the import door, as a sync brings it
    assert claimed.done_claimed_at is not None and claimed.status is Status.OPEN
    assert stored(store, later.id)[0] == Stage.CLAIMED and ranked_rightly(store, later.id)
    assert [t.id for t in store.ranked_page(0, 10)] == [later.id, 2]  # above overdue work

    store.reopen(later.id)  # "not yet": the claim goes, with a note
    assert store.get(later.id).done_claimed_at is None and "Not done yet" in store.get(later.id).notes
    assert stored(store, later.id)[0] == Stage.NOT_STARTED and ranked_rightly(store, later.id)
    assert [t.id for t in store.ranked_page(0, 10)] == [2, later.id]

    store.undo()  # the claim comes back, and with it the lane
    assert store.get(later.id).done_claimed_at is not None and ranked_rightly(store, later.id)
    assert [t.id for t in store.ranked_page(0, 10)] == [later.id, 2]

    done = store.complete(later.id, confirm=True)  # one confirmation finishes it
    assert done.status is Status.DONE and done.done_claimed_at is None and done.final_confirmed
    assert ranked_rightly(store, later.id)
    store.undo()
    assert store.get(later.id).done_claimed_at is not None and ranked_rightly(store, later.id)
    store.drop(later.id, "not needed")
    assert store.get(later.id).done_claimed_at is None and ranked_rightly(store, later.id)


def test_the_claim_lane_is_counted_placed_and_reviewed_first(store):
    store.add("no final step, done on the phone")
    store.add("nothing to do with it", final_step="send")
    store.add("overdue", final_step="send", due=date(2026, 11, 1))
    claim(store, 1)
    shape = store.board_shape()
    assert list(shape.stages.items()) == [(Stage.CLAIMED, 1), (Stage.DUE_NOW, 1),
                                          (Stage.NOT_STARTED, 1)]
    assert store.place(1) == (False, 0) and store.place(3) == (False, 1)
    overview = store.overview()
    assert (overview.open, overview.last_mile, overview.overdue) == (3, 0, 1)
    # review asks about the claim first, even without a final step, whatever it is aimed at
    assert store.review_queue() == [1, 3]
    assert store.review_queue(aim=ReviewAim(due_within_days=0, last_mile=True)) == [1]
    assert store.review_queue(aim=ReviewAim(query="phone")) == [1]
    assert store.review_queue(aim=ReviewAim(query="overdue")) == [3]
    store.mark_reviewed(1)  # answered later today: it stays on the board, out of today's review
    assert store.review_queue() == [3]


def test_opening_a_v6_database_ranks_its_claims_in_their_lane(tmp_path):
    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db.migrate(conn, path, target=6)
    conn.executemany(
        "INSERT INTO task (id, title, final_step, due, status, created_at, updated_at, steps_total,"
        " steps_done, uid, rank_stage, rank_fraction, due_key, priority, priority_rank,"
        " done_claimed_at) VALUES (?, ?, 'send', ?, 'open', '2026-11-01 09:00:00.000000',"
        " '2026-11-02 09:00:00.000000', 1, ?, ?, ?, ?, ?, ?, ?, ?)",
        [  # as v6 ranked them: by progress alone, the claim somewhere in the middle
            (1, "last mile", None, 1, "u1", 0, -0.5, "~", None, 3, None),
            (2, "claimed on the phone", "2026-12-01", 0, "u2", 3, 0.0,
             "2026-12-01 00:00:00.000000", "H", 0, "2026-11-24 08:00:00.000000"),
        ],
    )
    conn.close()
    with Store(path, clock=lambda: NOW) as store:
        assert [t.id for t in store.ranked_page(0, 10)] == [2, 1]
        assert [r.item.id for r in rank(summaries(store), NOW)] == [2, 1]
        assert stage(store.get(2)) is Stage.CLAIMED and ranked_rightly(store, 2)
        assert stored(store, 1) == (0, -0.5, "~", 3)  # the rest is left as it was
    assert (tmp_path / "v6.db.bak-v6").exists()
