"""The small TOML config file under the user config dir (the theme, the snooze length)."""

from __future__ import annotations

import contextlib
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

    def save(self) -> None:
        if self.path is None:
            return
        lines = []
        for f in fields(self):
            if f.name == "path":
                continue
            value = getattr(self, f.name)
            lines.append(f'{f.name} = "{value}"' if isinstance(value, str) else f"{f.name} = {value}")
        # a read-only config dir costs the user only the remembered theme
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
