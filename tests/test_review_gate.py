"""The office's review gate through the CLI: accept / reject / status UNIT, decisions in the ledger,
incompleteness that travels (members block, visible members sheet, draft reports, --final, --date),
old ledgers, and legacy ledger rows holding a figure no unit can have (10^400).

Returns here are the units' own templates filled in by the writer (as the campaign tests make them);
the files a clerk makes in LibreOffice are in tests/test_review_gate_lo.py.
"""

from __future__ import annotations

import getpass
import json
import random
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from nianbao.layout import get_layout
from nianbao.model import Unit, save_report
from nianbao.synth import CLERK_INFO, CLERK_TEXT, random_report
from nianbao.workbook.feedback import HEADER_ROW
from nianbao.workbook.writer import write_template

ROSTER = "单位编码,单位名称,类别\nA,甲局,部门\nB,乙镇人民政府,乡镇街道\n"
HUGE = 10**400


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, out = run("init", tmp_path / "ws", "-y", 2025, "-r", roster, "--office", "某区政府办公室")
    assert code == 0, out
    return tmp_path / "ws"


def _campaign(ws: Path) -> str:
    return str(json.loads((ws / "nianbao.json").read_text(encoding="utf-8"))["campaign"])


def _send(ws: Path, code: str, name: str, *, seed: int, broken: bool = False, no_s5: bool = False,
          file: str | None = None) -> Path:
    r = random_report("2021", 2025, Unit(name, code), random.Random(seed), with_totals=False)
    r.text = dict(CLERK_TEXT)
    if no_s5:
        del r.text["s5"]
    if broken:
        r.values["t3.granted.natural"] += 2
    path = ws / "inbox" / (file or f"{code}-{seed}.xlsx")
    write_template(path, layout_id="2021", year=2025, unit=Unit(name, code), report=r, campaign=_campaign(ws),
                   info=CLERK_INFO)
    return path


def _units(ws: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    code, out = run("status", "-w", ws, "--json")
    assert code == 0, out
    return {u["code"]: u for u in json.loads(out)["units"]}


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_accept_a_return_with_warnings_records_who_when_and_why(ws: Path) -> None:
    _send(ws, "A", "甲局", seed=1, no_s5=True)
    assert run("ingest", "-w", ws)[0] == 0
    assert _units(ws)["A"]["status"] == "warnings"
    code, out = run("accept", "甲局", "--reason", "经电话核实，本年度无整改事项。", "-w", ws)
    assert code == 0, out
    assert "已接受 甲局 报送的 A-1.xlsx" in out and getpass.getuser() in out
    unit = _units(ws)["A"]
    assert (unit["status"], unit["status_text"]) == ("accepted", "已接受")
    d = unit["decision"]
    assert (d["decision"], d["override_errors"], d["reason"], d["by"]) == (
        "accept", False, "经电话核实，本年度无整改事项。", getpass.getuser())
    assert "接受：经电话核实" in unit["decision_text"]
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        rows = db.execute("SELECT s.original_name, d.decision, d.decided_by FROM decisions d "
                          "JOIN submissions s ON s.id = d.submission_id").fetchall()
    assert rows == [("A-1.xlsx", "accept", getpass.getuser())]
    # the board shows the decision
    code, out = run("status", "-w", ws, "--xlsx", ws.parent / "看板.xlsx")
    assert code == 0 and "已接受 1" in out
    sheet = openpyxl.load_workbook(ws.parent / "看板.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    decision = header.index("审核意见") + 1
    assert sheet["D2"].value == "✓ 已接受" and "经电话核实" in sheet.cell(2, decision).value


def test_errors_are_accepted_only_with_override_errors(ws: Path) -> None:
    _send(ws, "A", "甲局", seed=1)
    _send(ws, "B", "乙镇人民政府", seed=2, broken=True)
    assert run("ingest", "-w", ws)[0] == 1
    code, out = run("accept", "B", "--reason", "已核实", "-w", ws)
    assert code == 1 and "--override-errors" in out and "2 个错误" in out
    assert _units(ws)["B"]["status"] == "errors"
    assert run("aggregate", "-w", ws)[0] == 1  # B still has errors
    code, out = run("accept", "B", "--reason", "差额系统计口径调整，经区政务公开办核实", "--override-errors", "-w", ws)
    assert code == 0 and "有错误仍接受" in out
    unit = _units(ws)["B"]
    assert unit["status"] == "accepted" and unit["decision"]["override_errors"] is True
    assert "有错误仍接受" in unit["decision_text"]
    code, out = run("aggregate", "-w", ws)  # complete now: B's figures are included
    assert code == 0, out
    doc = json.loads(next((ws / "reports").glob("*.json")).read_text(encoding="utf-8"))
    assert [m["code"] for m in doc["members"]["included"]] == ["A", "B"]
    assert doc["members"]["missing"] == doc["members"]["excluded"] == []


def test_reject_sends_back_with_the_reason_on_the_problem_list(ws: Path) -> None:
    _send(ws, "A", "甲局", seed=1)
    _send(ws, "B", "乙镇人民政府", seed=2)
    assert run("ingest", "-w", ws)[0] == 0
    code, out = run("reject", "甲局", "--reason", "依申请公开数量与台账不符，请核实。", "-w", ws)
    assert code == 0, out
    assert "已退回 甲局 报送的 A-1.xlsx" in out
    unit = _units(ws)["A"]
    assert (unit["status"], unit["status_text"]) == ("rejected", "已退回")
    feedback = ws / "feedback" / "2025年政府信息公开工作年度报告_甲局_反馈.xlsx"
    sheet = openpyxl.load_workbook(feedback)["问题清单"]
    first = [c.value for c in sheet[HEADER_ROW + 1]]  # 序号, 级别, 问题, 单元格, 说明, 如何处理, 代码
    assert first[-1] == "OFFICE-REJECTED" and "依申请公开数量与台账不符，请核实。" in first[4]
    code, out = run("aggregate", "-w", ws)
    assert code == 1 and "有错误（甲局）" in out
    # a newer return supersedes the decision: undecided again, and passed on its own
    _send(ws, "A", "甲局", seed=3)
    assert run("ingest", "-w", ws)[0] == 0
    unit = _units(ws)["A"]
    assert unit["status"] == "passed" and unit["decision"] is None
    assert run("aggregate", "-w", ws)[0] == 0


def test_status_unit_shows_every_submission_its_findings_and_every_decision(ws: Path) -> None:
    _send(ws, "A", "甲局", seed=1, broken=True)
    run("ingest", "-w", ws)
    run("reject", "A", "--reason", "表三不平衡", "-w", ws)
    _send(ws, "A", "甲局", seed=4, no_s5=True)
    run("ingest", "-w", ws)
    run("accept", "A", "--reason", "第五部分另行报送", "-w", ws)
    code, out = run("status", "甲局", "-w", ws)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "甲局（A）的报送记录，当前状态：已接受"
    first = next(i for i, line in enumerate(lines) if line.startswith("第 1 份："))
    second = next(i for i, line in enumerate(lines) if line.startswith("第 2 份："))
    assert "A-1.xlsx，有错误（2 个错误，0 个提示），已被后来报送的文件取代" in lines[first]
    assert any("T3-BALANCE" not in line and "不平衡" in line for line in lines[first + 1:second])
    assert any(line.strip().startswith("审核：退回") and "表三不平衡" in line for line in lines[first:second])
    assert "A-4.xlsx，仅有提示（0 个错误，1 个提示），当前有效" in lines[second]
    assert any("审核：接受" in line and "第五部分另行报送" in line for line in lines[second:])
    code, out = run("status", "A", "-w", ws, "--json")
    doc = json.loads(out)
    assert doc["status"] == "accepted"
    assert [(s["file"], s["current"], [d["decision"] for d in s["decisions"]]) for s in doc["submissions"]] == [
        ("A-1.xlsx", False, ["reject"]), ("A-4.xlsx", True, ["accept"])]
    assert [f["rule"] for f in doc["submissions"][1]["findings"]] == ["TEXT-EMPTY"]


def test_review_refusals(ws: Path) -> None:
    code, out = run("accept", "丙局", "--reason", "x", "-w", ws)
    assert code == 2 and "不在本工作区的单位名单中" in out
    code, out = run("accept", "A", "--reason", "x", "-w", ws)
    assert code == 2 and "还没有报送任何报表" in out
    _send(ws, "A", "甲局", seed=1)
    run("ingest", "-w", ws)
    code, out = run("reject", "A", "--reason", "  ", "-w", ws)
    assert code == 2 and "--reason" in out
    code, out = run("status", "丙局", "-w", ws)
    assert code == 2 and "不在本工作区的单位名单中" in out


def _old_schema(ledger: Path) -> None:
    """The ledger as the first release made it: no ``untouched`` column, no ``decisions`` table."""
    with sqlite3.connect(ledger) as db:
        db.execute("DROP TABLE decisions")
        db.execute("ALTER TABLE submissions DROP COLUMN untouched")
    with sqlite3.connect(ledger) as db:
        assert "untouched" not in {r[1] for r in db.execute("PRAGMA table_info(submissions)")}


def test_an_old_ledger_opens_and_gets_the_new_table(ws: Path) -> None:
    _send(ws, "A", "甲局", seed=1, no_s5=True)
    run("ingest", "-w", ws)
    _old_schema(ws / "ledger.sqlite")
    assert _units(ws)["A"]["status"] == "warnings"
    code, out = run("accept", "A", "--reason", "可以", "-w", ws)
    assert code == 0, out
    assert _units(ws)["A"]["status"] == "accepted"


def test_a_legacy_row_of_10_to_the_400_does_not_break_the_workspace(ws: Path, tmp_path: Path) -> None:
    layout = get_layout("2021")
    r = random_report("2021", 2025, Unit("甲局", "A"), random.Random(1), with_totals=False)
    r.values["t3.carried_out.natural"] = HUGE
    save_report(r, ws / "inbox" / "A.json", with_totals=False)
    _send(ws, "B", "乙镇人民政府", seed=2)
    code, out = run("ingest", "-w", ws)
    assert code == 1 and "甲局：已接收 A.json（有错误" in out  # caught now: VALUE-TOO-LARGE
    # as an earlier version recorded it: passed
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        db.execute("UPDATE submissions SET status = 'passed', error_count = 0 WHERE original_name = 'A.json'")
        db.execute("DELETE FROM findings")
    _old_schema(ws / "ledger.sqlite")

    code, out = run("aggregate", "-w", ws)
    assert code == 1 and "甲局 的报表中有不合常理的数值" in out and "表三!D28" in out
    code, out = run("aggregate", "-w", ws, "--allow-incomplete")
    assert code == 0, out
    assert "甲局 的报表中有不合常理的数值" in out and "以下单位未计入汇总：甲局" in out

    code, out = run("export-all", "-w", ws, "-o", tmp_path / "全部.xlsx")
    assert code == 0, out
    sheet = openpyxl.load_workbook(tmp_path / "全部.xlsx")["数据"]
    header = [c.value for c in sheet[2]]  # row 1: the statutory labels, row 2: the keys
    row = {h: c.value for h, c in zip(header, sheet[3], strict=True)}
    assert row["t3.carried_out.natural"] == str(HUGE)

    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, out = run("init", tmp_path / "next", "-y", 2026, "-r", roster, "--office", "某区政府办公室",
                    "--previous", ws)
    assert code == 0, out
    code, out = run("templates", "-w", tmp_path / "next")
    assert code == 0, out
    book = openpyxl.load_workbook(tmp_path / "next" / "outbox" / "2026年政府信息公开工作年度报告_甲局.xlsx")
    assert book["表三"]["D5"].value == str(HUGE)  # carried forward as text: flagged when it comes back
    code, out = run("check", tmp_path / "next" / "outbox" / "2026年政府信息公开工作年度报告_甲局.xlsx", "--json")
    assert code == 1 and "VALUE-TOO-LARGE" in [f["rule"] for f in json.loads(out)["findings"]]

    code, out = run("reject", "A", "--reason", "数值有误", "-w", ws)
    assert code == 0, out
    fb = openpyxl.load_workbook(ws / "feedback" / "2025年政府信息公开工作年度报告_甲局_反馈.xlsx")
    assert fb["表三"][layout.cell("t3.carried_out.natural").split("!")[1]].value == str(HUGE)


def test_report_on_an_incomplete_roll_up_is_a_draft_and_final_is_refused(ws: Path, tmp_path: Path) -> None:
    _send(ws, "A", "甲局", seed=1)
    run("ingest", "-w", ws)
    code, out = run("aggregate", "-w", ws, "--allow-incomplete", "--date", "2026-01-20")
    assert code == 0, out
    reports = ws / "reports"
    data, book, docx = (next(reports.glob(f"*{s}")) for s in (".json", ".xlsx", ".docx"))
    doc = json.loads(data.read_text(encoding="utf-8"))
    assert doc["members"] == {"included": [{"code": "A", "name": "甲局"}],
                              "missing": [{"code": "B", "name": "乙镇人民政府"}], "excluded": []}
    assert doc["date"] == "2026-01-20"
    text = _docx_text(docx)
    assert "草稿（汇总不完整：未包含 1 个单位的数据，不得发布）" in text and "2026年1月20日" in text
    # the consolidated workbook names its members on a visible sheet
    sheet = openpyxl.load_workbook(book)["汇总单位"]
    assert sheet.sheet_state == "visible"
    rows = [tuple(c.value for c in row[:3]) for row in sheet.iter_rows(min_row=3, max_row=4)]
    assert rows == [("A", "甲局", "已计入"), ("B", "乙镇人民政府", "未计入：未报送（或发回的模板未填写）")]

    for source in (data, book):
        out_docx = tmp_path / f"{source.suffix[1:]}.docx"
        code, out = run("report", source, "-o", out_docx)
        assert code == 0, out
        assert "【汇总不完整】" in out  # the rule's Chinese name; the code is for --json
        assert "草稿（汇总不完整" in _docx_text(out_docx), source
        code, out = run("report", source, "-o", tmp_path / "final.docx", "--final")
        assert code == 1 and "不能生成正式报告：汇总不完整，未包含 1 个单位的数据（乙镇人民政府）" in out
        assert not (tmp_path / "final.docx").exists()

    # once complete: --final needs a date
    _send(ws, "B", "乙镇人民政府", seed=2)
    run("ingest", "-w", ws)
    assert run("aggregate", "-w", ws)[0] == 0
    data = next(reports.glob("*.json"))
    assert "date" not in json.loads(data.read_text(encoding="utf-8"))
    code, out = run("report", data, "-o", tmp_path / "final.docx", "--final")
    assert code == 1 and "没有成文日期" in out and not (tmp_path / "final.docx").exists()
    code, out = run("report", data, "-o", tmp_path / "final.docx", "--final", "--date", "2026-02-03")
    assert code == 0, out
    text = _docx_text(tmp_path / "final.docx")
    assert "2026年2月3日" in text and "草稿" not in text
    code, out = run("report", data, "-o", tmp_path / "x.docx", "--date", "2026-02-30")
    assert code == 2 and "日期“2026-02-30”格式不正确" in out
    # a draft without a date shows a placeholder
    code, out = run("report", data, "-o", tmp_path / "draft.docx", "--draft")
    assert code == 0 and "（成文日期）" in _docx_text(tmp_path / "draft.docx")


def test_the_workspace_date_is_the_report_date(tmp_path: Path) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert run("init", tmp_path / "bad", "-y", 2025, "-r", roster, "--office", "区办", "--date", "2026/1/2")[0] == 2
    code, out = run("init", tmp_path / "ws", "-y", 2025, "-r", roster, "--office", "区办", "--date", "2026-01-22")
    assert code == 0, out
    ws = tmp_path / "ws"
    assert json.loads((ws / "nianbao.json").read_text(encoding="utf-8"))["date"] == "2026-01-22"
    _send(ws, "A", "甲局", seed=1)
    _send(ws, "B", "乙镇人民政府", seed=2)
    run("ingest", "-w", ws)
    assert run("aggregate", "-w", ws)[0] == 0
    assert "2026年1月22日" in _docx_text(next((ws / "reports").glob("*.docx")))
    assert run("aggregate", "-w", ws, "--date", "2026-01-25")[0] == 0  # the option wins
    assert "2026年1月25日" in _docx_text(next((ws / "reports").glob("*.docx")))


def test_the_level_above_sees_the_missing_units(ws: Path, tmp_path: Path) -> None:
    _send(ws, "A", "甲局", seed=1)
    run("ingest", "-w", ws)
    run("aggregate", "-w", ws, "--allow-incomplete")
    data = next((ws / "reports").glob("*.json"))
    code, out = run("check", data, "--json")
    found = json.loads(out)["findings"]
    [f] = [f for f in found if f["rule"] == "ROLLUP-INCOMPLETE"]
    assert "乙镇人民政府" in f["message"] and f["severity"] == "warning"
    # a data file of an earlier version whose members are a plain list still reads
    doc = json.loads(data.read_text(encoding="utf-8"))
    doc["members"] = doc["members"]["included"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out = run("check", old, "--json")
    assert code == 0 and "ROLLUP-INCOMPLETE" not in out


def test_an_untouched_template_never_replaces_a_real_return(ws: Path) -> None:
    assert run("templates", "-w", ws)[0] == 0
    outbox = ws / "outbox"
    _send(ws, "A", "甲局", seed=1)
    assert run("ingest", "-w", ws)[0] == 0
    (ws / "inbox" / "甲局又一份.xlsx").write_bytes((outbox / "2025年政府信息公开工作年度报告_甲局.xlsx").read_bytes())
    code, out = run("ingest", "-w", ws)
    assert code == 1
    assert "甲局：收到的 甲局又一份.xlsx 是未填写的模板" in out and "甲局：此前报送的 A-1.xlsx 仍然有效。" in out
    assert _units(ws)["A"]["status"] == "passed"
    # a partly filled return is no untouched one: it keeps the blank-cell hints
    path = ws / "inbox" / "乙镇.xlsx"
    from nianbao.workbook.reader import read_workbook

    meta = read_workbook(outbox / "2025年政府信息公开工作年度报告_乙镇人民政府.xlsx").meta
    partial = random_report("2021", 2025, Unit("乙镇人民政府", "B"), random.Random(3), with_totals=False)
    partial.values = {"t3.new.natural": 3}
    write_template(path, layout_id="2021", year=2025, unit=Unit("乙镇人民政府", "B"), report=partial,
                   campaign=_campaign(ws), template_id=meta["template_id"])
    code, out = run("ingest", "-w", ws)
    unit = _units(ws)["B"]
    assert unit["status"] == "errors" and unit["warnings"] > 100  # 表三 unbalanced, every blank cell named
    code, out = run("status", "B", "-w", ws, "--json")
    rules = {f["rule"] for f in json.loads(out)["submissions"][0]["findings"]}
    assert "VALUE-BLANK" in rules and "RETURN-UNTOUCHED" not in rules


def test_export_all_shows_the_office_decision(ws: Path, tmp_path: Path) -> None:
    _send(ws, "A", "甲局", seed=1, no_s5=True)
    run("ingest", "-w", ws)
    run("accept", "A", "--reason", "同意", "-w", ws)
    assert run("export-all", "-w", ws, "-o", tmp_path / "全部.csv")[0] == 0
    lines = (tmp_path / "全部.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[2].startswith("A,甲局,部门,已接受,") and lines[3].startswith("B,乙镇人民政府,乡镇街道,未报送,")
