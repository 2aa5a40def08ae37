"""YAML syntax errors told as advice: what the author probably meant, and the fix.

PyYAML reports what its scanner or parser expected (``mapping values are not
allowed here``, ``expected <block end>, but found '<block mapping start>'``).
:func:`advice` turns the common slips of lecture authors into one-line
messages that name the fix, keeping a position on the offending line:

* a colon inside unquoted text (``say: Two vectors: u and v.``): quote the
  text, and the quoted line is shown;
* a line indented so that it belongs to no block: the keys it could line up
  with, and how many spaces each needs;
* a tab in the indentation: indent with spaces;
* text that starts with a character YAML reserves (``*``, ``&``, ``@``,
  ``[``, a quote followed by more text): quote the whole text;
* a quote or bracket never closed; a line of text that is not ``key: value``.

Anything else keeps PyYAML's words after ``YAML syntax error:``.
"""

from __future__ import annotations

__all__ = ["advice"]

import re

import yaml

# A line holding "key:" (after optional "- " list markers): group 1 is everything before the key.
_KEY_LINE = re.compile(r"^(\s*(?:-\s+)*)([^\s#'\"\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s|$)")


def _key_at(line: str) -> tuple[int, str, str] | None:
    """``(column, key, rest)`` of a ``key: value`` line (0-based column of the key), else None."""
    m = _KEY_LINE.match(line)
    if not m:
        return None
    return len(m.group(1)), m.group(2), line[m.end():].strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quoted(text: str) -> str:
    """``text`` as a YAML quoted scalar (double quotes unless it holds some)."""
    text = text.strip()
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _keys_above(lines: list[str], row: int) -> list[tuple[int, int, str]]:
    """``(row, column, key)`` of the keys before ``row`` that a line at ``row`` could line up with.

    Walking up, a key is kept when it is less indented than every key kept so
    far: the nearest key, then its block's parent, and so on up to the top.
    """
    found: list[tuple[int, int, str]] = []
    limit = 10**9
    for r in range(row - 1, -1, -1):
        hit = _key_at(lines[r])
        if hit is None:
            continue
        col, key, _ = hit
        if col < limit:
            found.append((r, col, key))
            limit = col
        if col == 0:
            break
    return found


def _parent_of(lines: list[str], row: int, col: int) -> str | None:
    """The key whose block holds the key at ``(row, col)`` (None at the top level)."""
    for r in range(row - 1, -1, -1):
        hit = _key_at(lines[r])
        if hit is not None and hit[0] < col:
            return hit[1]
    return None


def _indent_advice(lines: list[str], row: int) -> str | None:
    """The keys a mis-indented line at ``row`` could line up with, as advice."""
    if row >= len(lines):
        return None
    line = lines[row]
    here = _key_at(line)
    what = f"'{here[1]}'" if here else "this line"
    col = here[0] if here else _indent(line)
    options = [(r, c, k) for r, c, k in _keys_above(lines, row) if c != col]
    if not options:
        return None
    parts = []
    for r, c, k in options[:2]:
        parent = _parent_of(lines, r, c)
        block = f"the block of '{parent}'" if parent else "the top level"
        parts.append(f"{c} spaces to line up with '{k}' on line {r + 1} ({block})")
    return (f"{what} is indented {col} spaces, which lines up with no key above; keys of one block "
            f"start in the same column: indent it " + ", or ".join(parts))


def _colon_in_text(lines: list[str], row: int, col: int) -> str | None:
    """Advice for ``mapping values are not allowed here`` caused by a colon inside text."""
    line = lines[row] if row < len(lines) else ""
    hit = _key_at(line)
    if hit is not None:
        kcol, key, _ = hit
        start = line.index(":", kcol + len(key)) + 1
        value = line[start:].strip()
        if value and start <= col:
            fixed = line[:start] + " " + _quoted(value)
            return (f"the text of '{key}' contains ': ', which YAML reads as the start of another key; "
                    f"put the whole text in quotes: {fixed.strip()}")
    # No key before the colon on this line: the line is indented under a key that already has a value.
    for r in range(row - 1, -1, -1):
        above = _key_at(lines[r])
        if above is None:
            continue
        if above[2] and _indent(line) > above[0]:
            return (f"{'this key' if hit is None else repr(hit[1])} is indented more than '{above[1]}' on line "
                    f"{r + 1}, which already has a value; keys of one block start in the same column: "
                    f"indent it {above[0]} spaces (or, if this is text, quote it)")
        break
    return None


def advice(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str] | None:
    """``(line, col, message)`` (1-based) turning a YAML syntax error into advice, or None.

    Parameters
    ----------
    exc : yaml.MarkedYAMLError
        The scanner's or parser's error.
    lines : list of str
        The document's lines, without line breaks.
    """
    problem = exc.problem or ""
    context = exc.context or ""
    mark, cmark = exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    row, col = mark.line, mark.column
    at = (row + 1, col + 1)
    line = lines[row] if row < len(lines) else ""

    if "'\\t'" in problem or (problem.startswith("found character") and "\t" in line[: col + 1]):
        return (*at, "a tab character is used to indent this line; YAML indents with spaces only: "
                "replace the tab with spaces (and set your editor to insert spaces)")
    if problem == "mapping values are not allowed here":
        text = _colon_in_text(lines, row, col)
        if text:
            return (*at, text)
    if problem.startswith("found character") and "cannot start any token" in problem:
        ch = problem.split("'")[1] if "'" in problem else "?"
        hit = _key_at(line)
        fix = f": {line[: hit[0]].strip()}{hit[1]}: {_quoted(hit[2])}".replace(":  ", ": ") if hit and hit[2] else ""
        return (*at, f"text cannot start with '{ch}' (YAML reserves it); put the whole text in quotes{fix}")
    if "scanning an alias" in context or "scanning an anchor" in context:
        hit = _key_at(lines[cmark.line]) if cmark is not None and cmark.line < len(lines) else None
        fix = f": {hit[1]}: {_quoted(hit[2])}" if hit and hit[2] else ""
        pos = (cmark.line + 1, cmark.column + 1) if cmark is not None else at
        return (*pos, f"text starting with '*' or '&' is read as a YAML alias or anchor; put the whole "
                f"text in quotes{fix}")
    if "double-quoted scalar" in context and "unknown escape character" in problem:
        # The position of the backslash, just before the character PyYAML points at.
        return (row + 1, max(col, 1), "inside double quotes a backslash starts an escape (\\n, \\t...); "
                "write LaTeX in single quotes, '\\mathbf{u}', or double each backslash: \"\\\\mathbf{u}\"")
    if "scanning a quoted scalar" in context and "end of stream" in problem and cmark is not None:
        quote = lines[cmark.line][cmark.column] if cmark.line < len(lines) else '"'
        return (cmark.line + 1, cmark.column + 1, f"this quote ({quote}) is never closed; "
                f"end the text with {quote} on the same line")
    if "scanning a simple key" in context and "could not find expected ':'" in problem and cmark is not None:
        crow = cmark.line
        prev = next((lines[r] for r in range(crow - 1, -1, -1) if _key_at(lines[r])), "")
        key = _key_at(prev)
        hint = (f"if it continues the text of '{key[1]}' above, write `{key[1]}: >` and indent every line "
                "of the text under it, or put the text on one line in quotes") if key else \
            "write `key: value`, or quote the text"
        return (crow + 1, cmark.column + 1, f"this line is not `key: value`; {hint}")
    if "flow sequence" in context or "flow mapping" in context:
        opened = "[" if "sequence" in context else "{"
        closing = "]" if opened == "[" else "}"
        where = f" on line {cmark.line + 1}, column {cmark.column + 1}" if cmark is not None else ""
        return (*at, f"the '{opened}' opened{where} is not closed before this; every '{opened}' needs its "
                f"'{closing}', and items are separated by ','")
    if problem.startswith("expected <block end>"):
        found = problem.split("but found ")[-1]
        keyed = _key_at(line)
        if found in ("'<scalar>'", "'<block sequence start>'") and keyed is not None:
            _, name, value = keyed
            if value[:1] in ("'", '"', "[", "{"):
                closing = {"[": "]", "{": "}"}.get(value[0], value[0])
                return (*at, f"the text of '{name}' starts with {value[0]} but goes on after the closing "
                        f"{closing}; put the whole text in quotes: {name}: {_quoted(value)}")
        glued = re.match(r"^(\s*)-([^\s-].*)$", line)
        if glued:
            return (row + 1, len(glued.group(1)) + 1, f"a list item needs a space after '-': write "
                    f"'- {glued.group(2).strip()}'")
        if found == "'-'":
            return (*at, "a list item here does not line up with the list above it; start every "
                    "item ('- ') in the same column" + _dash_hint(lines, row))
        text = _indent_advice(lines, row)
        if text:
            return (row + 1, _indent(line) + 1, text)
    return None


def _dash_hint(lines: list[str], row: int) -> str:
    for r in range(row - 1, -1, -1):
        m = re.match(r"^(\s*)-(\S)", lines[r])
        if m:
            return f" (line {r + 1} has no space after '-': write '- {lines[r].strip()[1:]}')"
        if re.match(r"^\s*- ", lines[r]):
            return ""
    return ""
