"""The library API: what ``import nianbao`` offers, and the worked example of docs/api.md."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nianbao
from conftest import ROOT, TESTS, run

RETURNED = TESTS / "files" / "returned"


def test_all_names_exist_and_are_documented() -> None:
    doc = (ROOT / "docs" / "api.md").read_text("utf-8")
    for name in nianbao.__all__:
        assert hasattr(nianbao, name), name
        if not name.startswith("_") and name[0].islower():
            assert f"`{name}(" in doc, f"{name} is not documented in docs/api.md"


def test_help_shows_the_api() -> None:
    out = subprocess.run([sys.executable, "-c", "import nianbao; help(nianbao)"], capture_output=True,
                         text=True, check=True, env={"PAGER": "cat", "PATH": "/usr/bin:/bin",
                                                     "PYTHONPATH": str(ROOT / "src")}).stdout
    for name in ("check(", "load(", "write_report(", "write_template(", "class Workspace"):
        assert name in out, name


def test_check_agrees_with_the_cli(tmp_path: Path) -> None:
    for name in ("lo-filled-2021.xlsx", "lo-total-overwritten.xlsx"):
        result = nianbao.check(RETURNED / name)
        code, _ = run("check", RETURNED / name, "--json")
        assert code == result.exit_code, name
    assert nianbao.check(RETURNED / "lo-total-overwritten.xlsx").errors


def test_unusable_file_raises_with_chinese_message(tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(nianbao.NianbaoError) as info:
        nianbao.check(bad)
    assert info.value.exit_code == 2
    assert "坏.xlsx" in str(info.value)


def test_report_refused_with_errors_unless_draft(tmp_path: Path) -> None:
    loaded = nianbao.load(RETURNED / "lo-total-overwritten.xlsx")
    with pytest.raises(nianbao.NianbaoError):
        nianbao.write_report(loaded, tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()
    result = nianbao.write_report(loaded, tmp_path / "r.docx", draft=True)
    assert result.errors and (tmp_path / "r.docx").stat().st_size > 0


def test_template_round_trip(tmp_path: Path) -> None:
    data = nianbao.load(ROOT / "samples" / "yubei-2021.json").report
    out = nianbao.write_template(tmp_path / "t.xlsx", year=data.year, unit_name=data.unit.name, data=data)
    back = nianbao.load(out).report
    assert back.full_values() == data.full_values()


def test_workspace_ingest_and_status(tmp_path: Path, roster: Path) -> None:
    ws = nianbao.Workspace.create(tmp_path / "ws", year=2025, roster=roster, office="测试区政务公开办")
    written, _listing = ws.templates()
    assert len(written) == len(ws.units()) == 2
    board = ws.status()
    assert {line.status for line in board.lines} == {"missing"}
    again = nianbao.Workspace.open(tmp_path / "ws")
    assert again.year == 2025 and again.office == "测试区政务公开办"


def test_worked_example_runs(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "api.md").read_text("utf-8")
    code = re.search(r"```python\n(.*?)```", doc, re.S)
    assert code is not None
    script = tmp_path / "example.py"
    script.write_text(code.group(1), "utf-8")
    folder = tmp_path / "returns"
    folder.mkdir()
    for name in ("lo-filled-2021.xlsx", "lo-total-overwritten.xlsx"):
        shutil.copy(RETURNED / name, folder / name)
    (folder / "坏.xlsx").write_bytes(b"garbage")
    out = subprocess.run([sys.executable, str(script), str(folder)], capture_output=True, text=True,
                         check=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")}).stdout
    lines = out.splitlines()
    assert lines[0].startswith("lo-filled-2021.xlsx: 0 个错误")
    assert any(line.startswith("lo-total-overwritten.xlsx: ") and "0 个错误" not in line for line in lines)
    assert any(line.startswith("坏.xlsx: 无法读取：") for line in lines)


def test_import_report_reads_the_published_wps_pdf() -> None:
    """A real WPS-made PDF as published (shared/real-reports/originals): the same numbers as its
    transcription, unit and year from the title, a Report with nothing left unread."""
    pdf = ROOT.parent / "shared" / "real-reports" / "originals" / "017-huaian-2024.pdf"
    report = nianbao.import_report(pdf)
    assert isinstance(report, nianbao.Report)
    assert (report.year, report.unit.name, report.layout.id) == (2024, "淮安市人民政府", "2021")
    assert report.values == nianbao.import_report(pdf.parent.parent / "017.txt").values
    assert not report.unreadable
    assert nianbao.check(pdf).exit_code == 0


def test_load_and_check_is_what_check_gives(tmp_path: Path) -> None:
    loaded, result = nianbao.load_and_check(RETURNED / "lo-total-overwritten.xlsx")
    assert loaded.report.unit.name
    assert [f.rule for f in result.findings] == nianbao.check(RETURNED / "lo-total-overwritten.xlsx").rules()
    out = tmp_path / "修改.xlsx"
    fb = nianbao.write_feedback(RETURNED / "lo-total-overwritten.xlsx", out)
    assert fb.rules() == result.rules() and out.stat().st_size > 0
