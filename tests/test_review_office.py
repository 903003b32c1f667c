"""A county office's January, from the command line: the problems found by using it as an office would."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from nianbao.model import Unit, save_report
from nianbao.synth import random_report

OFFICE = "某区政府办公室"


def _init(root: Path, roster: Path, year: int = 2025, *extra: object) -> Path:
    code, output = run("init", root, "--year", year, "--roster", roster, "--office", OFFICE, *extra)
    assert code == 0, output
    return root


def _send(ws: Path, code: str, name: str, *, year: int = 2025, seed: int = 1) -> Path:
    r = random_report("2021", year, Unit(name, code), random.Random(seed), with_totals=False)
    p = ws / "inbox" / f"{code}.json"
    save_report(r, p, with_totals=False)
    return p


# -- the roster as an office makes it in Excel -------------------------------------------------


def test_xlsx_roster_with_a_title_row_and_extra_columns(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["2025年度政府信息公开工作年度报告报送单位名单"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "单位编码", "单位名称", "类别", "联系人", "邮箱", "备注"])
    sheet.append([1, "A", "甲局 ", "部门", "张三", "a@x.cn", "牵头"])
    sheet.append([2, 12, "乙镇人民政府", "乡镇", None, None, None])
    sheet.append([3, "C", "甲局", "部门", None, None, None])  # row 5 repeats row 3
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    code, output = run("init", tmp_path / "ws", "--year", 2025, "--roster", path, "--office", OFFICE)
    assert code == 2
    assert "第 5 行的单位名称“甲局”与第 3 行重复" in output  # the rows a clerk sees in Excel

    sheet.delete_rows(5)
    wb.save(path)
    _init(tmp_path / "ws", path)
    lines = (tmp_path / "ws" / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ["A,甲局,部门,张三,a@x.cn,", "12,乙镇人民政府,乡镇街道,,,"]


def test_xlsx_roster_codes_keep_the_leading_zeros_excel_shows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["单位编码", "单位名称"])
    sheet.append([12, "甲局"])
    sheet.append([7, "乙局"])
    sheet["A2"].number_format = "0000"  # the clerk typed 0012; Excel keeps 12 and shows 0012
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    _init(tmp_path / "ws", path)
    lines = (tmp_path / "ws" / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["0012", "7"]


# -- last year's data ---------------------------------------------------------------------------


def test_init_refuses_previous_data_of_the_wrong_year(tmp_path: Path, roster: Path) -> None:
    same = _init(tmp_path / "ws2025", roster, 2025)
    code, output = run("init", tmp_path / "ws", "--year", 2025, "--roster", roster, "--office", OFFICE,
                       "--previous", same)
    assert code == 2
    assert "2025 年度" in output and "2024 年度" in output and "ws2025" in output
    assert "Traceback" not in output
    assert not (tmp_path / "ws").exists()

    data = tmp_path / "甲局2023.json"
    save_report(random_report("2021", 2023, Unit("甲局", "A"), random.Random(3)), data)
    code, output = run("init", tmp_path / "ws", "--year", 2025, "--roster", roster, "--office", OFFICE,
                       "--previous", data)
    assert code == 2 and "甲局2023.json" in output and "2023 年度" in output

    _init(tmp_path / "ws2026", roster, 2026, "--previous", same)  # the year before is accepted


# -- folders that cannot be written, interruptions ---------------------------------------------


def test_init_and_demo_in_an_unwritable_place_say_so_in_chinese(tmp_path: Path, roster: Path) -> None:
    blocker = tmp_path / "一个文件.txt"
    blocker.write_text("x", encoding="utf-8")
    code, output = run("init", blocker / "ws", "--year", 2025, "--roster", roster, "--office", OFFICE)
    assert code == 2, output
    assert "内部错误" not in output and "无法创建" in output and "一个文件.txt" in output
    code, output = run("demo", blocker / "demo")
    assert code == 2, output
    assert "内部错误" not in output and "无法创建" in output and "一个文件.txt" in output


def test_interrupted_init_leaves_no_half_workspace(tmp_path: Path, roster: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.campaign import ledger

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger.Ledger, "create", interrupted)
    code, output = run("init", tmp_path / "ws", "--year", 2025, "--roster", roster, "--office", OFFICE)
    assert code == 130 and "已中止" in output
    assert not (tmp_path / "ws").exists()  # so that ``init`` can simply be run again
    monkeypatch.undo()
    _init(tmp_path / "ws", roster)


def test_interrupted_aggregate_leaves_no_mismatched_outputs(tmp_path: Path, roster: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _init(tmp_path / "ws", roster)
    _send(ws, "A", "甲局", seed=1)
    assert run("ingest", "-w", ws)[0] == 0
    from nianbao.word import report as docx_report

    real_write = docx_report.write_report

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(docx_report, "write_report", interrupted)
    code, output = run("aggregate", "-w", ws, "--allow-incomplete")
    assert code == 130 and "已中止" in output
    assert sorted(p.name for p in (ws / "reports").iterdir()) == []  # not a data file without its report

    monkeypatch.setattr(docx_report, "write_report", real_write)
    assert run("aggregate", "-w", ws, "--allow-incomplete")[0] == 0
    before = {p.name: p.read_bytes() for p in (ws / "reports").iterdir()}
    assert len(before) == 3
    _send(ws, "B", "乙镇人民政府", seed=2)
    assert run("ingest", "-w", ws)[0] == 0
    monkeypatch.setattr(docx_report, "write_report", interrupted)
    assert run("aggregate", "-w", ws)[0] == 130
    after = {p.name: p.read_bytes() for p in (ws / "reports").iterdir()}
    assert after == before  # the previous complete set, untouched


# -- ingest ---------------------------------------------------------------------------------------


def test_ingest_of_the_workspace_folder_skips_its_own_outputs(tmp_path: Path, roster: Path) -> None:
    ws = _init(tmp_path / "ws", roster)
    assert run("templates", "-w", ws)[0] == 0
    _send(ws, "A", "甲局", seed=1)
    assert run("ingest", "-w", ws)[0] == 0
    assert run("aggregate", "-w", ws, "--allow-incomplete")[0] == 0
    code, output = run("ingest", "-w", ws, ws)  # "ingest ." in the workspace
    assert "模板_甲局" not in output and "已接收 2025年" not in output, output
    assert "取代" not in output
    assert code == 0, output  # only inbox/A.json, already recorded
    output = run("status", "-w", ws, "--json")[1]
    import json

    units = {u["code"]: u for u in json.loads(output)["units"]}
    assert (units["A"]["file"], units["A"]["submissions"]) == ("A.json", 1)
    assert units["B"]["status"] == "missing"


def test_a_refused_file_sent_again_is_not_called_received(tmp_path: Path, roster: Path) -> None:
    ws = _init(tmp_path / "ws", roster)
    _send(ws, "A", "甲局", year=2024)
    code, output = run("ingest", "-w", ws)
    assert code == 1 and "已拒收" in output
    code, output = run("ingest", "-w", ws)
    assert "已接收的文件" not in output
    assert "此前已拒收" in output and "A.json" in output


# -- the board on an ordinary 80-column console -------------------------------------------------


def test_status_board_shows_every_unit_name_on_80_columns(tmp_path: Path) -> None:
    names = [f"重庆市渝北区{n}" for n in ("发展和改革委员会", "人力资源和社会保障局", "双龙湖街道办事处")]
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,类别\n" + "".join(f"{n},部门\n" for n in names), encoding="utf-8")
    ws = _init(tmp_path / "ws", roster)
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-c", "from nianbao.cli import main; main()", "status", "-w", str(ws)], capture_output=True,
                          text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    shown: list[str] = []
    for line in proc.stdout.splitlines():
        parts = line.split("│")
        if len(parts) < 4:
            continue
        name, category = parts[1].strip(), parts[2].strip()
        if category:
            shown.append(name)
        elif shown:
            shown[-1] += name
    assert shown == names
