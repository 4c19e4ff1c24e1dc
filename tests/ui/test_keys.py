"""Keys are declared once (ui/keys.py): what the running app binds is what its help, palette,
footer and review legend say."""

from __future__ import annotations

import dataclasses
import re

from textual.widgets._footer import FooterKey

from lastmile_tui.ui import keys
from lastmile_tui.ui.commands import LastmileCommands
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.detail import TaskDetailScreen
from lastmile_tui.ui.screens.help import HelpScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from tests.ui.conftest import press

WIDE, NARROW = (120, 35), (80, 24)


def bound(screen) -> dict[str, list[str]]:
    """action → the keys the live screen binds to it, in binding order."""
    actions: dict[str, list[str]] = {}
    for key, bindings in screen._bindings.key_to_bindings.items():
        for binding in bindings:
            actions.setdefault(binding.action, []).append(key)
    return actions


def cell_keys(cell: str) -> list[str]:
    return re.split(r" / | · ", cell)


async def open_screen(app, pilot, cls):
    """The screen of class *cls*, reached with keys as a person would."""
    if cls is TaskDetailScreen:
        await press(pilot, "enter")  # at 80 columns enter opens the detail screen
    assert isinstance(app.screen, cls), app.screen
    return app.screen


async def screens(seeded, make):
    """(app, pilot, screen) for the board, the detail screen and review, each at 80x24."""
    for cls in (BoardScreen, TaskDetailScreen, ReviewScreen):
        app = make(seeded, review=cls is ReviewScreen)
        async with app.run_test(size=NARROW) as pilot:
            await pilot.pause()
            yield app, pilot, await open_screen(app, pilot, cls)


async def test_every_documented_key_is_listed_in_help_with_the_key_that_is_bound(seeded, make):
    checked = 0
    async for app, pilot, screen in screens(seeded, make):
        table, actions = type(screen).KEYS, bound(screen)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        title, lines = app.screen.sections[0]
        assert title == table.title
        notes = {item.keys for item in table.help if isinstance(item, keys.Note)}
        for key in table.keys:
            for pressed in actions[key.action]:
                rows = [(cell, text) for cell, text in lines if keys.spelled([pressed]) in cell_keys(cell)]
                if key.help:
                    assert any(key.help.split("{")[0] in text for _, text in rows), (title, pressed)
                    checked += 1
        app_keys = {k for k, _ in app._bindings.key_to_bindings.items()}
        for cell, _text in lines:
            if cell in notes:
                continue
            for shown in cell_keys(cell):  # no help line names a key nothing binds
                assert any(keys.spelled([k]) == shown for ks in actions.values() for k in ks) or \
                    shown in app_keys, (title, cell)
    assert checked >= 20


async def test_every_palette_entry_shows_the_key_bound_to_its_action(seeded, make):
    async for _app, _pilot, screen in screens(seeded, make):
        table, actions = type(screen).KEYS, bound(screen)
        everywhere = keys.APP.palette_entries()  # the app's own ("Sync now"), after the screen's
        hits = [hit async for hit in LastmileCommands(screen).discover()]
        assert [str(hit.display) for hit in hits] == [t for t, _, _ in table.palette_entries() + everywhere]
        hits, app_hits = hits[:len(hits) - len(everywhere)], hits[len(hits) - len(everywhere):]
        assert [hit.command.args[0] for hit in app_hits] == ["app.sync_now"]
        assert app_hits[0].help.startswith("with the CalDAV server")  # no key to lead with: none bound
        for hit in hits:
            action = hit.command.args[0]
            names = [keys.spelled([k]) for k in actions[action]]
            shown = []
            for token in cell_keys(hit.help):  # the keys the entry leads with, then what it does
                if token not in names:
                    break
                shown.append(token)
            assert shown and shown[0] == names[0], (hit.help, action, names)
        documented = {k.action for k in table.keys if k.palette}
        assert {hit.command.args[0] for hit in hits} == documented


def legend_keys(screen) -> list[str]:
    content = screen.query_one("#review-keys").content
    return [content.plain[span.start:span.end].strip() for span in content.spans if span.style == "b"]


PALETTE = "command_palette"
"""Textual's own palette key, at the right of every footer."""


def footer_shown(screen) -> list[str]:
    return [key.key_display for key in screen.query(FooterKey) if key.display and key.action != PALETTE]


async def test_the_review_legend_lists_exactly_the_footer_keys(seeded, make):
    app = make(seeded, review=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.current_task is not None
        assert legend_keys(screen) == footer_shown(screen) == ["y", "s", "n", "z", "e", "d", "esc"]
        while not screen.finished:
            await press(pilot, "n")
        assert footer_shown(screen) == ["esc"]  # only back is offered once the review is over
        back = bound(screen)["back"]
        assert legend_keys(screen) == [keys.short(k) for k in back] == ["esc", "q"]


async def test_footer_keys_hidden_by_width_are_those_the_table_declares(seeded, make):
    for size, width in ((NARROW, "narrow"), (WIDE, "wide")):
        app = make(seeded)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = BoardScreen.KEYS
            declared = {item.action: item.footer for item in (*table.keys, *table.help)
                        if isinstance(item, keys.Key | keys.Note)}
            footer = [key for key in app.screen.query(FooterKey) if key.action != PALETTE]
            assert footer
            for key in footer:
                assert key.display == (declared[key.action] in ("always", width)), (width, key.action)


def test_a_rebinding_changes_bindings_help_palette_and_legend_together():
    """The derivation itself: one edit to a table entry reaches every place a key is shown."""
    board = keys.BOARD
    table = dataclasses.replace(board, keys=tuple(
        dataclasses.replace(k, keys=("X",)) if k.id == "drop" else k for k in board.keys))
    drop = [b for b in table.bindings() if b.action == "drop"]
    assert [(b.key, b.id, b.show) for b in drop] == [("X", "drop", True)]
    assert ("X", "drop: close it without finishing, with a reason") in table.help_lines()
    assert ("Drop task", "drop", "X · close it without finishing, with a reason") in table.palette_entries()
    assert ("-narrow", "drop") in table.footer_hidden()

    review = keys.REVIEW
    table = dataclasses.replace(review, keys=tuple(
        dataclasses.replace(k, keys=("N",)) if k.id == "review_skip" else k for k in review.keys))
    assert "N skip" in table.legend(days="3d").plain and "n skip" not in table.legend(days="3d").plain
    assert table.bindings() != review.bindings()
