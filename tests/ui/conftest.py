"""Pilot-test fixtures: the real app on a temp database, with a fixed clock and config."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from lastmile_tui.config import Config
from lastmile_tui.store.store import Store
from lastmile_tui.ui.app import LastmileApp, make_app


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, then let the app handle what they set off (screens, workers, reloads)."""
    await pilot.press(*keys)
    await pilot.pause()


@pytest.fixture
def seeded(store: Store) -> Store:
    """A small realistic list: one on the last mile, one in progress, one without a finish line."""
    store.add("Send invoice", final_step="email PDF to client", steps=["export hours"],
              due="fri", tags=["work"])
    store.check(1, 1)
    store.add("Write blog post", final_step="publish and share",
              steps=["outline", "draft", "edit"], tags=["writing"])
    store.check(2, 1)
    store.add("Plan offsite")
    return store


@pytest.fixture
def make(tmp_path: Path):
    def factory(store: Store, **kwargs) -> LastmileApp:
        config = Config.load(tmp_path / "config" / "config.toml")
        return make_app(store, config=config, poll_interval=0.2, **kwargs)

    return factory
