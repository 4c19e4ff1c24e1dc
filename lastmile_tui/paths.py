"""Where lastmile keeps its files: --db, then LASTMILE_DB, then the platform's data dir."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "lastmile"


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "lastmile.db"


def resolve_db_path(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("LASTMILE_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


def config_dir() -> Path:
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)
