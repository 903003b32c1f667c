"""The optional preface: from the data file through the workbook and into the Word report."""

from __future__ import annotations

import random
from pathlib import Path

from docx import Document

from nianbao.model import Unit
from nianbao.synth import random_report
from nianbao.word.report import write_report
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.writer import write_template

PREFACE = "本报告根据《中华人民共和国政府信息公开条例》编制。统计期限自1月1日起至12月31日止。"


def _report():  # type: ignore[no-untyped-def]
    report = random_report("2021", 2024, Unit("测试局", "T1"), random.Random(5))
    report.text = {"preface": PREFACE, "s1": "（一）主动公开\n本年度主动公开信息若干条。"}
    return report


def test_preface_round_trips_through_the_workbook(tmp_path: Path) -> None:
    report = _report()
    path = tmp_path / "t.xlsx"
    write_template(path, layout_id="2021", year=2024, unit=report.unit, report=report)
    loaded = read_workbook(path)
    assert loaded.report.text["preface"] == PREFACE
    assert loaded.report.text["s1"] == report.text["s1"]


def test_preface_stands_between_title_and_first_section(tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    write_report(_report(), path)
    texts = [p.text for p in Document(str(path)).paragraphs if p.text.strip()]
    i_preface = texts.index(PREFACE)
    assert texts[0].startswith("测试局2024年")
    assert texts[i_preface + 1] == "一、总体情况"


def test_a_workbook_from_an_older_form_still_reads_its_text() -> None:
    """Made before the preface cell moved every section down by four rows: found by headings."""
    path = Path(__file__).parent / "files" / "returned" / "older-form-resaved.xlsx"
    loaded = read_workbook(path)
    assert "preface" not in loaded.report.text
    assert loaded.report.text["s1"].startswith("（一）主动公开")
    assert loaded.report.text["s6"] == "未收取信息处理费。"


def test_report_says_which_sections_are_empty_and_that_the_date_is_missing(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from nianbao.cli import app
    from nianbao.model import save_report

    report = _report()
    report.text = {"s1": "总体情况。"}
    save_report(report, tmp_path / "d.json")
    result = CliRunner().invoke(app, ["report", str(tmp_path / "d.json"), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 0
    assert "五、存在的主要问题及改进情况、六、其他需要报告的事项 没有文字" in result.output
    assert "一、总体情况" not in result.output.split("没有文字")[0]
    assert "没有成文日期" in result.output
    doc = json.loads((tmp_path / "d.json").read_text("utf-8"))
    doc["date"] = "2025-01-20"
    doc["text"].update({"s5": "问题。", "s6": "未收取信息处理费。"})
    (tmp_path / "d.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    quiet = CliRunner().invoke(app, ["report", str(tmp_path / "d.json"), "-o", str(tmp_path / "r.docx"), "--force"])
    assert quiet.exit_code == 0 and "没有文字" not in quiet.output and "成文日期" not in quiet.output
