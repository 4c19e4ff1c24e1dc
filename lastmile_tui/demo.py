"""A lived-in demo list, for screenshots, snapshot tests and trying lastmile out.

``seed_demo`` writes only through ``Store`` operations, so every task gets
the same checks, history events and undo records as one typed by a person.

Idle times need writes that happened in the past, and a ``Store`` stamps each
write with ``store.clock()``. So ``seed_demo`` reads the clock once, then
points ``store.clock`` at earlier moments while it writes — in time order,
oldest first, so history and undo read naturally — and puts the original
clock back when it is done (even on an error). Callers need nothing special:
any clock works, and due dates and idle times come out relative to it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from lastmile_tui.store.store import Store

# Wednesday 2026-11-25, 10:00: the moment the screenshots and snapshot tests are taken at.
DEMO_NOW = datetime(2026, 11, 25, 10, 0)


def seed_demo(store: Store) -> None:
    """Fill *store* with 15 varied tasks: every stage on the board, some done, one dropped, three
    with a priority and one waiting.

    Meant for an empty database (task ids then run 1..15 in creation order).
    """
    now = store.clock()
    today = now.date()
    original_clock = store.clock

    def at(days: float, hours: float = 0) -> None:
        """Make the following writes happen *days* (and *hours*) before now."""
        moment = now - timedelta(days=days, hours=hours)
        store.clock = lambda: moment

    def due(days: int) -> date:
        return today + timedelta(days=days)

    try:
        at(90)
        store.add("Clear out the garage", tags=["home"])
        at(45)
        store.add(
            "Fix the bike", final_step="ride it to work",
            steps=["buy a new inner tube", "fit the tube and pump the tyres", "adjust the brakes"],
            tags=["home"],
        )
        at(30)
        rust = store.add("Learn Rust in a weekend", final_step="finish the last chapter of the book",
                         tags=["learning"]).id
        at(21)
        tax = store.add(
            "Quarterly tax return", final_step="submit the return online",
            steps=["collect the receipts", "fill in the expenses sheet", "check the figures with Maria"],
            due=due(-3), tags=["admin"], priority="H",
        ).id
        at(20)
        store.check(tax, 1)
        at(18)
        talk = store.add(
            "Write conference talk", final_step="send the slides to the organisers",
            steps=["outline the talk", "draft the slides", "rehearse with a timer",
                   "cut it to 25 minutes"],
            due=due(15), tags=["talk", "writing"],
            notes="PyCon Lisbon, 25-minute slot.\nKeep the live demo short; record a fallback video.",
        ).id
        at(14)
        release = store.add(
            "Release v2.3", final_step="tag and publish to PyPI",
            steps=["merge the open pull requests", "update the changelog",
                   "run the full test matrix", "bump the version number"],
            due=due(2), tags=["dev"], priority="M",
        ).id
        store.drop(rust, "not this quarter; trying a smaller project first")
        at(12)
        store.add("Update my CV", tags=["career"])
        at(10)
        store.check(talk, 1)
        at(9)
        expenses = store.add("Submit expense report", final_step="send it to finance",
                             steps=["scan the receipts"], tags=["work"]).id
        at(8)
        store.add("Plan team offsite", tags=["work"],
                  notes="Ask for the budget first. Mid-January suits most people.")
        store.check(expenses, 1)
        at(7)
        store.check(release, 1)
        store.check(release, 2)
        at(6)
        passport = store.add(
            "Renew passport", final_step="post the signed form",
            steps=["get new photos taken", "fill in the renewal form"],
            due=due(3), tags=["admin"],
        ).id
        at(5)
        invoice = store.add(
            "Send November invoice to ACME", final_step="email the PDF to billing@acme.example",
            steps=["export hours from the timesheet", "fill in the invoice template"],
            due=due(1), tags=["work"],
        ).id
        at(4)
        bill = store.add("Pay the electricity bill", final_step="pay it in the banking app",
                         due=due(-1), tags=["home"]).id
        at(3)
        store.complete(expenses, confirm=True)
        store.check(passport, 1)
        at(2)
        store.add("Book a dentist appointment", final_step="call the surgery and book a slot",
                  due=due(6), tags=["health"], priority="L")
        store.check(invoice, 1)
        store.check(invoice, 2)
        at(1, hours=2)
        store.check(release, 3)
        store.complete(bill, confirm=True)
        present = store.add("Order Mum's birthday present", final_step="place the order",
                            steps=["pick a present"], tags=["family"]).id
        store.check(present, 1)
        at(0, hours=2)
        store.complete(present, confirm=True)
        at(0, hours=1)  # put off until the weekend: off the board until then
        store.add("Renew car insurance", final_step="pay the renewal", tags=["admin"],
                  wait=due(4))
    finally:
        store.clock = original_clock
