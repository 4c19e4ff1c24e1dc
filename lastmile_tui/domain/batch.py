"""Several tasks at once: the ids a person types (``3 4 7``, ``5-9``, ``3,4``) and tags added or
removed (``+urgent -someday``) rather than replaced.

Pure and standard library only: the CLI parses with it, the store's batch methods and the app's
marks apply what it returns, so every interface reads a selection the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from lastmile_tui.domain.errors import InvalidInput

MAX_RANGE = 1000
"""A range of more ids than this is a typing mistake (``5-9000``), not a selection."""

MAX_ID = 2**63 - 1
"""SQLite's largest rowid: no task id is larger."""


def _number(text: str, what: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(f"{text!r} is not a {what} (whole numbers from 1, or a range like 5-9)")
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{text!r} is not a {what} ({what}s start at 1)")
    return value


def parse_id_word(word: str, what: str = "task id") -> list[int]:
    """One word typed on a command line: ``7``, ``5-9`` (both ends included) or ``3,4,9-11``."""
    ids: list[int] = []
    for part in word.split(","):
        first, dash, last = part.strip().partition("-")
        if not dash:
            ids.append(_number(first, what))
            continue
        low, high = _number(first, what), _number(last, what)
        if high < low:
            raise InvalidInput(f"{part!r} is a reversed range: write {low}-{high} as {high}-{low}")
        if high - low + 1 > MAX_RANGE:
            raise InvalidInput(f"{part!r} names {high - low + 1} {what}s; a range holds at most "
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


def retag(tags: tuple[str, ...], add: Iterable[str], remove: Iterable[str]) -> tuple[str, ...]:
    """*tags* with *add* appended (when missing) and *remove* taken out; all already clean.
    Removing a tag the task does not have is no change, not a mistake: a batch mixes tasks."""
    gone = {tag.lower() for tag in remove}
    kept = [tag for tag in tags if tag.lower() not in gone]
    have = {tag.lower() for tag in kept}
    for tag in add:
        if tag.lower() not in have and tag.lower() not in gone:
            kept.append(tag)
            have.add(tag.lower())
    return tuple(kept)
