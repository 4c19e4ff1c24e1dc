"""Start the app from the CLI (imported only by the commands that open it)."""

from __future__ import annotations

from lastmile_tui.config import Config
from lastmile_tui.domain.review import ReviewAim
from lastmile_tui.store.store import Store
from lastmile_tui.ui.app import make_app


def run_app(store: Store, *, review: bool = False, review_all: bool = False,
            review_aim: ReviewAim | None = None) -> int:
    app = make_app(store, config=Config.load(), review=review, review_all=review_all,
                   review_aim=review_aim)
    app.run()
    return app.return_code or 0
