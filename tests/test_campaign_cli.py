"""CLI of the campaign commands: output, exit codes and every documented error path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from nianbao.model import Unit, save_report
from nianbao.synth import random_report


@pytest.fixture
def ws(tmp_path: Path, roster: Path) -> Path:
    code, output = run("init", tmp_path / "ws", "--year", 2025, "--roster", roster, "--office", "某区政府办公室",
                       "--deadline", "2026-01-31", "--contact", "王五 023-1234")
    assert code == 0, output
    return tmp_path / "ws"


def _send(ws: Path, code: str, name: str, *, broken: bool = False, seed: int = 1) -> Path:
    r = random_report("2021", 2025, Unit(name, code), random.Random(seed), with_totals=False)
    if broken:
        r.values["t3.new.natural"] += 1
    p = ws / "inbox" / f"{code}.json"
    save_report(r, p, with_totals=False)
    return p


def test_init_creates_the_workspace(tmp_path: Path, roster: Path) -> None:
    code, output = run("init", tmp_path / "ws", "-y", 2025, "-r", roster, "--office", "某区政府办公室")
    assert code == 0
    assert "已创建工作区" in output and "2025 年度，2021 版格式，2 个单位" in output
    assert "nianbao templates -w" in output
    root = tmp_path / "ws"
    assert sorted(p.name for p in root.iterdir()) == sorted(
        ["nianbao.json", "roster.csv", "ledger.sqlite", "outbox", "inbox", "feedback", "reports", "originals"])
    config = json.loads((root / "nianbao.json").read_text(encoding="utf-8"))
    assert (config["year"], config["layout"], config["office"]) == (2025, "2021", "某区政府办公室")
    assert len(config["campaign"]) == 36


@pytest.mark.parametrize(("extra", "fragment"), [
    (["--deadline", "2026/1/31"], "截止日期“2026/1/31”格式不正确"),
    (["--deadline", "2026-02-30"], "截止日期“2026-02-30”格式不正确"),
    (["--layout", "2020"], "报告格式“2020”不正确"),
    (["--previous", "nowhere.json"], "上年数据 nowhere.json 无法使用"),
])
def test_init_option_errors(tmp_path: Path, roster: Path, extra: list[str], fragment: str) -> None:
    code, output = run("init", tmp_path / "ws", "-y", 2025, "-r", roster, "--office", "某区政府办公室", *extra)
    assert code == 2
    assert fragment in output
    assert not (tmp_path / "ws").exists()  # nothing is created when an option is wrong


def test_init_errors(tmp_path: Path, roster: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    code, output = run("init", tmp_path / "full", "-y", 2025, "-r", roster, "--office", "某办")
    assert code == 2 and "已存在且不为空" in output
    code, output = run("init", tmp_path / "a", "-y", 1800, "-r", roster, "--office", "某办")
    assert code == 2 and "报告年度“1800”无效" in output
    code, output = run("init", tmp_path / "b", "-y", 2025, "-r", roster, "--office", "某/办")
    assert code == 2 and "汇总单位名称“某/办”" in output
    code, output = run("init", tmp_path / "c", "-y", 2025, "-r", tmp_path / "无.csv", "--office", "某办")
    assert code == 2 and "找不到单位名单文件" in output
    bad = tmp_path / "坏名单.csv"
    bad.write_text("单位名称\n甲局\n甲局\n", encoding="utf-8")
    code, output = run("init", tmp_path / "d", "-y", 2025, "-r", bad, "--office", "某办")
    assert code == 2 and "第 3 行的单位名称“甲局”与第 2 行重复" in output
    assert "Traceback" not in output


def test_commands_outside_a_workspace(tmp_path: Path) -> None:
    for args in (["templates"], ["ingest"], ["status"], ["aggregate"], ["export-all", "-o", "x.csv"]):
        code, output = run(*args, "-w", tmp_path)
        assert code == 2, args
        assert "不是年报工作区（找不到配置文件 nianbao.json）" in output


def test_templates(ws: Path) -> None:
    code, output = run("templates", "-w", ws)
    assert code == 0
    assert "生成 2 份填报模板（其中 0 份已预填上年结转）" in output
    assert sorted(p.name for p in (ws / "outbox").iterdir()) == [
        "2025年政府信息公开工作年度报告_乙镇人民政府.xlsx", "2025年政府信息公开工作年度报告_甲局.xlsx", "分发清单.csv"]


def test_ingest_status_aggregate_export(ws: Path, tmp_path: Path) -> None:
    code, output = run("ingest", "-w", ws)
    assert code == 2 and "中没有可接收的文件" in output
    code, output = run("ingest", tmp_path / "无", "-w", ws)
    assert code == 2 and "找不到要接收的文件或目录" in output
    _send(ws, "A", "甲局")
    code, output = run("ingest", "-w", ws, "--jobs", 0)
    assert code == 2 and "--jobs 应为 1 到 64 之间的整数" in output

    code, output = run("ingest", "-w", ws)
    assert code == 0
    assert "甲局：已接收 A.json（已通过，0 个错误，0 个提示）。" in output
    assert "共处理 1 个文件：接收 1 个，重复 0 个，拒收 0 个。" in output

    code, output = run("aggregate", "-w", ws)
    assert code == 1
    assert "1 个单位未报送（乙镇人民政府）" in output and "--allow-incomplete" in output

    _send(ws, "B", "乙镇人民政府", broken=True, seed=2)
    code, output = run("ingest", "-w", ws)
    assert code == 1
    assert "乙镇人民政府：已接收 B.json（有错误" in output
    assert "乙镇人民政府：已生成反馈表" in output and "重复 1 个" in output
    assert (ws / "feedback" / "2025年政府信息公开工作年度报告_乙镇人民政府_反馈.xlsx").is_file()

    code, output = run("status", "-w", ws, "--xlsx", tmp_path / "看板.xlsx")
    assert code == 0
    assert "已通过" in output and "有错误" in output
    assert "合计 2 个单位：已通过 1，仅有提示 0，有错误 1，未报送 0。" in output
    assert openpyxl.load_workbook(tmp_path / "看板.xlsx").worksheets[0]["D3"].value == "✗ 有错误"
    code, output = run("status", "-w", ws, "--json")
    assert code == 0
    assert [u["status"] for u in json.loads(output)["units"]] == ["passed", "errors"]

    code, output = run("aggregate", "-w", ws, "--allow-incomplete")
    assert code == 0, output
    assert "已汇总 1 个单位的报表。" in output
    assert "以下单位未计入汇总：乙镇人民政府。" in output
    assert sorted(p.suffix for p in (ws / "reports").iterdir()) == [".docx", ".json", ".xlsx"]

    code, output = run("export-all", "-w", ws, "-o", tmp_path / "全部.csv")
    assert code == 0 and "已导出 2 个单位" in output
    assert (tmp_path / "全部.csv").read_text(encoding="utf-8-sig").splitlines()[2].startswith("A,甲局,部门,已通过,")
    code, output = run("export-all", "-w", ws, "-o", tmp_path / "全部.txt")
    assert code == 2 and "请使用 .xlsx 或 .csv" in output


def test_ingest_refusal_exit_code(ws: Path) -> None:
    r = random_report("2021", 2024, Unit("甲局", "A"), random.Random(1))
    save_report(r, ws / "inbox" / "old.json")
    code, output = run("ingest", "-w", ws)
    assert code == 1
    assert "是 2024 年度的报表，而本工作区收集的是 2025 年度，已拒收" in output
    code, output = run("status", "-w", ws)
    assert "已拒收的文件（1 个）" in output


def test_aggregate_with_nothing(ws: Path) -> None:
    code, output = run("aggregate", "-w", ws, "--allow-incomplete")
    assert code == 1 and "没有任何可以汇总的报表" in output


def test_demo_cli(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("x")
    code, output = run("demo", tmp_path)
    assert code == 2 and "已存在且不为空" in output
    code, output = run("demo", tmp_path / "demo")
    assert code == 0, output
    assert "第 1 步：创建工作区，单位名单共 10 个单位（部门 6 个、乡镇街道 4 个）" in output
    assert "合计 10 个单位：已通过 5，已接受 1，仅有提示 0，有错误 2，未填写 1，未报送 1。" in output
    assert "演示完成。" in output
    docx = next((tmp_path / "demo" / "工作区" / "reports").glob("*.docx"))
    assert str(docx) in output
