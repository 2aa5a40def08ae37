"""What mmlanim's own code never does: evaluate text, run a shell, load unsafe YAML or pickles, use the network."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

from mmlanim.lecture import validate_file

PACKAGE = Path(__file__).resolve().parents[2] / "mmlanim"
LECTURES = sorted((PACKAGE.parent / "lectures").rglob("*.yaml"))

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "sympify", "parse_expr", "system", "popen", "load",
                   "unsafe_load", "full_load", "loads", "getoutput", "getstatusoutput"}
FORBIDDEN_MODULES = {"socket", "urllib.request", "http.client", "requests", "httpx", "aiohttp", "ftplib", "smtplib",
                     "pickle", "marshal", "shelve", "telnetlib"}
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"), str(p))) for p in sorted(PACKAGE.rglob("*.py"))]


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def audit(tree: ast.Module, where: str) -> list[str]:
    """What ``tree`` (a module's source) does that mmlanim's code never may, one line each."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            owner = _name(node.func.value) if isinstance(node.func, ast.Attribute) else ""
            if name in FORBIDDEN_CALLS and not (name == "load" and owner not in ("yaml", "pickle", "marshal")) \
                    and not (name == "loads" and owner not in ("pickle", "marshal")) \
                    and not (name == "compile" and owner):  # re.compile is fine
                found.append(f"{where}:{node.lineno}: call to {owner + '.' if owner else ''}{name}")
            if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords):
                found.append(f"{where}:{node.lineno}: shell=")
            if owner == "subprocess" and name in SUBPROCESS_CALLS and node.args and \
                    isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
                found.append(f"{where}:{node.lineno}: a command given as one string")
            if name.startswith("fetch_"):
                found.append(f"{where}:{node.lineno}: {name} downloads")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{where}:{node.lineno}: imports {m}" for m in modules
                      if m in FORBIDDEN_MODULES or m.split(".")[0] in FORBIDDEN_MODULES - {"urllib", "http"}]
    return found


def test_no_evaluation_shell_unsafe_loading_or_network_in_the_package():
    found = [line for path, tree in _sources() for line in audit(tree, str(path.relative_to(PACKAGE.parent)))]
    assert found == []


def test_the_audit_sees_each_forbidden_thing():
    source = (
        "import pickle\n"                        # 1
        "import subprocess, yaml, re\n"          # 2
        "subprocess.run('ls', shell=True)\n"     # 3
        "eval(text)\n"                           # 4
        "yaml.load(stream)\n"                    # 5
        "re.compile('x')\n"                      # 6: fine
        "json.load(fh)\n"                        # 7: fine
        "datasets.fetch_openml('mnist')\n"       # 8
        "from urllib.request import urlopen\n"   # 9
    )
    assert sorted(audit(ast.parse(source), "m.py")) == [
        "m.py:1: imports pickle",
        "m.py:3: a command given as one string",
        "m.py:3: shell=",
        "m.py:4: call to eval",
        "m.py:5: call to yaml.load",
        "m.py:8: fetch_openml downloads",
        "m.py:9: imports urllib.request",
    ]


def test_validation_uses_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("mmlanim must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert LECTURES, "the example lectures (one reads scikit-learn's iris) are needed"
    for path in LECTURES:
        assert validate_file(path) == [], path

