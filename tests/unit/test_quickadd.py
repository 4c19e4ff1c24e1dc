"""Quick-add tokens, whichever way the shell hands them over."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain.quickadd import parse_quick_add


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
def test_never_raises_and_title_words_come_from_input(words):
    q = parse_quick_add(words)
    text = " ".join(words)
    for word in q.title.split():
        assert word in text
