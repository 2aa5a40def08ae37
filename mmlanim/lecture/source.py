"""Safe YAML loading that remembers where every value came from.

The document is composed into PyYAML nodes (which carry line and column
marks) and constructed with the safe constructor only. Errors found later,
by pydantic or by semantic checks, are located by walking the node tree along
the error's ``loc`` path.

A lecture may come from a stranger, so loading is bounded: files above
:data:`MAX_BYTES`, nesting deeper than :data:`MAX_DEPTH`, documents that
expand (through aliases) to more than :data:`MAX_NODES` values, numbers
written with more than :data:`MAX_NUMBER_CHARS` characters and every tag
outside YAML's standard safe ones (``!!python/object``...) are refused with
a located message. Messages are kept to one line: control characters and
line breaks taken from the lecture are shown escaped.
"""

from __future__ import annotations

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "MAX_NUMBER_CHARS", "YamlSource", "one_line", "read_yaml"]

import os
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from ..errors import LectureError, Problem
from .yaml_advice import advice

MAX_BYTES = 1_000_000
"""Largest lecture file accepted, in bytes (large data belong in a CSV file)."""

MAX_NODES = 200_000
"""Most YAML nodes a document may expand to, counting aliases (refuses alias bombs)."""

MAX_DEPTH = 50
"""Deepest nesting of mappings and lists accepted (a lecture needs about 8)."""

MAX_NUMBER_CHARS = 400
"""Longest number literal accepted, in characters (larger ones overflow a float anyway)."""


class _LimitError(yaml.MarkedYAMLError):  # type: ignore[misc]  # PyYAML ships no types
    """A document beyond one of the loading limits (not a syntax error)."""


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """SafeLoader that keeps the composed node tree and bounds nesting.

    Only the safe constructors exist (unknown tags are refused by PyYAML); the
    scalar ones are wrapped so that a malformed explicitly tagged scalar
    (``!!int abc``, ``!!timestamp 2024-13-45``) is a located error.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _LimitError(None, None, f"the document is nested more than {MAX_DEPTH} levels "
                                  "deep; refusing to load it", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _checked_scalar(name: str, construct: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Wrap a safe scalar constructor: malformed or oversized values become located errors."""

    def checked(loader: Any, node: yaml.Node) -> Any:
        text = str(node.value)
        if name in ("integer", "number") and len(text) > MAX_NUMBER_CHARS:
            raise _LimitError(None, None, f"number written with {len(text):,} characters "
                              f"(at most {MAX_NUMBER_CHARS})", node.start_mark)
        try:
            return construct(loader, node)
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise ConstructorError(None, None, f"{shown!r} is not a valid {name}", node.start_mark) from None

    return checked


for _tag, _name in (("int", "integer"), ("float", "number"), ("bool", "boolean"),
                    ("timestamp", "date"), ("binary", "base64 text")):
    _full_tag = f"tag:yaml.org,2002:{_tag}"
    _Loader.add_constructor(_full_tag, _checked_scalar(_name, yaml.SafeLoader.yaml_constructors[_full_tag]))


def one_line(message: str) -> str:
    """``message`` with line breaks and other invisible characters escaped (``\\n``, ``\\x00``).

    Problems are printed one per line (``PATH:LINE:COL: message``); text taken
    from the lecture must not break that, nor hide in bidirectional or
    zero-width characters. Spaces of every width are kept.
    """
    if message.isprintable():
        return message
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs" else repr(ch)[1:-1]
                   for ch in message)


@dataclass
class YamlSource:
    """A parsed YAML document with its node tree.

    Attributes
    ----------
    path : str
        The file name as given by the user (used in messages).
    text : str
        The file's text.
    data : Any
        The constructed Python data.
    root : yaml.Node
        The composed node tree, for positions.
    """

    path: str
    text: str
    data: Any
    root: yaml.Node

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines (for the source line shown under a problem)."""
        return self.text.splitlines()

    # -- positions -------------------------------------------------------
    def node_at(self, loc: tuple[Any, ...], *, at_key: bool = False) -> yaml.Node:
        """The node reached by following ``loc`` from the root.

        Elements of ``loc`` that match no key (such as pydantic's union tags)
        are skipped; the walk stops at the deepest node found. With
        ``at_key``, a final mapping key gives the key itself rather than its
        value (used for unknown keys).
        """
        node = self.root
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                        node = key_node if (last and at_key) else value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
        return node

    def locate(self, loc: tuple[Any, ...], *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node reached by following ``loc`` (see :meth:`node_at`)."""
        mark = self.node_at(loc, at_key=at_key).start_mark
        return mark.line + 1, mark.column + 1

    def problem(self, loc: tuple[Any, ...], message: str, *, at_key: bool = False,
                column: int | None = None) -> Problem:
        """A problem at the node reached by ``loc``.

        ``column`` is a 1-based column *inside* the node's text (say, of the
        offending token of a formula). It is added to the node's position when
        the node is a one-line scalar written plainly or in quotes without
        escapes, so that the column counts from the line's start; otherwise
        (block scalars, escapes) the problem points at the node.
        """
        node = self.node_at(loc, at_key=at_key)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if column is not None and column >= 1:
            col += self._inner_offset(node, column)
        return self.problem_at(line, col, message)

    def _inner_offset(self, node: yaml.Node, column: int) -> int:
        """Columns from a scalar node's start to character ``column`` of its value (0 if unknown)."""
        start, end = node.start_mark, node.end_mark
        if not isinstance(node, yaml.ScalarNode) or start.line != end.line or column > len(node.value) + 1:
            return 0
        if start.line >= len(self.lines):
            return 0
        written = self.lines[start.line][start.column:end.column]
        if node.style is None and written == node.value:
            return column - 1
        if node.style in ("'", '"') and written[1:-1] == node.value:
            return column
        return 0

    def problem_at(self, line: int, col: int, message: str) -> Problem:
        """A problem at a 1-based position; the message is kept to one line (:func:`one_line`)."""
        source_line = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        if source_line is not None and not source_line.isprintable():
            # Show the line without control characters, one cell each so the caret stays aligned.
            source_line = "".join(ch if ch.isprintable() or ch == "\t" or unicodedata.category(ch) == "Zs"
                                  else "\ufffd" for ch in source_line)
        return Problem(self.path, line, col, one_line(message), source_line)


def _check_tree(root: yaml.Node, source: YamlSource) -> list[Problem]:
    """Refuse duplicate keys and documents that expand to too many nodes."""
    problems: list[Problem] = []
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            return [source.problem_at(line, col, f"document expands to more than {MAX_NODES:,} "
                                      "values (too many aliases?); refusing to load it")]
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen:
                        first = seen[key_node.value].start_mark.line + 1
                        problems.append(source.problem_at(
                            key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                            f"duplicate key '{key_node.value}' (first given on line {first})"))
                    seen[key_node.value] = key_node
                stack.append(key_node)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return problems


def read_yaml(path: str | Path, *, display_path: str | None = None) -> YamlSource:
    """Read and safely parse a YAML file, keeping positions.

    Parameters
    ----------
    path : str or Path
        The file to read.
    display_path : str, optional
        How to name the file in messages (default: ``path`` as given).

    Raises
    ------
    LectureError
        On unreadable files, anything but a regular file, files above
        :data:`MAX_BYTES`, text that is not UTF-8 or holds control characters,
        YAML syntax errors, tags outside the safe set, duplicate keys, nesting
        deeper than :data:`MAX_DEPTH` and alias bombs (:data:`MAX_NODES`).
    """
    shown = display_path or str(path)
    raw = _read_bounded(Path(path), shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LectureError.single(shown, line, col, "file is not valid UTF-8 text") from None

    unplaced = YamlSource(shown, text, None, yaml.ScalarNode("", ""))
    loader = None
    try:
        loader = _Loader(text)  # checks that every character is allowed in YAML
        root = loader.get_single_node()
        if root is None:
            raise LectureError.single(shown, 1, 1, "file is empty; a lecture needs a title and segments")
        source = YamlSource(shown, text, None, root)
        problems = _check_tree(root, source)
        if problems:
            raise LectureError(problems)
        source.data = loader.construct_document(root)
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise LectureError([unplaced.problem_at(line, col, f"character {what} is not allowed in a lecture "
                                                "(control characters other than tab and line breaks)")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if isinstance(exc, _LimitError):
            raise LectureError([unplaced.problem_at(line, col, what)]) from None
        if isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
            told = advice(exc, unplaced.lines)
            if told is not None:
                raise LectureError([unplaced.problem_at(*told)]) from None
        if exc.context:
            what = f"{exc.context}: {what}" if "while" not in exc.context else f"{what} ({exc.context})"
        raise LectureError([unplaced.problem_at(line, col, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise LectureError.single(shown, 1, 1, one_line(f"YAML error: {exc}")) from None
    finally:
        if loader is not None:
            loader.dispose()
    return source


def _read_bounded(p: Path, shown: str) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_BYTES` (never blocks on a pipe)."""
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise LectureError.single(shown, 1, 1, "no such file") from None
    except IsADirectoryError:
        raise LectureError.single(shown, 1, 1, "is a directory, not a lecture file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise LectureError.single(shown, 1, 1, one_line(f"cannot read file: {reason}")) from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise LectureError.single(shown, 1, 1, "is a directory, not a lecture file")
        if not stat.S_ISREG(mode):
            raise LectureError.single(shown, 1, 1, "is not a regular file (a pipe or a device?)")
        try:
            raw = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise LectureError.single(shown, 1, 1, one_line(f"cannot read file: {exc.strerror}")) from None
    if len(raw) > MAX_BYTES:
        raise LectureError.single(shown, 1, 1, f"file is larger than {MAX_BYTES:,} bytes, the limit for "
                                  "a lecture; put large data in a CSV file")
    return raw


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of character ``index`` of ``text``, counting line breaks as YAML does."""
    before = text[:index].replace("\r\n", "\n")
    breaks = "\n\r\x85\u2028\u2029"
    last = max(before.rfind(c) for c in breaks)
    return sum(before.count(c) for c in breaks) + 1, len(before) - last
