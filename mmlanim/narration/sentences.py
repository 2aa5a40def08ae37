"""Splitting narration into sentences and sentences into subtitle lines."""

from __future__ import annotations

import re
from collections.abc import Callable

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


# Words that open a clause or a phrase: a good place to start a new line.
_CLAUSE = frozenset(
    "and but or nor so yet because which that where when while whose who whom if then although though "
    "since until unless whereas whether so".split()
)
_PHRASE = frozenset(
    "to of in on at by for with from into onto along over under between through across about as than "
    "without within after before".split()
)
# Words that lean on the next one: a line never ends on them if it can help it.
_LEANING = frozenset(
    "the a an of to in on at by for with from into onto and or but nor is are was were be we you it its "
    "their our my your his her this these those each every very not no than as".split()
)


def _break_cost(before: str, after: str) -> float:
    """How much breaking between the words ``before`` and ``after`` cuts a phrase (0: not at all)."""
    if before[-1] in ",;:)\u2014\u2013" or before[-1] in ".!?":
        return 0.0
    if after in ("\u2014", "\u2013", "-"):
        return 0.5
    nxt = re.sub(r"[^\w]", "", after).lower()
    prev = re.sub(r"[^\w]", "", before).lower()
    if prev in _LEANING:
        return 6.0
    if nxt in _CLAUSE:
        return 1.0
    if nxt in _PHRASE:
        return 2.0
    return 4.0


def _split(
    words: list[str], fits: Callable[[int, int], bool], weight: float
) -> list[tuple[int, int]]:
    """Cut ``words`` into as few consecutive parts that ``fits(i, j)`` as possible, at phrase boundaries.

    Among the splits with the fewest parts, the one minimising the summed
    :func:`_break_cost` at the cuts plus ``weight`` times the squared relative
    deviation of each part's length from the mean is returned as
    ``[(start, end), ...]`` word indices (ties: the earliest cut).

    ``fits`` must be monotone, as both callers' are: a part that fits still
    fits without its first or last word. So the parts ending at word ``j``
    that fit are those starting at or after the first start that fits, which
    never moves back as ``j`` grows: each candidate part is tried once, not
    every pair of words (a long narration's subtitles took seconds).
    """
    n = len(words)
    ends = [0]  # ends[k]: characters of the first k words
    for word in words:
        ends.append(ends[-1] + len(word))
    cut_cost = [0.0] + [_break_cost(words[i - 1], words[i]) for i in range(1, n)]  # cutting before word i
    lowest = [0] * (n + 1)  # lowest[j]: the first start i of a part words[i:j] that fits (j: none)
    first = 0
    for j in range(1, n + 1):
        while first < j and not fits(first, j):
            first += 1
        lowest[j] = first
    total = ends[n] + n - 1
    inf = (n + 1, 0.0)
    fewest: list[tuple[int, float]] = [(0, 0.0)] + [inf] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):  # first pass: the fewest parts
        for i in range(lowest[j], j):
            if fewest[i][0] < inf[0] and fewest[i][0] + 1 < fewest[j][0]:
                fewest[j] = (fewest[i][0] + 1, 0.0)
    mean = total / max(fewest[n][0], 1)
    best: list[tuple[int, float]] = [(0, 0.0)] + [inf] * n
    for j in range(1, n + 1):
        for i in range(lowest[j], j):
            if best[i][0] >= inf[0]:
                continue
            length = ends[j] - ends[i] + j - i - 1
            cost = best[i][1] + weight * ((length - mean) / mean) ** 2
            if i > 0:
                cost += cut_cost[i]
            candidate = (best[i][0] + 1, cost)
            if candidate < best[j]:
                best[j], back[j] = candidate, i
    parts = []
    end = n
    while end > 0:
        parts.append((back[end], end))
        end = back[end]
    return parts[::-1]


def wrap_subtitle(text: str, width: int = 42, max_lines: int = 2) -> list[list[str]]:
    """Wrap one sentence into subtitle blocks, cut at phrase boundaries.

    The sentence is cut into as few blocks (one subtitle each) of at most
    ``max_lines`` lines of at most ``width`` characters as possible; each
    block is then wrapped into as few lines as it needs. Among the ways to do
    so, cuts after a comma or another clause mark, or before a word opening a
    clause ("and", "which", ...) or a phrase ("of", "with", ...), are
    preferred to cuts inside a phrase, and never after an article; parts of
    balanced length are preferred to a long and a short one. Words longer than
    ``width`` are broken.

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

    def block_fits(i: int, j: int) -> bool:
        return len(_greedy_lines(words[i:j], width)) <= max_lines

    blocks = []
    for start, end in _split(words, block_fits, weight=2.0):
        chunk = words[start:end]

        def line_fits(i: int, j: int, chunk: list[str] = chunk) -> bool:
            return sum(len(w) for w in chunk[i:j]) + j - i - 1 <= width

        blocks.append([" ".join(chunk[a:b]) for a, b in _split(chunk, line_fits, weight=3.0)])
    return blocks
