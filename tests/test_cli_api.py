"""The command line calls only the library API: every module of ``nianbao.cli`` imports from the
allowed modules below and nothing else of nianbao, so a script using ``nianbao.api`` can do what a
command does; and the API's lazily imported names (``nianbao.api.LAZY``) are what type checkers see."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import nianbao
import nianbao.api as api
from conftest import ROOT

CLI = ROOT / "src" / "nianbao" / "cli"

# The nianbao modules a command may import, each with why it is not behind the API.
ALLOWED = {
    "nianbao": "the package itself: the same names as nianbao.api, and __version__ for --version",
    "nianbao.api": "the library API: what a command does, a script can do",
    "nianbao.messages": "every user-facing sentence (the CLI's own texts and help)",
    "nianbao.display": "turning untrusted text and times into what a console shows (clean, short_time)",
    "nianbao.errors": "the error types a command raises for its own usage errors (UnusableInput, …)",
    "nianbao.files": "check_output: no command writes onto one of its inputs (checked before any work)",
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every nianbao module ``path`` imports (at module level, in functions, under TYPE_CHECKING)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}:{node.lineno}: a relative import hides what is imported"
            found.append((node.lineno, node.module or ""))
    return [(line, name) for line, name in found if name == "nianbao" or name.startswith("nianbao.")]


def test_cli_modules_import_only_the_api() -> None:
    modules = sorted(CLI.glob("*.py"))
    assert len(modules) > 20  # the scan sees the commands
    wrong = []
    for path in modules:
        for line, name in _imports(path):
            if name.startswith("nianbao.cli.") or name == "nianbao.cli":
                continue  # the CLI's own helpers (common, _campaign, _i18n, _history)
            if name not in ALLOWED:
                wrong.append(f"cli/{path.name}:{line} imports {name}")
    assert not wrong, "the CLI calls the library API only (nianbao.api):\n" + "\n".join(wrong)


def test_the_scan_catches_an_import(tmp_path: Path) -> None:
    """The rule would fail on a command that reaches past the API, at any depth."""
    sample = tmp_path / "x.py"
    sample.write_text("import json\nfrom nianbao.api import load\n\ndef f():\n"
                      "    from nianbao.campaign.ingest import ingest\n    import nianbao.mail.send\n", "utf-8")
    assert [name for _, name in _imports(sample) if name not in ALLOWED] == [
        "nianbao.campaign.ingest", "nianbao.mail.send"]


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse((ROOT / "src" / "nianbao" / "api.py").read_text("utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    return {alias.asname: stmt.module or "" for stmt in block.body if isinstance(stmt, ast.ImportFrom)
            for alias in stmt.names if alias.asname == alias.name}


def test_lazy_names_resolve_and_agree_with_the_type_checking_block() -> None:
    assert _type_checking_imports() == api.LAZY
    for name, module in api.LAZY.items():
        assert getattr(api, name) is getattr(importlib.import_module(module), name), name
        assert name in api.__all__, name


def test_api_all_resolves_and_the_package_reexports_from_it() -> None:
    for name in api.__all__:
        assert hasattr(api, name), name
    for name in nianbao.__all__:
        if name != "__version__":
            assert getattr(nianbao, name) is getattr(api, name), name
    assert nianbao.IngestResult.__name__ == "IngestResult"
    assert not hasattr(nianbao, "no_such_name")


def test_every_api_name_is_documented() -> None:
    doc = (ROOT / "docs" / "api.md").read_text("utf-8")
    missing = [name for name in api.__all__ if not re.search(rf"[`/ (.]{re.escape(name)}[`(/ ,]", doc)]
    assert not missing, f"not in docs/api.md: {missing}"


def test_workspace_results_are_typed() -> None:
    """No Workspace method of the API returns ``Any``: a result is a class the API exports."""
    methods = {name: getattr(api.Workspace, name) for name in vars(api.Workspace) if not name.startswith("_")}
    returns = {name: fn.__annotations__.get("return") for name, fn in methods.items()
               if inspect.isfunction(fn) or inspect.ismethod(fn)}
    assert {"ingest", "status", "aggregate", "history", "send", "accept"} <= set(returns)
    untyped = [name for name, ret in returns.items() if ret is None or ret == "Any" or "[Any]" in ret]
    assert not untyped, untyped


def test_mail_lines_are_printed_as_text(tmp_path: Path) -> None:
    """The consoles take no markup, so a command prints each line as it is: no "[yellow]…[/]" around
    a unit's line, no backslash added before a "[" in a path."""
    from conftest import run

    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称,类别,联系人,邮箱\nA01,甲局,部门,张三,a@example.gov.cn\n"
                      "B01,乙镇人民政府,乡镇街道,李四,\n", encoding="utf-8")
    root = tmp_path / "年报[ws]"
    code, _ = run("init", root, "--year", 2025, "--roster", roster, "--office", "测试区政务公开办",
                  "--mail-from", "office@example.gov.cn")
    assert code == 0
    assert run("templates", "-w", root)[0] == 0
    code, out = run("send", "-w", root, "--eml", tmp_path / "eml")
    assert code == 0 and "乙镇人民政府" in out and "甲局" in out, out
    assert "[/]" not in out and "[yellow]" not in out and "\\[" not in out, out
    code, out = run("config", "mail", "-w", root)
    assert code == 0 and f"{root}" in out and "\\[" not in out, out
