"""Every key of the app, declared once per screen.

A screen's ``BINDINGS`` (and so its footer), the footer keys a narrow or a wide
terminal leaves out, its lines on the ``?`` help screen, its command-palette
entries and review's legend line are all built from the tables below, so a
rebinding changes all of them at once.

A new key: add a ``Key`` to its screen's table (table order is footer order),
name its id in the table's ``help`` order (and ``palette`` order, where the table
has one) if it should be listed, and write the screen's ``action_…`` method.
Keys that a widget handles itself (the list's cursor keys) or Textual does
(the palette) are listed in help through a ``Note``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from textual.binding import Binding
from textual.content import Content

from lastmile_tui.domain.review import DEFAULT_SNOOZE_DAYS
from lastmile_tui.ui.widgets.footer import action_class

if TYPE_CHECKING:
    from textual.screen import Screen

Width = Literal["always", "wide", "narrow", "never"]
"""Where the footer shows a key: always, only on a wide or only on a narrow terminal, or never."""

SPELLED = {"slash": "/", "question_mark": "?"}
"""How help and the palette write a key; any other key is written as Textual names it."""
SHORT = SPELLED | {"escape": "esc"}
"""How the one-line legends write a key (the footer's own spelling)."""


def spelled(keys: Iterable[str], sep: str = " / ") -> str:
    return sep.join(SPELLED.get(k, k) for k in keys)


def short(key: str) -> str:
    return SHORT.get(key, key)


@dataclass(frozen=True)
class Key:
    """One action on a screen and every way it is shown.

    ``keys`` are bound and listed everywhere (the first one is the footer's);
    ``aliases`` are bound and listed in help but not in the palette;
    ``also`` are keys bound elsewhere (the app) for the same thing, listed in help.
    Help and palette text may name another key of the table as ``{its id}``.
    """

    keys: tuple[str, ...]
    action: str
    label: str
    id: str = ""
    footer: Width = "always"
    help: str = ""
    palette: str = ""
    palette_help: str = ""
    legend: str = ""
    aliases: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

    def bindings(self) -> list[Binding]:
        """The key's ``Binding``s: the first key as declared, every other one bound quietly."""
        if not self.keys + self.aliases:
            return []  # a palette entry only
        first, *others = self.keys + self.aliases
        return [Binding(first, self.action, self.label, show=self.footer != "never", id=self.id or None)] + [
            Binding(key, self.action, self.label, show=False, id=f"{self.id}_{key}" if self.id else None)
            for key in others
        ]


@dataclass(frozen=True)
class Note:
    """A help line for keys a widget or Textual handles; with ``action``, the footer widths of
    that widget key on this screen."""

    keys: str
    help: str
    action: str = ""
    footer: Width = "never"


HelpLine = str | tuple[str, ...] | Note
"""A key's id, ids whose keys share one line (joined with " · "), or a note."""


@dataclass(frozen=True)
class KeyTable:
    """A screen's keys in footer order, with the order of its help lines and palette entries."""

    title: str
    keys: tuple[Key, ...]
    help: tuple[HelpLine, ...] = ()
    palette: tuple[str, ...] | None = None
    """Palette order by id; by default the table's order."""
    palette_key_sep: str = " / "
    ids: dict[str, Key] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", {k.id: k for k in self.keys})
        assert len(self.ids) == len(self.keys), f"{self.title}: two keys share an id"

    def __getitem__(self, key_id: str) -> Key:
        return self.ids[key_id]

    def bindings(self) -> list[Binding]:
        """The screen's ``BINDINGS``."""
        return [binding for key in self.keys for binding in key.bindings()]

    def _text(self, text: str) -> str:
        return text.format_map({k.id: spelled(k.keys) for k in self.keys}) if "{" in text else text

    def help_lines(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the help screen, in the table's help order."""
        lines = []
        for item in self.help:
            if isinstance(item, Note):
                lines.append((item.keys, item.help))
                continue
            group = [self[i] for i in ((item,) if isinstance(item, str) else item)]
            lines.append((" · ".join(spelled(k.keys + k.aliases + k.also) for k in group),
                          " · ".join(self._text(k.help) for k in group)))
        return lines

    def palette_entries(self) -> list[tuple[str, str, str]]:
        """(title, action, help) for the command palette: the help starts with the keys."""
        order = self.keys if self.palette is None else [self[i] for i in self.palette]
        entries = []
        for key in order:
            if key.palette:
                keys = spelled(key.keys, self.palette_key_sep)
                help_ = " · ".join(part for part in (keys, self._text(key.palette_help)) if part)
                entries.append((key.palette, key.action, help_))
        return entries

    def footer_hidden(self) -> list[tuple[str, str]]:
        """(width class, action) of each footer key that one width leaves out."""
        hidden = {"wide": "-narrow", "narrow": "-wide"}
        return [(hidden[k.footer], k.action) for k in (*self.keys, *self.help)
                if isinstance(k, Key | Note) and k.footer in hidden]

    def legend(self, **values: str) -> Content:
        """Every key the footer always shows, bold, with its ``legend`` words (formatted with *values*)."""
        parts: list[str | tuple[str, str]] = []
        for key in self.keys:
            if key.footer == "always":
                if parts:
                    parts.append(" · ")
                parts += [(f"{short(key.keys[0])} ", "b"), key.legend.format(**values)]
        return Content.assemble(*parts)


def alone(key: Key, words: str) -> Content:
    """One key's every binding and what it does: ``esc or q back to the board``."""
    parts: list[str | tuple[str, str]] = []
    for k in key.keys:
        parts += ["or "] if parts else []
        parts.append((f"{short(k)} ", "b"))
    return Content.assemble(*parts, words)


def help_sections(*tables: KeyTable) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help screen's sections, one per table."""
    return [(table.title, table.help_lines()) for table in tables]


def footer_css(*screens: type[Screen]) -> str:
    """The CSS that hides footer keys by width, from each screen class's ``KEYS``.

    ``KeyFooter`` tags each footer key with ``action_class(its action)``.
    """
    selectors = [f"{screen.__name__}.{width} FooterKey.{action_class(action)}"
                 for screen in screens for width, action in screen.KEYS.footer_hidden()]  # type: ignore[attr-defined]
    return ",\n".join(selectors) + " {\n    display: none;\n}\n" if selectors else ""


# -- the tables ---------------------------------------------------------------------------------

PALETTE_KEY = "ctrl+p"
"""Textual's command palette key (``App.COMMAND_PALETTE_BINDING``)."""

APP = KeyTable("App", (
    Key(("ctrl+q",), "quit", "Quit", id="quit", footer="never"),
    Key((), "app.sync_now", "Sync now", id="sync_now", footer="never",
        palette="Sync now", palette_help="with the CalDAV server in config.toml's [sync]"),
))
"""Every screen's palette lists these too; a key without keys is a palette entry only."""

BOARD = KeyTable("Board", (
    Key(("a",), "add", "Add", id="add",
        help="add a task (title, final step, steps, due, tags)",
        palette="Add task", palette_help="a new task with its final step"),
    Key(("e",), "edit", "Edit", id="edit", footer="never",
        help="edit the highlighted task",
        palette="Edit task", palette_help="change the highlighted task"),
    Key(("E",), "edit_in_editor", "Edit in $EDITOR", id="edit_in_editor", footer="never",
        help="edit the highlighted task as text in your $VISUAL / $EDITOR",
        palette="Edit task in $EDITOR", palette_help="the task as a text document in your editor"),
    Key(("f",), "final_step", "Final step", id="final_step", footer="never",
        help="set or change its final step",
        palette="Set final step", palette_help="name the action that makes it done"),
    Key(("space",), "check_next", "Check step", id="check_next",
        help="check the next unchecked step",
        palette="Check next step", palette_help="tick the next unchecked step"),
    Key(("c",), "complete", "Complete", id="complete", aliases=("x",),
        help="complete: asks “Did you do this?” about the final step",
        palette="Complete task", palette_help="confirm the final step, then complete"),
    Key(("D",), "drop", "Drop", id="drop", footer="wide",
        help="drop: close it without finishing, with a reason",
        palette="Drop task", palette_help="close it without finishing, with a reason"),
    Key(("z",), "wait", "Wait", id="board_wait", footer="never",
        help=f"wait: hide it (or every marked task) for {DEFAULT_SNOOZE_DAYS} days, as review's z does",
        palette="Wait a few days", palette_help="hide it from the board and review for a few days"),
    Key(("v",), "mark", "Mark", id="mark", footer="never",
        help="mark or unmark it; c, D and z then act on every marked task at once ({clear_filter} clears)",
        palette="Mark task", palette_help="c, D and z then act on every marked task"),
    Key(("o",), "reopen", "Reopen", id="reopen", footer="never",
        help="reopen a done or dropped task (in the all-tasks view)",
        palette="Reopen task", palette_help="reopen a done or dropped task"),
    Key(("u",), "undo", "Undo", id="undo", footer="wide",
        help="undo the last change (asks first if it was made outside this window)",
        palette="Undo", palette_help="undo the last change"),
    Key(("slash",), "filter", "Filter", id="filter", footer="wide",
        help="filter by text or +tag ({clear_filter} clears)",
        palette="Filter", palette_help="by text or +tag"),
    Key(("t",), "toggle_closed", "Done/dropped", id="toggle_closed", footer="never",
        help="show or hide done and dropped tasks",
        palette="Show or hide done and dropped tasks"),
    Key(("r",), "review", "Review", id="review", footer="wide",
        help="review mode: finish what is nearly finished",
        palette="Review near-finished tasks", palette_help="one task at a time"),
    Key(("R",), "aimed_review", "Aimed review", id="aimed_review", footer="never",
        help="review only some tasks: +tag or words, due:3d, last-mile (asks first)",
        palette="Review some tasks", palette_help="by +tag or words, due:3d, last-mile"),
    Key(("S",), "stats", "Stats", id="stats", footer="never",
        help="statistics: finishes per week, finish rate, last-mile times, the longest stalled",
        palette="Statistics", palette_help="finishes per week and last-mile times"),
    Key(("question_mark",), "help", "Help", id="help",
        help="this help", palette="Help: keys"),
    Key(("q",), "app.quit", "Quit", id="quit_board", also=APP["quit"].keys, help="quit"),
    Key(("escape",), "clear_filter", "Clear filter", id="clear_filter", footer="never"),
), help=(
    Note("j / k, ↓ / ↑", "move through the list"),
    Note("g / G", "first / last task"),
    Note("tab", "switch between the list and the detail pane"),
    "add", "edit", "edit_in_editor", "final_step", "check_next", "mark", "board_wait",
    Note("enter", "to the checklist (on a step: toggle it); narrow: the detail screen",
         action="select", footer="narrow"),
    "complete", "drop", "reopen", "undo", "filter", "toggle_closed", "review", "aimed_review", "stats",
    Note(PALETTE_KEY, "command palette: every action by name"),
    Note(f"{PALETTE_KEY} Sync now", "sync with the CalDAV server of config.toml's [sync] (the header "
                                    "says when it last did)"),
    "help", "quit_board",
))

DETAIL = KeyTable("Task detail", (
    Key(("escape", "q"), "back", "Back", id="detail_back",
        help="back to the board", palette="Back to the board"),
    Key(("space",), "task('check_next')", "Check step", id="detail_check_next",
        help="check the next unchecked step",
        palette="Check next step", palette_help="tick the next unchecked step"),
    Key(("c",), "task('complete')", "Complete", id="detail_complete", aliases=("x",),
        help="complete: asks “Did you do this?” about the final step",
        palette="Complete task", palette_help="confirm the final step, then complete"),
    Key(("e",), "task('edit')", "Edit", id="detail_edit",
        help="edit the task", palette="Edit task"),
    Key(("E",), "task('edit_in_editor')", "Edit in $EDITOR", id="detail_edit_in_editor", footer="never",
        help="edit it as text in your $VISUAL / $EDITOR",
        palette="Edit task in $EDITOR", palette_help="the task as a text document in your editor"),
    Key(("f",), "task('final_step')", "Final step", id="detail_final_step", footer="wide",
        help="set or change its final step",
        palette="Set final step", palette_help="name the action that makes it done"),
    Key(("D",), "task('drop')", "Drop", id="detail_drop", footer="wide",
        help="drop it, with a reason",
        palette="Drop task", palette_help="close it without finishing, with a reason"),
    Key(("u",), "undo", "Undo", id="detail_undo", footer="never",
        help="undo the last change (as on the board)",
        palette="Undo", palette_help="undo the last change"),
    Key(("question_mark",), "help", "Help", id="detail_help", palette="Help: keys"),
), help=(
    Note("j / k, ↓ / ↑", "move through the steps"),
    Note("enter", "toggle the highlighted step"),
    "detail_check_next", "detail_complete", ("detail_edit", "detail_final_step"), "detail_edit_in_editor",
    "detail_drop",
    "detail_undo", "detail_back",
), palette=("detail_check_next", "detail_complete", "detail_edit", "detail_edit_in_editor",
            "detail_final_step", "detail_drop",
            "detail_undo", "detail_back", "detail_help"))

REVIEW = KeyTable("Review", (
    Key(("y",), "finished", "I did the final step", id="review_yes",
        help="I did the final step: confirm it and complete the task",
        palette="I did the final step", palette_help="confirm and complete",
        legend="I did the final step"),
    Key(("s",), "step", "Check step", id="review_step",
        help="check the next step", palette="Check next step", legend="check next step"),
    Key(("n",), "skip", "Skip", id="review_skip",
        help="skip to the next task", palette="Skip", legend="skip"),
    Key(("z",), "snooze", "Wait", id="review_snooze",
        help="wait: hide it from review, the board and lastmile list for a few days (3 by default;"
             " lastmile list --waiting shows it)",
        palette="Wait a few days", palette_help="hide it from review and the board for a few days",
        legend="wait {days}"),
    Key(("e",), "edit", "Edit", id="review_edit",
        help="edit the task", palette="Edit task", legend="edit"),
    Key(("d",), "drop", "Drop", id="review_drop",
        help="drop it, with a reason", palette="Drop task", legend="drop"),
    Key(("escape", "q"), "back", "Back to board", id="review_back",
        help="back to the board (a review can be resumed later today)",
        palette="Back to the board", legend="back"),
    Key(("question_mark",), "help", "Help", id="review_help", footer="never"),
), help=(
    "review_yes", "review_step", "review_skip", "review_snooze", "review_edit", "review_drop",
    "review_back",
), palette_key_sep=" · ")

STATS = KeyTable("Statistics", (
    Key(("enter",), "open", "Open", id="stats_open",
        help="open the highlighted stalled task's detail",
        palette="Open task", palette_help="the highlighted stalled task's detail"),
    Key(("r",), "review", "Review it", id="stats_review",
        help="review the highlighted stalled task: did you do its final step?",
        palette="Review task", palette_help="the highlighted stalled task, in review mode"),
    Key(("escape", "q"), "back", "Back", id="stats_back",
        help="back to the board", palette="Back to the board"),
    Key(("question_mark",), "help", "Help", id="stats_help", palette="Help: keys"),
), help=(
    Note("j / k, ↓ / ↑", "move through the stalled tasks"),
    "stats_open", "stats_review", "stats_back",
))

HELP_DIALOG = KeyTable("Help", (
    Key(("escape", "q", "question_mark"), "close", "Close"),
))


def help_hint() -> str:
    """The help screen's last lines: the keys that work everywhere, and how to close it."""
    quit_board, quit_app = BOARD["quit_board"], APP["quit"]
    *first, last = (short(k) for k in HELP_DIALOG[""].keys)
    return (f"{PALETTE_KEY} command palette · {spelled(quit_board.keys)} on the board or "
            f"{spelled(quit_app.keys)} anywhere quits\n{', '.join(first)} or {last} closes this help")
