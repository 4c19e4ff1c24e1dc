"""Taskwarrior-style tokens inside a quick-add title: ``due:fri``, ``+tag``, ``final:"text"``.

The shell has already removed one level of quotes, so both
``lastmile add Pay rent final:"transfer to landlord"`` (one argument
``final:transfer to landlord``) and ``lastmile add "Pay rent final:'transfer' +home"``
(quotes kept inside one argument) must be read.

The grammar, in full:

- ``--`` ends token reading: every word after it is title, as typed.
- ``due:WHEN`` and ``final:TEXT`` set the due date and the final step; either
  one left empty is a mistake, not title text.
- ``+word`` is a tag when it starts with a letter (``+home``), so ``+5`` stays
  in the title.
- ``project:NAME`` becomes the tag ``NAME`` (dots kept), as Taskwarrior users expect.
- ``pri:H`` (``M``, ``L``, any case; ``priority:`` and ``prio:`` too) sets the
  priority; any other value is a mistake named in one line.
- ``wait:WHEN`` hides the task until that day (read by the store's clock, like
  ``due:``); it may be quoted like ``due:"next fri"``.
- ``every:monthly`` (or Taskwarrior's ``recur:2wks``) makes the task repeat; a phrase with
  spaces is quoted: ``every:"2 weeks after done"`` (read by ``recurrence.parse_recurrence``
  against the due date).
- Other Taskwarrior attributes (``scheduled:fri``, ``until:``...)
  stay in the title and are listed in ``kept``, so the echo can say so.
"""

from __future__ import annotations

import re

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.patterns import lazy
from lastmile_tui.domain.task import Priority, clean_priority
from lastmile_tui.domain.values import field, value

_VALUED = ("final", "due", "wait", "every")
"""Tokens whose value may hold spaces when quoted."""
_QUOTED = lazy(r"""(?<!\S)(final|due|wait|every):(?:"([^"]*)"|'([^']*)')(?!\S)""")
_WORD = lazy(r"\S+")
_END = lazy(r"(?<!\S)--(?!\S)")

_ATTRIBUTES = ("depends", "description", "end", "entry", "limit", "modified", "priority",
               "recur", "scheduled", "start", "status", "until", "uuid", "wait")
"""Taskwarrior attributes lastmile does not read (yet); ``project`` becomes a tag."""


@value(frozen=False)
class QuickAdd:
    title: str
    final_step: str | None = None
    due: str | None = None
    wait: str | None = None
    """As typed: the store reads it with its own clock (``dates.parse_wait``)."""
    repeat: str | None = None
    """As typed (``monthly``): the store reads it against the due date."""
    priority: Priority | None = None
    tags: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Words that look like Taskwarrior attributes and were kept in the title as typed."""


def attribute(key: str) -> str | None:
    """The Taskwarrior attribute *key* names (``pri`` → ``priority``), or None.

    Like Taskwarrior, a name may be shortened to three letters or more.
    """
    if len(key) < 3 or not key.isalpha() or not key.islower():
        return None
    if "project".startswith(key):
        return "project"
    found = [name for name in _ATTRIBUTES if name.startswith(key)]
    return found[0] if len(found) == 1 else None


_EXAMPLES = {"due": "due:fri", "wait": "wait:mon", "final": 'final:"send it"', "pri": "pri:H",
             "every": "every:monthly"}


def _apply(result: QuickAdd, key: str, value: str) -> None:
    value = value.strip()
    if not value:
        raise InvalidInput(
            f"{key}: is empty; give it a value ({_EXAMPLES.get(key, 'pri:H')}), or put -- before "
            "words that belong in the title"
        )
    name = {"final": "final_step", "due": "due", "wait": "wait", "every": "repeat"}.get(key, "priority")
    if getattr(result, name) is not None:  # the flags refuse the same: --due and due: together
        said = {"final_step": "final step", "due": "due date"}.get(name, name)
        raise InvalidInput(f"{key}:{value} gives the {said} a second time; give it once, or put -- "
                           "before words that belong in the title")
    if key == "final":
        result.final_step = value
    elif key == "due":
        result.due = value
    elif key == "wait":
        result.wait = value
    elif key == "every":
        result.repeat = value
    else:
        try:
            result.priority = clean_priority(value)
        except InvalidInput:
            raise InvalidInput(f"{key}:{value} is not a priority: give pri:H, pri:M or pri:L, "
                               "or put -- before words that belong in the title") from None


def parse_quick_add(words: list[str]) -> QuickAdd:
    """Split argv words into title words and the tokens lastmile understands.

    Raises ``InvalidInput`` for an empty ``due:``, ``final:`` or ``project:``.
    """
    result = QuickAdd(title="")
    title: list[str] = []
    literal = False
    for arg in words:
        if literal:
            title.append(arg)
            continue
        end = _END.search(arg)
        if end is not None:
            arg, rest, literal = arg[: end.start()], arg[end.end():].strip(), True
        head, sep, value = arg.partition(":")
        if sep and head in _VALUED and any(c.isspace() for c in value.strip()):  # one shell word
            _apply(result, head, value.strip().strip("\"'"))
        else:
            _read_words(result, title, arg)
        if literal and rest:
            title.append(rest)
    result.title = " ".join(title)
    return result


def _read_words(result: QuickAdd, title: list[str], arg: str) -> None:
    def take(match: re.Match[str]) -> str:
        _apply(result, match.group(1), match.group(2) or match.group(3) or "")
        return " "

    for word in _WORD.findall(_QUOTED.sub(take, arg)):
        key, sep, value = word.partition(":")
        if sep and key in _VALUED:
            _apply(result, key, value.strip("\"'"))
        elif word.startswith("+") and word[1:2].isalpha():
            result.tags.append(word[1:])
        elif sep and (name := attribute(key)) is not None:
            if name in ("priority", "wait", "recur"):
                _apply(result, {"priority": key, "wait": "wait", "recur": "every"}[name], value)
            elif name != "project":
                result.kept.append(word)
                title.append(word)
            elif value:
                result.tags.append(value)
            else:
                raise InvalidInput(
                    f"{key}: is empty; give it a name (project:home becomes the tag home)"
                )
        else:
            title.append(word)
