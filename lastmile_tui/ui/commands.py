"""Command palette (ctrl+p): every action of the current screen, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, action, help), per screen class name; actions run on that screen.
COMMANDS: dict[str, list[tuple[str, str, str]]] = {
    "BoardScreen": [
        ("Add task", "add", "a · a new task with its final step"),
        ("Edit task", "edit", "e · change the highlighted task"),
        ("Set final step", "final_step", "f · name the action that makes it done"),
        ("Check next step", "check_next", "space · tick the next unchecked step"),
        ("Complete task", "complete", "c · confirm the final step, then complete"),
        ("Drop task", "drop", "D · close it without finishing, with a reason"),
        ("Reopen task", "reopen", "o · reopen a done or dropped task"),
        ("Undo", "undo", "u · undo the last change"),
        ("Filter", "filter", "/ · by text or +tag"),
        ("Show or hide done and dropped tasks", "toggle_closed", "t"),
        ("Review near-finished tasks", "review", "r · one task at a time"),
        ("Help: keys", "help", "?"),
    ],
    "TaskDetailScreen": [
        ("Check next step", "task('check_next')", "space · tick the next unchecked step"),
        ("Complete task", "task('complete')", "c · confirm the final step, then complete"),
        ("Edit task", "task('edit')", "e"),
        ("Set final step", "task('final_step')", "f · name the action that makes it done"),
        ("Drop task", "task('drop')", "D · close it without finishing, with a reason"),
        ("Undo", "undo", "u · undo the last change"),
        ("Back to the board", "back", "escape / q"),
        ("Help: keys", "help", "?"),
    ],
    "ReviewScreen": [
        ("I did the final step", "finished", "y · confirm and complete"),
        ("Check next step", "step", "s"),
        ("Skip", "skip", "n"),
        ("Snooze", "snooze", "z · leave it out of review for a few days"),
        ("Edit task", "edit", "e"),
        ("Drop task", "drop", "d"),
        ("Back to the board", "back", "escape · q"),
    ],
}


class LastmileCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        return COMMANDS.get(type(self.screen).__name__, [])

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)

    async def discover(self) -> Hits:
        for title, action, help_ in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_ in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=help_)
