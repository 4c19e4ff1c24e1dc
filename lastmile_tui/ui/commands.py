"""Command palette (ctrl+p): every action of the current screen, by name, from its ``KEYS`` table,
then the app's own (``keys.APP``: "Sync now")."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from lastmile_tui.ui.keys import APP, KeyTable


class LastmileCommands(Provider):
    """The screen's entries, then the app's. The palette reads an entry's help as markup, so the
    help is escaped ("[sync]" would vanish)."""

    def _commands(self) -> list[tuple[str, str, str]]:
        table = getattr(self.screen, "KEYS", None)
        return (table.palette_entries() if isinstance(table, KeyTable) else []) + APP.palette_entries()

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)

    async def discover(self) -> Hits:
        for title, action, help_ in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), help=escape(help_))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_ in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=escape(help_))
