"""What a sync is said to have done, in the same words wherever it is shown: the summary line
``lastmile sync`` prints and the app notifies, and the app header's "synced 14:02"."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from lastmile_tui.domain.errors import plain

if TYPE_CHECKING:
    from lastmile_tui.sync.caldav_sync import Report


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def summary_line(report: Report) -> str:
    """One line: what came in, what went up, conflicts, skipped objects, requests and time."""
    return (f"Synced: {len(report.added):,} added here, {len(report.updated):,} updated here, "
            f"{len(report.pushed):,} sent, {_count(len(report.conflicts), 'conflict')}, "
            f"{len(report.skipped):,} skipped; {_count(len(report.requests), 'request')} in "
            f"{report.seconds:.2f} s ({report.server_seconds:.2f} s waiting for the server)")


def detail_lines(report: Report) -> list[str]:
    """What the summary line counts, named: each conflict, skipped object and task dropped because
    the server deleted it (server text made printable: never terminal control)."""
    return ([f"conflict: {plain(line)}" for line in report.conflicts]
            + [f"skipped {plain(item.where)}: {plain(item.why)}" for item in report.skipped]
            + [f"dropped (deleted on the server): {plain(title)}" for title in report.dropped])


def last_synced(when: str | None, now: datetime) -> str:
    """When the last sync completed, as a header says it: "synced 14:02", "synced yesterday",
    "synced 3 Nov" (with the year when it is not this one), or "never synced".

    *when* is the store's ``last_sync`` ("2026-11-30 14:02:11", local time)."""
    if not when:
        return "never synced"
    try:
        at = datetime.fromisoformat(when)
    except ValueError:
        return "never synced"
    days = (now.date() - at.date()).days
    if days <= 0:
        return f"synced {at:%H:%M}"
    if days == 1:
        return "synced yesterday"
    day = f"{at.day} {at:%b}"
    return f"synced {day}" if at.year == now.year else f"synced {day} {at.year}"
