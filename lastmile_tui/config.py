"""The small TOML config file under the user config dir (the theme, the snooze length).

It is written atomically: a temporary file in the same folder, then a rename,
so a crash never leaves it half written. When config.toml is a link (a
dotfiles manager's, say), the link is kept and the file it points to is
replaced the same way, in that file's own folder; when that file cannot be
written (a read-only store), nothing is changed and ``save`` says why.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from lastmile_tui.domain.review import DEFAULT_SNOOZE_DAYS
from lastmile_tui.paths import config_dir

DEFAULT_THEME = "textual-dark"


@dataclass
class Config:
    theme: str = DEFAULT_THEME
    snooze_days: int = DEFAULT_SNOOZE_DAYS
    path: Path | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Config:
        """Read the file; a missing or unreadable one gives the defaults (never a crash)."""
        path = path or config_dir() / "config.toml"
        config = cls(path=path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            return config
        if isinstance(data.get("theme"), str):
            config.theme = data["theme"]
        days = data.get("snooze_days")
        if isinstance(days, int) and 1 <= days <= 365:
            config.snooze_days = days
        return config

    def save(self) -> str | None:
        """Write the settings; return None, or one line saying why they could not be kept."""
        from lastmile_tui.files import real_path, writable, write_text_atomically

        if self.path is None:
            return None
        lines = []
        for f in fields(self):
            if f.name == "path":
                continue
            value = getattr(self, f.name)
            lines.append(f'{f.name} = "{value}"' if isinstance(value, str) else f"{f.name} = {value}")
        # a read-only config dir costs the user only the remembered theme
        try:
            target = real_path(self.path)  # a link stays a link: its target is what gets replaced
        except ValueError as exc:
            return f"could not save settings to {self.path}: {exc}"
        shown = self.path if target == self.path else f"{self.path} (a link to {target})"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not writable(target.parent) or (target.exists() and not writable(target)):
                return f"could not save settings to {shown}: it is read-only"  # even for root
            write_text_atomically(target, "\n".join(lines) + "\n" + _tables_kept(target))
        except OSError as exc:
            return f"could not save settings to {shown}: {exc.strerror or exc}"
        return None


def _tables_kept(path: Path) -> str:
    """The file's tables (``[sync]``…) as written: saving the theme must not lose them."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return ""
    start = next((i for i, line in enumerate(lines) if line.startswith("[")), None)
    return "" if start is None else "\n" + "".join(lines[start:])


@dataclass
class SyncConfig:
    """The ``[sync]`` table of config.toml: where ``lastmile sync`` goes. The password is never
    here: ``password_cmd`` is a command that prints it (``pass show caldav``), or the environment
    variable ``LASTMILE_SYNC_PASSWORD`` holds it."""

    url: str = ""
    username: str = ""
    calendar: str = "lastmile"
    password_cmd: str = ""
    auth: str = "basic"
    """How the password is sent: basic (with the first request), digest, or auto (as asked)."""
    steps: str = ""
    """How steps are written: description (a checklist), children (child VTODOs for tasks.org and
    jtx Board), or '' to follow the calendar as last synced (description at first)."""
    every: str = ""
    """How often the app syncs by itself ("15m", "1h"), and once when it opens; '' is never."""
    problem: str = ""
    """Why the file or its ``[sync]`` table could not be read as written ('' when it could): a
    sync says so rather than that nothing is set."""

    @classmethod
    def load(cls, path: Path | None = None) -> SyncConfig:
        """The ``[sync]`` settings; missing ones give the defaults, and a file that cannot be read
        as TOML (or a value that is not text) gives them with the *problem* named."""
        path = path or config_dir() / "config.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")).get("sync", {})
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as exc:
            return cls(problem=f"{path} cannot be read ({getattr(exc, 'strerror', None) or exc})")
        except tomllib.TOMLDecodeError as exc:
            return cls(problem=f"{path} is not valid TOML ({exc})")
        if not isinstance(data, dict):
            return cls(problem=f"sync in {path} is not a [sync] table")
        found = {f.name: data[f.name] for f in fields(cls) if isinstance(data.get(f.name), str)}
        if "every" in data and "every" not in found:  # every = 15: kept, so it can be refused in words
            found["every"] = str(data["every"]).lower()
        wrong = [name for name in data if name not in found and name != "every"
                 and name in {f.name for f in fields(cls)}]
        if wrong:
            found["problem"] = (f"[sync] {wrong[0]} in {path} is not text: write it in quotes, "
                                f'e.g. {wrong[0]} = "..."')
        return cls(**found)
