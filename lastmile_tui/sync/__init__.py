"""Sync with servers other programs speak: CalDAV (``caldav_sync``). Built on ``formats.ical``
and the store's door; its rules are the domain's (``domain/sync.py``)."""
