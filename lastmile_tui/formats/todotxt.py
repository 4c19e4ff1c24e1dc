"""todo.txt (the format of todotxt/todo.txt's README, as ``todo.sh`` and its apps write it),
read into an import batch and written by ``lastmile export --format todotxt``.

Reading a line, as the format says:

* ``x `` (lowercase, then a space) at the very start marks it done; the completion date
  follows, then the creation date. An open line may start with a priority ``(A)``, only at the
  very start, followed by the creation date. (A) → H, (B) → M, (C)–(Z) → L; a done line keeps
  its priority as ``pri:A``.
* ``+project`` and ``@context`` are words that *start* with ``+``/``@`` (after a space), so
  ``2+2`` and ``name@example.com`` stay text; both become tags, ``@`` kept (``@phone``), so a
  context is written back as a context. They are taken out of the title.
* ``key:value`` is one word with a key starting with a letter and a value that holds no colon
  and does not start with ``/``: ``17:00`` and ``https://example.com`` stay text. ``due:`` →
  due (with ``at:17.30``, lastmile's own key, its time of day), ``t:`` (threshold) → wait,
  ``pri:`` → priority, ``uid:`` → identity; every other one
  is kept as a notes line ``todo.txt: rec:1w``. A date that is not a real ``YYYY-MM-DD`` is a
  bad line: the import names it and imports nothing.

Identity: a line has no id of its own, so its uid is a digest of its description (title words,
tags and contexts in order, not the key:values) and its creation date. Completing the line,
changing its priority, due or threshold therefore updates the same task; changing its words
makes a new one. Two identical lines are two tasks: the second is numbered (``…-2``), so a
file with duplicates imports and re-imports cleanly. A line with ``uid:`` (lastmile writes
one) is matched by that instead, so importing lastmile's own export back updates the tasks
it came from rather than adding copies.

Writing: one line per open or done task, ``x DONE CREATED`` for done, ``(A)/(B)/(C)`` for
H/M/L (``pri:A`` on done lines), the creation date always (so a title starting with ``x `` or
``(A)`` is not misread), the title, ``+tag`` per tag (a tag already starting with ``@`` as
it is), ``due:`` and ``t:`` as dates (a due's time of day as ``at:17.30``: todo.txt dates
have none, and ``17:30`` cannot be a value), the key:values an import kept in the notes, then
``uid:``. Dropped tasks are left out: todo.txt can only say open or done. The final step, the
steps and the notes are not written: todo.txt has one line per task with no spaces inside a
value, and encoding them would make lines other apps show as noise. Imported back into the
same database (matched by ``uid:``) a task keeps them, because a todo.txt line does not speak
for them; into another database they are lost. A title word that looks like a tag or a
``key:value`` is read back as one (todo.txt has no escaping).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import TextIO

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.imports import Batch, Incoming, arrived
from lastmile_tui.domain.task import Priority, Status, Task, clean_tag

SOURCE = "todo.txt"

OWNS = frozenset({"title", "tags", "due", "wait", "priority", "status"})
"""What a line speaks for; ``notes`` too when it has key:values lastmile keeps there."""

_DONE = re.compile(r"x (?:(\d{4}-\d{2}-\d{2}) (?:(\d{4}-\d{2}-\d{2}) )?)?")
_OPEN = re.compile(r"(?:\(([A-Z])\) )?(?:(\d{4}-\d{2}-\d{2}) )?")
_KEY_VALUE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*):([^:\s/][^:\s]*)")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
KEPT = "todo.txt: "
"""How a notes line holding a key:value from a todo.txt line starts."""
_OURS = frozenset({"due", "t", "pri", "uid", "at"})
_AT = re.compile(r"([01]\d|2[0-3])\.([0-5]\d)")
_LETTERS = {"A": "H", "B": "M"}
_WRITE_LETTER = {Priority.H: "A", Priority.M: "B", Priority.L: "C"}


def priority_of(letter: str) -> Priority:
    """(A) is high, (B) medium, and every letter after is low."""
    return Priority(_LETTERS.get(letter, "L"))


def read(text: str, now: datetime | None = None) -> Batch:
    """Every non-blank line as a task; ``InvalidInput`` naming the first bad line (``line 4``),
    and then nothing is imported. A line without a creation date was created *now* (the
    import's time by default)."""
    batch = Batch(SOURCE)
    seen: dict[str, int] = {}
    now = now or datetime.now().replace(microsecond=0)
    # lines end at "\n" only: str.splitlines would also split a title at U+2028 or U+0085
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), 1):
        line = line.removesuffix("\r")
        if line.strip():
            batch.tasks.append(_line(line.strip(), f"line {number}", seen, now))
    return batch


def _line(line: str, where: str, seen: dict[str, int], now: datetime) -> Incoming:
    try:
        return _parse(line, where, seen, now)
    except InvalidInput as exc:
        if str(exc).startswith(f"{where}: "):
            raise
        raise InvalidInput(f"{where}: {exc}; nothing was imported") from exc


def _parse(line: str, where: str, seen: dict[str, int], now: datetime) -> Incoming:
    from hashlib import blake2b  # only an import needs it

    done = line.startswith("x ")
    head = (_DONE if done else _OPEN).match(line)
    assert head is not None  # both patterns match the empty prefix
    if done:
        completed, created, letter = _day(head.group(1), "completion date"), head.group(2), None
    else:
        completed, letter, created = None, head.group(1), head.group(2)
    created_day = _day(created, "creation date")
    words, tags, kept, uid = [], [], [], ""
    due = wait = at = None
    for word in line[head.end():].split(" "):
        if len(word) > 1 and word[0] in "+@":
            try:
                tags.append(clean_tag(word[1:] if word[0] == "+" else word))
                words.append(word)
                continue
            except InvalidInput:
                pass  # "+a,b" is not a tag lastmile can hold: it stays text
        pair = _KEY_VALUE.fullmatch(word)
        if pair is None:
            words.append(word)
            continue
        key, value = pair.groups()
        if key == "due":
            due = _day(value, "due")
        elif key == "t":
            wait = _day(value, "t: (threshold)")
        elif key == "at" and (clock := _AT.fullmatch(value)):
            at = time(int(clock.group(1)), int(clock.group(2)))
        elif key == "pri" and len(value) == 1 and value.isupper():
            letter = letter or value
        elif key == "uid":
            uid = value
        else:
            kept.append(f"{KEPT}{word}")
    if at is not None:
        if due is None:
            raise InvalidInput(f"at:{at:%H.%M} is a time of day for a due date, and the line has no due:")
        due = datetime.combine(due, at)
    tag_words = set(_tag_words(tags))
    title = " ".join(w for w in words if w not in tag_words)
    if not title.strip():  # a line of tags or key:values only keeps them as its title
        title = " ".join(words) if "".join(words).strip() else line[head.end():]
    if not uid:
        said = f"{created or ''} {' '.join(w for w in words if w)}"
        uid = "todotxt-" + blake2b(said.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    count = seen[uid] = seen.get(uid, 0) + 1
    if count > 1:
        uid = f"{uid}-{count}"
    start = datetime.combine(created_day, datetime.min.time()) if created_day else None
    finish = datetime.combine(completed, datetime.min.time()) if completed else None
    created_at = start or (min(finish, now) if finish else now)
    task = Task(
        None, title, tags=tuple(tags), notes="\n".join(kept), due=due, wait=wait,
        status=Status.DONE if done else Status.OPEN, created_at=created_at,
        updated_at=max(created_at, finish or created_at), done_at=finish or created_at if done else None,
        priority=priority_of(letter) if letter else None, uid=uid,
    )
    return arrived(task, where, OWNS | {"notes"} if kept else OWNS, SOURCE)


def _tag_words(tags: list[str]) -> list[str]:
    """How each tag is written in a line: ``+home``, and a context as it is (``@phone``)."""
    return [t if t.startswith("@") else f"+{t}" for t in tags]


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    if not _DATE_TEXT.fullmatch(text):
        raise InvalidInput(f"{what} {text!r} is not a date like 2026-12-31")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a real date") from None


def line_of(task: Task) -> str | None:
    """The todo.txt line for *task*, or None for a dropped task (todo.txt cannot say dropped)."""
    if task.status is Status.DROPPED:
        return None
    parts: list[str] = []
    letter = _WRITE_LETTER.get(task.priority) if task.priority else None
    if task.status is Status.DONE:
        parts += ["x", f"{(task.done_at or task.updated_at).date():%Y-%m-%d}"]
    elif letter:
        parts.append(f"({letter})")
    parts += [f"{task.created_at.date():%Y-%m-%d}", task.title]
    in_title = set(task.title.split(" "))
    parts += [word for word in _tag_words(list(task.tags)) if word not in in_title]
    if task.due is not None:
        if isinstance(task.due, datetime):
            parts += [f"due:{task.due:%Y-%m-%d}", f"at:{task.due:%H.%M}"]
        else:
            parts.append(f"due:{task.due:%Y-%m-%d}")
    if task.wait is not None:
        parts.append(f"t:{task.wait:%Y-%m-%d}")
    if letter and task.status is Status.DONE:
        parts.append(f"pri:{letter}")
    parts += _kept(task.notes)
    if task.uid and ":" not in task.uid and not task.uid.startswith("/"):
        parts.append(f"uid:{task.uid}")
    return " ".join(parts)


def _kept(notes: str) -> list[str]:
    """The key:values a todo.txt import kept in the notes, written back where they came from."""
    words = []
    for line in notes.splitlines():
        word = line.removeprefix(KEPT)
        if line.startswith(KEPT) and _KEY_VALUE.fullmatch(word) and word.split(":")[0] not in _OURS:
            words.append(word)
    return words


def write_stream(out: TextIO, tasks: Iterable[Task]) -> int:
    """One line per open or done task (dropped ones are left out); returns how many."""
    count = 0
    for task in tasks:
        line = line_of(task)
        if line is not None:
            out.write(line + "\n")
            count += 1
    return count
