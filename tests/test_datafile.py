"""The JSON data file: load, save, and a clear Chinese error (exit 2) for every kind of bad file."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.errors import DataFileError
from nianbao.model import Unit, load_report, save_report
from nianbao.synth import random_report

runner = CliRunner()


def _valid(layout_id: str = "2021") -> dict:
    return random_report(layout_id, 2024, Unit("测试局", "T-1"), random.Random(7)).to_json()


def _write(tmp_path: Path, doc: object, name: str = "data.json") -> Path:
    p = tmp_path / name
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), "utf-8")
    return p


def _expect_error(tmp_path: Path, doc: object, code: str, *needles: str) -> None:
    p = _write(tmp_path, doc)
    with pytest.raises(DataFileError) as info:
        load_report(p)
    assert info.value.code == code
    for needle in (str(p), *needles):
        assert needle in str(info.value)
    result = runner.invoke(app, ["check", str(p)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert needles[0] if needles else True


def test_round_trip(tmp_path: Path) -> None:
    report = random_report("2019", 2020, Unit("测试局"), random.Random(1))
    report.values["t2.procurement.amount"] = Decimal("0.1")
    report.text = {"s1": "第一段\n第二段", "s6": "本机关未收取信息处理费。"}
    report.headings = {"s5": "五、存在的主要问题及整改措施"}
    save_report(report, tmp_path / "r.json")
    loaded = load_report(tmp_path / "r.json")
    assert loaded.findings == []
    assert loaded.report.values == report.values
    assert loaded.report.text == report.text and loaded.report.headings == report.headings
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["values"]["t2.procurement.amount"] == 0.1


def test_totals_are_optional_and_computed(tmp_path: Path) -> None:
    doc = _valid()
    doc["values"] = {k: v for k, v in doc["values"].items() if not k.endswith(".total")}
    loaded = load_report(_write(tmp_path, doc))
    assert "t3.new.total" not in loaded.report.values
    full = loaded.report.full_values()
    assert full["t3.new.total"] == sum(full[f"t3.new.{c}"] for c in
                                       ("natural", "business", "research", "nonprofit", "legal", "other"))


def test_not_json(tmp_path: Path) -> None:
    _expect_error(tmp_path, "这不是 JSON", "E-JSON", "不是有效的 JSON")


def test_not_an_object(tmp_path: Path) -> None:
    _expect_error(tmp_path, [1, 2], "E-JSON-TOP")


def test_wrong_schema(tmp_path: Path) -> None:
    doc = _valid()
    doc["schema"] = "other/2"
    _expect_error(tmp_path, doc, "E-SCHEMA", "other/2")


def test_unknown_top_level_field(tmp_path: Path) -> None:
    doc = _valid()
    doc["remarks"] = "x"
    _expect_error(tmp_path, doc, "E-UNKNOWN-FIELD", "remarks")


def test_unknown_layout(tmp_path: Path) -> None:
    doc = _valid()
    doc["layout"] = "2030"
    _expect_error(tmp_path, doc, "E-LAYOUT", "2030")


def test_unknown_key(tmp_path: Path) -> None:
    doc = _valid()
    doc["values"]["t3.new.naturall"] = 1
    _expect_error(tmp_path, doc, "E-UNKNOWN-KEY", "t3.new.naturall", "t3.new.natural")


def test_key_of_the_other_layout(tmp_path: Path) -> None:
    doc = _valid("2021")
    doc["values"]["t2.rules.made"] = 1
    _expect_error(tmp_path, doc, "E-OTHER-LAYOUT-KEY", "t2.rules.made", "2019")


def test_missing_input(tmp_path: Path) -> None:
    doc = _valid()
    del doc["values"]["t4.review.upheld"]
    _expect_error(tmp_path, doc, "E-MISSING-INPUT", "t4.review.upheld")


@pytest.mark.parametrize("bad", [[1], {"n": 1}, True])
def test_wrong_value_type(tmp_path: Path, bad: object) -> None:
    doc = _valid()
    doc["values"]["t3.new.natural"] = bad
    _expect_error(tmp_path, doc, "E-VALUE-TYPE", "t3.new.natural")


def test_wrong_year_type(tmp_path: Path) -> None:
    doc = _valid()
    doc["year"] = "2024年"
    _expect_error(tmp_path, doc, "E-TYPE", "year")


def test_missing_unit(tmp_path: Path) -> None:
    doc = _valid()
    del doc["unit"]
    _expect_error(tmp_path, doc, "E-MISSING-FIELD", "unit")


def test_unknown_text_section(tmp_path: Path) -> None:
    doc = _valid()
    doc["text"] = {"s7": "x"}
    _expect_error(tmp_path, doc, "E-TEXT-KEY", "s7")


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "找不到文件" in result.output


def test_text_values_are_read_like_cells(tmp_path: Path) -> None:
    doc = _valid()
    doc["values"]["t2.rules.issued"] = "1,234"
    doc["values"]["t2.rules.repealed"] = "22（其中修订16件）"
    doc["values"]["t2.rules.in_force"] = "/"
    loaded = load_report(_write(tmp_path, doc))
    v = loaded.report.values
    assert (v["t2.rules.issued"], v["t2.rules.repealed"], v["t2.rules.in_force"]) == (1234, 22, 0)
    assert [(f.rule, f.cells) for f in loaded.findings] == [
        ("VALUE-NOTE", ("表二!C3",)), ("VALUE-BLANK", ("表二!D3",))]


def test_preface_is_text_but_not_a_heading(tmp_path: Path) -> None:
    doc = _valid()
    doc["text"] = {"preface": "本报告依据《条例》编制。", "s1": "总体情况。"}
    loaded = load_report(_write(tmp_path, doc))
    assert loaded.report.text["preface"] == "本报告依据《条例》编制。"
    assert list(loaded.report.to_json()["text"]) == ["preface", "s1"]
    doc["headings"] = {"preface": "前言"}
    _expect_error(tmp_path, doc, "E-TEXT-KEY", "preface")


def test_an_unreadable_value_is_saved_as_written_and_checked_again(tmp_path: Path) -> None:
    """Export must not drop a key it could not read: the re-loaded file says the same thing."""
    doc = _valid()
    doc["values"]["t3.carried_in.legal"] = "1e3"
    first = load_report(_write(tmp_path, doc))
    assert [f.rule for f in first.findings] == ["VALUE-NOT-NUMBER"]
    save_report(first.report, tmp_path / "again.json")
    saved = json.loads((tmp_path / "again.json").read_text("utf-8"))
    assert saved["values"]["t3.carried_in.legal"] == "1e3"
    second = load_report(tmp_path / "again.json")
    assert [(f.rule, f.cells) for f in second.findings] == [(f.rule, f.cells) for f in first.findings]


def test_export_of_a_workbook_with_unreadable_text_checks_like_the_workbook(tmp_path: Path) -> None:
    """tests/files/review/lo-typed.xlsx: a clerk typed 1e3 as text (表三!H5) in LibreOffice."""
    src = Path(__file__).parent / "files" / "review" / "lo-typed.xlsx"
    out = tmp_path / "lo-typed.json"
    exported = runner.invoke(app, ["export", str(src), "-o", str(out)])
    assert exported.exit_code == 1 and out.is_file()
    from_workbook = runner.invoke(app, ["check", str(src), "--json"])
    from_json = runner.invoke(app, ["check", str(out), "--json"])
    assert from_json.exit_code == 1
    rules = [(f["rule"], f["cells"]) for f in json.loads(from_json.stdout)["findings"]]
    # the numbers read (blanks as 0, notes stripped) are exported as numbers; only what could not be
    # read at all stays text, so it is reported again rather than lost
    unreadable = [(f["rule"], f["cells"]) for f in json.loads(from_workbook.stdout)["findings"]
                  if f["rule"] == "VALUE-NOT-NUMBER"]
    assert unreadable == [("VALUE-NOT-NUMBER", ["表三!H5"])]
    assert [r for r in rules if r[0] == "VALUE-NOT-NUMBER"] == unreadable
