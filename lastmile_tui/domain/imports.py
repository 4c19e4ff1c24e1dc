"""What an import may do to the tasks: the rules every importer obeys (Taskwarrior, todo.txt,
iCalendar, later a CalDAV sync).

A reader in ``formats/`` turns a file into a :class:`Batch` of :class:`Incoming` tasks, each
made by :func:`arrived` (so a bad record is named before the database is opened). The
store matches each by its uid with what the database holds: a new uid adds the task, a known
uid whose source record changed (its ``source_hash``) updates it through :func:`updated`, and
an unchanged one is left alone, so importing the same file twice adds nothing.

The finishing guard holds here too: a task that arrives done without lastmile's confirmation
is marked ``done_elsewhere`` (and its history says "imported as done"); nothing an import
brings can make a task look confirmed in lastmile when it was not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import Status, Step, Task, clean_task

OWNABLE = frozenset({
    "title", "final_step", "final_step_confirmed_at", "steps", "tags", "notes", "due", "wait",
    "priority", "status", "extra", "repeat", "done_claimed_at",
})
"""The fields a source may speak for. ``status`` brings ``done_at`` and ``dropped_reason``
with it; lastmile's own bookkeeping (id, uid, created_at, reviewed_on) is never a source's."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One task as a file has it: *task* (no id; its uid and source_hash set), *where* it is in
    the file (``line 7``, ``tasks[3]``) for messages, and the fields this source *owns*: an
    update replaces those and keeps the rest (steps added in lastmile to a Taskwarrior task)."""

    task: Task
    where: str
    owns: frozenset[str]

    def __post_init__(self) -> None:
        unknown = self.owns - OWNABLE
        if unknown:
            raise ValueError(f"not fields an import may own: {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record the file holds that is not imported, and why (a deleted Taskwarrior task)."""

    where: str
    title: str
    why: str


@dataclass
class Batch:
    """What a reader found in a file: the tasks to import and what it skipped, and the *source*
    it says they came from ("Taskwarrior"), which history and ``done_elsewhere`` name."""

    source: str
    tasks: list[Incoming] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def check_unique(self) -> None:
        """Two records with one uid would be one task imported twice: name both."""
        first: dict[str, str] = {}
        for incoming in self.tasks:
            where = first.setdefault(incoming.task.uid, incoming.where)
            if where != incoming.where:
                raise InvalidInput(
                    f"{incoming.where}: the same task as {where} (uid {incoming.task.uid}); "
                    "nothing was imported"
                )


def arrived(task: Task, where: str, owns: frozenset[str], source: str) -> Incoming:
    """A task read from *source* at *where*, held to every rule a typed task is held to, with
    the digest of what the source said (``source_hash``) that a later import compares.

    A task done without a confirmed final step was finished in the other tool:
    it keeps that as ``done_elsewhere`` rather than pretending lastmile's
    confirmation happened. Raises ``InvalidInput`` naming *where* and the first problem.
    """
    try:
        if not task.uid:
            raise InvalidInput("it has no identity to match it by on a later import")
        task = clean_task(_settled(task, source))
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}; nothing was imported") from exc
    return Incoming(task.with_changes(source_hash=_digest(task, owns)), where, owns)


def _digest(task: Task, owns: frozenset[str]) -> str:
    """What the source said about the fields it owns, in 32 hex digits: an unchanged record
    gives the same digest, so a re-import skips it and keeps what was changed in lastmile."""
    from hashlib import blake2b  # only an import needs it

    said = repr([(name, getattr(task, name)) for name in sorted(owns)])
    return blake2b(said.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _settled(task: Task, source: str) -> Task:
    """The status's companions made consistent with it (done_at, reason, done elsewhere)."""
    if task.status is Status.DONE:
        done_at = task.done_at or task.final_step_confirmed_at or task.updated_at
        elsewhere = "" if task.final_confirmed else (task.done_elsewhere or source)
        return task.with_changes(done_at=done_at, done_elsewhere=elsewhere, dropped_reason=None,
                                 done_claimed_at=None)
    reason = task.dropped_reason if task.status is Status.DROPPED else None
    claim = task.done_claimed_at if task.status is Status.OPEN else None
    return task.with_changes(done_at=None, done_elsewhere="", dropped_reason=reason, done_claimed_at=claim)


def same_to_the_second(old: Task, new: Task) -> bool:
    """*new* (what an update would make of *old*) says nothing *old* does not, to the second
    (iCalendar's precision) and apart from when it was touched and the source digest: a re-export
    of the same task read back. Such an update is no update: no history, no new ``updated_at``."""
    def seconds(moment: datetime | None) -> datetime | None:
        return moment.replace(microsecond=0) if moment is not None else None

    def plain(task: Task) -> Task:
        return task.with_changes(
            updated_at=old.updated_at, source_hash="", created_at=seconds(task.created_at),
            done_claimed_at=seconds(task.done_claimed_at),
            done_at=seconds(task.done_at), final_step_confirmed_at=seconds(task.final_step_confirmed_at),
            steps=tuple(Step(step.text, seconds(step.done_at)) for step in task.steps),
        )

    return plain(old) == plain(new)


def updated(old: Task, incoming: Incoming, source: str, now: datetime) -> Task:
    """*old* with the fields *incoming*'s source owns taken from it; the rest is lastmile's.

    A changed final step withdraws a confirmation the source does not speak
    for, as typing a new one would; a task that the source reopens loses its
    completion; a task the source finished is done elsewhere unless its final
    step was confirmed (here, or in the source).
    """
    new_task = incoming.task
    values = {name: getattr(new_task, name) for name in incoming.owns}
    if "status" in incoming.owns:
        values.update(done_at=new_task.done_at, dropped_reason=new_task.dropped_reason,
                      done_elsewhere=new_task.done_elsewhere)
    task = old.with_changes(**values, source_hash=new_task.source_hash)
    confirmation_owned = "final_step_confirmed_at" in incoming.owns
    if not confirmation_owned and task.final_step != old.final_step:
        task = task.with_changes(final_step_confirmed_at=None)
    if task.status is Status.OPEN and old.status is not Status.OPEN and not confirmation_owned:
        task = task.with_changes(final_step_confirmed_at=None)  # reopened, as ``reopen`` does
    return clean_task(_settled(task.with_changes(updated_at=now), source))


def done_elsewhere_line(task: Task) -> str:
    """What ``show`` and the app's detail say of a task finished in another tool: it is done,
    but lastmile never saw its final step confirmed ("" for every other task)."""
    if not task.done_elsewhere:
        return ""
    return f"done in {task.done_elsewhere} (imported; final step not confirmed in lastmile)"
