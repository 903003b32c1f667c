"""The command line speaks Chinese through typer's public API: help, ``-h``, usage errors, width.

Also: nothing in typer, click or openpyxl is patched (their own functions stay theirs after nianbao
is imported and its commands have run), and ``python -m nianbao`` works.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import ROOT, run
from nianbao.cli import app
from nianbao.cli._i18n import short_help

FILES = ROOT / "tests" / "files"
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]


def _python_m(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_python_m_nianbao_help_fits_80_columns_uncut() -> None:
    result = _python_m("--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：")
    assert "命令：" in out and "选项：" in out
    assert "…" not in out and "..." not in out.split("命令：")[1]
    assert max(_width(line) for line in out.splitlines()) <= 80, out
    for name in COMMANDS:
        assert re.search(rf"^  {re.escape(name)}\s", out, re.M), name
    # each command's first sentence is there in full (wrapped, never cut)
    flat = re.sub(r"\s+", "", out)
    for name in COMMANDS:
        first = short_help(GROUP.commands[name].help or "")  # type: ignore[attr-defined]
        assert len(first) > 5 and re.sub(r"\s+", "", first) in flat, name


def test_dash_h_is_help_everywhere() -> None:
    code, out = run("-h")
    assert code == 0 and out.startswith("用法：") and "-h, --help" in out
    for name in COMMANDS:
        code, out = run(name, "-h")
        assert code == 0, (name, out)
        assert out.startswith(f"用法：nianbao {name}") or out.startswith("用法："), (name, out)
        assert "显示本帮助信息并退出。" in out


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_no_english_chrome(name: str) -> None:
    code, out = run(name, "--help")
    assert code == 0
    for word in ("Usage", "Options", "Arguments", "Commands", "Show this message", "default:", "required",
                 "<list", "[PATH]", "<path>", "<text>", "<integer>", "INTEGER", "TEXT", "PATH"):
        assert word not in out, (name, word, out)
    assert max(_width(line) for line in out.splitlines()) <= 80, out


def test_ingest_help_names_its_argument_in_chinese() -> None:
    code, out = run("ingest", "--help")
    assert code == 0
    assert "文件或目录" in out and "list[" not in out and "<" not in out


# every documented usage error: (argv, what the Chinese message must say, a regular expression)
USAGE_ERRORS = [
    (["template"], "缺少选项 '--output' / '-o'"),
    (["template", "-o", "x.xlsx", "--year", "abc", "--unit-name", "甲"], r"'--year' 的值(“abc”)?无效：应为整数"),
    (["ingest", "--xml"], "没有选项 --xml"),  # (ingest has --json since issue 15)
    (["check", "--json2", "x.json"], "可能要用的是：--json"),
    (["ingest", "--jobs"], "选项 --jobs 需要一个值"),
    (["ingest", "--jobs", "two"], r"'--jobs' / '-j' 的值(“two”)?无效：应为整数"),
    (["chek"], r"没有命令“chek”。(是否要用：check？)?"),  # typer ≥ 0.20 suggests the command
    (["chek2x"], "没有命令“chek2x”"),
    (["check"], "缺少参数"),
    (["check", "a.json", "b.json"], "多余的参数：b.json"),
    (["check", "--no-such"], "没有选项 --no-such"),
    (["init"], "缺少"),
]


def _english_words(text: str, argv: list[str]) -> list[str]:
    """Latin words left once option names, command names, file names and the program are taken out."""
    for token in argv:
        text = text.replace(token, " ")
    text = re.sub(r"--?[A-Za-z][\w-]*", " ", text)
    allowed = {"nianbao", *COMMANDS, "N", "json", "xlsx", "csv", "docx"}
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed]


@pytest.mark.parametrize(("argv", "said"), USAGE_ERRORS, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_usage_errors_are_chinese_with_exit_code_2(argv: list[str], said: str) -> None:
    result = CliRunner().invoke(app, argv)
    out = result.output
    assert result.exit_code == 2, out
    assert re.search(said, out), out
    assert "错误：" in out and "运行 nianbao" in out and "-h 查看帮助" in out
    assert _english_words(out, argv) == [], out
    assert "Traceback" not in out


def test_usage_error_through_python_m_goes_to_stderr() -> None:
    result = _python_m("template")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "缺少选项 '--output' / '-o'" in result.stderr
    assert _english_words(result.stderr, ["template"]) == []


def test_no_dependency_is_patched_after_commands_ran(tmp_path: Path) -> None:
    from openpyxl.worksheet import _reader

    from nianbao.workbook.reader import read_workbook

    own = _reader.WorksheetReader.__dict__["bind_merged_cells"]
    returned = FILES / "returned"
    assert run("check", returned / "lo-input-merged.xlsx" if (returned / "lo-input-merged.xlsx").exists()
               else FILES / "review" / "lo-input-merged.xlsx")[0] in (0, 1)
    assert run("feedback", returned / "oxl-bad-inputs.xlsx", "-o", tmp_path / "fb.xlsx")[0] in (0, 1)
    assert run("export", returned / "lo-filled-2021.xlsx", "-o", tmp_path / "d.json")[0] in (0, 1)
    threads = [threading.Thread(target=read_workbook, args=(returned / "oxl-resaved.xlsx",)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _reader.WorksheetReader.__dict__["bind_merged_cells"] is own
    assert own.__module__ == "openpyxl.worksheet._reader"
    assert own.__qualname__ == "WorksheetReader.bind_merged_cells"
    # typer's own words are typer's: nothing was assigned into its modules
    import typer.rich_utils as ru

    assert ru.OPTIONS_PANEL_TITLE == "Options" and ru.COMMANDS_PANEL_TITLE == "Commands"
    assert typer.__name__ == "typer"
