"""Taskwarrior-style tokens inside a quick-add title: ``due:fri``, ``+tag``, ``final:"text"``.

The shell has already removed one level of quotes, so both
``lastmile add Pay rent final:"transfer to landlord"`` (one argument
``final:transfer to landlord``) and ``lastmile add "Pay rent final:'transfer' +home"``
(quotes kept inside one argument) must be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_QUOTED = re.compile(r"""(?<!\S)(final|due):(?:"([^"]*)"|'([^']*)')(?!\S)""")
_WORD = re.compile(r"\S+")


@dataclass
class QuickAdd:
    title: str
    final_step: str | None = None
    due: str | None = None
    tags: list[str] = field(default_factory=list)


def _apply(result: QuickAdd, key: str, value: str) -> None:
    if key == "final":
        result.final_step = value
    else:
        result.due = value


def parse_quick_add(words: list[str]) -> QuickAdd:
    """Split argv words into title words and the tokens lastmile understands."""
    result = QuickAdd(title="")
    title: list[str] = []
    for arg in words:
        head, sep, rest = arg.partition(":")
        if sep and head in ("final", "due") and " " in rest:
            _apply(result, head, rest.strip().strip("\"'"))
            continue

        def take(match: re.Match[str]) -> str:
            _apply(result, match.group(1), match.group(2) or match.group(3) or "")
            return " "

        arg = _QUOTED.sub(take, arg)
        for word in _WORD.findall(arg):
            key, sep, value = word.partition(":")
            if sep and key in ("final", "due") and value:
                _apply(result, key, value.strip("\"'"))
            elif word.startswith("+") and len(word) > 1:
                result.tags.append(word[1:])
            else:
                title.append(word)
    result.title = " ".join(title)
    return result
