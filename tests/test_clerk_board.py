"""The status board as the office prints it and pastes it (issue 15): ``status --xlsx`` printed by
LibreOffice (one A4 landscape page per 30 units), ``status --chase``, times as 12月1日 08:29."""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from lo.harness import convert_to_pdf, pdf_page_count, pdf_page_sizes, requires_poppler, requires_soffice
from nianbao.campaign.ingest import ingest
from nianbao.campaign.review import accept
from nianbao.campaign.status import BOARD_COLUMNS, HEADER, build_board, short_time, write_board_xlsx
from nianbao.campaign.workspace import Workspace, init_workspace, open_workspace
from nianbao.model import Unit, save_report
from nianbao.synth import random_report

UNITS = 61
TODAY = date(2026, 2, 10)  # ten days after the deadline


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    tmp = tmp_path_factory.mktemp("board61")
    lines = ["单位编码,单位名称,类别,联系人,邮箱,电话"]  # 电话 in its own column, printed beside 联系人
    for i in range(1, UNITS + 1):
        lines.append(f"U{i:03d},重庆市渝北区第{i}局,部门,联系人{i},u{i}@example.gov.cn,023-6781{i:04d}")
    roster = tmp / "名单.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = init_workspace(tmp / "ws", year=2025, roster=roster, office="重庆市渝北区人民政府办公室",
                        deadline="2026-01-31", contact="政务公开办 王五 023-67811234")
    rng = random.Random(5)
    for i in (1, 2, 3):
        save_report(random_report("2021", 2025, Unit(f"重庆市渝北区第{i}局", f"U{i:03d}"), rng, with_totals=False),
                    ws.inbox / f"u{i}.json", with_totals=False)
    bad = random_report("2021", 2025, Unit("重庆市渝北区第4局", "U004"), rng)
    bad.values["t4.review.upheld"] += 1
    save_report(bad, ws.inbox / "u4.json")
    ingest(ws, feedback=False)
    return ws


@requires_soffice
@requires_poppler
def test_the_board_prints_30_units_a_landscape_page_with_title_deadline_and_date(ws: Workspace,
                                                                                 tmp_path: Path) -> None:
    board = build_board(ws, today=TODAY)
    xlsx = write_path = tmp_path / "看板.xlsx"
    write_board_xlsx(board, write_path)
    pdf = convert_to_pdf(xlsx, tmp_path / "看板.pdf")
    assert pdf_page_count(pdf) == 3  # 30 + 30 + 1 units
    assert all(round(w) > round(h) for w, h in pdf_page_sizes(pdf))  # landscape
    for page in (1, 2, 3):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout.replace(" ", "")
        assert "报送情况" in text and "截止日期：2026年1月31日" in text and "打印日期：2026年2月10日" in text
        assert "单位名称" in text and "逾期天数" in text  # the header row repeats
        assert f"第{page}页，共3页" in text
        units = [i for i in range(1, UNITS + 1) if f"第{i}局" in text]
        assert len(units) == (30 if page < 3 else 1), (page, units)


def test_units_to_chase_have_days_overdue_and_contacts(ws: Workspace, tmp_path: Path) -> None:
    board = build_board(ws, today=TODAY)
    path = tmp_path / "看板.xlsx"
    write_board_xlsx(board, path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert sorted(header) == sorted(HEADER)  # every declared column; the printed ones first
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["U001"]["状态"] == "✓ 已通过" and not rows["U001"]["联系人及电话"]
    assert rows["U004"]["状态"] == "✗ 有错误" and rows["U004"]["逾期天数"] == 10
    assert rows["U050"]["状态"] == "○ 未报送" and rows["U050"]["联系人及电话"] == "联系人50 023-67810050"
    assert rows["U050"]["逾期天数"] == 10 and rows["U050"]["邮箱"] == "u50@example.gov.cn"
    assert rows["U001"]["最近报送时间"].count("月") == 1 and "T" not in rows["U001"]["最近报送时间"]


def _luminance(rgb: str) -> float:
    r, g, b = int(rgb[-6:-4], 16), int(rgb[-4:-2], 16), int(rgb[-2:], 16)
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_states_stay_apart_in_black_and_white(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "看板.xlsx"
    write_board_xlsx(build_board(ws, today=TODAY), path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    status_col = [c.value for c in sheet[1]].index("状态") + 1
    shades = {}
    for row in range(2, UNITS + 2):
        cell = sheet.cell(row, status_col)
        shades[cell.value.split()[0]] = (_luminance(cell.fill.start_color.rgb), cell.font.b)
    marks = sorted(shades)
    assert set(marks) == {"✓", "✗", "○"}
    grey = sorted(v[0] for v in shades.values())
    assert all(b - a >= 28 for a, b in itertools.pairwise(grey)), shades  # distinct greys
    assert shades["✗"][1] and shades["○"][1] and not shades["✓"][1]  # bold: the ones to chase


def test_chase_text_lists_the_units_to_chase_with_contacts(ws: Workspace) -> None:
    code, output = run("status", "-w", ws.root, "--chase")
    assert code == 0
    assert output.startswith("关于催报2025年度政府信息公开工作年度报告的通知")
    assert "一、尚未报送（57 个单位）：" in output and "二、报表需修改后重新报送（1 个单位）：" in output
    assert "重庆市渝北区第50局（联系人50 023-67810050、u50@example.gov.cn）" in output
    assert "重庆市渝北区第1局" not in output.replace("第1局（", "").split("一、")[0]
    assert "第4局" in output and "个错误" in output


def test_status_json_has_every_declared_column(ws: Workspace) -> None:
    code, output = run("status", "-w", ws.root, "--json")
    assert code == 0
    doc = json.loads(output)
    assert set(doc["units"][0]) == {c.key for c in BOARD_COLUMNS} | {"status", "decision"}
    assert doc["units"][0]["last_received"].count("T") == 1  # machines get ISO timestamps
    assert len(doc["to_chase"]) == UNITS - 3


def test_times_as_a_clerk_writes_them() -> None:
    assert short_time("2026-12-01T08:29:20") == "12月1日 08:29"
    assert short_time("") == ""


def test_a_ledger_without_the_phone_column_opens_and_reads_phones_as_blank(ws: Workspace) -> None:
    import sqlite3

    conn = sqlite3.connect(ws.ledger_path)
    conn.execute("ALTER TABLE units DROP COLUMN phone")  # a ledger made before 电话 was read
    conn.commit()
    conn.close()
    with ws.open_ledger() as ledger:
        units = ledger.units()
    assert units and all(u.phone == "" for u in units)
    assert all(u.contact.startswith("联系人") for u in units)


LONG_REASON = ("该单位来函说明本年度行政复议结果中“其他结果”一项系上级机关撤销后重新作出，经电话向区司法局核实，"
               "情况属实，同意按原表接受，并请其在下一年度报告中加注说明。")


@requires_soffice
@requires_poppler
def test_a_long_decision_is_wrapped_inside_the_page_not_cut(ws: Workspace, tmp_path: Path) -> None:
    work = tmp_path / "ws"
    shutil.copytree(ws.root, work)
    copy = open_workspace(work)
    accept(copy, "U004", LONG_REASON, override_errors=True)
    board = build_board(copy, today=TODAY)
    xlsx = tmp_path / "看板.xlsx"
    write_board_xlsx(board, xlsx)
    pdf = convert_to_pdf(xlsx, tmp_path / "看板.pdf")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
    mm = 72 / 25.4
    for width, height, body in pages:
        for x_max, y_max in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)"', body):
            assert float(x_max) <= float(width) - 10 * mm and float(y_max) <= float(height) - 10 * mm
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", LONG_REASON)[-20:] in flat  # the end of the reason is printed, not cut
    assert pdf_page_count(pdf) == 3  # one two-line unit more still fits the same pages (30 + 30 + 1 lines)
