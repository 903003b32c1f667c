"""Issue 11: the faults an adversarial run found, each reproduced on real files and fixed.

The numbers in the test names are the issue's items. Returned workbooks are the units' own templates
filled in (as the campaign tests do) or filled in by LibreOffice where the point is what Excel-family
programs write; PDF and HTML are the real originals in the shared corpus.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run
from lo.harness import fill_workbook, requires_soffice
from nianbao.campaign.distribute import DISTRIBUTION_LIST, make_templates
from nianbao.campaign.ingest import ingest
from nianbao.campaign.ledger import ERRORS, PASSED, WARNINGS
from nianbao.campaign.workspace import Workspace, init_workspace, open_workspace
from nianbao.model import Unit, save_report
from nianbao.synth import random_report
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.writer import write_template

SHARED = ROOT / ".." / "shared"
ORIGINALS = SHARED / "real-reports" / "originals"
ROSTER = "单位编码,单位名称,类别,联系人,邮箱\nA,甲局,部门,张三,a@x.cn\nB,乙局,部门,,\nC,丙镇人民政府,乡镇街道,,\n"


def _ws(tmp_path: Path, roster: str = ROSTER, name: str = "ws") -> Workspace:
    path = tmp_path / f"{name}-名单.csv"
    path.write_text(roster, encoding="utf-8")
    return init_workspace(tmp_path / name, year=2025, roster=path, office="某区政府办公室")


def _return(ws: Workspace, code: str, name: str, target: Path | str, *, seed: int, broken: bool = False,
            mtime: int | None = None) -> Path:
    r = random_report(ws.layout_id, ws.year, Unit(name, code), random.Random(seed), with_totals=False)
    if broken:
        r.values["t3.granted.natural"] += 2
    path = Path(target) if isinstance(target, Path) else ws.inbox / target
    write_template(path, layout_id=ws.layout_id, year=ws.year, unit=Unit(name, code), report=r, campaign=ws.campaign)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _data_file(path: Path, **text: str) -> Path:
    r = random_report("2021", 2025, Unit("甲局", "A"), random.Random(3), with_totals=False)
    r.text.update(text)
    save_report(r, path)
    return path


# ------------------------------------------------------------------------------------------
# One bad file never stops a batch (1–3)
# ------------------------------------------------------------------------------------------


def test_01_a_file_name_that_is_not_utf8_is_recorded_losslessly_and_shown_with_replacements(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2, mtime=1_700_000_000)
    gbk = "甲局年报".encode("gbk") + b".xlsx"  # what unzipping a zip made on Chinese Windows leaves
    made = _return(ws, "A", "甲局", "tmp.xlsx", seed=1, mtime=1_700_000_100)
    os.rename(os.fsencode(made), os.fsencode(ws.inbox) + b"/" + gbk)
    code, output = run("ingest", "-w", ws.root)
    assert code == 0, output
    assert "\ufffd" in output and "甲局：已接收" in output and "乙局：已接收" in output
    with ws.open_ledger() as ledger:
        sub = ledger.current("A")
        assert sub is not None and sub.status in (PASSED, WARNINGS)
        assert sub.original_name == gbk.decode("utf-8", "replace")
        assert ledger.raw_name(sub.id) == gbk  # the name as the file system held it
        assert ledger.raw_name(ledger.current("B").id) is None  # type: ignore[union-attr]
    code, board = run("status", "-w", ws.root, "--json")
    assert code == 0 and "\ufffd" in json.loads(board)["units"][0]["file"]


def test_02_a_lone_surrogate_in_a_data_file_is_an_error_of_that_file(tmp_path: Path) -> None:
    bad = tmp_path / "甲局.json"
    _data_file(bad, s1="PLACEHOLDER")
    bad.write_text(bad.read_text("utf-8").replace("PLACEHOLDER", "\\ud800"), "utf-8")
    code, output = run("check", bad)
    assert code == 2
    assert "“text.s1”含有无效的字符" in output and "内部错误" not in output

    ws = _ws(tmp_path)
    shutil.copy(bad, ws.inbox / "甲局.json")
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2)
    code, output = run("ingest", "-w", ws.root)
    assert code == 1, output
    assert "文件 甲局.json 无法使用，已拒收" in output and "text.s1" in output
    assert "乙局：已接收 乙局.xlsx" in output


def test_03_json_nested_100000_deep_is_refused_with_exit_2(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    code, output = run("check", deep)
    assert code == 2, output
    assert "嵌套层次过深" in output and "内部错误" not in output
    ws = _ws(tmp_path)
    shutil.copy(deep, ws.inbox / "deep.json")
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2)
    code, output = run("ingest", "-w", ws.root)
    assert code == 1 and "deep.json 无法使用，已拒收" in output and "乙局：已接收" in output


# ------------------------------------------------------------------------------------------
# Untrusted text is data (4–6)
# ------------------------------------------------------------------------------------------


def test_04_markup_in_unit_names_and_file_names_is_shown_as_written(tmp_path: Path) -> None:
    name = "[/]测试局[red]:warning:"
    wb = tmp_path / "[red]返回" / "[bold]x.xlsx"
    wb.parent.mkdir()
    code, output = run("template", "-o", wb, "--year", "2025", "--unit-name", name)
    assert code == 0, output
    assert name in output and "[red]返回/[bold]x.xlsx" in output
    code, output = run("check", wb)
    assert code == 0, output
    assert name in output and "[bold]x.xlsx" in output

    ws = _ws(tmp_path)
    shutil.copy(wb, ws.inbox / "[red]x.xlsx")
    code, output = run("ingest", "-w", ws.root)
    assert code == 1 and "Traceback" not in output
    assert f"文件 [red]x.xlsx 的报送单位“{name}”不在本工作区的单位名单中" in output
    code, output = run("status", "-w", ws.root)
    assert code == 0, output
    assert f"“{name}”不在本工作区的单位名单中" in output


def test_05_roster_and_distribution_list_are_escaped_against_formula_injection(tmp_path: Path) -> None:
    roster = ("单位编码,单位名称,类别,联系人,邮箱\nA,=1+2局,部门,\"=cmd|' /C calc'!A0\",a@x.cn\n"
              "B,@乙局,部门,+86 23 1234,\n")
    ws = _ws(tmp_path, roster)
    make_templates(ws)
    import csv

    for path in (ws.root / "roster.csv", ws.outbox / DISTRIBUTION_LIST):
        rows = list(csv.reader(path.read_text("utf-8-sig").splitlines()))
        cells = [c for row in rows[1:] for c in row]
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), (path.name, cells)
        assert "'=1+2局" in cells and "'@乙局" in cells
    assert "'=cmd|' /C calc'!A0" in (ws.root / "roster.csv").read_text("utf-8-sig")
    # the workspace reads its own copy back as the names were given
    units = open_workspace(ws.root).units()
    assert [u.name for u in units] == ["=1+2局", "@乙局"]
    assert units[0].contact == "=cmd|' /C calc'!A0"


def test_06_a_carriage_return_round_trips_exactly(tmp_path: Path) -> None:
    text = "第一段\r\n第二段\r第三行\n第四行"
    ws = _ws(tmp_path)
    r = random_report(ws.layout_id, ws.year, Unit("甲局", "A"), random.Random(1), with_totals=False)
    r.text["s1"] = text
    write_template(ws.inbox / "甲局.xlsx", layout_id=ws.layout_id, year=ws.year, unit=Unit("甲局", "A"),
                   report=r, campaign=ws.campaign)
    assert read_workbook(ws.inbox / "甲局.xlsx").report.text["s1"] == text
    ingest(ws, feedback=False)
    with ws.open_ledger() as ledger:
        sub = ledger.current("A")
        assert sub is not None
        assert ledger.report(sub.id).text["s1"] == text
    code, output = run("export", ws.inbox / "甲局.xlsx", "-o", tmp_path / "甲局.json")
    assert json.loads((tmp_path / "甲局.json").read_text("utf-8"))["text"]["s1"] == text
    code, output = run("report", ws.inbox / "甲局.xlsx", "-o", tmp_path / "甲局.docx")
    assert code == 0, output
    with zipfile.ZipFile(tmp_path / "甲局.docx") as z:
        assert "_x000D_" not in z.read("word/document.xml").decode("utf-8")


def test_06_text_that_looks_like_an_escape_round_trips_too(tmp_path: Path) -> None:
    text = "写作 _x000D_ 的字样\r\n和 _x005F_ 下划线"
    r = random_report("2021", 2025, Unit("甲局", "A"), random.Random(1), with_totals=False)
    r.text["s6"] = text
    write_template(tmp_path / "t.xlsx", layout_id="2021", year=2025, unit=Unit("甲局", "A"), report=r)
    assert read_workbook(tmp_path / "t.xlsx").report.text["s6"] == text


@requires_soffice
def test_06_text_typed_in_libreoffice_round_trips(tmp_path: Path) -> None:
    """LibreOffice keeps a line break as LF and escapes a literal ``_x000D_`` as ``_x005F_x000D_``."""
    blank = tmp_path / "blank.xlsx"
    write_template(blank, layout_id="2021", year=2025, unit=Unit("甲局", "A"))
    text = "第一段\n第二段写有 _x000D_ 字样"
    fill_workbook(blank, tmp_path / "filled.xlsx", [("文字部分", "A10", text)])
    assert read_workbook(tmp_path / "filled.xlsx").report.text["s1"] == text


# ------------------------------------------------------------------------------------------
# Nothing lost, nothing mixed up (7, 8, 11, 12)
# ------------------------------------------------------------------------------------------


class _Killed(BaseException):
    """Stands for a SIGKILL between recording the returns and writing their feedback."""


def test_07_feedback_lost_by_an_interrupted_ingest_is_written_by_the_rerun(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nianbao.campaign.ingest as ingest_module

    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", seed=1, broken=True)
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2, broken=True)

    def killed(*args: object, **kwargs: object) -> None:
        raise _Killed

    with monkeypatch.context() as m:
        m.setattr(ingest_module, "write_feedback_for", killed)
        with pytest.raises(_Killed):
            ingest(ws)
    assert list(ws.feedback.iterdir()) == []
    again = ingest(ws)
    assert [o.action for o in again.outcomes] == ["duplicate", "duplicate"]
    assert sorted(p.name for p in ws.feedback.iterdir()) == [
        "2025年政府信息公开工作年度报告_乙局_反馈.xlsx", "2025年政府信息公开工作年度报告_甲局_反馈.xlsx"]
    assert set(again.feedback) == {"A", "B"}
    # once written, a feedback is not written again
    assert ingest(ws).feedback == {}


def test_07_one_feedback_that_cannot_be_written_does_not_stop_the_others(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", seed=1, broken=True)
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2, broken=True)
    blocker = ws.feedback / "2025年政府信息公开工作年度报告_甲局_反馈.xlsx"
    blocker.mkdir()  # a folder where 甲局's feedback goes
    code, output = run("ingest", "-w", ws.root)
    assert code == 2, output
    assert "甲局：反馈表" in output and "无法写入" in output and "内部错误" not in output
    assert (ws.feedback / "2025年政府信息公开工作年度报告_乙局_反馈.xlsx").is_file()
    blocker.rmdir()
    code, output = run("ingest", "-w", ws.root)
    assert code == 0 and blocker.is_file(), output


@pytest.mark.parametrize(("rows", "shown"), [
    ("A,测试局(一),部门,,\nB,测试局（一）,部门,,\n", ["第 3 行", "“测试局（一）”", "第 2 行", "“测试局(一)”"]),
    ("A,测试局一,部门,,\nB,测试局 一,部门,,\n", ["第 3 行", "“测试局 一”", "第 2 行"]),
    ("500112-001,甲局,部门,,\n５００１１２－００１,乙局,部门,,\n", ["第 3 行", "“５００１１２－００１”", "第 2 行", "“500112-001”"]),
])
def test_08_near_duplicate_names_and_codes_are_refused_naming_both_rows(
        tmp_path: Path, rows: str, shown: list[str]) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称,类别,联系人,邮箱\n" + rows, encoding="utf-8")
    code, output = run("init", tmp_path / "ws", "--year", "2025", "--roster", roster, "--office", "某区政府办公室")
    assert code == 2, output
    for piece in shown:
        assert piece in output
    assert not (tmp_path / "ws").exists()


def test_11_long_unit_names_get_short_safe_file_names(tmp_path: Path) -> None:
    long_name = "重庆市渝北区" + "某某某某某某某某某某" * 9 + "局"  # 97 characters
    roster = f"单位编码,单位名称,类别,联系人,邮箱\n500112-001,{long_name},部门,,\nB,乙局,部门,,\n"
    ws = _ws(tmp_path, roster)
    done, _ = make_templates(ws)
    long_tpl = done[0].path
    assert long_tpl.is_file() and len(long_tpl.name.encode("utf-8")) <= 200
    assert "500112-001" in long_tpl.name and long_tpl.name.startswith("2025年政府信息公开工作年度报告_重庆市渝北区")
    assert done[1].path.name == "2025年政府信息公开工作年度报告_乙局.xlsx"  # short names stay as they were
    _return(ws, "500112-001", long_name, "长.xlsx", seed=1, broken=True)
    code, output = run("ingest", "-w", ws.root)
    assert code == 1, output
    [fb] = list(ws.feedback.iterdir())
    assert len(fb.name.encode("utf-8")) <= 200 and "500112-001" in fb.name and fb.name.endswith("_反馈.xlsx")


def test_12_no_command_writes_onto_its_input_or_over_an_output_without_force(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    wb = _return(ws, "A", "甲局", "甲局.xlsx", seed=1, broken=True)
    before = wb.read_bytes()
    code, output = run("feedback", wb, "-o", wb)
    assert code == 2 and "就是输入文件" in output and wb.read_bytes() == before
    link = tmp_path / "硬链接.xlsx"
    os.link(wb, link)  # another name of the same file
    code, output = run("feedback", wb, "-o", link)
    assert code == 2 and "就是输入文件" in output and wb.read_bytes() == before
    code, output = run("export", wb, "-o", wb)
    assert code == 2 and wb.read_bytes() == before
    code, output = run("report", wb, "-o", wb, "--draft")
    assert code == 2 and wb.read_bytes() == before

    other = tmp_path / "已有.xlsx"
    other.write_bytes(b"keep me")
    code, output = run("feedback", wb, "-o", other)
    assert code == 2 and "已存在" in output and "--force" in output and other.read_bytes() == b"keep me"
    code, output = run("feedback", wb, "-o", other, "--force")
    assert code == 1 and other.read_bytes() != b"keep me"
    code, output = run("feedback", wb, "-o", wb, "--force")  # --force never allows the input
    assert code == 2 and wb.read_bytes() == before


# ------------------------------------------------------------------------------------------
# A clear message for every failure (13, 14, 15, 16)
# ------------------------------------------------------------------------------------------


def _make_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here")
    else:
        path.chmod(0o444)
        path.parent.chmod(0o555)


def _undo_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    else:
        path.parent.chmod(0o755)
        path.chmod(0o644)


def test_13_a_read_only_ledger_is_a_clear_message(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", seed=1)
    _make_read_only(ws.ledger_path)
    try:
        code, output = run("ingest", "-w", ws.root)
        assert code == 2, output
        assert "台账" in output and "只读" in output and "内部错误" not in output
        code, output = run("status", "-w", ws.root)  # reading still works
        assert code == 0, output
    finally:
        _undo_read_only(ws.ledger_path)


def test_14_a_full_disk_during_ingest_is_a_clear_message_and_the_rerun_writes_all_feedback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up while the third file is recorded: SQLite's own limit on the database size
    (``max_page_count``) gives exactly the SQLITE_FULL a full disk gives."""
    from nianbao.campaign import ledger as ledger_module

    roster = "单位编码,单位名称,类别,联系人,邮箱\n" + "".join(f"U{i},单位{i},部门,,\n" for i in range(5))
    ws = _ws(tmp_path, roster)
    for i in range(5):
        _return(ws, f"U{i}", f"单位{i}", f"{i}.xlsx", seed=i, broken=True, mtime=1_700_000_000 + i)
    real_record = ledger_module.Ledger.record
    calls = {"n": 0}

    def record_on_a_filling_disk(self: ledger_module.Ledger, rec: ledger_module.Received) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
            self.conn.execute(f"PRAGMA max_page_count = {pages}")
        return real_record(self, rec)

    with monkeypatch.context() as m:
        m.setattr(ledger_module.Ledger, "record", record_on_a_filling_disk)
        code, output = run("ingest", "-w", ws.root)
    assert code == 2, output
    assert "磁盘已满" in output and "cannot rollback" not in output and "内部错误" not in output
    with sqlite3.connect(ws.ledger_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 2
    code, output = run("ingest", "-w", ws.root)
    assert code == 1, output
    assert len(list(ws.feedback.glob("*_反馈.xlsx"))) == 5


def _utf16_part(text: str) -> bytes:
    return text.encode("utf-16")  # with a byte-order mark, as a declared UTF-16 part is written


def _rewrite(src: Path, dst: Path, part: str, transform: object) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = transform(data)  # type: ignore[operator]
            zout.writestr(info, data)
    return dst


@pytest.mark.parametrize("part", ["xl/workbook.xml", "docProps/custom.xml"])
def test_15_a_dtd_in_a_utf16_part_is_refused(tmp_path: Path, part: str) -> None:
    blank = tmp_path / "blank.xlsx"
    write_template(blank, layout_id="2021", year=2025, unit=Unit("甲局", "A"))

    def with_dtd(data: bytes) -> bytes:
        text = data.decode("utf-8")
        body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
        root = body.lstrip().split()[0][1:]
        dtd = f'<!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return _utf16_part('<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n' + dtd + body)

    bad = _rewrite(blank, tmp_path / "bad.xlsx", part, with_dtd)
    code, output = run("check", bad)
    assert code == 2, output
    assert f"部件 {part} 含有 XML 实体声明" in output and "内部错误" not in output


def test_15_a_utf16_part_without_a_dtd_is_still_read(tmp_path: Path) -> None:
    blank = tmp_path / "blank.xlsx"
    write_template(blank, layout_id="2021", year=2025, unit=Unit("甲局", "A"))
    ok = _rewrite(blank, tmp_path / "ok.xlsx", "docProps/custom.xml",
                  lambda d: _utf16_part(d.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')))
    assert read_workbook(ok).report.unit.name == "甲局"


def test_16_over_long_text_is_refused_naming_the_section_and_the_limit(tmp_path: Path) -> None:
    data = _data_file(tmp_path / "长.json", s5="很" * 40_000)
    for args in (("report", data, "-o", tmp_path / "r.docx"),
                 ("template", "-o", tmp_path / "t.xlsx", "--year", "2025", "--unit-name", "甲局", "--data", data),
                 ("check", data)):
        code, output = run(*args)
        assert code == 2, (args[0], output)
        assert "五、存在的主要问题及改进情况" in output and "40000 个字符" in output and "32767" in output
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "t.xlsx").exists()
    huge = _data_file(tmp_path / "巨.json", s1="字" * 11_000_000)  # beyond lxml's 10 MB text node
    code, output = run("report", huge, "-o", tmp_path / "r.docx")
    assert code == 2 and "一、总体情况" in output and "内部错误" not in output


# ------------------------------------------------------------------------------------------
# Tell, don't skip (18, 19, 20, 21)
# ------------------------------------------------------------------------------------------


def test_18_files_that_are_not_returns_are_named_and_a_zip_is_opened(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    shutil.copy(ORIGINALS / "017-huaian-2024.pdf", ws.inbox / "年报.pdf")
    shutil.copy(ORIGINALS / "014-shuyang-fagai-2023.html", ws.inbox / "年报.html")
    code, _ = run("report", _data_file(tmp_path / "d.json"), "-o", ws.inbox / "年报.docx")
    assert code == 0
    (ws.inbox / "回复.eml").write_bytes(b"From: a@x.cn\r\nSubject: =?utf-8?b?5bm05oql?=\r\n\r\nsee attachment\r\n")
    (ws.inbox / "附件.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + bytes(64))
    (ws.inbox / "Thumbs.db").write_bytes(b"\0" * 16)  # system files are not worth a word
    # a zip made on Chinese Windows: GBK member names without the UTF-8 flag (written with ASCII
    # names of the same length, then those bytes replaced by the GBK ones, as Windows stores them)
    a = _return(ws, "A", "甲局", tmp_path / "甲局.xlsx", seed=1)
    b = _return(ws, "B", "乙局", tmp_path / "乙局.xlsx", seed=2, broken=True)
    members = ((a, "甲局年报.xlsx"), (b, "材料/乙局年报.xlsx"), (ORIGINALS / "017-huaian-2024.pdf", "说明.pdf"))
    buf = tmp_path / "报表.zip"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (path, name) in enumerate(members):
            gbk = name.encode("gbk")
            z.writestr(f"{i}" * (len(gbk) - 4) + name[-4:], path.read_bytes())
    raw = buf.read_bytes()
    for i, (_, name) in enumerate(members):
        gbk = name.encode("gbk")
        raw = raw.replace((f"{i}" * (len(gbk) - 4) + name[-4:]).encode("ascii"), gbk)
    (ws.inbox / "报表.zip").write_bytes(raw)
    with zipfile.ZipFile(ws.inbox / "报表.zip") as z:
        assert all(not info.flag_bits & 0x800 for info in z.infolist())
    code, output = run("ingest", "-w", ws.root)
    assert code == 1, output
    assert "甲局：已接收 报表.zip/甲局年报.xlsx" in output
    assert "乙局：已接收 报表.zip/材料/乙局年报.xlsx" in output
    for name, why in (("回复.eml", "邮件"), ("附件.rar", "RAR"), ("报表.zip/说明.pdf", "PDF")):
        [line] = [ln for ln in output.splitlines() if ln.startswith(f"文件 {name} 未接收：这是")]
        assert why in line, line
    # published reports holding the statutory tables are read as returns (issue 12: nianbao import):
    # last years' reports of other bodies are refused saying why; nianbao's own .docx report is taken
    assert "文件 年报.pdf 是 2024 年度的报表" in output and "文件 年报.html 是 2023 年度的报表" in output
    assert "甲局：已接收 年报.docx" in output
    assert "Thumbs.db" not in output
    assert "另有 3 个文件未接收" in output
    with ws.open_ledger() as ledger:
        assert ledger.current("A").original_name == "报表.zip/甲局年报.xlsx"  # type: ignore[union-attr]
        assert ledger.current("B").status == ERRORS  # type: ignore[union-attr]
    assert (ws.feedback / "2025年政府信息公开工作年度报告_乙局_反馈.xlsx").is_file()


def test_18_a_zip_beyond_the_limits_is_refused_by_its_directory(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2)
    with zipfile.ZipFile(ws.inbox / "炸弹.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xlsx", b"\0" * (60 * 1024 * 1024))  # inflates past the 50 MB of a member
    code, output = run("ingest", "-w", ws.root)
    assert code == 0, output
    assert "压缩包 炸弹.zip 无法打开" in output and "解压后的大小异常" in output
    assert "乙局：已接收" in output


def test_19_no_library_warning_for_a_consolidated_workbook_of_many_units(tmp_path: Path) -> None:
    members = [Unit(f"重庆市渝北区某某局{i}", f"500112-{i:03d}") for i in range(30)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_template(tmp_path / "汇总.xlsx", layout_id="2021", year=2025, unit=Unit("某区政府办公室"),
                       members=members)
    assert [str(w.message) for w in caught] == []
    loaded = read_workbook(tmp_path / "汇总.xlsx")
    assert loaded.meta["members"] == "|".join(m.code for m in members)
    assert not [f for f in loaded.findings if f.rule.startswith("META")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_20_a_fifo_or_a_device_is_said_to_be_no_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "命名管道"), (Path("/dev/zero"), "设备")):
        for args in (("check", path), ("report", path, "-o", tmp_path / "r.docx"), ("export", path, "-o", tmp_path / "e.json")):
            code, output = run(*args)
            assert code == 2, (args, output)
            assert f"不是普通文件（{kind}）" in output, (args, output)
    fifo_json = tmp_path / "管道.json"
    os.mkfifo(fifo_json)
    data = _data_file(tmp_path / "d.json")
    for args in (("check", fifo_json), ("template", "-o", tmp_path / "t.xlsx", "--year", "2025", "--unit-name", "甲局",
                                        "--data", fifo_json),
                 ("init", tmp_path / "w", "--year", "2025", "--roster", fifo_json, "--office", "某办"),
                 ("report", data, "-o", tmp_path / "r.docx", "--standard-sentences", "--templates", fifo_json)):
        code, output = run(*args)
        assert code == 2 and "不是普通文件（命名管道）" in output, (args, output)

    ws = _ws(tmp_path)
    os.mkfifo(ws.inbox / "卡住.xlsx")
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2)
    code, output = run("ingest", "-w", ws.root, ws.inbox, "/dev/zero")
    assert code == 0, output
    assert "文件 卡住.xlsx 未接收：不是普通文件（命名管道）" in output
    assert "文件 zero 未接收：不是普通文件（设备）" in output
    assert "乙局：已接收" in output


@pytest.fixture(scope="session")
def random_numbers_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook of 400,000 random numbers on one sheet (what an XlsxWriter script makes)."""
    import xlsxwriter

    path = tmp_path_factory.mktemp("big") / "随机数.xlsx"
    rng = random.Random(21)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("表三")
    for row in range(20_000):
        for col in range(20):
            ws.write_number(row, col, rng.random() * 1e6)
    wb.close()
    return path


def test_21_a_sheet_far_beyond_any_template_is_refused_within_2_s_and_200_mb(random_numbers_workbook: Path) -> None:
    from test_safety import _MEASURE

    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(random_numbers_workbook)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert proc.returncode == 0, proc.stderr
    code, seconds, peak, rss = proc.stdout.split()
    assert code == "E-WB-TOO-MANY-CELLS"
    assert float(seconds) < 2.0
    assert int(peak) < 200 * 1024 * 1024 and int(rss) < 200 * 1024 * 1024
    exit_code, output = run("check", random_numbers_workbook)
    assert exit_code == 2 and "xl/worksheets/sheet1.xml" in output and "50,000" in output


def test_21_a_template_and_a_libreoffice_return_are_far_below_the_cell_limit() -> None:
    from nianbao.workbook.safety import _CELL, DEFAULT_LIMITS

    for path in (ROOT / "tests/files/returned/lo-filled-2021.xlsx", ROOT / "tests/files/returned/oxl-resaved.xlsx"):
        with zipfile.ZipFile(path) as z:
            most = max(len(_CELL.findall(z.read(n))) for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert 0 < most < DEFAULT_LIMITS.max_cells_per_sheet // 10


# ------------------------------------------------------------------------------------------
# The spawn start method (what Windows uses)
# ------------------------------------------------------------------------------------------

_SPAWN = """
import multiprocessing, sys
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    from nianbao.cli import main
    sys.argv = ["nianbao", "ingest", "-w", sys.argv[1], "--jobs", "2"]
    main()
"""


def test_ingest_jobs_2_works_under_the_spawn_start_method(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", seed=1, mtime=1_700_000_000)
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2, broken=True, mtime=1_700_000_100)
    (ws.inbox / "坏.xlsx").write_bytes(b"PK\x03\x04broken")
    script = tmp_path / "spawn_ingest.py"
    script.write_text(_SPAWN, "utf-8")
    proc = subprocess.run([sys.executable, str(script), str(ws.root)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "甲局：已接收 甲局.xlsx（" in proc.stdout and "乙局：已接收 乙局.xlsx（有错误" in proc.stdout
    assert "文件 坏.xlsx 无法使用，已拒收" in proc.stdout
    assert "Traceback" not in proc.stderr
    assert (ws.feedback / "2025年政府信息公开工作年度报告_乙局_反馈.xlsx").is_file()


# ------------------------------------------------------------------------------------------
# Acceptance: no command in the test corpus exits 3
# ------------------------------------------------------------------------------------------


def _corpus() -> list[Path]:
    found = [p for folder in (ROOT / "tests" / "files", ROOT / "samples", ORIGINALS) for p in sorted(folder.rglob("*"))
             if p.is_file() and p.suffix.lower() not in (".py", ".md", ".png")]
    return found


def test_no_command_exits_3_on_any_file_of_the_test_corpus(tmp_path: Path) -> None:
    files = _corpus()
    assert len(files) > 60
    seen_codes: set[int] = set()
    for i, path in enumerate(files):
        for args in (("check", path), ("report", path, "--draft", "-o", tmp_path / f"{i}.docx")):
            code, output = run(*args)
            assert code in (0, 1, 2), (args, output)
            assert "内部错误" not in output and "Traceback" not in output, (args, output)
            seen_codes.add(code)
    assert seen_codes == {0, 1, 2}
    ws = _ws(tmp_path)
    code, output = run("ingest", "-w", ws.root, ROOT / "tests" / "files", ROOT / "samples", ORIGINALS)
    assert code == 1, output  # refusals (other units, other years, unsafe files), never a crash
    assert "内部错误" not in output and "Traceback" not in output
    assert "已拒收" in output and "未接收" in output


def test_18_ingest_of_the_workspace_folder_lists_none_of_its_own_files(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", seed=1)
    code, output = run("ingest", ws.root, "-w", ws.root)
    assert code == 0, output
    assert "甲局：已接收" in output and "未接收" not in output


def test_python_m_nianbao_ingest_jobs_2_under_spawn(tmp_path: Path) -> None:
    """``python -m nianbao`` with every process started by spawn (set in sitecustomize, which each
    spawned worker runs again): the workers start, read and report back; the command runs once."""
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", seed=1, mtime=1_700_000_000)
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2, mtime=1_700_000_100)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import multiprocessing\nmultiprocessing.set_start_method('spawn')\n",
                                           "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "src")])}
    proc = subprocess.run([sys.executable, "-m", "nianbao", "ingest", "-w", str(ws.root), "--jobs", "2"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("已接收") == 2 and "接收 2 个" in proc.stdout
