"""Quick-add tokens, whichever way the shell hands them over."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.quickadd import attribute, parse_quick_add
from lastmile_tui.domain.task import Priority


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
    q = parse_quick_add(["Deploy", "sched:fri", "until:eoy", "https://x.org", "PRI:H"])
    assert q.title == "Deploy sched:fri until:eoy https://x.org PRI:H"
    assert q.kept == ["sched:fri", "until:eoy"]
    assert [attribute(w.partition(":")[0]) for w in q.kept] == ["scheduled", "until"]
    assert attribute("s") is None and attribute("st") is None  # too short to be sure


def test_repeat_tokens():
    q = parse_quick_add(["Pay", "rent", "every:monthly", "due:1st"])
    assert (q.title, q.repeat, q.due) == ("Pay rent", "monthly", "1st")
    q = parse_quick_add(['Water plants every:"2 weeks after done" +home'])
    assert (q.title, q.repeat, q.tags) == ("Water plants", "2 weeks after done", ["home"])
    q = parse_quick_add(["Stand-up", "recur:weekdays"])  # Taskwarrior's word
    assert (q.title, q.repeat, q.kept) == ("Stand-up", "weekdays", [])
    with pytest.raises(InvalidInput, match=r"every: is empty; give it a value \(every:monthly\)"):
        parse_quick_add(["x", "every:"])


def test_priority_and_wait_tokens():
    q = parse_quick_add(["Deploy", "pri:h", "wait:mon", "+ops"])
    assert (q.title, q.priority, q.wait, q.tags) == ("Deploy", Priority.H, "mon", ["ops"])
    q = parse_quick_add(['File taxes priority:L wait:"next fri"'])
    assert (q.title, q.priority, q.wait) == ("File taxes", Priority.L, "next fri")
    q = parse_quick_add(["Plan", "prio:M", "wait:in 3 days"])
    assert (q.title, q.priority, q.wait) == ("Plan", Priority.M, "in 3 days")
    assert parse_quick_add(["x", "--", "pri:H"]).title == "x pri:H"


@pytest.mark.parametrize(("words", "named"), [
    (["x", "pri:x"], "pri:x is not a priority"),
    (["x", "pri:"], "pri: is empty"),
    (["x", "wait:"], "wait: is empty"),
    (["x", "priority:urgent"], "priority:urgent is not a priority"),
])
def test_bad_priority_or_wait_is_named(words, named):
    with pytest.raises(InvalidInput, match=named):
        parse_quick_add(words)


@given(st.sampled_from("hmlHML"), st.sampled_from(["pri", "prio", "priority"]))
def test_any_case_of_a_priority_letter_reads(letter, key):
    assert parse_quick_add(["t", f"{key}:{letter}"]).priority == Priority(letter.upper())


@pytest.mark.parametrize("words", [["X", "due:fri", "due:mon"], ["Y", "final:a", "final:b"],
                                   ["Z", "every:monthly", "recur:weekly"], ["P", "pri:H", "priority:L"],
                                   ["W", "wait:mon", "wait:tue"]])
def test_an_attribute_given_twice_is_refused_not_silently_the_last(words):
    """Found by a tester: due:fri due:mon quietly meant Monday."""
    with pytest.raises(InvalidInput, match="a second time; give it once"):
        parse_quick_add(words)
    assert parse_quick_add([*words[:2], "--", *words[2:]]).title == f"{words[0]} {words[2]}"


def test_a_final_step_in_one_shell_word_stays_whole_whatever_its_whitespace():
    """Found by a tester: $'final:send\\nit' put "it" in the title."""
    assert parse_quick_add(["Foo", "final:send\nit"]).final_step == "send\nit"
    assert parse_quick_add(["Foo", "final:send\tit"]).title == "Foo"
