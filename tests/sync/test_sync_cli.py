"""``lastmile sync`` as a person runs it: the real command in a subprocess, config.toml's
``[sync]`` table, the password from the environment, against the real Radicale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..cli.conftest import Runner
from .conftest import PASSWORD, USER


def configured(tmp_path: Path, radicale, name: str) -> Runner:
    runner = Runner(tmp_path / f"{name}.db", tmp_path / f"{name}-home")
    config = tmp_path / f"{name}-home" / "config" / "lastmile"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        f'theme = "textual-dark"\n\n[sync]\nurl = "{radicale.url}"\nusername = "{USER}"\n'
        f'calendar = "cli-{tmp_path.name}"\n', encoding="utf-8")
    runner.env["LASTMILE_SYNC_PASSWORD"] = PASSWORD
    return runner


def test_sync_from_the_config_then_status_then_a_claim_in_list(tmp_path, radicale):
    laptop = configured(tmp_path, radicale, "laptop")
    assert laptop("add", "Send the invoice", "--final", "email the PDF").code == 0
    missing = laptop("sync")
    assert missing.code == 2 and "lastmile sync --create" in missing.err
    assert len(missing.err.splitlines()) == 1
    first = laptop("sync", "--create", "--verbose")
    assert first.code == 0, first.err
    assert "1 sent" in first.out and "PUT " in first.out
    quiet = laptop("sync")
    assert "1 request in" in quiet.out and "0 sent" in quiet.out
    status = laptop("sync", "--status")
    assert radicale.url in status.out and "waiting to go up: 0 tasks" in status.out
    # a phone completes it
    import caldav
    from icalendar import Calendar

    client = caldav.DAVClient(url=radicale.url, username=USER, password=PASSWORD)
    calendar = client.principal().calendar(name=f"cli-{tmp_path.name}")
    obj = calendar.todos(include_completed=True)[0]
    cal = Calendar.from_ical(obj.data)
    todo = cal.walk("VTODO")[0]
    todo["STATUS"] = "COMPLETED"
    todo.add("COMPLETED", datetime.now(UTC))
    calendar.client.put(str(obj.url), cal.to_ical().decode(), {"Content-Type": "text/calendar"})
    pulled = laptop("sync")
    assert "completed elsewhere \u2014 did you do \u2039email the PDF\u203a?" in pulled.out
    listed = laptop("list")  # at the top of the ranking, the reason its question
    first = listed.out.splitlines()[1]
    assert first.startswith(" 1  0/1    Send the invoice") and "completed elsewhere" in first
    assert "1 completed elsewhere — yes: lastmile done ID · not yet: lastmile reopen ID" in listed.out
    done = laptop("done", "1", "--confirm")
    assert done.code == 0, done.err
    assert "1 sent" in laptop("sync").out
    assert "X-LASTMILE-FINAL-CONFIRMED" in calendar.todos(include_completed=True)[0].data


def test_a_wrong_password_is_one_line_and_exit_2(tmp_path, radicale):
    laptop = configured(tmp_path, radicale, "laptop")
    laptop("add", "Something", "--final", "finish")
    result = laptop("sync", "--create", env={"LASTMILE_SYNC_PASSWORD": "wrong"})
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "refused user 'alice'" in result.err
    assert "Traceback" not in result.err


def test_no_server_no_settings_and_a_server_that_is_not_there(tmp_path):
    runner = Runner(tmp_path / "x.db", tmp_path / "home")
    result = runner("sync")
    assert result.code == 2 and "[sync] url and username" in result.err
    gone = runner("sync", "--url", "http://127.0.0.1:9/", "--user", "a", "--calendar", "c",
                  env={"LASTMILE_SYNC_PASSWORD": "x"})
    line = gone.err.splitlines()[-1]
    assert gone.code == 2 and line == ("lastmile sync: could not reach http://127.0.0.1:9/ (Connection "
                                       "refused); the next sync picks up from here")


def test_steps_as_children_from_the_config_and_a_bad_value_refused(tmp_path, radicale):
    laptop = configured(tmp_path, radicale, "laptop")
    config = tmp_path / "laptop-home" / "config" / "lastmile" / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'steps = "subtasks"\n', encoding="utf-8")
    assert laptop("add", "Pay rent", "--final", "check the bank", "--step", "transfer").code == 0
    bad = laptop("sync", "--create")
    assert bad.code == 2 and bad.out == "" and bad.err.count("\n") == 1
    assert "[sync] steps = 'subtasks'" in bad.err and "children or description" in bad.err
    config.write_text(config.read_text(encoding="utf-8").replace("subtasks", "children"), encoding="utf-8")
    first = laptop("sync", "--create", "--verbose")
    assert first.code == 0, first.err
    assert first.out.count("PUT ") == 3  # the task, its step, its final step
    assert "steps: child VTODOs" in laptop("sync", "--status").out
    back = laptop("sync", "--steps", "description", "--verbose")
    assert back.code == 0 and back.out.count("DELETE ") == 2
    wrong = laptop("sync", "--steps", "subtasks")
    assert wrong.code == 2 and "Traceback" not in wrong.err


def test_a_nonsense_every_is_one_line_and_exit_2_before_anything_is_sent(tmp_path, radicale):
    laptop = configured(tmp_path, radicale, "laptop")
    config = laptop.env["XDG_CONFIG_HOME"] + "/lastmile/config.toml"
    with open(config, "a", encoding="utf-8") as file:
        file.write('every = "now and then"\n')
    result = laptop("sync", "--create")
    assert result.code == 2 and result.out == ""
    assert result.err == ("lastmile sync: [sync] every = 'now and then' in config.toml: write how often "
                          'as minutes or hours, e.g. "15m" or "1h"\n')
