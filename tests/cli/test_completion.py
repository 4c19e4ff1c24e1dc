"""Tab completion: the scripts ``lastmile completion`` prints, run by the real shells.

bash is driven the way readline drives it (COMP_WORDS, COMP_CWORD, the registered
function, COMPREPLY); fish answers ``complete -C`` without a terminal; zsh needs
a terminal, so it runs in a private tmux server and the test reads the screen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lastmile_tui.store.store import Store

from .conftest import Runner

BIN = str(Path(sys.executable).parent)

BASH_PROBE = r"""
source "$1"; shift
fn=$(complete -p lastmile | sed -E 's/.* -F ([^ ]+) .*/\1/')
for line in "$@"; do
  COMP_LINE=$line; COMP_POINT=${#COMP_LINE}
  read -ra COMP_WORDS <<<"$COMP_LINE"
  [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  "$fn" lastmile "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s\n' "${COMPREPLY[*]}"
done
"""


@pytest.fixture
def tasks(lastmile: Runner) -> Runner:
    """Four tasks: 1 on its last mile, 2 not started, 3 done, 4 overdue (so it ranks first)."""
    lastmile("add", "Send invoice", "--final", "email PDF", "--step", "export hours")
    lastmile("check", "1", "1")
    lastmile("add", "Renew passport", "--final", "post the form")
    lastmile("add", "Water plants", "--final", "all of them")
    lastmile("done", "3", "--confirm")
    lastmile("add", "Pay rent", "--final", "transfer", "--due", "yesterday")
    return lastmile


def script(lastmile: Runner, shell: str, tmp_path: Path) -> Path:
    r = lastmile("completion", shell)
    assert r.code == 0 and r.err == "", r.err
    path = tmp_path / f"lastmile.{shell}"
    path.write_text(r.out)
    return path


def shell_env(lastmile: Runner) -> dict[str, str]:
    """`lastmile` on PATH is this virtual environment's, and $LASTMILE_DB the test's database."""
    return {**lastmile.env, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}


def bash_replies(lastmile: Runner, path: Path, *lines: str) -> list[list[str]]:
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_PROBE, "probe", str(path), *lines],
                          capture_output=True, text=True, env=shell_env(lastmile), timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return [reply.split() for reply in proc.stdout.splitlines()]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_flags_and_open_task_ids(tasks, tmp_path):
    path = script(tasks, "bash", tmp_path)
    do, done, done_4, reopen, status, which = bash_replies(
        tasks, path, "lastmile do", "lastmile done ", "lastmile done 4", "lastmile reopen ",
        "lastmile status --", "lastmile completion ")
    assert "done" in do and do == ["done"]
    assert done == ["4", "1", "2"]  # open tasks in ranking order: overdue, last mile, the rest
    assert done_4 == ["4"]
    assert reopen == ["3"]  # reopen offers closed tasks
    assert set(status) == {"--help", "--format", "--json"}
    assert which == ["bash", "zsh", "fish"]


def test_bash_ids_follow_a_db_on_the_line_and_need_no_database(tasks, tmp_path):
    path = script(tasks, "bash", tmp_path)
    missing = tmp_path / "none.db"
    elsewhere, default = bash_replies(tasks, path, f"lastmile --db {missing} done ", "lastmile show ")
    assert elsewhere == [] and not missing.exists()
    assert default == ["4", "1", "2"]


def test_the_hidden_command_is_in_no_list(lastmile, tmp_path):
    assert "_complete-ids" not in lastmile("--help").out
    for shell in ("bash", "zsh", "fish"):
        text = script(lastmile, shell, tmp_path).read_text()
        mentions = [line.strip() for line in text.splitlines() if "_complete-ids" in line]
        assert mentions  # the id completer calls it, and nothing else names it
        assert all(line.startswith("#") or "command lastmile" in line for line in mentions), mentions


def test_complete_ids_lines_order_prefix_and_no_database(tasks):
    r = tasks("_complete-ids")
    assert (r.code, r.err) == (0, "")
    assert r.out == "4\tPay rent\n1\tSend invoice\n2\tRenew passport\n"
    assert tasks("_complete-ids", "--closed").out == "3\tWater plants\n"
    assert tasks("_complete-ids", "--all").out.splitlines()[-1] == "3\tWater plants"
    assert tasks("_complete-ids", "--", "2").out == "2\tRenew passport\n"
    assert tasks("_complete-ids", "--all", "--", "3").out == "3\tWater plants\n"
    assert tasks("_complete-ids", "--", "x").out == ""
    r = tasks("_complete-ids", env={"LASTMILE_DB": str(tasks.db.parent / "no.db")})
    assert (r.code, r.out, r.err) == (0, "", "")
    assert not (tasks.db.parent / "no.db").exists()


def test_a_typed_prefix_finds_ids_beyond_the_first_screen(lastmile):
    """Digits typed before Tab are matched in the database (ranges of the primary key), so task
    1234 is found among thousands; without digits the list stops at the top of the ranking."""
    with Store(lastmile.db) as store:
        for n in range(1, 1300):
            store.add(f"task {n}", final_step="x")
    assert len(lastmile("_complete-ids").out.splitlines()) == 200
    found = [line.split("\t")[0] for line in lastmile("_complete-ids", "--", "123").out.splitlines()]
    assert found == ["123", *map(str, range(1230, 1240))]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (apt-get install fish)")
def test_fish_completes_commands_and_ids_with_titles(tasks, tmp_path):
    path = script(tasks, "fish", tmp_path)

    def complete(line: str) -> list[str]:
        proc = subprocess.run(["fish", "--no-config", "-c", f"source {path}; complete -C '{line}'"],
                              capture_output=True, text=True, env=shell_env(tasks), timeout=60)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        return proc.stdout.splitlines()

    assert complete("lastmile do") == ["done\tcomplete a task: asks you to confirm its final step"]
    assert complete("lastmile done ") == ["4\tPay rent", "1\tSend invoice", "2\tRenew passport"]
    assert complete("lastmile reopen ") == ["3\tWater plants"]
    assert complete(f"lastmile --db {tmp_path / 'none.db'} done ") == []
    assert "--json\tevery number as a JSON object" in complete("lastmile status --")


def _screen(tmux: list[str], wanted: str, timeout: float = 15) -> str:
    """The pane's text once *wanted* shows (or whatever is there at the deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        text = subprocess.run([*tmux, "capture-pane", "-t", "z", "-p"], capture_output=True,
                              text=True).stdout
        if wanted in text or time.monotonic() > deadline:
            return text
        time.sleep(0.2)


@pytest.mark.skipif(shutil.which("zsh") is None or shutil.which("tmux") is None,
                    reason="zsh completion is tried in a real terminal: needs zsh and tmux "
                           "(apt-get install zsh tmux)")
def test_zsh_completes_ids_with_titles_in_ranking_order(tasks, tmp_path):
    functions = tmp_path / "zfunc"
    functions.mkdir()
    (functions / "_lastmile").write_text(tasks("completion", "zsh").out)
    home = tmp_path / "zdot"
    home.mkdir()
    (home / ".zshrc").write_text(
        f"PS1='%% '\nfpath=({functions} $fpath)\n"
        f"autoload -Uz compinit && compinit -u -d {tmp_path / 'zcompdump'}\n")
    env = {**shell_env(tasks), "ZDOTDIR": str(home), "TERM": "xterm-256color"}
    tmux = ["tmux", "-L", f"lastmile-test-{os.getpid()}", "-f", os.devnull]
    inner = " ".join(f"{k}={v!r}" for k, v in env.items() if k in
                     ("PATH", "LASTMILE_DB", "HOME", "ZDOTDIR", "TERM", "XDG_DATA_HOME"))
    subprocess.run([*tmux, "new-session", "-d", "-s", "z", "-x", "100", "-y", "20",
                    f"env {inner} zsh -i"], check=True, env=env)
    try:
        _screen(tmux, "% ")
        subprocess.run([*tmux, "send-keys", "-t", "z", "lastmile done ", "Tab"], check=True)
        text = _screen(tmux, "Renew passport")
        lines = [line.split() for line in text.splitlines() if " -- " in line]
        assert [words[0] for words in lines] == ["4", "1", "2"], text
        assert "Pay rent" in text and "Water plants" not in text
        subprocess.run([*tmux, "send-keys", "-t", "z", "C-u", "lastmile comp", "Tab"], check=True)
        assert "% lastmile completion" in _screen(tmux, "lastmile completion")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def test_a_title_written_by_another_program_cannot_break_a_completion_line(tasks):
    """Titles are cleaned when lastmile writes them; one put in by hand is cleaned on the way out."""
    import sqlite3

    with sqlite3.connect(tasks.db) as conn:
        conn.execute("UPDATE task SET title = ? WHERE id = 2", ("two\nlines\twith\x1b[2J a clear",))
    conn.close()
    r = tasks("_complete-ids")
    assert (r.code, r.err) == (0, "")
    assert r.out.splitlines() == ["4\tPay rent", "1\tSend invoice", "2\ttwo lines with [2J a clear"]
