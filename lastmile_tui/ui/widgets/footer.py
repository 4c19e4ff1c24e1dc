"""A footer whose keys say which action they run, so a screen's CSS can choose keys by width."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def action_class(action: str) -> str:
    """The class a footer key gets for *action*: ``check_next`` → ``-action-check-next``,
    ``app.quit`` → ``-action-app-quit``, ``task('drop')`` → ``-action-task-drop``."""
    return "-action-" + re.sub(r"[^a-z0-9]+", "-", action.lower()).strip("-")


class KeyFooter(Footer):
    """Textual's footer, each key tagged with ``action_class(its action)``.

    At 80 columns the whole row of keys does not fit, and Textual's footer cuts
    it wherever the width runs out (the help and quit keys went first). Tagged
    keys let ``app.tcss`` hide the less needed ones at narrow widths instead,
    e.g. ``BoardScreen.-narrow FooterKey.-action-drop { display: none; }``;
    those keys still work and are listed by ``?`` and the command palette.
    """

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action:
                widget.add_class(action_class(widget.action))
            yield widget
