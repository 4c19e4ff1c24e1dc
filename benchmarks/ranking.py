"""The ranking: what the board reads of it from the store (counts, header and the first page) at
every size, and the reference ranking in memory on every task of the largest database.

The reference (``rank``) is test-only code in ``tests/oracles/ranking.py``, the
order the store's SQL is held equal to; it is measured here because a caller
that holds every open task would rank them that way.
"""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter

from benchmarks._lastmile import Store, page_size
from benchmarks.data import Suite
from benchmarks.timing import Row, measured, seconds
from tests.oracles.store import summaries

FIGURES = ("board read (counts + first page)", "ranking")


def board_read(suite: Suite) -> list[Row]:
    """What the board reads on open and after each change: counts, header and the first page,
    at every size against the smallest (the work must not grow with the database)."""
    page = page_size()

    def read(store: Store) -> None:
        store.board_shape()
        store.overview()
        store.ranked_page(0, page)

    samples: dict[int, list[float]] = {}
    for size in suite.sizes:
        with Store(suite.db(size)) as store:
            read(store)
            samples[size] = [seconds(lambda store=store: read(store)) for _ in range(suite.runs)]
    small = samples[suite.small]
    return [measured("board read (counts + first page)", size, samples[size], small,
                     f"the same at {suite.small:,}") for size in suite.sizes[1:]]


def ranking(suite: Suite) -> list[Row]:
    """``rank`` on every task of the largest database as open ones, against one plain sort of them."""
    from lastmile_tui.domain.task import Status
    from tests.oracles.ranking import rank

    with Store(suite.db(suite.big)) as store:
        items = [s.with_changes(status=Status.OPEN, done_at=None, dropped_reason=None)
                 for s in summaries(store, include_closed=True)]
    now = datetime.now()
    by_update = attrgetter("updated_at")
    ranked, floor = [], []
    for _ in range(suite.runs):
        ranked.append(seconds(lambda: rank(items, now)))
        floor.append(seconds(lambda: sorted(items, key=by_update)))
    return [measured("ranking", len(items), ranked, floor, "sorted() by one attribute", max_value=250)]
