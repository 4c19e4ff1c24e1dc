"""A call that waits for a quiet spell: the board's detail pane and its filter both need one."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Deferred:
    """``later()`` runs *call* after *delay* seconds without another ``later()``; ``now()`` runs it
    at once and forgets any wait."""

    def __init__(self, owner: MessagePump, delay: float, call: Callable[[], None]) -> None:
        self._owner, self._delay, self._call = owner, delay, call
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def later(self) -> None:
        if self._timer is None:
            self._timer = self._owner.set_timer(self._delay, self.now)
        else:
            self._timer.reset()

    def now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._call()
