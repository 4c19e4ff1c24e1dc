"""``lastmile edit ID`` (no flags) and ``lastmile add --edit``: the task in $EDITOR.

The editor is a real program run by the real command: a small Python script
(``$VISUAL``) that edits the file the way a person would, run after run. Each
run appends the text it was shown to a log, so a test can see the error
comment the command put on top when it reopened the editor.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from lastmile_tui.store.store import Store
from tests.cli.test_cli import rows

SCRIPT = """\
import os, pathlib, re, subprocess, sys
path = pathlib.Path(sys.argv[-1])
here = pathlib.Path({folder!r})
log = here / "shown.log"
run = log.read_text(encoding="utf-8").count("=== run") + 1 if log.exists() else 1
text = path.read_text(encoding="utf-8")
with log.open("a", encoding="utf-8") as f:
    f.write(f"=== run {{run}}\\n{{text}}")
def field(name, value):
    global text
    text = re.sub(rf"(?m)^{{name}}:.*$", lambda m: f"{{name}}: {{value}}", text, count=1)
def lastmile(*args):
    subprocess.run([*{command!r}, *args], check=True, capture_output=True)
{body}
path.write_text(text, encoding="utf-8")
"""


def editor(tmp_path: Path, body: str) -> dict[str, str]:
    """The environment that makes *body* (Python, editing ``text``) the person's editor."""
    from tests.cli.conftest import lastmile_command

    script = tmp_path / "editor.py"
    script.write_text(SCRIPT.format(folder=str(tmp_path), command=lastmile_command(),
                                    body=textwrap.dedent(body)), encoding="utf-8")
    return {"VISUAL": f"{sys.executable} {script}", "EDITOR": "false"}


def shown(tmp_path: Path) -> list[str]:
    """The text the editor was shown, run by run."""
    log = (tmp_path / "shown.log").read_text(encoding="utf-8")
    return [part.split("\n", 1)[1] for part in log.split("=== run ")[1:]]


def task(lastmile, task_id: int = 1):
    with Store(lastmile.db) as store:
        return store.get(task_id)


def seed(lastmile) -> None:
    r = lastmile("add", "Pay rent", "--final", "transfer confirmed", "--step", "log in",
                 "--step", "find the IBAN", "--tag", "home")
    assert r.code == 0, r.err


def test_saved_changes_are_applied_in_one_edit(lastmile, tmp_path):
    seed(lastmile)
    env = editor(tmp_path, """
        field("title", "Pay December rent")
        field("due", "2026-12-24")
        field("priority", "h")
        field("tags", "+home +money")
        text = text.replace("[ ] find the IBAN", "[x] find the IBAN\\n[ ] save the receipt")
        text = text.replace("notes:\\n", "notes:\\nIBAN is in the lease.\\nSecond line.\\n")
    """)
    r = lastmile("edit", "1", env=env)
    assert r.code == 0, r.err
    assert "Edited task 1: Pay December rent" in r.out
    assert "changed: title, steps, due, priority → H, tags, notes, 1 step checked" in r.out
    t = task(lastmile)
    assert t.title == "Pay December rent"
    assert str(t.due) == "2026-12-24" and t.priority.value == "H"
    assert t.tags == ("home", "money")
    assert [(s.text, s.done) for s in t.steps] == [
        ("log in", False), ("find the IBAN", True), ("save the receipt", False)]
    assert t.notes == "IBAN is in the lease.\nSecond line."
    assert not t.final_confirmed
    with Store(lastmile.db) as store:  # one transaction, one history line: one undo puts it all back
        assert [e.kind.value for e in store.history(1)].count("edited") == 1
    assert lastmile("undo").code == 0
    assert task(lastmile).title == "Pay rent" and not task(lastmile).steps[1].done
    document = shown(tmp_path)[0]
    assert document.startswith("# Task 1: Pay rent — save and close to apply")
    assert "[ ] log in\n[ ] find the IBAN\n" in document


def test_unchecking_and_clearing_fields(lastmile, tmp_path):
    seed(lastmile)
    lastmile("edit", "1", "--due", "2026-12-24", "--pri", "L")
    lastmile("check", "1", "1")
    env = editor(tmp_path, """
        field("due", "")
        field("priority", "")
        text = text.replace("[x] log in", "[ ] log in")
    """)
    r = lastmile("edit", "1", env=env)
    assert r.code == 0, r.err
    assert "1 step unchecked" in r.out
    t = task(lastmile)
    assert t.due is None and t.priority is None and t.steps_done == 0


def test_a_line_that_cannot_be_read_reopens_the_editor_with_the_error_on_top(lastmile, tmp_path):
    seed(lastmile)
    env = editor(tmp_path, """
        if run == 1:
            text = text.replace("tags: +home", "tags: +home\\ncolour: red")
            field("due", "2026-12-24")
        elif run == 2:
            assert text.startswith("# ERROR: line 20: 'colour: red' is not a field"), text
            assert text.splitlines()[19] == "colour: red"
            text = text.replace("colour: red\\n", "")
            field("due", "frday")
        else:
            assert text.startswith("# ERROR: due: cannot read due date 'frday'"), text
            assert "line 20" not in text
            field("due", "2026-12-25")
    """)
    r = lastmile("edit", "1", env=env)
    assert r.code == 0, r.err
    assert len(shown(tmp_path)) == 3
    assert str(task(lastmile).due) == "2026-12-25"


def test_saving_the_errored_text_unchanged_gives_up_and_writes_nothing(lastmile, tmp_path):
    seed(lastmile)
    before = rows(lastmile.db)
    env = editor(tmp_path, """
        if run == 1:
            field("priority", "urgent")
            field("title", "changed")
    """)
    r = lastmile("edit", "1", env=env)
    assert r.code == 2
    assert r.err.startswith("lastmile edit: priority: ") and "nothing was changed" in r.err
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert rows(lastmile.db) == before
    assert shown(tmp_path)[1].startswith("# ERROR: priority: ")


def test_unchanged_or_emptied_changes_nothing_and_says_so(lastmile, tmp_path):
    seed(lastmile)
    before = rows(lastmile.db)
    for body in ("pass", "text = ''", "text = '\\n'.join(l for l in text.splitlines() if l.startswith('#'))",
                 "text = text.replace('title: Pay rent', 'title:   Pay rent  ')"):
        r = lastmile("edit", "1", env=editor(tmp_path, body))
        assert r.code == 0, r.err
        assert r.out == "Task 1: no changes; nothing was changed\n", body
        assert rows(lastmile.db) == before


def test_an_editor_that_fails_changes_nothing(lastmile, tmp_path):
    seed(lastmile)
    before = rows(lastmile.db)
    r = lastmile("edit", "1", env={"VISUAL": "", "EDITOR": "false"})
    assert r.code == 2 and "the editor 'false' exited with status 1; nothing was changed" in r.err
    r = lastmile("edit", "1", env={"VISUAL": "no-such-editor-here"})
    assert r.code == 2 and "cannot start the editor 'no-such-editor-here'" in r.err
    assert rows(lastmile.db) == before


def test_a_change_made_elsewhere_meanwhile_is_kept(lastmile, tmp_path):
    seed(lastmile)
    env = editor(tmp_path, """
        lastmile("edit", "1", "--due", "2026-12-24")
        lastmile("check", "1", "2")
        field("title", "Pay December rent")
    """)
    r = lastmile("edit", "1", env=env)
    assert r.code == 0, r.err
    t = task(lastmile)
    assert t.title == "Pay December rent"
    assert str(t.due) == "2026-12-24"  # theirs, untouched by the document's old empty due
    assert t.steps[1].done  # checked elsewhere; the document's [ ] was left alone


def test_a_field_changed_on_both_sides_is_named_and_yours_written_once_confirmed(lastmile, tmp_path):
    seed(lastmile)
    env = editor(tmp_path, """
        if run == 1:
            lastmile("edit", "1", "--due", "2026-12-24")
            field("due", "2026-12-31")
        else:
            assert text.startswith("# ERROR: the due changed to '2026-12-24' elsewhere while you "
                                   "edited; yours: '2026-12-31'; delete this line and save"), text
            text = text.split("\\n", 1)[1]
    """)
    r = lastmile("edit", "1", env=env)
    assert r.code == 0, r.err
    assert str(task(lastmile).due) == "2026-12-31"


def test_a_conflict_left_unresolved_writes_nothing(lastmile, tmp_path):
    seed(lastmile)
    env = editor(tmp_path, """
        if run == 1:
            lastmile("edit", "1", "--pri", "L")
            field("priority", "H")
    """)
    r = lastmile("edit", "1", env=env)
    assert r.code == 2
    assert "the priority changed to 'L' elsewhere while you edited; yours: 'H'" in r.err
    assert "nothing was changed" in r.err
    assert task(lastmile).priority.value == "L"


def test_the_document_never_confirms_and_new_final_words_withdraw_a_confirmation(lastmile, tmp_path):
    lastmile("add", "Sign lease", "--final", "post the signed copy")
    r = lastmile("edit", "1", env=editor(tmp_path, 'field("title", "Sign the lease")'))
    assert r.code == 0, r.err
    assert task(lastmile).status.value == "open" and not task(lastmile).final_confirmed
    assert "# the final step is confirmed" not in shown(tmp_path)[0]
    lastmile("done", "1", "--confirm")
    r = lastmile("edit", "1", env=editor(tmp_path, 'field("title", "Sign the lease, done")'))
    assert r.code == 0, r.err
    t = task(lastmile)
    assert t.status.value == "done" and t.final_confirmed and t.title == "Sign the lease, done"
    assert "# the final step is confirmed" in shown(tmp_path)[-1]
    r = lastmile("edit", "1", env=editor(tmp_path, 'field("final", "scan and email it")'))
    assert r.code == 1 and "task 1 is done, not open" in r.err  # as edit --final says
    assert task(lastmile).final_step == "post the signed copy"


def test_add_in_the_editor(lastmile, tmp_path):
    env = editor(tmp_path, """
        field("title", "Renew passport")
        field("final", "application posted")
        field("due", "2026-12-24")
        field("repeat", "")
        text = text.replace("[ ] \\n", "[x] photos taken\\n[ ] form filled\\n")
    """)
    r = lastmile("add", "--edit", env=env)
    assert r.code == 0, r.err
    assert r.out.startswith("Added task 1: Renew passport · final: application posted · due 2026-12-24")
    t = task(lastmile)
    assert [(s.text, s.done) for s in t.steps] == [("photos taken", True), ("form filled", False)]
    assert shown(tmp_path)[0].startswith("# New task — save and close to apply")


def test_add_in_the_editor_unchanged_or_emptied_adds_nothing(lastmile, tmp_path):
    for body in ("pass", "text = ''"):
        r = lastmile("add", "--edit", env=editor(tmp_path, body))
        assert r.code == 0, r.err
        assert r.out == "no changes; nothing added\n"
    assert rows(lastmile.db) == []


def test_add_edit_takes_no_title(lastmile):
    r = lastmile("add", "x", "--edit")
    assert r.code == 2 and "--edit starts from an empty document" in r.err
