"""A table of authoring mistakes: each is reported at its exact PATH:LINE:COL, with the fix named.

Every case is a small lecture as an author might write it. The lecture
starts with ``HEAD`` (lines 1-3), so the case's own text starts on line 4.
The expected position is where the mistake is in that text (counted by
hand), and the fragment is the part of the message that tells the fix.
"""

from __future__ import annotations

import pytest

from mmlanim.lecture import validate_file

HEAD = "title: Dot products\nsegments:\n  - id: arrows\n"

VECTORS = "    visual:\n      kind: vectors\n      vectors: [[2, 1], [1, 2]]\n"  # 3 lines

MISTAKES = [
    # -- YAML slips ------------------------------------------------------------------------------
    ("colon in a cue",
     "    narration:\n      - say: Two vectors: u and v.\n        beat: show_vectors\n" + VECTORS,
     "5:25", "put the whole text in quotes: - say: \"Two vectors: u and v.\""),
    ("colon in plain narration",
     "    narration: Two vectors: u and v.\n" + VECTORS,
     "4:27", "put the whole text in quotes: narration: \"Two vectors: u and v.\""),
    ("tab indentation",
     "    narration: Hi.\n    visual:\n\tkind: vectors\n",
     "6:1", "replace the tab with spaces"),
    ("key indented less than its block",
     "    narration: Hi.\n    visual:\n      kind: vectors\n     vectors: [[2, 1]]\n",
     "7:6", "indent it 6 spaces to line up with 'kind' on line 6"),
    ("key indented more than its block",
     "    narration: Hi.\n    visual:\n      kind: vectors\n        vectors: [[2, 1]]\n",
     "7:16", "indent it 6 spaces"),
    ("cue key not under its cue",
     "    narration:\n      - say: Hi.\n       beat: show_vectors\n" + VECTORS,
     "6:8", "8 spaces to line up with 'say' on line 5"),
    ("cue key at the dash's column",
     "    narration:\n      - say: Hi.\n      beat: show_vectors\n" + VECTORS,
     "6:7", "8 spaces to line up with 'say' on line 5"),
    ("narration continued on the next line",
     "    narration: Two vectors\n    drawn from the origin.\n" + VECTORS,
     "5:5", "write `narration: >` and indent every line of the text under it"),
    ("unclosed quote",
     "    narration: \"Hi.\n" + VECTORS,
     "4:16", "end the text with \" on the same line"),
    ("unclosed bracket",
     "    narration: Hi.\n    visual:\n      kind: vectors\n      vectors: [[2, 1], [1, 2]\n      show_sum: false\n",
     "8:7", "every '[' needs its ']'"),
    ("text starting with an asterisk",
     "    narration: *Two* vectors.\n" + VECTORS,
     "4:16", "put the whole text in quotes: narration: \"*Two* vectors.\""),
    ("text starting with a bracketed word",
     "    narration: [Aside] two vectors.\n" + VECTORS,
     "4:24", "put the whole text in quotes: narration: \"[Aside] two vectors.\""),
    ("text starting with @",
     "    narration: @home we draw.\n" + VECTORS,
     "4:16", "put the whole text in quotes"),
    ("LaTeX backslash in double quotes",
     "    narration: Hi.\n" + VECTORS + "      names: [\"\\mathbf{u}\"]\n",
     "8:16", "write LaTeX in single quotes"),
    ("list item without a space after the dash",
     "    narration: Hi.\n" + VECTORS + "  -id: more\n  - id: again\n",
     "8:3", "a list item needs a space after '-': write '- id: more'"),
    # -- shapes and types, in the kind's terms -----------------------------------------------------
    ("basis rows with three numbers",
     "    narration: Hi.\n    visual:\n      kind: basis_change\n      basis: [[2, 1, 0], [-1, 1, 0]]\n",
     "7:15", "`basis` needs two 2-D vectors [x, y], like [[2, 1], [-1, 1]]; this row has 3 numbers (and 1 more"),
    ("three basis vectors",
     "    narration: Hi.\n    visual:\n      kind: basis_change\n      basis: [[2, 1], [-1, 1], [0, 1]]\n",
     "7:14", "`basis` needs two 2-D vectors [x, y], like [[2, 1], [-1, 1]]; this list has 3 rows"),
    ("a vector with one number",
     "    narration: Hi.\n    visual:\n      kind: vectors\n      vectors: [[2, 1], [3]]\n",
     "7:25", "this row has 1 number"),
    ("a word for a number",
     "    narration: Hi.\n    visual:\n      kind: vectors\n      vectors: [[2, 1], [1, two]]\n",
     "7:29", "'two' is not a number"),
    ("one vector where a list of vectors is wanted",
     "    narration: Hi.\n    visual:\n      kind: vectors\n      vectors: [2, 1]\n",
     "7:17", "like [[3, 1], [1, 2]]; this row is 2, not a list of numbers"),
    ("a start point that is a number",
     "    narration: Hi.\n    visual:\n      kind: gradient_descent\n      start: 3\n",
     "7:14", "`start` needs a 2-D vector [x, y], like [-2.5, 1.5]; got 3"),
    # -- formulas --------------------------------------------------------------------------------
    ("a product written xy",
     "    narration: Hi.\n    visual:\n      kind: gradient_descent\n      function: xy + y^2\n",
     "7:17", "write x*y for a product"),
    ("a variable used as a function",
     "    narration: Hi.\n    visual:\n      kind: gradient_descent\n      function: x^2 + x(y + 1)\n",
     "7:23", "write x*(...) to multiply"),
    ("a function without parentheses",
     "    narration: Hi.\n    visual:\n      kind: gradient_descent\n      function: sin x + y^2\n",
     "7:17", "write sin(x)"),
    ("an unknown variable, after a caret",
     "    narration: Hi.\n    visual:\n      kind: gradient_descent\n      function: 'x^2 + 3*y^2 + z'\n",
     "7:32", "allowed: x, y"),
    ("a parenthesis never closed",
     "    narration: Hi.\n    visual:\n      kind: gradient_descent\n      function: 3(x + y^2\n",
     "7:18", "write it like x^2 + 3y^2"),
    # -- keys, kinds and beats -------------------------------------------------------------------
    ("matrix instead of basis",
     "    narration: Hi.\n    visual:\n      kind: basis_change\n      basis: [[1, 0], [0, 1]]\n"
     "      matrix: [[2, 1], [-1, 1]]\n",
     "8:7", "give the basis vectors as rows with `basis:`"),
    ("a misspelt key",
     "    narration: Hi.\n" + VECTORS + "      dot_prodcut: true\n",
     "8:7", "did you mean 'dot_product'?"),
    ("a misspelt kind",
     "    narration: Hi.\n    visual:\n      kind: vector\n      vectors: [[2, 1]]\n",
     "6:13", "did you mean 'vectors'?"),
    ("a misspelt beat",
     "    narration:\n      - say: Hi.\n        beat: show_sums\n" + VECTORS,
     "6:15", "did you mean 'show_sum'?"),
    ("a cue without a beat among cues with beats",
     "    narration:\n      - say: Hi.\n        beat: show_vectors\n      - say: And more.\n" + VECTORS,
     "7:9", "give every cue a beat, or none"),
    ("more names than vectors",
     "    narration: Hi.\n" + VECTORS + "      names: [u, v, w]\n",
     "8:14", "give at most one name per vector"),
    ("a segment id with a space",
     "    narration: Hi.\n" + VECTORS + "  - id: second part\n    narration: Hi.\n    visual: {kind: title}\n",
     "8:9", "ids use only letters, digits, '-' and '_'"),
    ("a duplicate segment id",
     "    narration: Hi.\n" + VECTORS + "  - id: arrows\n    narration: Hi.\n    visual: {kind: title}\n",
     "8:9", "give each segment its own id"),
    ("a visual without a kind",
     "    narration: Hi.\n    visual:\n      vectors: [[2, 1]]\n",
     "6:7", "missing 'kind' (one of:"),
    ("a data source in the wrong form",
     "    narration: Hi.\n    visual:\n      kind: linear_regression\n      data: {point: [[1, 2], [2, 3]]}\n",
     "7:13", "data must be one of: {points: [[x, y], ...]}"),
    ("points outside the data",
     "    narration: Hi.\n    visual:\n      kind: linear_regression\n      points: [[1, 2], [2, 3]]\n",
     "7:7", "points go inside `data:`"),
    ("cues out of beat order",
     "    narration:\n      - say: The sum.\n        beat: show_sum\n      - say: Two vectors.\n"
     "        beat: show_vectors\n" + VECTORS,
     "8:15", "move this cue up"),
    ("beats: naming a beat the kind lacks",
     "    beats: [show_plane, show_vectrs]\n    narration: Hi.\n" + VECTORS,
     "4:25", "did you mean 'show_vectors'?"),
    ("beats: out of the kind's order",
     "    beats: [show_vectors, show_plane]\n    narration: Hi.\n" + VECTORS,
     "4:12", "write them as [show_plane, show_vectors]"),
    ("a cue on a beat the segment leaves out",
     "    beats: [show_plane, show_vectors]\n    narration:\n      - say: The sum.\n        beat: show_sum\n"
     + VECTORS, "7:15", "add it there or attach the cue to one of them"),
    # -- warnings: the lecture renders, but the author should know -------------------------------
    ("a cue on a beat the parameters turn off",
     "    narration:\n      - say: The shadow.\n        beat: show_projection\n" + VECTORS,
     "6:15", "warning: beat 'show_projection' shows nothing with `dot_product: false`"),
]


@pytest.mark.parametrize(("text", "where", "fix"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_mistake_is_located_and_names_the_fix(tmp_path, text: str, where: str, fix: str) -> None:
    path = tmp_path / "lecture.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    warnings: list = []
    found = validate_file(path, warnings=warnings) or warnings
    assert len(found) == 1, "\n".join(str(p) for p in found)  # told once
    problem = found[0]
    assert f"{problem.path}:{problem.line}:{problem.col}" == f"{path}:{where}", str(problem)
    assert fix in problem.message, problem.message


def test_the_table_is_long_enough() -> None:
    assert len(MISTAKES) >= 30
    assert len({m[0] for m in MISTAKES}) == len(MISTAKES)
