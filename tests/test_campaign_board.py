"""The status board and the workspace export (with formula-injection escaping)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import openpyxl
import pytest

from nianbao.campaign.export import export_workspace
from nianbao.campaign.ingest import ingest
from nianbao.campaign.status import build_board, write_board_xlsx
from nianbao.campaign.workspace import Workspace, init_workspace
from nianbao.display import escape_cell
from nianbao.errors import UnusableInput
from nianbao.findings import Severity
from nianbao.layout import get_layout
from nianbao.model import Report, Unit, save_report
from nianbao.synth import random_report

ROSTER = ("单位编码,单位名称,类别\nA,甲局,部门\nB,=1+2局,部门\nC,丙镇人民政府,乡镇街道\n"
          "D,丁街道办事处,乡镇街道\n")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    tmp = tmp_path_factory.mktemp("board")
    roster = tmp / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ws = init_workspace(tmp / "ws", year=2025, roster=roster, office="某区政府办公室")
    rng = random.Random(11)
    a = random_report("2021", 2025, Unit("甲局", "A"), rng, with_totals=False)
    save_report(a, ws.inbox / "a.json", with_totals=False)
    b = random_report("2021", 2025, Unit("=1+2局", "B"), rng)
    b.values["t4.review.upheld"] += 1  # the stated 总计 no longer adds up: T4-TOTAL
    save_report(b, ws.inbox / "b.json")
    c = random_report("2021", 2025, Unit("丙镇人民政府", "C"), rng, with_totals=False).to_json(with_totals=False)
    c["values"]["t2.rules.issued"] = "/"  # blank marker: a warning only
    import json

    (ws.inbox / "c.json").write_text(json.dumps(c, ensure_ascii=False), encoding="utf-8")
    ingest(ws, feedback=False)
    return ws


def test_board_lines_and_totals(ws: Workspace) -> None:
    board = build_board(ws)
    got = [(line.unit.code, line.label, line.errors > 0, line.warnings > 0) for line in board.lines]
    assert got == [("A", "已通过", False, False), ("B", "有错误", True, False), ("C", "仅有提示", False, True),
                   ("D", "未报送", False, False)]
    assert board.totals_text == "合计 4 个单位：已通过 1，仅有提示 1，有错误 1，未报送 1。"
    assert board.lines[0].last_received and board.lines[3].last_received == ""
    assert board.exit_code == 1


def test_board_as_workbook(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "看板.xlsx"
    write_board_xlsx(build_board(ws), path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("单位编码", "单位名称", "类别", "状态")
    assert [r[3] for r in rows[1:5]] == ["✓ 已通过", "✗ 有错误", "△ 仅有提示", "○ 未报送"]  # marks survive B/W
    assert rows[2][1] == "'=1+2局"  # never a live formula
    assert rows[6][0] == "合计 4 个单位：已通过 1，仅有提示 1，有错误 1，未报送 1。"


def test_export_csv_every_unit_every_key(ws: Workspace, tmp_path: Path) -> None:
    path = export_workspace(ws, tmp_path / "全部.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    layout = get_layout("2021")
    # row 1: the statutory labels a clerk reads; row 2: the stable keys
    assert rows[0] == ["单位编码", "单位名称", "类别", "状态", "报送时间", "文件名",
                       *(layout.describe(k) for k in layout.fields)]
    assert rows[1][6:] == list(layout.fields)
    rows = rows[1:]
    assert [r[0] for r in rows[1:]] == ["A", "B", "C", "D"]
    assert rows[2][1] == "'=1+2局"
    a = Report(layout, 2025, Unit("甲局"), {})
    save = {k: rows[1][6 + i] for i, k in enumerate(layout.fields)}
    a_json = __import__("json").loads((ws.inbox / "a.json").read_text(encoding="utf-8"))
    a.values.update(a_json["values"])
    for key, value in a.full_values().items():
        assert save[key] == str(value), key
    assert rows[3][6 + list(layout.fields).index("t2.rules.issued")] == "0"
    assert all(cell == "" for cell in rows[4][4:])  # D sent nothing


def test_export_xlsx_numbers_and_key_sheet(ws: Workspace, tmp_path: Path) -> None:
    path = export_workspace(ws, tmp_path / "全部.xlsx")
    wb = openpyxl.load_workbook(path)
    data, keys = wb["数据"], wb["数据项说明"]
    header = [c.value for c in data[2]]
    col = header.index("t3.total.total") + 1
    assert data.cell(1, col).value == get_layout("2021").describe("t3.total.total")
    assert isinstance(data.cell(3, col).value, int)
    assert data.cell(4, 2).value == "'=1+2局"
    assert data.cell(4, 2).data_type == "s"
    assert keys.cell(2, 1).value == next(iter(get_layout("2021").fields))
    with pytest.raises(UnusableInput, match=r"请使用 \.xlsx 或 \.csv"):
        export_workspace(ws, tmp_path / "全部.txt")


@pytest.mark.parametrize(("text", "escaped"), [
    ("=1+1", "'=1+1"), ("+86 23", "'+86 23"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("甲局", "甲局"), ("a=b", "a=b"), ("", ""),
])
def test_escape_cell(text: str, escaped: str) -> None:
    assert escape_cell(text) == escaped


def test_findings_kept_with_severity(ws: Workspace) -> None:
    with ws.open_ledger() as ledger:
        b = ledger.current("B")
        assert b is not None
        rules = {(f.rule, f.severity) for f in ledger.findings(b.id)}
    assert ("T4-TOTAL", Severity.ERROR.value) in rules
