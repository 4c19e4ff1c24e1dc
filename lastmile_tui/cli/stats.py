"""``lastmile stats``: finishes per week, the finish rate and last-mile times, from the history.

Standard library only at module level; the command reads through the store's
plain-sqlite3 reader (no SQLAlchemy, no Textual) and the arithmetic is
``domain/stats.py``'s. Human output fits 80 columns; ``--json`` is for machines.
"""

from __future__ import annotations

import argparse
import sys

from lastmile_tui.cli.common import NO_TASKS_YET, add_command, first_run, open_reader
from lastmile_tui.cli.errors import EXIT_OK
from lastmile_tui.cli.output import fit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import timedelta
    from typing import Any

    from lastmile_tui.cli.common import Subparsers
    from lastmile_tui.domain.stats import Stats

DEFAULT_WEEKS = 12  # domain.stats.DEFAULT_WEEKS: not imported, so the parser stays standard library
MAX_WEEKS = 520
WIDTH = 80
SPARK = "▁▂▃▄▅▆▇█"
_SPARK_MAX = 52
"""At most this many marks in the weekly line: more weeks are summed in twos, threes…"""


def weeks_arg(text: str) -> int:
    """An argparse type for ``--weeks``: a whole number of weeks from 1 to ``MAX_WEEKS``."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of weeks (1 to {MAX_WEEKS})")
    return int(text)


def register(subparsers: Subparsers) -> None:
    if p := add_command(subparsers, "stats", cmd_stats,
                       "finishes per week, finish rate and last-mile times, from the history"):
        p.add_argument("--weeks", "-w", type=weeks_arg, default=DEFAULT_WEEKS, metavar="N",
                       help=f"the period: the last N weeks, this one included (default {DEFAULT_WEEKS})")
        p.add_argument("--json", action="store_true", help="machine-readable figures")


def cmd_stats(args: argparse.Namespace) -> int:
    if first_run(args):
        print("{}" if args.json else NO_TASKS_YET)
        return EXIT_OK
    with open_reader(args) as store:
        stats = store.statistics(args.weeks)
    if args.json:
        import json

        json.dump(record(stats), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print("\n".join(report(stats)))
    return EXIT_OK


def _seconds(span: timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds(), 3)


def record(stats: Stats) -> dict[str, Any]:
    """The figures as one JSON object (durations in seconds, moments in ISO 8601)."""
    cohort = stats.cohort
    rate = cohort.rate()
    return {
        "weeks": stats.weeks,
        "since": stats.since.isoformat(),
        "now": stats.now.isoformat(),
        "finished": stats.finished,
        "finished_per_week": [{"week": day.isoformat(), "finished": count}
                              for day, count in zip(stats.week_starts, stats.weekly, strict=True)],
        "imported_done": stats.imported_done,
        "finish_rate": {
            "added": cohort.total, "done": cohort.done, "dropped": cohort.dropped, "open": cohort.open,
            "imported_done": cohort.imported_done, "rate": None if rate is None else round(rate, 4),
        },
        "last_mile": {
            "median_seconds": _seconds(stats.last_mile_median),
            "tasks": stats.last_mile_count,
            "finished_with_steps_unchecked": stats.skipped_steps,
            "per_tag": [{"tag": t.tag, "median_seconds": _seconds(t.median), "tasks": t.count}
                        for t in stats.per_tag],
        },
        "on_last_mile_now": {
            "open": stats.waiting,
            "median_wait_seconds": _seconds(stats.waiting_median),
            "waiting": {label: count for label, count in stats.bands},
        },
        "stalled": [
            {"id": w.id, "title": w.title, "final_step": w.final_step, "tags": list(w.tags),
             "since": w.since.isoformat(), "seconds": _seconds(stats.now - w.since)}
            for w in stats.stalled
        ],
    }


def spark(values: list[int], limit: int = _SPARK_MAX) -> tuple[str, int]:
    """A line of block characters for *values* (summed in groups to fit *limit*), and the group size."""
    group = -(-len(values) // limit) if values else 1
    sums = [sum(values[i:i + group]) for i in range(0, len(values), group)]
    top = max(sums, default=0)
    if not top:
        return SPARK[0] * len(sums), group
    return "".join(SPARK[min(len(SPARK) - 1, round(v * (len(SPARK) - 1) / top))] if v else " "
                   for v in sums), group


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.0f}%" if whole else "—"


def report(stats: Stats) -> list[str]:
    """The figures for people, each line at most 80 columns."""
    from lastmile_tui.domain.stats import span_words

    lines = [f"Last-mile statistics · the last {stats.weeks} week{'s' if stats.weeks != 1 else ''}"
             f" (since Mon {stats.since:%Y-%m-%d})", ""]
    line, group = spark(stats.weekly)
    every = f", each mark {group} weeks" if group > 1 else ""
    lines.append(f"Finished per week ({stats.finished:,} in all{every}; this week last)")
    best = max(stats.weekly, default=0)
    this_week = stats.weekly[-1] if stats.weekly else 0
    lines.append(f"  {line}  this week {this_week:,} · best week {best:,}")
    if stats.imported_done:
        lines.append(f"  imported as done: {stats.imported_done:,} (not counted above)")
    cohort = stats.cohort
    lines += ["", f"Finish rate of the {cohort.total:,} tasks added in the period"]
    if cohort.total:
        lines.append(f"  done {cohort.done:,} ({_pct(cohort.done, cohort.total)}) · dropped "
                     f"{cohort.dropped:,} ({_pct(cohort.dropped, cohort.total)}) · still open "
                     f"{cohort.open:,} ({_pct(cohort.open, cohort.total)})")
    if cohort.imported_done:
        lines.append(f"  imported as done: {cohort.imported_done:,} (left out of the rate)")
    lines += ["", "Last mile: from only the final step left to done (median)"]
    if stats.last_mile_count:
        lines.append(f"  {'all tasks':<14} {span_words(stats.last_mile_median):>7}  "
                     f"({stats.last_mile_count:,} finished)")
        longest = max((t.median for t in stats.per_tag), default=None)
        for tag in stats.per_tag[:8]:
            bar = "█" * max(1, round(30 * tag.median / longest)) if longest else ""
            lines.append(f"  {fit('+' + tag.tag, 14)} {span_words(tag.median):>7}  {bar:<30} "
                         f"{tag.count:,}".rstrip())
        if len(stats.per_tag) > 8:
            lines.append(f"  … and {len(stats.per_tag) - 8} more tags (--json lists them all)")
    else:
        lines.append("  no task finished from its last mile in the period yet")
    if stats.skipped_steps:
        lines.append(f"  {stats.skipped_steps:,} finished with steps unchecked (no last-mile time)")
    lines += ["", f"On the last mile now: {stats.waiting:,} open task{'s' if stats.waiting != 1 else ''}"
              + (f", median wait {span_words(stats.waiting_median)}" if stats.waiting else "")]
    if stats.waiting:
        lines.append("  " + " · ".join(f"{label} {count:,}" for label, count in stats.bands))
    if stats.stalled:
        id_w = max(2, *(len(str(w.id)) for w in stats.stalled))
        lines += ["", "Stalled longest on the final step", f"  {'ID':>{id_w}}  WAITING  TASK → FINAL STEP"]
        rest = WIDTH - (2 + id_w + 2 + 7 + 2)
        for w in stats.stalled:
            task = f"{w.title} → {w.final_step}"
            waited = span_words(stats.now - w.since)
            lines.append(f"  {w.id:>{id_w}}  {waited:<7}  {fit(task, rest)}".rstrip())
        lines.append("  (lastmile show ID for one; lastmile review to finish them)")
    return lines
