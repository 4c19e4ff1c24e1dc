"""Several tasks at once: tags added or removed (``+urgent -someday``) rather than replaced, for
one task or many (``Store.edit_many``). The ids a person types are the CLI's (``cli/ids.py``).
"""

from __future__ import annotations

from collections.abc import Iterable


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
