"""Quick-add tokens, whichever way the shell hands them over."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.quickadd import attribute, parse_quick_add


def test_tokens_as_separate_words():
    q = parse_quick_add(["Pay", "rent", "due:fri", "+home", "final:transfer to landlord"])
    assert (q.title, q.due, q.tags, q.final_step) == ("Pay rent", "fri", ["home"],
                                                      "transfer to landlord")


def test_tokens_inside_one_quoted_argument():
    q = parse_quick_add(['Renew passport final:"post the form" +admin due:"fri 5pm"'])
    assert (q.title, q.due, q.tags, q.final_step) == ("Renew passport", "fri 5pm", ["admin"],
                                                      "post the form")


def test_plain_words_and_apostrophes_stay_in_the_title():
    q = parse_quick_add(["Don't", "forget", "Bob's", "C++", "notes:", "1+1"])
    assert q.title == "Don't forget Bob's C++ notes: 1+1"
    assert q.tags == [] and q.final_step is None and q.due is None


def test_single_quoted_final():
    q = parse_quick_add(["Call mum final:'say happy birthday'"])
    assert (q.title, q.final_step) == ("Call mum", "say happy birthday")


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),
                max_size=6))
def test_never_fails_unexpectedly_and_title_words_come_from_input(words):
    try:
        q = parse_quick_add(words)
    except InvalidInput as exc:  # only an empty attribute is refused
        assert "is empty" in str(exc)
        return
    text = " ".join(words)
    for word in q.title.split():
        assert word in text


def test_double_dash_ends_token_reading():
    q = parse_quick_add(["Buy", "milk", "--", "due:fri", "+home", "final:x"])
    assert (q.title, q.due, q.tags, q.final_step) == ("Buy milk due:fri +home final:x", None, [], None)
    q = parse_quick_add(["Buy milk -- due:fri final:'a b'"])  # inside one quoted argument too
    assert (q.title, q.due, q.final_step) == ("Buy milk due:fri final:'a b'", None, None)
    q = parse_quick_add(["--", "--", "x"])  # only the first one is the marker
    assert q.title == "-- x"


def test_a_plus_word_is_a_tag_only_when_it_starts_with_a_letter():
    q = parse_quick_add(["Price", "is", "+5", "dollars", "+", "++x", "+ok", "+été"])
    assert q.title == "Price is +5 dollars + ++x"
    assert q.tags == ["ok", "été"]


@pytest.mark.parametrize("words", [["x", "due:"], ["x", "final:"], ["x final:\"\""], ["x due:''"],
                                   ["x", "final: "], ["x", "project:"], ["x", "proj:"]])
def test_an_empty_attribute_is_bad_input(words):
    with pytest.raises(InvalidInput, match="is empty"):
        parse_quick_add(words)


def test_project_becomes_a_tag_with_its_dots():
    q = parse_quick_add(["Ship", "project:web.app", "proj:home"])
    assert (q.title, q.tags, q.kept) == ("Ship", ["web.app", "home"], [])


def test_unknown_taskwarrior_attributes_stay_in_the_title_and_are_named():
    q = parse_quick_add(["Deploy", "pri:H", "wait:fri", "recur:weekly", "https://x.org", "PRI:H"])
    assert q.title == "Deploy pri:H wait:fri recur:weekly https://x.org PRI:H"
    assert q.kept == ["pri:H", "wait:fri", "recur:weekly"]
    assert [attribute(w.partition(":")[0]) for w in q.kept] == ["priority", "wait", "recur"]
    assert attribute("s") is None and attribute("st") is None  # too short to be sure
