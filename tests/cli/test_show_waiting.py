"""``lastmile show`` says when a snoozed task comes back to review (issue 9, item 32)."""

from __future__ import annotations

from datetime import date, timedelta

from lastmile_tui.store.store import Store


def test_show_says_snoozed_until_the_day_it_returns(lastmile):
    assert lastmile("add", "Plan offsite", "--final", "book the venue").code == 0
    before = lastmile("show", "1")
    assert before.code == 0 and "snoozed" not in before.out
    with Store(lastmile.db) as store:
        store.snooze(1, 3)
    back = date.today() + timedelta(days=3)
    shown = lastmile("show", "1")
    assert shown.code == 0, shown.err
    assert f"waiting until {back:%a}".lower() in shown.out.lower()
