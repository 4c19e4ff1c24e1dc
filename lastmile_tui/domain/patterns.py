"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern costs about 0.1 ms; a shell command imports thirty of them and uses a few,
so each module names its patterns with ``lazy(...)``, compiled at their first use.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class lazy:  # noqa: N801 - read as ``re.compile``'s stand-in at the definition
    """Stands for ``re.compile(pattern, flags)``: the first use of ``match``, ``fullmatch``,
    ``sub``... compiles it and keeps that method on this object, so later calls cost what calls
    on a compiled pattern cost (an import reads 100,000 titles through them)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:  # only for what is not kept yet
        found = getattr(re.compile(self.pattern, self.flags), name)
        setattr(self, name, found)
        return found
