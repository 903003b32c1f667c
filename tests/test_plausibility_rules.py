"""The plausibility rules of issue 10, each on small hand-made data: stable code, severity, the cell
named in the Chinese message. (Files made by LibreOffice: tests/test_review_gate_lo.py.)"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import run
from nianbao.api import check_loaded
from nianbao.findings import Finding
from nianbao.layout import Kind, get_layout
from nianbao.model import Loaded, Report, Unit, is_untouched, report_from_json
from nianbao.rules import MAX_COUNT, check_report
from nianbao.values import normalise


def _zero(year: int = 2025) -> Report:
    layout = get_layout("2021")
    return Report(layout, year, Unit("测试局"), {k: 0 for k in layout.inputs},
                  text={"s1": "本年度主动公开政府信息。", "s5": "问题与改进。"})


def _found(report: Report, previous: Report | None = None, rule: str = "") -> list[Finding]:
    return [f for f in check_report(report, previous).findings if f.rule == rule]


def test_count_above_ten_million_is_an_error_naming_the_cell() -> None:
    r = _zero()
    r.values["t3.new.natural"] = MAX_COUNT  # the limit itself is allowed
    assert _found(r, rule="VALUE-TOO-LARGE") == []
    r.values["t3.new.natural"] = MAX_COUNT + 1
    [f] = _found(r, rule="VALUE-TOO-LARGE")
    assert f.severity.value == "error" and f.cells == ("表三!D4",) and f.keys == ("t3.new.natural",)
    assert "表三!D4" in f.message and "10000001" in f.message and "10,000,000" in f.message


def test_amount_above_a_billion_wan_yuan_is_an_error() -> None:
    r = _zero()
    r.values["t2.fees.amount"] = Decimal(10) ** 9 + Decimal("0.5")
    [f] = _found(r, rule="VALUE-TOO-LARGE")
    assert f.cells == ("表二!B14",) and "金额" in f.message and "万元" in f.message


def test_yuan_written_in_the_fee_cell_is_an_error_with_the_value_in_wan_yuan() -> None:
    n = normalise("20300元", Kind.AMOUNT)
    assert (n.value, n.issue, n.is_error) == (Decimal("2.03"), "VALUE-AMOUNT-YUAN", True)
    layout = get_layout("2021")
    doc = {"schema": "nianbao/1", "layout": "2021", "year": 2025, "unit": {"name": "测试局"},
           "values": {**{k: 0 for k in layout.inputs}, "t2.fees.amount": "20300元"}}
    [f] = [f for f in report_from_json(doc).findings if f.rule == "VALUE-AMOUNT-YUAN"]
    assert f.severity.value == "error" and f.cells == ("表二!B14",)
    assert "应为 2.03 万元" in f.message and "表二!B14" in f.message


def test_wan_written_in_the_fee_cell_is_an_error_too() -> None:
    n = normalise("12万元", Kind.AMOUNT)
    assert (n.value, n.issue) == (Decimal(12), "VALUE-AMOUNT-WAN")
    assert normalise("12万", Kind.AMOUNT).issue == "VALUE-AMOUNT-WAN"
    layout = get_layout("2021")
    doc = {"schema": "nianbao/1", "layout": "2021", "year": 2025, "unit": {"name": "测试局"},
           "values": {**{k: 0 for k in layout.inputs}, "t2.fees.amount": "12万元"}}
    [f] = [f for f in report_from_json(doc).findings if f.rule == "VALUE-AMOUNT-WAN"]
    assert f.severity.value == "error" and f.cells == ("表二!B14",) and "请只填写数字 12" in f.message
    assert normalise("12件", Kind.COUNT).issue == "VALUE-NOTE"  # a unit in a count cell stays a note


def test_a_tenfold_jump_from_last_year_by_more_than_50_is_a_warning() -> None:
    prev, now = _zero(2024), _zero()
    prev.values["t3.granted.natural"] = 10
    now.values["t3.granted.natural"] = 101  # > 10× and +91
    [f] = _found(now, prev, "YEAR-JUMP")
    assert f.severity.value == "warning" and f.cells == ("表三!D6",) and (f.expected, f.actual) == (10, 101)
    assert "表三!D6" in f.message and "10 倍" in f.message
    now.values["t3.granted.natural"] = 60  # 6×: no warning
    assert _found(now, prev, "YEAR-JUMP") == []
    prev.values["t3.granted.natural"], now.values["t3.granted.natural"] = 1, 40  # 40× but only +39
    assert _found(now, prev, "YEAR-JUMP") == []
    prev.values["t3.granted.natural"], now.values["t3.granted.natural"] = 600, 0  # shrank to nothing
    assert [f.cells for f in _found(now, prev, "YEAR-JUMP")] == [("表三!D6",)]


def _template_loaded(report: Report, **info: str) -> Loaded:
    return Loaded(report, [], "x.xlsx", {"layout": "2021", "template_id": "t", **info})


def test_sections_one_and_five_of_a_template_left_empty_are_warnings() -> None:
    r = _zero()
    r.text = {"s6": "未收费。"}
    found = [f for f in check_loaded(_template_loaded(r, filler="张三", phone="1")).findings]
    assert [(f.rule, f.severity.value, f.cells) for f in found] == [
        ("TEXT-EMPTY", "warning", ("文字部分!A10",)), ("TEXT-EMPTY", "warning", ("文字部分!A26",))]
    assert "一、总体情况" in found[0].message and "五、存在的主要问题及改进情况" in found[1].message
    # a data file carries figures only: no such warning
    assert not [f for f in check_report(r).findings if f.rule == "TEXT-EMPTY"]


def test_filler_and_phone_left_empty_are_warnings() -> None:
    found = check_loaded(_template_loaded(_zero(), filler="张三")).findings
    [f] = found
    assert (f.rule, f.severity.value, f.cells) == ("INFO-EMPTY", "warning", ("基本信息!B8",))
    assert "联系电话" in f.message and "基本信息!B8" in f.message
    # a consolidated workbook (an office's roll-up) has no 填报人 of its own
    assert check_loaded(Loaded(_zero(), [], "x", {"layout": "2021", "template_id": "t", "members": "A"})).ok
    assert not check_loaded(Loaded(_zero(), [], "x", {"layout": "2021", "template_id": "t",
                                                      "members": "A"})).findings


def test_section_one_opening_with_last_year_is_copied_text() -> None:
    r = _zero()
    r.text["s1"] = "（一）主动公开\n2024年，我局认真贯彻落实政府信息公开条例。"
    [f] = _found(r, rule="TEXT-LAST-YEAR")
    assert f.severity.value == "warning" and f.cells == ("文字部分!A10",)
    assert "以“2024年，我局认真贯彻…”开头" in f.message and "2024 年是上一年度" in f.message
    for fine in ("2025年，我局认真贯彻落实条例。", "（一）主动公开\n与2024年相比，主动公开数量增加。",
                 "２０２５年，全区……", "2024年同期相比增长 5%。"):
        r.text["s1"] = fine
        assert _found(r, rule="TEXT-LAST-YEAR") == [], fine
    r.text["s1"] = "２０２４年，我局……"  # full-width digits are the same year
    assert len(_found(r, rule="TEXT-LAST-YEAR")) == 1


def test_untouched_means_no_input_and_no_text() -> None:
    layout = get_layout("2021")
    blank = Report(layout, 2025, Unit("甲"), {k: 0 for k in layout.inputs})
    blank.blank.update(layout.inputs)
    assert is_untouched(blank)
    prefill = Report(layout, 2025, Unit("甲"), {"t3.carried_in.natural": 3})
    blank.values["t3.carried_in.natural"] = 3
    blank.blank.discard("t3.carried_in.natural")
    assert not is_untouched(blank) and is_untouched(blank, prefill)  # still what the template said
    blank.text["s6"] = "未收费。"
    assert not is_untouched(blank, prefill)


def test_a_count_of_10_to_the_400_is_an_error_at_check(tmp_path: Path) -> None:
    layout = get_layout("2021")
    values = {k: 0 for k in layout.inputs}
    doc = {"schema": "nianbao/1", "layout": "2021", "year": 2025, "unit": {"name": "测试局"}, "values": values}
    text = json.dumps(doc).replace('"t3.new.natural": 0', '"t3.new.natural": 1' + "0" * 400)
    path = tmp_path / "huge.json"
    path.write_text(text, encoding="utf-8")
    code, out = run("check", path, "--json")
    assert code == 1, out
    found = json.loads(out)["findings"]
    assert [f["cells"] for f in found if f["rule"] == "VALUE-TOO-LARGE"] == [["表三!D4"]]
