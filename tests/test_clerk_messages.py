"""What the office reads from the command line (issue 15): grouped findings, one cause with its
consequences, Chinese rule names, Chinese OS errors, and --json on every command."""

from __future__ import annotations

import errno
import json
import random
import re
from pathlib import Path

import pytest

from conftest import ROSTER, run
from nianbao.errors import os_reason
from nianbao.layout import get_layout
from nianbao.model import Unit, save_report
from nianbao.synth import random_report

ROOT = Path(__file__).parents[1]
BLANK = ROOT / "templates" / "年报填报模板_2021版.xlsx"
RETURNED = Path(__file__).parent / "files" / "returned"


def _lines(output: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.strip()]


def test_a_blank_template_gives_one_line_per_kind_and_all_lines_with_all() -> None:
    n_inputs = len(get_layout("2021").inputs)
    code, output = run("check", BLANK)
    assert code == 0
    lines = _lines(output)
    findings = json.loads(run("check", BLANK, "--json")[1])["findings"]
    others = [f for f in findings if f["rule"] != "VALUE-BLANK"]  # 文字部分 and 基本信息 left empty
    assert len(findings) - len(others) == n_inputs and len(others) < 10
    # title, the one group line, each other finding, the summary, the hint about --all
    assert len(lines) == 1 + 1 + len(others) + 2, output
    [group] = [ln for ln in lines if "【未填写】" in ln]
    assert f"提示【未填写】{n_inputs} 个单元格未填写（表二 " in group and "表三 D4:" in group
    assert "内容为“”" not in output and "其他问题" not in output
    assert lines[-2] == f"共 0 个错误，{len(findings)} 个提示。" and "--all" in lines[-1]
    code, output = run("check", BLANK, "--all")
    lines = _lines(output)
    assert len(lines) == len(findings) + 2 and sum("【未填写】" in ln for ln in lines) == n_inputs
    assert "内容为“”" not in output and "未填写数字，已按 0 计算" in output


def test_check_json_names_the_file_and_unit_and_gives_groups_and_every_finding() -> None:
    code, output = run("check", BLANK, "--json")
    assert code == 0
    doc = json.loads(output)
    assert doc["file"] == str(BLANK) and doc["unit"] == {"code": "", "name": "（单位名称）"}
    assert (doc["year"], doc["layout"]) == (2025, "2021")
    group = doc["groups"][0]
    n_inputs = len(get_layout("2021").inputs)
    assert (group["rule"], group["name"], group["count"]) == ("VALUE-BLANK", "未填写", n_inputs)
    assert len(group["cells"]) == n_inputs and all(g["count"] == 1 for g in doc["groups"][1:])
    assert len(doc["findings"]) == doc["warnings"] == sum(g["count"] for g in doc["groups"])


def test_an_overwritten_total_is_one_cause_with_its_consequences_under_it() -> None:
    code, output = run("check", RETURNED / "lo-total-overwritten.xlsx")
    assert code == 1
    lines = _lines(output)
    causes = [ln for ln in lines if ln.startswith("错误")]
    assert len(causes) == 1 and causes[0].startswith("错误【合计公式被改动】表三!J4")
    under = [ln for ln in lines if ln.startswith("    · ")]
    assert [re.search(r"【(.*?)】", ln).group(1) for ln in under] == ["表三行合计", "表三收支平衡"]
    assert "共 3 个错误" in output
    assert not re.search(r"FORMULA-ALTERED|T3-ROW-TOTAL|T3-BALANCE", output)  # codes only in --json
    doc = json.loads(run("check", RETURNED / "lo-total-overwritten.xlsx", "--json")[1])
    [group] = [g for g in doc["groups"] if g["rule"] == "FORMULA-ALTERED"]
    assert [c["rule"] for c in group["consequences"]] == ["T3-ROW-TOTAL", "T3-BALANCE"]


def _english(output: str, *paths: Path) -> list[str]:
    """English words a user would read: paths, option names and file types taken out."""
    for p in sorted(paths, key=lambda p: -len(str(p))):
        output = output.replace(str(p), "")
    output = re.sub(r"--[a-z-]+|\.(xlsx|xls|xlsm|json|csv|ods|et|docx|toml|txt)\b|nianbao(\.json| [a-z-]+)?|Excel|WPS|"
                    r"LibreOffice|Alt\+Enter|Ctrl\+Enter|CSV UTF-8|HTML|JSON|XML|DOCTYPE|ENTITY|OpenDocument|"
                    r"Word|schema|layout|values|text|date", "", output)
    return re.findall(r"[A-Za-z]{3,}", output)


def test_error_paths_speak_chinese_only(tmp_path: Path) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    bad_json = tmp_path / "坏.json"
    bad_json.write_text("{", encoding="utf-8")
    text = tmp_path / "说明.xlsx"
    text.write_text("不是工作簿", encoding="utf-8")
    ws = tmp_path / "ws"
    cases = [
        (("check", tmp_path / "没有.xlsx"), 2),
        (("check", bad_json), 2),
        (("check", text), 2),
        (("template", "-o", Path("/sys/x.xlsx"), "--year", "2025", "--unit-name", "甲局"), 2),
        (("template", "-o", tmp_path / "t.xlsx", "--year", "2005", "--unit-name", "甲局"), 2),
        (("status", "-w", tmp_path), 2),
        (("init", ws, "--year", "2025", "--roster", tmp_path / "没有.csv", "--office", "某办"), 2),
        (("report", bad_json, "-o", tmp_path / "r.docx"), 2),
    ]
    for args, expected in cases:
        code, output = run(*args)
        assert code == expected, (args, output)
        assert output.startswith("错误："), (args, output)
        assert _english(output, tmp_path, Path("/sys/x.xlsx")) == [], (args, output)
    code, _ = run("init", ws, "--year", "2025", "--roster", roster, "--office", "某办")
    assert code == 0
    code, output = run("export-all", "-w", ws, "-o", tmp_path / "全部.txt")
    assert code == 2 and _english(output, tmp_path) == [], output


def test_permission_denied_says_excel_or_wps_may_hold_the_file(tmp_path: Path) -> None:
    code, output = run("template", "-o", "/sys/nianbao.xlsx", "--year", "2025", "--unit-name", "甲局")
    assert code == 2 and "没有权限" in output and "Excel 或 WPS" in output
    assert "Permission" not in output and "denied" not in output
    held = PermissionError(errno.EACCES, "Permission denied")
    held.winerror = 32  # type: ignore[attr-defined]  # Windows: the file is open in Excel or WPS
    assert "正被其他程序占用" in os_reason(held)
    assert os_reason(OSError(errno.EPERM, "Operation not permitted")) == os_reason(PermissionError(errno.EACCES, ""))
    assert "磁盘空间不足" in os_reason(OSError(errno.ENOSPC, "No space left on device"))
    assert not re.search(r"[A-Za-z]{3,}", os_reason(OSError(errno.EXDEV, "Invalid cross-device link")))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ws = tmp_path / "ws"
    code, output = run("init", ws, "--year", "2025", "--roster", roster, "--office", "某区政府办公室",
                       "--deadline", "2026-01-31", "--json")
    assert code == 0, output
    doc = json.loads(output)
    assert doc["workspace"] == str(ws) and [u["code"] for u in doc["units"]] == ["A", "B"]
    return ws


def test_json_on_templates_ingest_aggregate_export_all(workspace: Path, tmp_path: Path) -> None:
    ws = workspace
    code, output = run("templates", "-w", ws, "--json")
    assert code == 0
    assert [t["name"] for t in json.loads(output)["templates"]] == ["甲局", "乙镇人民政府"]
    report = random_report("2021", 2025, Unit("甲局", "A"), random.Random(3), with_totals=False)
    save_report(report, ws / "inbox" / "a.json", with_totals=False)
    code, output = run("ingest", "-w", ws, "--json")
    assert code == 0, output
    doc = json.loads(output)
    [f] = doc["files"]
    assert (f["action"], f["unit"], f["status"], f["errors"]) == ("recorded", {"code": "A", "name": "甲局"},
                                                                 "passed", 0)
    code, output = run("aggregate", "-w", ws, "--allow-incomplete", "--json")
    assert code == 0, output
    doc = json.loads(output)
    assert [u["name"] for u in doc["missing"]] == ["乙镇人民政府"] and doc["draft"] is True
    assert doc["undated"] is True and "一、总体情况" in doc["empty_sections"]
    code, output = run("export-all", "-w", ws, "-o", tmp_path / "全部.csv", "--json")
    assert code == 0 and json.loads(output)["units"] == 2


def test_aggregate_says_what_report_says_about_text_and_date(workspace: Path) -> None:
    ws = workspace
    report = random_report("2021", 2025, Unit("甲局", "A"), random.Random(4), with_totals=False)
    save_report(report, ws / "inbox" / "a.json", with_totals=False)
    assert run("ingest", "-w", ws)[0] == 0
    code, output = run("aggregate", "-w", ws, "--allow-incomplete")
    assert code == 0
    assert "提示：汇总年度报告的 一、总体情况、五、" in output and "--text" in output
    assert "没有成文日期" in output
