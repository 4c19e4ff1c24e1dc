"""The ids a person types on a command line: ``3 4 7``, ``5-9``, ``3,4,9-11``, and the ``+tag`` /
``-tag`` words of ``edit``.

Standard library only, and imported by the parser itself (argparse types), so that parsing
``lastmile done 3`` loads nothing beyond the cli package. A mistake is a ``ValueError`` whose
words name the word typed.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_RANGE = 1000
"""A range of more ids than this is a typing mistake (``5-9000``), not a selection."""

MAX_ID = 2**63 - 1
"""SQLite's largest rowid: no task id is larger."""


def _number(text: str, what: str, largest: int | None) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"{text!r} is not a {what} (whole numbers from 1, or a range like 5-9)")
    value = int(text)
    if value < 1:
        raise ValueError(f"{text!r} is not a {what} ({what}s start at 1)")
    if largest is not None and value > largest:
        raise ValueError(f"{text!r} is not a {what} (too large)")
    return value


def parse_id_word(word: str, what: str = "task id", largest: int | None = MAX_ID) -> list[int]:
    """One word typed on a command line: ``7``, ``5-9`` (both ends included) or ``3,4,9-11``.
    *largest* None leaves a number too large for any id to the command (``no step 99``)."""
    ids: list[int] = []
    for part in word.split(","):
        first, dash, last = part.strip().partition("-")
        if not dash:
            ids.append(_number(first, what, largest))
            continue
        if not first or not last:  # -1, 5-: not a range, and not a number either
            raise ValueError(f"{part!r} is not a {what} (whole numbers from 1, or a range like 5-9)")
        low, high = _number(first, what, largest), _number(last, what, largest)
        if high < low:
            raise ValueError(f"{part!r} is a reversed range: write {low}-{high} as {high}-{low}")
        if high - low + 1 > MAX_RANGE:
            raise ValueError(f"{part!r} names {high - low + 1} {what}s; a range holds at most "
                             f"{MAX_RANGE}")
        ids.extend(range(low, high + 1))
    return ids


def parse_ids(words: Iterable[str], what: str = "task id") -> list[int]:
    """Every id the words name, each once, in the order first named."""
    return unique(i for word in words for i in parse_id_word(word, what))


def unique(ids: Iterable[int]) -> list[int]:
    """*ids* without repeats, in the order first seen (``done 3 3`` completes task 3 once)."""
    return list(dict.fromkeys(ids))


def is_tag_word(word: str) -> bool:
    """``+tag`` or ``-tag``: one word, a sign and at least one more character that is not a sign
    (``--due`` is an option, ``-`` alone is a file, ``-5`` a number)."""
    return (len(word) > 1 and word[0] in "+-" and word[1] not in "+-"
            and not word[1:].isdigit() and not any(c.isspace() for c in word))
