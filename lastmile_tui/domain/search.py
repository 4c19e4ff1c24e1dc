"""The filter a person types (``/`` on the board, ``--tag`` on the CLI): words and +tags.

One rule for every interface: the store calls it from SQL, so a filter reads
only the rows it keeps and the board still loads one screen at a time.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=64)
def parse_query(query: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tags that must be present, words that must appear), lower-cased."""
    tags: list[str] = []
    words: list[str] = []
    for word in query.lower().split():
        if word.startswith("+") and len(word) > 1:
            tags.append(word[1:])
        else:
            words.append(word)
    return tuple(tags), tuple(words)


def matches_fields(query: str, title: str, final_step: str, tags: tuple[str, ...]) -> bool:
    """``+tag`` must be one of the tags; every other word must appear in title, final step or tags."""
    need_tags, words = parse_query(query)
    lowered = [t.lower() for t in tags]
    if any(tag not in lowered for tag in need_tags):
        return False
    if not words:
        return True
    text = "\n".join((title.lower(), final_step.lower(), *lowered))
    return all(word in text for word in words)
