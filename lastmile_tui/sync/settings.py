"""The sync's settings as the CLI and the app both resolve them: config.toml's ``[sync]`` table
under the command line's flags, the password from ``$LASTMILE_SYNC_PASSWORD`` or the output of
``password_cmd`` (lastmile never stores one), and how often the app syncs by itself.

Every problem is one ``SyncSettingsProblem`` line; the CLI turns it into exit 2, the app into a
notification.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from lastmile_tui.domain.errors import SyncNotSetUp, SyncSettingsProblem

if TYPE_CHECKING:
    from lastmile_tui.config import SyncConfig
    from lastmile_tui.sync.caldav_sync import Settings

PASSWORD_ENV = "LASTMILE_SYNC_PASSWORD"
MIN_EVERY_MINUTES = 1
MAX_EVERY_MINUTES = 7 * 24 * 60

_UNITS = {"m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
          "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60}
_PART = re.compile(r"\s*(\d+)\s*([a-z]+)\s*")


def resolve(config: SyncConfig, *, url: str | None = None, user: str | None = None,
            calendar: str | None = None, create: bool = False, terminal: bool = True,
            steps: str | None = None) -> Settings:
    """Where to sync and as whom: *url*, *user*, *calendar* and *steps* (the command line's) over
    *config*. The password command runs here; *terminal* false (the app) gives it no keyboard."""
    from lastmile_tui.formats.ical import STEPS_MODES
    from lastmile_tui.sync.caldav_sync import Settings

    if config.problem:
        raise SyncSettingsProblem(config.problem)
    url, user = url or config.url, user or config.username
    if not url or not user:
        raise SyncNotSetUp("sync needs a server and a user: set [sync] url and username in config.toml")
    if not url.startswith(("http://", "https://")):
        raise SyncSettingsProblem(f"{url!r} is not a server address (it starts with https:// or http://)")
    if config.auth not in ("basic", "digest", "auto"):
        raise SyncSettingsProblem(f"[sync] auth = {config.auth!r} in config.toml: use basic, digest or auto")
    every_minutes(config.every)  # nonsense there is refused by every sync, not only the app's
    if config.steps and config.steps not in STEPS_MODES:
        raise SyncSettingsProblem(f"[sync] steps = {config.steps!r} in config.toml: use "
                                  f"{' or '.join(sorted(STEPS_MODES))}")
    found = Settings(url, user, password(config.password_cmd, terminal=terminal),
                     calendar or config.calendar, create=create, auth=config.auth)
    found.steps = steps or config.steps or None  # None: as the calendar was last synced
    return found


def password(command: str, *, terminal: bool = True) -> str:
    """$LASTMILE_SYNC_PASSWORD, else the first line ``command`` prints (run each time it is
    needed, so an agent's cache or a changed password is honoured and none is kept here)."""
    found = os.environ.get(PASSWORD_ENV)
    if found is not None:
        return found
    if not command:
        raise SyncSettingsProblem(f"sync needs a password: set {PASSWORD_ENV}, or [sync] password_cmd "
                                  "in config.toml (a command that prints it, e.g. pass show caldav)")
    import shlex
    import subprocess

    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=60,
                              check=False, stdin=None if terminal else subprocess.DEVNULL)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise SyncSettingsProblem(f"the password command {command!r} could not run ({exc})") from None
    if done.returncode != 0:
        raise SyncSettingsProblem(f"the password command {command!r} failed (exit {done.returncode})")
    return done.stdout.splitlines()[0] if done.stdout else ""


def every_minutes(text: str) -> int | None:
    """``[sync] every``: "15m", "1h", "1h30m", "90 minutes" as minutes; '' (or "off") is None."""
    words = text.strip().lower()
    if words in ("", "off", "never", "no", "false"):
        return None
    minutes, at = 0, 0
    while at < len(words):
        part = _PART.match(words, at)
        if part is None or part.group(2) not in _UNITS:
            raise SyncSettingsProblem(f"[sync] every = {text!r} in config.toml: write how often as "
                                      'minutes or hours, e.g. "15m" or "1h"')
        minutes += int(part.group(1)) * _UNITS[part.group(2)]
        at = part.end()
    if not MIN_EVERY_MINUTES <= minutes <= MAX_EVERY_MINUTES:
        raise SyncSettingsProblem(f"[sync] every = {text!r} in config.toml: between 1 minute and "
                                  "7 days, please")
    return minutes
