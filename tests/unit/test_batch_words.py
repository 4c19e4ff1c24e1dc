"""The words a person types to name several tasks (``cli.ids``) and ``retag``, held by properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_tui.cli.ids import MAX_RANGE, is_tag_word, parse_id_word, parse_ids
from lastmile_tui.domain.batch import retag

ids = st.integers(min_value=1, max_value=10**6)


@given(ids, st.integers(min_value=0, max_value=MAX_RANGE - 1))
def test_a_range_is_every_id_from_its_first_to_its_last(low, span):
    assert parse_id_word(f"{low}-{low + span}") == list(range(low, low + span + 1))


@given(ids, st.integers(min_value=1, max_value=10**4))
def test_a_reversed_range_is_refused_naming_it(low, gap):
    with pytest.raises(ValueError, match="reversed range"):
        parse_id_word(f"{low + gap}-{low}")


@given(ids, st.integers(min_value=MAX_RANGE, max_value=10**6))
def test_a_range_too_long_is_refused(low, span):
    with pytest.raises(ValueError, match=f"at most {MAX_RANGE}"):
        parse_id_word(f"{low}-{low + span}")


@given(st.lists(ids, min_size=1, max_size=20))
def test_lists_and_words_give_each_id_once_in_the_order_first_named(numbers):
    words = [",".join(map(str, numbers[:3])), *map(str, numbers[3:]), str(numbers[0])]
    assert parse_ids(words) == list(dict.fromkeys(numbers))


@given(st.text(max_size=12))
def test_any_word_is_ids_or_one_clear_refusal(word):
    try:
        result = parse_id_word(word)
    except ValueError as exc:
        assert "\n" not in str(exc)
    else:
        assert result and all(i >= 1 for i in result)


def test_tag_words_and_what_is_not_one():
    assert [w for w in ["+urgent", "-someday", "--due", "-", "-5", "+", "3"] if is_tag_word(w)] == [
        "+urgent", "-someday"]


@given(st.lists(st.sampled_from("abcde"), max_size=5, unique=True),
       st.lists(st.sampled_from("abcdef"), max_size=4),
       st.lists(st.sampled_from("abcdef"), max_size=4))
def test_retag_adds_missing_removes_named_and_keeps_the_rest_in_order(tags, add, remove):
    result = retag(tuple(tags), add, remove)
    assert not set(result) & set(remove)
    assert set(add) - set(remove) <= set(result)
    kept = [t for t in tags if t not in remove]
    assert list(result[:len(kept)]) == kept
    assert len(result) == len(set(result))
