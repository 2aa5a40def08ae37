from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlanim.narration.sentences import split_sentences, wrap_subtitle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Take e.g. a vector. Then scale it.", ["Take e.g. a vector.", "Then scale it."]),
        ("Add i.e. Sum them. Done.", ["Add i.e. Sum them.", "Done."]),
        ("The value is 3.5 here. Next 0.25 comes.", ["The value is 3.5 here.", "Next 0.25 comes."]),
        ("Dr. Smith and Prof. Jones agree. So do we.", ["Dr. Smith and Prof. Jones agree.", "So do we."]),
        ("See Fig. 3 now. Good.", ["See Fig. 3 now.", "Good."]),
        ("Wait... what? And so on... The end.", ["Wait... what?", "And so on...", "The end."]),
        ("Hmm… Right.", ["Hmm…", "Right."]),
        ("Call it matrix A. Now multiply.", ["Call it matrix A.", "Now multiply."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("(A remark.) Next one.", ["(A remark.)", "Next one."]),
        ("approx. three units.", ["approx. three units."]),
        ("  lots   of\n  space\tand\nlines.  ", ["lots of space and lines."]),
        ("A heading\n\nThe paragraph. Ends.", ["A heading", "The paragraph.", "Ends."]),
        ("-5 is negative. Yes.", ["-5 is negative.", "Yes."]),
        ("", []),
        ("  \n\n ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_wrap_short_sentence_is_one_line() -> None:
    assert wrap_subtitle("Hello there.") == [["Hello there."]]


def test_wrap_balances_two_lines() -> None:
    text = "Here are the two basis vectors of the plane we work in today."
    (block,) = wrap_subtitle(text)
    assert block == ["Here are the two basis vectors", "of the plane we work in today."]


def test_wrap_long_sentence_into_several_blocks() -> None:
    text = " ".join(["word"] * 40)  # 199 characters: 5 lines of <= 42
    blocks = wrap_subtitle(text)
    assert len(blocks) == 3 and all(1 <= len(b) <= 2 for b in blocks)
    assert " ".join(line for b in blocks for line in b) == text


def test_wrap_breaks_overlong_word() -> None:
    blocks = wrap_subtitle("x" * 100)
    assert len(blocks) == 2 and [line for b in blocks for line in b] == ["x" * 42, "x" * 42, "x" * 16]


def test_wrap_cuts_at_phrase_boundaries() -> None:
    text = "Drawn as an arrow, it has a length and a direction, and everything we do with vectors has a picture."
    assert wrap_subtitle(text) == [
        ["Drawn as an arrow,", "it has a length and a direction,"],
        ["and everything we do", "with vectors has a picture."],
    ]
    # Two lines, not "... sum of / the two ...": never after an article or a preposition.
    (block,) = wrap_subtitle("The arrow from the origin to the tip is the sum of the two vectors.")
    assert all(line.split()[-1] not in {"the", "of", "to", "a"} for line in block)
    assert len(block) == 2


def test_wrap_blank() -> None:
    assert wrap_subtitle("   ") == []


def test_wrap_rejects_bad_width() -> None:
    with pytest.raises(ValueError, match="positive"):
        wrap_subtitle("a", width=0)


def _greedy_fill(pieces: list[str], width: int) -> list[str]:
    """Lines of at most ``width`` characters, each filled with as many pieces as fit (the fewest lines)."""
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return lines


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz.,'-", min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(words, max_size=40), st.one_of(st.just(42), st.integers(10, 60)), st.integers(1, 3))
def test_wrap_property(word_list: list[str], width: int, max_lines: int) -> None:
    text = " ".join(word_list)
    blocks = wrap_subtitle(text, width, max_lines)
    lines = [line for block in blocks for line in block]
    assert all(1 <= len(block) <= max_lines for block in blocks)
    assert all(0 < len(line) <= width for line in lines)
    # Nothing lost or reordered: the lines rebuild the words (long ones broken).
    assert "".join("".join(lines).split()) == "".join(text.split())
    pieces = [w[i : i + width] for w in text.split() for i in range(0, len(w), width)]
    greedy = _greedy_fill(pieces, width)
    # As few subtitles as a greedy fill would need.
    assert len(blocks) == -(-len(greedy) // max_lines)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "beta.", "Gamma", "3.5", "e.g.", "Dr.", "end!", "why?", "x"]), max_size=30))
def test_split_keeps_every_word(word_list: list[str]) -> None:
    text = " ".join(word_list)
    assert " ".join(split_sentences(text)) == text


def _exhaustive_best(words: list[str], width: int, fits_lines: int, weight: float) -> tuple[int, float]:
    """The fewest parts, and their least cost, over every way to cut ``words`` (2^(n-1) of them)."""
    from itertools import combinations

    from mmlanim.narration.sentences import _break_cost

    def fits(part: list[str]) -> bool:  # at most ``fits_lines`` greedy lines of ``width``
        return len(_greedy_fill(part, width)) <= fits_lines

    n = len(words)
    splits = [(0, *cuts, n) for k in range(n) for cuts in combinations(range(1, n), k)]
    valid = [s for s in splits if all(fits(words[a:b]) for a, b in zip(s, s[1:]))]
    fewest = min(len(s) - 1 for s in valid)
    mean = (sum(map(len, words)) + n - 1) / fewest
    costs = [sum(weight * ((len(" ".join(words[a:b])) - mean) / mean) ** 2 for a, b in zip(s, s[1:]))
             + sum(_break_cost(words[c - 1], words[c]) for c in s[1:-1])
             for s in valid if len(s) - 1 == fewest]
    return fewest, min(costs)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", "the", "of", "and", "matrix", "x,", "which", "vectors;", "is", "—",
                                 "eigenvalue", "longerwordhere", "to"]), min_size=1, max_size=11),
       st.integers(8, 30), st.integers(1, 2))
def test_split_is_the_best_of_every_cut(word_list: list[str], width: int, max_lines: int) -> None:
    """The subtitle cutter's choice has the fewest parts and the least cost of all 2^(n-1) ways to cut."""
    from mmlanim.narration.sentences import _break_cost, _greedy_lines, _split

    words = [w[i : i + width] for w in word_list for i in range(0, len(w), width)]
    parts = _split(words, lambda i, j: len(_greedy_lines(words[i:j], width)) <= max_lines, weight=2.0)
    assert [a for a, _ in parts][1:] == [b for _, b in parts][:-1] and parts[0][0] == 0 and parts[-1][1] == len(words)
    fewest, least = _exhaustive_best(words, width, max_lines, 2.0)
    n = len(words)
    mean = (sum(map(len, words)) + n - 1) / fewest
    cost = sum(2.0 * ((len(" ".join(words[a:b])) - mean) / mean) ** 2 for a, b in parts) \
        + sum(_break_cost(words[a - 1], words[a]) for a, _ in parts[1:])
    assert len(parts) == fewest
    assert cost == pytest.approx(least, abs=1e-9)

