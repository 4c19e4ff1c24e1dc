"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern costs about 0.1 ms; a shell command imports thirty of them and uses a few,
so each module names its patterns with ``lazy(...)`` and ``re``'s own cache holds the compiled
ones after their first use.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class lazy:  # noqa: N801 - read as ``re.compile``'s stand-in at the definition
    """Stands for ``re.compile(pattern, flags)``: ``match``, ``fullmatch``, ``sub``... compile it
    (once: ``re`` caches it) on their first call."""

    __slots__ = ("flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        return getattr(re.compile(self.pattern, self.flags), name)
