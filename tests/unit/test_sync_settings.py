"""The sync's settings as the CLI and the app share them (``sync/settings.py``) and the words
said of a sync (``sync/summary.py``)."""

from __future__ import annotations

from datetime import datetime

import pytest

from lastmile_tui.config import SyncConfig
from lastmile_tui.domain.errors import SyncSettingsProblem
from lastmile_tui.sync.caldav_sync import Report
from lastmile_tui.sync.settings import PASSWORD_ENV, every_minutes, resolve
from lastmile_tui.sync.summary import last_synced, summary_line


@pytest.mark.parametrize(("text", "minutes"), [
    ("15m", 15), ("1h", 60), ("1h30m", 90), ("90 minutes", 90), ("2 hours", 120), (" 5 MIN ", 5),
    ("", None), ("off", None), ("false", None),
])
def test_every_reads_minutes_and_hours(text, minutes):
    assert every_minutes(text) == minutes


@pytest.mark.parametrize("text", ["15", "soon", "15s", "m", "0m", "30 seconds", "8d", "10000h", "1h x"])
def test_every_refuses_nonsense_in_one_line(text):
    with pytest.raises(SyncSettingsProblem) as caught:
        every_minutes(text)
    message = str(caught.value)
    assert message.startswith(f"[sync] every = {text!r} in config.toml: ") and "\n" not in message


def test_every_as_a_bare_number_in_the_file_is_refused_not_ignored(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[sync]\nurl = "https://dav.example.org/"\nevery = 15\n', encoding="utf-8")
    assert SyncConfig.load(path).every == "15"
    with pytest.raises(SyncSettingsProblem, match="every = '15'"):
        every_minutes(SyncConfig.load(path).every)


def test_resolve_puts_the_command_line_over_the_file_and_refuses_with_one_line(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "secret")
    config = SyncConfig(url="https://dav.example.org/", username="alice", calendar="Tasks")
    settings = resolve(config, user="bob", calendar="Chores", create=True)
    assert (settings.url, settings.username, settings.calendar, settings.password, settings.create) == (
        "https://dav.example.org/", "bob", "Chores", "secret", True)
    for broken, words in [(SyncConfig(), "needs a server and a user"),
                          (SyncConfig(url="dav.example.org", username="a"), "is not a server address"),
                          (SyncConfig(url="https://x/", username="a", auth="magic"), "auth = 'magic'"),
                          (SyncConfig(url="https://x/", username="a", every="often"), "every = 'often'")]:
        with pytest.raises(SyncSettingsProblem, match=words):
            resolve(broken)


def test_the_password_command_runs_without_a_keyboard_in_the_app(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    config = SyncConfig(url="https://x/", username="a", password_cmd="cat")
    assert resolve(config, terminal=False).password == ""  # cat read /dev/null: it did not wait
    with pytest.raises(SyncSettingsProblem, match="needs a password"):
        resolve(SyncConfig(url="https://x/", username="a"))
    with pytest.raises(SyncSettingsProblem, match=r"the password command 'false' failed \(exit 1\)"):
        resolve(SyncConfig(url="https://x/", username="a", password_cmd="false"), terminal=False)


def test_last_synced_in_the_header_s_words():
    now = datetime(2026, 11, 30, 14, 30)
    assert last_synced(None, now) == "never synced"
    assert last_synced("not a time", now) == "never synced"
    assert last_synced("2026-11-30 14:02:11", now) == "synced 14:02"
    assert last_synced("2026-11-29 23:59:00", now) == "synced yesterday"
    assert last_synced("2026-11-03 08:00:00", now) == "synced 3 Nov"
    assert last_synced("2025-12-24 08:00:00", now) == "synced 24 Dec 2025"


def test_the_summary_line_is_the_cli_s():
    report = Report(requests=["REPORT / 207"], seconds=0.25, server_seconds=0.05)
    assert summary_line(report) == ("Synced: 0 added here, 0 updated here, 0 sent, 0 conflicts, 0 skipped; "
                                    "1 request in 0.25 s (0.05 s waiting for the server)")


@pytest.mark.parametrize(("text", "said"), [
    ("[sync\nurl=", "is not valid TOML"),
    ('[sync]\nurl = 5\nusername = "alice"\n', "[sync] url in "),
    ('[sync]\nurl = "https://dav.example.org/"\nusername = ["alice"]\n', "[sync] username in "),
    ('sync = "yes"\n', "is not a [sync] table"),
])
def test_a_config_that_cannot_be_read_as_written_is_named_not_taken_for_unset(tmp_path, monkeypatch, text,
                                                                              said):
    """Found by a tester: a broken config.toml was reported as "set [sync] url and username"."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(PASSWORD_ENV, "secret")
    with pytest.raises(SyncSettingsProblem) as caught:
        resolve(SyncConfig.load(path))
    assert said in str(caught.value) and "\n" not in str(caught.value)
    assert SyncConfig.load(tmp_path / "missing.toml").problem == ""


def test_the_lines_that_name_what_the_summary_counts_are_plain_printable_text():
    """What lastmile sync prints and the app's Sync now shows above its summary, in one place."""
    from lastmile_tui.domain.imports import Skipped
    from lastmile_tui.sync.summary import detail_lines

    report = Report(conflicts=["'Pay [b]rent[/b]': changed on both sides"],
                    skipped=[Skipped("x.ics", "", "no UID\x1b[31m")], dropped=["Old\none"])
    assert detail_lines(report) == ["conflict: 'Pay [b]rent[/b]': changed on both sides",
                                    "skipped x.ics: no UID\\x1b[31m",
                                    "dropped (deleted on the server): Old\\none"]


def test_a_joined_emoji_from_the_server_reads_as_typed_and_controls_do_not():
    from lastmile_tui.domain.errors import plain as shown

    assert shown("請求書 👩\u200d👩\u200d👧") == "請求書 👩\u200d👩\u200d👧"  # found trying it: \\u200d shown
    assert shown("a\x1b[31mb\nc\u202ed") == "a\\x1b[31mb\\nc\\u202ed"
