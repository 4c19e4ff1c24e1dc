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


def db_path_is_chosen(cli_value: str | None = None) -> bool:
    """True when --db or $LASTMILE_DB names the database: a missing file there is a mistake
    to report, while a missing default database only means no task was added yet."""
    return bool(cli_value or os.environ.get("LASTMILE_DB"))


def config_dir() -> Path:
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)
