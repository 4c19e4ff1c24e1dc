"""``cells``'s shortcut for text below U+0300 says what measuring each character says."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.cli.output import cells, fit, widths


@given(st.text(st.characters(max_codepoint=0x3FF, exclude_categories=("Cs",))))
def test_the_shortcut_measures_as_every_character_would(text):
    assert cells(text) == sum(widths(text))


@given(st.text(st.characters(min_codepoint=0x1FF0, max_codepoint=0x2100)))
def test_general_punctuation_too(text):
    assert cells(text) == sum(widths(text))


def test_every_character_the_shortcut_takes_is_one_cell():
    for code in [*range(0x20, 0x300), *range(0x2000, 0x2070)]:
        char = chr(code)
        assert cells(char) == sum(widths(char)), hex(code)


def test_wide_joined_and_invisible_characters_still_count_as_the_app_counts_them():
    assert cells("·é") == 2
    assert cells("日本") == 4
    assert cells("e\u0301") == 1  # a combining accent takes no cell
    assert cells("a\xadb") == 2  # nor a soft hyphen
    assert fit("日本語", 5) == "日本…"
    assert cells("—") == cells("‹x›") - 2 == 1
    assert cells("a\u200bb") == 2  # a zero-width space takes none
