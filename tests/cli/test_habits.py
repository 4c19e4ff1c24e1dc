"""Odd input, odd terminals and other task managers' habits (issue 9, items 14, 15, 16, 30)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.cli.conftest import lastmile_command
from tests.cli.test_cli import rows


def test_invalid_utf8_in_an_argument_is_bad_input_naming_it(lastmile):
    r = lastmile("add", "inv \udcff")  # the shell's bytes b"inv \xff", as Python hands them over
    assert r.code == 2, (r.out, r.err)
    assert r.err.strip() == ("lastmile add: the title argument 'inv \\xff' is not valid UTF-8 "
                             "text; nothing was changed")
    assert rows(lastmile.db) == []
    r = lastmile("add", "ok", "--final", "pay \udcfe")
    assert r.code == 2 and "--final argument 'pay \\xfe'" in r.err
    assert rows(lastmile.db) == []


@pytest.mark.parametrize("field", ["title", "final_step", "notes", "tags", "history"])
def test_a_lone_surrogate_in_an_import_names_the_record(lastmile, tmp_path, field):
    bad = "x \ud800 y"
    value = {"tags": [bad],
             "history": [{"id": 1, "at": "2026-11-01T10:00:00", "kind": "created", "detail": bad}]}
    task = {"id": 7, "title": "ok", "status": "open",
            "created_at": "2026-11-01T10:00:00", "updated_at": "2026-11-01T10:00:00",
            field: value.get(field, bad)}
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "lastmile", "version": 1, "tasks": [task]}))
    r = lastmile("import", str(path))
    assert r.code == 2, (r.out, r.err)
    assert "tasks[0] (id 7)" in r.err and "lone surrogate" in r.err
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert rows(lastmile.db) == []


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_that_the_terminal_cannot_encode_never_fails_the_command(lastmile, encoding):
    def run(*args: str) -> tuple[int, str]:
        proc = subprocess.run([*lastmile_command(), *args], capture_output=True, timeout=60,
                              env={**lastmile.env, "PYTHONIOENCODING": encoding})
        assert b"Traceback" not in proc.stderr, proc.stderr
        return proc.returncode, proc.stdout.decode(encoding)

    code, out = run("add", "party 🎉", "--final", "send ✉ invites")
    assert code == 0
    assert out.startswith("Added task 1: party ?")
    assert len(rows(lastmile.db)) == 2  # the task and its "added" event: added once
    code, out = run("list")
    assert code == 0
    assert "party ?" in out and "send ? invites" in out
    assert run("show", "1")[0] == 0


def test_no_command_without_a_terminal_prints_the_ranking_and_exits(lastmile):
    lastmile("add", "Pay rent", "--final", "transfer", "--step", "log in")
    lastmile("check", "1", "1")
    lastmile("add", "Plan trip")
    r = lastmile()  # stdout and stdin are pipes here: the app must not start
    assert r.code == 0, r.err
    assert r.out == lastmile("list").out
    assert r.out.index("Pay rent") < r.out.index("Plan trip")
    assert "\x1b" not in r.out


@pytest.mark.parametrize("command", ["tui", "review"])
def test_the_app_commands_without_a_terminal_say_why(lastmile, command):
    r = lastmile(command)
    assert r.code == 2
    assert r.err.strip() == (f"lastmile {command}: the app needs a terminal (standard input and "
                             "output are not both one); lastmile list prints the ranking")
    assert "\x1b" not in r.out + r.err


def test_taskwarrior_aliases(lastmile):
    lastmile("add", "Pay rent", "--final", "transfer")
    listed = lastmile("list").out
    assert lastmile("ls").out == listed and lastmile("next").out == listed
    assert lastmile("info", "1").out == lastmile("show", "1").out
    r = lastmile("modify", "1", "--title", "Pay the rent")
    assert r.code == 0 and "Edited task 1: Pay the rent" in r.out


def test_id_before_the_verb(lastmile):
    lastmile("add", "Pay rent", "--final", "transfer")
    assert lastmile("1").out == lastmile("show", "1").out
    assert lastmile("1", "info").out == lastmile("show", "1").out
    r = lastmile("1", "modify", "--due", "2030-01-02")
    assert r.code == 0 and "due 2030-01-02" in r.out
    r = lastmile("--db", str(lastmile.db), "1", "done", "--confirm")
    assert r.code == 0 and r.out.startswith("Done: task 1: Pay rent")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("delete", "1"), "lastmile: unknown command 'delete'; did you mean lastmile drop ID"),
        (("1", "delete"), "lastmile: unknown command 'delete'; did you mean lastmile drop 1"),
        (("1", "annotate", "note"),
         "lastmile: unknown command 'annotate'; did you mean lastmile edit 1 --notes"),
        (("lsit",), "lastmile: unknown command 'lsit'; did you mean lastmile list?"),
        (("xyzzy",), "lastmile: unknown command 'xyzzy'; see lastmile --help for the commands"),
        (("1", "list"), "lastmile: list takes no task id (see lastmile list --help)"),
    ],
)
def test_unknown_commands_get_one_did_you_mean_line(lastmile, args, expected):
    lastmile("add", "Pay rent", "--final", "transfer")
    before = rows(lastmile.db)
    r = lastmile(*args)
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1 and r.err.startswith(expected), r.err
    assert rows(lastmile.db) == before


def test_titles_that_look_like_commands_are_left_alone(lastmile):
    r = lastmile("add", "3", "done", "--final", "x")
    assert r.code == 0 and r.out.startswith("Added task 1: 3 done")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_output_keeps_every_character_whatever_the_encoding(lastmile, tmp_path, encoding):
    """Replacing would silently lose data in an export: JSON gets escapes instead."""
    lastmile("add", "party 🎉 café", "--final", "send ✉ invites")
    env = {**lastmile.env, "PYTHONIOENCODING": encoding}
    export = subprocess.run([*lastmile_command(), "export"], capture_output=True, env=env,
                            timeout=60)
    assert export.returncode == 0, export.stderr
    data = json.loads(export.stdout.decode(encoding))
    assert data["tasks"][0]["title"] == "party 🎉 café"
    listed = subprocess.run([*lastmile_command(), "list", "--json"], capture_output=True,
                            env=env, timeout=60)
    assert json.loads(listed.stdout.decode(encoding))[0]["final_step"] == "send ✉ invites"


def _commands(parser):
    (table,) = [a for a in parser._actions if a.__class__.__name__ == "Commands"]  # noqa: SLF001
    return table


def test_a_run_builds_only_its_commands_parser_and_help_lists_them_all():
    """Start-up builds the parser of the command it runs (and of `lastmile 3 done`'s verb, and show
    for `lastmile 3`); `lastmile --help` still lists every command with its help."""
    from lastmile_tui.cli import build_parser
    from lastmile_tui.cli.habits import command_words

    full = build_parser()
    assert build_parser(command_words(["--help"])).format_help() == full.format_help()
    for name, parser in _commands(full).choices.items():
        lean = _commands(build_parser(command_words(["--db", "x.db", name, "1"])))
        assert set(lean.choices) == set(_commands(full).choices)
        assert lean.choices[name].format_help() == parser.format_help(), name
        built = {n for n, p in lean.choices.items() if p is not None}
        assert built == {n for n, p in _commands(full).choices.items() if p is parser}, name
    assert command_words(["3", "done"]) == {"3", "done", "show"}
    assert command_words(["--db", "x", "--help", "add"]) == frozenset()
