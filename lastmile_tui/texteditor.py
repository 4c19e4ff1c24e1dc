"""Opening a person's own text editor on a document, as git and crontab do.

Standard library only. ``$VISUAL``, then ``$EDITOR``, then ``vi``; the value may
carry arguments (``code --wait``). The document lives in a private temporary
folder only while the editor runs; what the editor leaves there is read back.
The CLI and the app share this and ``edit_until_read``, so both behave alike.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lastmile_tui.domain.errors import InvalidInput

T = TypeVar("T")


def editor_command() -> list[str]:
    """The editor to run, as an argument list; ``InvalidInput`` for a value that is not one."""
    value = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise InvalidInput(f"cannot read the editor command {value!r}: {exc}") from None
    if not words:
        raise InvalidInput("$VISUAL and $EDITOR are blank: set one to your editor (e.g. nano)")
    return words


def run_editor(text: str, name: str = "task.txt") -> str:
    """Let the person edit *text*; return what they saved (the same text if they did not).

    Raises ``InvalidInput`` when the editor cannot be started or exits with an
    error (then nothing they typed is used, as git does).
    """
    command = editor_command()
    with tempfile.TemporaryDirectory(prefix="lastmile-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise InvalidInput(
                f"cannot start the editor {command[0]!r} ({exc.strerror or exc}); "
                "set $VISUAL or $EDITOR to one you have"
            ) from None
        if done.returncode != 0:
            raise InvalidInput(f"the editor {command[0]!r} exited with status {done.returncode}; "
                               "nothing was changed")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read what the editor saved: {exc}") from None


def edit_until_read(
    text: str,
    read: Callable[[str], T],
    with_error: Callable[[str, str], str],
    edit: Callable[[str], str] = run_editor,
) -> T | None:
    """Open the editor on *text* until *read* accepts what was saved; None when it came back
    unchanged. A text *read* rejects (``InvalidInput``) reopens with the error on top
    (*with_error*); saving that again without a change gives up, with the error."""
    shown, error = text, ""
    while True:
        saved = edit(shown)
        if saved == text:
            return None
        if error and saved == shown:
            raise InvalidInput(f"{error}; nothing was changed")
        try:
            return read(saved)
        except InvalidInput as exc:
            error = str(exc)
            shown = with_error(saved, error)
