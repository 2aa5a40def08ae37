"""Safe YAML loading that remembers where every value came from.

The document is composed into PyYAML nodes (which carry line and column
marks) and constructed with the safe constructor only. Errors found later,
by pydantic or by semantic checks, are located by walking the node tree along
the error's ``loc`` path.
"""

from __future__ import annotations

__all__ = ["MAX_BYTES", "MAX_NODES", "YamlSource", "read_yaml"]

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import LectureError, Problem

MAX_BYTES = 2_000_000
"""Largest lecture file accepted, in bytes."""

MAX_NODES = 200_000
"""Most YAML nodes a document may expand to, counting aliases (refuses alias bombs)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps the composed node tree (nothing beyond safe tags)."""


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

    # -- positions -------------------------------------------------------
    def locate(self, loc: tuple[Any, ...], *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node reached by following ``loc``.

        Elements of ``loc`` that match no key (such as pydantic's union tags)
        are skipped; the walk stops at the deepest node found. With
        ``at_key``, a final mapping key points at the key itself rather than
        its value (used for unknown keys).
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
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def problem(self, loc: tuple[Any, ...], message: str, *, at_key: bool = False) -> Problem:
        line, col = self.locate(loc, at_key=at_key)
        return self.problem_at(line, col, message)

    def problem_at(self, line: int, col: int, message: str) -> Problem:
        lines = self.text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else None
        return Problem(self.path, line, col, message, source_line)


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
        On unreadable files, files above :data:`MAX_BYTES`, YAML syntax errors,
        duplicate keys and alias bombs.
    """
    shown = display_path or str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise LectureError.single(shown, 1, 1, f"file is {size:,} bytes; lectures are limited "
                                      f"to {MAX_BYTES:,} bytes")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise LectureError.single(shown, 1, 1, "no such file") from None
    except IsADirectoryError:
        raise LectureError.single(shown, 1, 1, "is a directory, not a lecture file") from None
    except OSError as exc:
        raise LectureError.single(shown, 1, 1, f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LectureError.single(shown, line, col, "file is not valid UTF-8 text") from None

    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise LectureError.single(shown, 1, 1, "file is empty; a lecture needs a title and segments")
        source = YamlSource(shown, text, None, root)
        problems = _check_tree(root, source)
        if problems:
            raise LectureError(problems)
        source.data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}: {what}" if "while" not in exc.context else f"{what} ({exc.context})"
        raise LectureError([YamlSource(shown, text, None, yaml.ScalarNode("", "")).problem_at(
            line, col, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise LectureError.single(shown, 1, 1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    return source
