"""CLI: Chinese help for every command, documented in the README; check's output and exit codes."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.model import Unit, save_report
from nianbao.synth import random_report

runner = CliRunner()
README = Path(__file__).parents[1] / "README.md"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_CHROME = ("Show this message", "Usage:", "Options", "Arguments", "Commands", "<bool>", "<path>", "<text>")


def _commands() -> list[str]:
    return sorted(c.name or "" for c in typer.main.get_command(app).commands.values())  # type: ignore[attr-defined]


def test_root_help_is_chinese() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "用法" in result.output and "命令" in result.output
    for word in ENGLISH_CHROME:
        assert word not in result.output
    for name in _commands():
        assert name in result.output


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_chinese_help(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "用法" in result.output and "显示本帮助信息并退出" in result.output
    for word in ENGLISH_CHROME:
        assert word not in result.output, word
    description = result.output.split("\n", 4)[-1]
    assert len(CJK.findall(description)) > 10


@pytest.mark.parametrize("name", _commands())
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"nianbao {name}" in README.read_text("utf-8")


def _data(tmp_path: Path, **change: object) -> Path:
    report = random_report("2021", 2024, Unit("测试局"), random.Random(3))
    report.values.update(change)  # type: ignore[arg-type]
    path = tmp_path / "d.json"
    save_report(report, path)
    return path


def test_check_json_output(tmp_path: Path) -> None:
    path = _data(tmp_path)
    doc = json.loads(path.read_text("utf-8"))
    doc["values"]["t4.review.total"] += 2
    doc["values"]["t3.new.natural"] = "—"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["errors"] == len([f for f in out["findings"] if f["severity"] == "error"]) >= 1
    assert out["warnings"] >= 1
    t4 = next(f for f in out["findings"] if f["rule"] == "T4-TOTAL")
    assert set(t4) == {"rule", "severity", "keys", "cells", "expected", "actual", "message"}
    assert t4["cells"][0] == "表四!E4" and t4["actual"] == t4["expected"] + 2
    assert any(f["rule"] == "VALUE-BLANK" and f["cells"] == ["表三!D4"] for f in out["findings"])


def test_check_clean_exits_zero_and_prints_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(_data(tmp_path))])
    assert result.exit_code == 0
    assert "共 0 个错误，0 个提示。" in result.output


def test_check_with_previous(tmp_path: Path) -> None:
    this = _data(tmp_path)
    prev_report = random_report("2021", 2023, Unit("测试局"), random.Random(4))
    save_report(prev_report, tmp_path / "prev.json")
    result = runner.invoke(app, ["check", str(this), "--previous", str(tmp_path / "prev.json"), "--json"])
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "T3-CARRY-OVER" in rules or "T2-IN-FORCE" in rules
    assert result.exit_code == 0


def test_unsupported_source(tmp_path: Path) -> None:
    p = tmp_path / "notes.dat"
    p.write_text("hello", "utf-8")
    result = runner.invoke(app, ["check", str(p)])
    assert result.exit_code == 2
    assert "无法识别文件" in result.output and str(p) in result.output
    # a text file is read as a published report (issue 12): one without the tables says so
    p = tmp_path / "notes.txt"
    p.write_text("hello", "utf-8")
    result = runner.invoke(app, ["check", str(p)])
    assert result.exit_code == 2
    assert "找不到年报的统计表" in result.output and str(p) in result.output


def test_check_year_and_unit_expected(tmp_path: Path) -> None:
    path = _data(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--year", "2025", "--unit", "别的局", "--json"])
    assert result.exit_code == 1
    rules = [(f["rule"], f["expected"], f["actual"]) for f in json.loads(result.stdout)["findings"]]
    assert ("META-YEAR", 2025, 2024) in rules and ("META-UNIT", "别的局", "测试局") in rules
    ok = runner.invoke(app, ["check", str(path), "--year", "2024", "--unit", "测试局"])
    assert ok.exit_code == 0
