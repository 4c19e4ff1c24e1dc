"""The prompt of ``lastmile done`` in a real terminal: what it shows is what a yes confirms."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import time

from tests.cli.conftest import lastmile_command


def _start_done(lastmile, task_id: str) -> tuple[subprocess.Popen, int]:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*lastmile_command(), "done", task_id],
        stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=lastmile.env,
    )
    os.close(follower)
    return proc, leader


def _read_until(proc: subprocess.Popen, needle: bytes, timeout: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        assert time.monotonic() < deadline, seen
        chunk = os.read(proc.stdout.fileno(), 4096)
        assert chunk, seen
        seen += chunk
    return seen


def _record(lastmile, task_id: int) -> dict:
    return next(r for r in json.loads(lastmile("list", "--all", "--json").out) if r["id"] == task_id)


def test_a_yes_is_for_the_final_step_shown_not_one_changed_meanwhile(lastmile):
    lastmile("add", "Pay supplier", "--final", "transfer 1000 EUR")
    proc, leader = _start_done(lastmile, "1")
    shown = _read_until(proc, b"[y/N]")
    assert "transfer 1000 EUR — done?".encode() in shown
    edit = lastmile("edit", "1", "--final", "transfer 0 EUR")  # another shell, while asked
    assert edit.code == 0, edit.err
    os.write(leader, b"y\n")
    out, err = proc.communicate(timeout=30)
    os.close(leader)
    assert proc.returncode == 1, (out, err)
    message = err.decode()
    assert "changed to 'transfer 0 EUR' while you were confirming" in message
    assert "nothing was completed" in message
    assert len(message.strip().splitlines()) == 1
    record = _record(lastmile, 1)
    assert record["status"] == "open"
    assert record["final_step"] == "transfer 0 EUR"
    assert record["final_step_confirmed"] is False


def test_the_prompt_names_the_steps_still_unchecked_and_still_completes(lastmile):
    lastmile("add", "Release", "--final", "tag it", "--step", "changelog", "--step", "bump",
             "--step", "CI")
    lastmile("check", "1", "1")
    proc, leader = _start_done(lastmile, "1")
    shown = _read_until(proc, b"[y/N]").decode()
    assert "2 of its 3 steps are still unchecked" in shown
    os.write(leader, b"y\n")
    proc.communicate(timeout=30)
    os.close(leader)
    assert proc.returncode == 0
    assert _record(lastmile, 1)["status"] == "done"


def test_no_note_when_every_step_is_checked(lastmile):
    lastmile("add", "Send invoice", "--final", "email it", "--step", "export hours")
    lastmile("check", "1", "1")
    proc, leader = _start_done(lastmile, "1")
    shown = _read_until(proc, b"[y/N]").decode()
    os.write(leader, b"n\n")
    proc.communicate(timeout=30)
    os.close(leader)
    assert "unchecked" not in shown
    assert proc.returncode == 1
