"""``lastmile edit ID`` with no flags and ``lastmile add --edit``: the task in ``$VISUAL``/``$EDITOR``.

Standard library only at module level. The conversation itself (reopen on an
error, unchanged or emptied changes nothing) is ``lastmile_tui.editing``'s, which
the app's ``E`` shares; this only opens the store and prints what happened.
"""

from __future__ import annotations

import argparse

from lastmile_tui.cli.common import open_store
from lastmile_tui.cli.errors import EXIT_OK
from lastmile_tui.cli.output import echo_task


def edit_in_editor(args: argparse.Namespace, task_id: int) -> int:
    """Edit one task in the editor; print what changed, or that nothing did."""
    from lastmile_tui import editing
    from lastmile_tui.domain.task import confirmation_withdrawn

    with open_store(args) as store:
        result = editing.edit_task(store, task_id)
        if not result.changed:
            print(f"Task {task_id}: {editing.NOTHING_CHANGED}")
            return EXIT_OK
        echo_task(store, result.after, "Edited")
        print(f"  changed: {result.describe()}")
        if confirmation_withdrawn(result.before, result.after):
            print("  the final step changed, so its confirmation was withdrawn")
    return EXIT_OK


def add_in_editor(args: argparse.Namespace) -> int:
    """A new task from an empty document in the editor."""
    from lastmile_tui import editing

    with open_store(args, create=True) as store:
        task = editing.add_task(store)
        if task is None:
            print(editing.NOTHING_ADDED)
            return EXIT_OK
        echo_task(store, task, "Added")
        if not task.final_step:
            print(f'  no finish line yet: lastmile edit {task.id} --final "..."')
    return EXIT_OK
