"""A task as a small text document for ``$EDITOR``, and the document read back.

The document says what each line means in a comment header, so it needs no manual::

    title: Pay rent
    final: transfer confirmed in the bank app
    due: 2026-12-01
    ...
    steps:
    [x] log in to the bank
    [ ] find the IBAN
    notes:
    Anything, over as many lines as you like.

Reading is strict about structure and lenient about spacing: a line it cannot
read raises ``DocumentError`` with its line number, so the editor can reopen on
the same text with the error above it. Dates, priorities and repeats stay text
here: they are read against the store's clock by the domain (``dates``,
``recurrence``), so this module needs neither a clock nor a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lastmile_tui.domain.dates import format_due
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.series import repeat_text
from lastmile_tui.domain.task import Task

HEADER = """\
# {what} — save and close to apply; close without saving (or empty the file) to change nothing.
# Lines starting with # are ignored. An empty value clears a field.
#   title:     what the task is (required)
#   final:     the one closing action that makes it done (confirmed only when you finish it)
#   due:       today, fri, Dec 3, 2026-12-03, 'fri 5pm'
#   wait:      hide it until this day (fri, +2w, 2026-12-03)
#   priority:  H, M or L
#   repeat:    daily, weekdays, weekly on fri, monthly, every 2 weeks, '2 weeks after done'
#   tags:      +home +errand
#   steps:     then one step per line: [x] done, [ ] not yet
#   notes:     then free text to the end of the file
"""

FIELDS = {"title": "title", "final": "final_step", "due": "due", "wait": "wait",
          "priority": "priority", "repeat": "repeat", "tags": "tags"}
"""The document's one-line field names, and the Task fields they fill."""

_FIELD = re.compile(r"([A-Za-z ]+?)\s*:\s?(.*)")
_STEP = re.compile(r"\[([ xX])\]\s?(.*)")


class DocumentError(InvalidInput):
    """A line of the document that cannot be read: *line* is 1-based (0: the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Document:
    """What the person wrote: one-line fields as text, steps with their marks, the notes."""

    values: dict[str, str] = field(default_factory=dict)
    steps: list[tuple[str, bool]] = field(default_factory=list)
    notes: str = ""


def write(task: Task | None, what: str) -> str:
    """The document for *task* (None: an empty one for a new task); *what* names it in the header."""
    head = HEADER.format(what=what)
    if task is None:
        blank = [f"{name}: " for name in FIELDS]
        return head + "\n".join([*blank, "", "steps:", "[ ] ", "", "notes:"]) + "\n"
    lines = [
        f"title: {task.title}",
        f"final: {task.final_step}",
        f"due: {format_due(task.due) if task.due is not None else ''}",
        f"wait: {task.wait.isoformat() if task.wait else ''}",
        f"priority: {task.priority.value if task.priority else ''}",
        f"repeat: {repeat_text(task)}",
        f"tags: {' '.join('+' + tag for tag in task.tags)}",
    ]
    if task.final_confirmed:
        lines.append("# the final step is confirmed; changing its words takes the confirmation back")
    lines += ["", "steps:", *(f"[{'x' if s.done else ' '}] {s.text}" for s in task.steps), "",
              "notes:", task.notes]
    return head + "\n".join(lines).rstrip("\n") + "\n"


def read(text: str) -> Document | None:
    """The document read back; None when it holds nothing but comments and blanks (an emptied
    file means "change nothing"). Raises ``DocumentError`` naming the first bad line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if all(not line.strip() or line.lstrip().startswith("#") for line in lines):
        return None
    doc = Document()
    section = "fields"
    notes: list[str] = []
    for number, line in enumerate(lines, 1):
        if section == "notes":
            notes.append(line)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        lowered = stripped.lower()
        if lowered in ("steps:", "notes:"):
            section = lowered[:-1]
            continue
        if section == "steps":
            step = _STEP.fullmatch(stripped)
            if step is None:
                raise DocumentError(number, f"a step is written '[ ] text' or '[x] text', not {stripped!r}")
            if step.group(2).strip():
                doc.steps.append((step.group(2).strip(), step.group(1) != " "))
            continue
        match = _FIELD.fullmatch(stripped)
        name = match.group(1).strip().lower() if match else ""
        if name not in FIELDS:
            known = ", ".join([*FIELDS, "steps", "notes"])
            raise DocumentError(number, f"{stripped[:40]!r} is not a field; the fields are {known}")
        if FIELDS[name] in doc.values:
            raise DocumentError(number, f"{name} is given twice")
        doc.values[FIELDS[name]] = match.group(2).strip() if match else ""
    if not doc.values.get("title"):
        raise DocumentError(0, "the title must not be blank (title: ...)")
    doc.notes = "\n".join(notes).strip("\n")
    return doc


def with_error(text: str, error: str) -> str:
    """*text* with *error* as a comment at the top (an earlier error replaced), to reopen it.

    A ``line N:`` in *error* counts the lines of *text*; it is moved by the lines this
    adds or removes, so it names the same line in the text the person sees next."""
    lines = text.split("\n")
    kept = [line for line in lines if not line.startswith("# ERROR: ")]
    shift = 1 - (len(lines) - len(kept))
    where = re.match(r"line (\d+): ", error)
    if where and shift:
        error = f"line {int(where.group(1)) + shift}: {error[where.end():]}"
    return f"# ERROR: {error}\n" + "\n".join(kept)


def tags(value: str) -> list[str]:
    """The tags line: words, with or without their ``+``."""
    return [word.removeprefix("+") for word in value.replace(",", " ").split()]
