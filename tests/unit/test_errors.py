"""Domain errors say what happened, in words; the CLI adds exit codes and command hints itself."""

from __future__ import annotations

import ast
import inspect
import re
from datetime import datetime
from pathlib import Path

import pytest

from lastmile_tui.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_REFUSED,
    EXIT_UNEXPECTED,
    UsageError,
    exit_status,
    explain,
)
from lastmile_tui.domain import errors
from lastmile_tui.domain.edit import FieldConflict
from lastmile_tui.domain.history import Event, EventKind
from lastmile_tui.domain.task import Status, Task

CLI_HINT = re.compile(r"lastmile [a-z]|--[a-z]")
"""A command or an option (quick-add's own ``--``, "the rest is title", is grammar, not a hint)."""
DOMAIN = Path(errors.__file__).parent
NOW = datetime(2026, 11, 30, 9, 0)
TASK = Task(id=3, title="Pay rent", final_step="send the transfer", created_at=NOW, updated_at=NOW)
NEWEST = Event(id=9, task_id=4, at=NOW, kind=EventKind.EDITED, detail="title", undone=False)

SAMPLES = {
    errors.LastmileError: errors.LastmileError("something went wrong"),
    errors.InvalidInput: errors.InvalidInput("title must not be blank"),
    errors.DateParseError: errors.DateParseError("someday", "try fri"),
    errors.NotFound: errors.NotFound("no task with id 3"),
    errors.Refused: errors.Refused("no"),
    errors.GuardError: errors.GuardError("no"),
    errors.NoFinalStep: errors.NoFinalStep(3),
    errors.FinalStepNotConfirmed: errors.FinalStepNotConfirmed(3, "send the transfer", 1, 2),
    errors.FinalStepChanged: errors.FinalStepChanged(3, "send the transfer", "post a cheque"),
    errors.NotOpen: errors.NotOpen(3, Status.DONE),
    errors.EditConflict: errors.EditConflict([FieldConflict("title", "Pay the rent", "Rent")], TASK,
                                             {"title": "Rent"}),
    errors.UndoMoved: errors.UndoMoved(NEWEST),
    errors.ChangedMeanwhile: errors.ChangedMeanwhile(["uid-1"]),
    errors.SyncFailed: errors.SyncFailed("could not reach https://dav.example.org/ (Connection refused)"),
    errors.NoSuchCalendar: errors.NoSuchCalendar("https://dav.example.org/ has no calendar named 'x'"),
    errors.SyncSettingsProblem: errors.SyncSettingsProblem("[sync] every = 'soon' in config.toml: ..."),
    errors.SyncNotSetUp: errors.SyncNotSetUp("sync needs a server and a user: set [sync] url and "
                                             "username in config.toml"),
}


def test_every_error_class_in_the_domain_is_sampled_here():
    declared = {cls for _, cls in inspect.getmembers(errors, inspect.isclass)
                if issubclass(cls, errors.LastmileError)}
    assert declared == set(SAMPLES)


@pytest.mark.parametrize("error", SAMPLES.values(), ids=lambda e: type(e).__name__)
def test_domain_messages_name_no_command(error):
    text = str(error)
    assert text and not CLI_HINT.search(text)


def _raised_texts(path: Path) -> list[str]:
    """Every string literal inside a ``raise`` statement of *path*."""
    texts = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise):
            texts += [c.value for c in ast.walk(node)
                      if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return texts


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_no_domain_module_raises_a_cli_hint(path):
    hints = [t for t in _raised_texts(path) if CLI_HINT.search(t)]
    assert hints == []


@pytest.mark.parametrize(("error", "status"), [
    *((SAMPLES[cls], EXIT_REFUSED) for cls in (
        errors.NoFinalStep, errors.FinalStepNotConfirmed, errors.FinalStepChanged, errors.NotOpen,
        errors.EditConflict, errors.UndoMoved, errors.ChangedMeanwhile)),
    *((SAMPLES[cls], EXIT_BAD_INPUT) for cls in (
        errors.LastmileError, errors.InvalidInput, errors.DateParseError, errors.NotFound,
        errors.SyncFailed, errors.NoSuchCalendar, errors.SyncSettingsProblem, errors.SyncNotSetUp)),
    (UsageError("nothing to change"), EXIT_BAD_INPUT),
    (ValueError("a bug"), EXIT_UNEXPECTED),
], ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v))
def test_the_cli_maps_refusals_to_1_bad_input_to_2_and_the_rest_to_3(error, status):
    assert exit_status(error) == status


def test_the_cli_adds_its_own_hint_to_a_missing_final_step():
    assert explain(SAMPLES[errors.NoFinalStep]) == (
        'task 3 has no final step, so it cannot be completed; '
        'define one with: lastmile edit 3 --final "..."')
    assert explain(SAMPLES[errors.NotFound]) == "no task with id 3"
    assert explain(ValueError("x")) == "unexpected error: ValueError('x') (set LASTMILE_DEBUG=1 for details)"


def test_the_cli_adds_its_flags_to_a_sync_with_no_server():
    assert explain(SAMPLES[errors.SyncNotSetUp]) == (
        "sync needs a server and a user: set [sync] url and username in config.toml, "
        "or pass --url and --user")
