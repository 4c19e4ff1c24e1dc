"""Printing shared by the commands: a task's echo, widths in terminal cells, the output encodings.

Standard library only at module level; the domain's ranking and dates are
imported by the functions that use them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lastmile_tui.domain.task import Task, TaskSummary
    from lastmile_tui.store.reader import Reader
    from lastmile_tui.store.store import Store


def ranked_line(store: Reader, task: Task | TaskSummary) -> str:
    """Why the task stands where it does in the ranking, as ``lastmile list`` says it."""
    from lastmile_tui.domain.ranking import reason

    return reason(task, store.clock())


def progress(task: Task | TaskSummary) -> str:
    """Steps done of all, or a dash for a task without steps."""
    from lastmile_tui.domain import ranking

    done, total = ranking.progress(task)
    return f"{done}/{total}" if total else "—"


def echo_task(store: Store, task: Task, verb: str) -> None:
    """One line of what was understood (title, final step, due, priority, wait, tags), then its
    ranking (which says how long a wait hides it)."""
    from lastmile_tui.domain.dates import format_due

    parts = [f"{verb} task {task.id}: {task.title}"]
    if task.final_step:
        parts.append(f"final: {task.final_step}")
    if task.due is not None:
        parts.append(f"due {format_due(task.due)}")
    if task.priority is not None:
        parts.append(f"priority {task.priority.value}")
    if task.wait is not None and task.wait > store.clock().date():
        parts.append(f"wait {format_due(task.wait)}")
    parts.extend(f"+{t}" for t in task.tags)
    print(" · ".join(parts))
    print(f"  {ranked_line(store, task)}")
    if task.repeat is not None:
        from lastmile_tui.domain.series import repeat_line

        print(f"  {repeat_line(task, store.clock())}")


def echo_next(store: Store, closed: Task) -> None:
    """After a finish or a drop: the occurrence of the series that is open now, if one is."""
    if closed.repeat is not None:
        from lastmile_tui.domain.series import next_line

        print(f"  {next_line(closed, store.open_occurrence(closed.series or closed.uid), store.clock())}")

def echo_checked(store: Store, task: Task, done: bool) -> None:
    """After steps were checked: the ranking, and when only the final step is left, what's next."""
    print(f"  {ranked_line(store, task)}")
    if done and task.only_final_step_left:
        print(f"  only the final step is left: {task.final_step}")
        print(f"  when it is done: lastmile done {task.id}")


def claim_answers(task_id: int | str) -> str:
    """How to answer "completed elsewhere" from a shell (``show``, ``list``, ``sync``)."""
    return f"yes: lastmile done {task_id} · not yet: lastmile reopen {task_id}"


def plural(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


# -- widths in terminal cells --------------------------------------------------


def widths(text: str) -> Iterator[int]:
    """Terminal cells of each character, as the app measures them: wide East Asian and emoji
    characters take 2, combining marks 0, and an emoji selector (U+FE0F) widens the symbol
    before it."""
    from unicodedata import category, east_asian_width

    last = 0
    for char in text:
        if char == "\ufe0f":
            width = 1 if last == 1 else 0
        elif category(char) in ("Mn", "Me", "Cf") or (
            "\U0001f3fb" <= char <= "\U0001f3ff" and last == 2  # a skin tone joins its emoji
        ):
            width = 0
        else:
            width = 2 if east_asian_width(char) in ("W", "F") else 1
        last = width
        yield width


def cells(text: str) -> int:
    """How many terminal cells *text* takes (not how many characters)."""
    # one cell each, measured in one scan (one by one was 2 ms of every ``lastmile list``): text
    # below U+0300, the combining marks, but the soft hyphen ("·", "é"), and the dashes, quotes
    # and ellipsis of General Punctuation ("—", "…", "‹›"), not its invisible ones
    if re.search(_NOT_ONE_CELL, text) is None:  # compiled once, by re's cache
        return len(text)
    return sum(widths(text))


_NOT_ONE_CELL = "[^\x20-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e]"


def fit(text: str, width: int) -> str:
    """*text* padded or cut (with …) to exactly *width* terminal cells."""
    used = cells(text)
    if used <= width:
        return text + " " * (width - used)
    used = kept = 0
    for taken in widths(text):
        if used + taken > width - 1:
            break
        kept += 1
        used += taken
    return text[:kept] + "…" + " " * (width - 1 - used)


# -- encodings -------------------------------------------------------------------


def forgiving_output() -> None:
    """What cannot be shown in the terminal's encoding is replaced, never an error after the work."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """For JSON on a stream that cannot encode a character: its JSON escape, so no data is lost."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    import json

    text = error.object[error.start:error.end]
    return "".join(json.dumps(char)[1:-1] for char in text), error.end


def exact_json_output() -> None:
    """JSON output (export, --json) keeps every character: non-ASCII text there sits only inside
    strings, where an escape means the same character."""
    import codecs

    codecs.register_error("lastmile-json", _json_escape)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="lastmile-json")
