"""Splitting narration into sentences and sentences into subtitle lines."""

from __future__ import annotations

import re

__all__ = ["split_sentences", "wrap_subtitle"]

# Abbreviations after which a full stop never ends a sentence, even before a
# capital letter ("Dr. Smith", "e.g. The", "Fig. 3"). Lower case, without dots.
_NEVER_FINAL = frozenset(
    "eg ie cf vs dr mr mrs ms prof st fig figs eq eqs ref refs sec no approx resp".split()
)
_PARAGRAPH = re.compile(r"\n\s*\n")
# A sentence end: terminal punctuation (or an ellipsis), optional closing
# quotes or brackets, then whitespace.
_END = re.compile(r"(?<![.!?…])(\.\.\.|…|[.!?])++[\"'”’)\]]*(?=\s)")  # possessive: linear time


def _word_before(text: str, end: int) -> str:
    """The word ending at ``end`` (dots removed, lower case)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return re.sub(r"[^\w]", "", text[start:end]).lower()


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether the punctuation ``match`` ends a sentence."""
    rest = text[match.end() :].lstrip()
    if not rest:
        return False
    punct = match.group(1)
    if punct in "!?":
        return True
    following = rest[0]
    if punct in ("...", "…"):
        # "Wait... what?" goes on; "and so on... The next" does not.
        return following.isupper() or following.isdigit()
    if following.islower():
        return False  # "approx. three", "3. then"
    return _word_before(text, match.start(1) + 1) not in _NEVER_FINAL


def split_sentences(text: str) -> list[str]:
    """Split narration into sentences.

    Whitespace (including single newlines) is collapsed; a blank line always
    ends a sentence. A full stop ends a sentence when followed by a space and
    a word that does not start in lower case, unless it closes a known
    abbreviation ("e.g.", "i.e.", "Dr.", "Fig.", ...). Decimals ("3.5") never
    split; an ellipsis splits only before a capital letter or a digit; ``!``
    and ``?`` always split.

    Parameters
    ----------
    text : str
        Narration text.

    Returns
    -------
    list of str
        The sentences, stripped, in order; empty for blank text.

    Examples
    --------
    >>> split_sentences("Take e.g. 3.5 apples. Dr. Who agrees!  Right?")
    ['Take e.g. 3.5 apples.', 'Dr. Who agrees!', 'Right?']
    """
    sentences: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        flat = " ".join(paragraph.split())
        start = 0
        for match in _END.finditer(flat):
            if _is_boundary(flat, match):
                sentences.append(flat[start : match.end()].strip())
                start = match.end()
        tail = flat[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def _greedy_lines(words: list[str], width: int) -> list[str]:
    """Fill lines of at most ``width`` characters greedily."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def wrap_subtitle(text: str, width: int = 42, max_lines: int = 2) -> list[list[str]]:
    """Wrap one sentence into subtitle blocks.

    The text is wrapped into as few lines of at most ``width`` characters as
    possible, with line lengths balanced (no 42 + 3 splits); the lines are then
    grouped into consecutive blocks of at most ``max_lines`` lines, one block
    per subtitle. Words longer than ``width`` are broken.

    Parameters
    ----------
    text : str
        The sentence.
    width : int, default 42
        Maximum characters per line.
    max_lines : int, default 2
        Maximum lines per block.

    Returns
    -------
    list of list of str
        The blocks; empty for blank text.

    Examples
    --------
    >>> wrap_subtitle("Here are the two basis vectors of the plane we work in today.")
    [['Here are the two basis vectors', 'of the plane we work in today.']]
    """
    if width < 1 or max_lines < 1:
        raise ValueError(f"width and max_lines must be positive, got {width} and {max_lines}")
    words = [
        word[i : i + width] for word in text.split() for i in range(0, len(word), width)
    ]
    if not words:
        return []
    n_lines = len(_greedy_lines(words, width))
    # The narrowest width that still needs no more lines balances them; n
    # lines hold all characters but the n - 1 spaces at the line breaks.
    chars = len(" ".join(words)) - (n_lines - 1)
    narrowest = max(max(map(len, words)), -(-chars // n_lines))
    for trial in range(narrowest, width + 1):
        lines = _greedy_lines(words, trial)
        if len(lines) == n_lines:
            break
    return [lines[i : i + max_lines] for i in range(0, len(lines), max_lines)]
