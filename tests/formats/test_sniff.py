"""``lastmile import`` recognises a file by its content, and the CLI offers exactly the formats
the registry knows."""

from __future__ import annotations

import pytest

from lastmile_tui.cli import data
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.formats import files


def test_the_cli_offers_the_registrys_formats():
    assert data.IMPORT_FORMATS == files.IMPORT_FORMATS
    assert data.EXPORT_FORMATS == files.EXPORT_FORMATS


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('{"format": "lastmile", "version": 1, "tasks": []}', "lastmile"),
        ('[{"uuid": "a", "description": "x", "status": "pending"}]', "taskwarrior"),
        ('\ufeff[\n{"id":1,"description":"x","uuid":"a"}\n]', "taskwarrior"),
        ('{"uuid": "a", "description": "x"}\n{"uuid": "b", "description": "y"}\n', "taskwarrior"),
        ("[]", "taskwarrior"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "ics"),
        ("(A) Call mum +family due:2026-12-01\n", "todotxt"),
        ("x 2026-11-30 2026-11-01 pay rent\n", "todotxt"),
    ],
)
def test_a_file_is_known_by_its_content(text, name):
    assert files.sniff(text) == name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("  \n\n", "the file is empty"),
        ('{"tasks": [}', "starts like JSON but is not JSON"),
        ('{"format": "other"}', "neither a lastmile export nor a Taskwarrior export"),
    ],
)
def test_what_it_is_not_is_said_in_one_line(text, message):
    with pytest.raises(InvalidInput, match=message):
        files.sniff(text)
