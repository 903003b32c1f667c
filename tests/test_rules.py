"""Each consistency rule on small hand-made data: rule code, keys, cells, expected and actual."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nianbao.findings import Severity
from nianbao.layout import get_layout
from nianbao.model import Report, Unit, report_from_json
from nianbao.rules import check_report


def _zero(layout_id: str = "2021", year: int = 2024) -> Report:
    layout = get_layout(layout_id)
    return Report(layout, year, Unit("测试局"), {k: 0 for k in layout.inputs})


def _only(report: Report, previous: Report | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.rule, f.severity.value, f.keys) for f in check_report(report, previous).findings]


def test_zero_report_is_clean() -> None:
    for lid in ("2019", "2021"):
        assert _only(_zero(lid)) == []


def test_rule1_balance_per_column() -> None:
    r = _zero()
    r.values["t3.new.natural"] = 3
    r.values["t3.granted.natural"] = 2  # 3 + 0 ≠ 2 + 0
    result = check_report(r)
    balance = [f for f in result.findings if f.rule == "T3-BALANCE"]
    assert [f.keys for f in balance] == [
        ("t3.new.natural", "t3.carried_in.natural", "t3.total.natural", "t3.carried_out.natural"),
        ("t3.new.total", "t3.carried_in.total", "t3.total.total", "t3.carried_out.total"),
    ]
    first = balance[0]
    assert first.severity is Severity.ERROR
    assert (first.expected, first.actual) == (3, 2)
    assert first.cells == ("表三!D4", "表三!D5", "表三!D27", "表三!D28")
    assert "自然人" in first.message and "3" in first.message


def test_rule2_row_total_stated_wrong() -> None:
    r = _zero("2019")
    r.values.update({"t3.new.natural": 2, "t3.new.legal": 1, "t3.new.total": 2,
                     "t3.granted.natural": 2, "t3.granted.legal": 1})
    findings = check_report(r).findings
    row = [f for f in findings if f.rule == "T3-ROW-TOTAL"]
    assert len(row) == 1
    assert row[0].keys[0] == "t3.new.total" and "t3.new.legal" in row[0].keys
    assert (row[0].expected, row[0].actual) == (3, 2)
    assert row[0].cells[0] == "表三!J4"


def test_rule3_outcome_total_stated_wrong() -> None:
    r = _zero()
    r.values.update({"t3.new.natural": 5, "t3.granted.natural": 4, "t3.other_unpaid_fee.natural": 1,
                     "t3.total.natural": 4})
    rules = {f.rule: f for f in check_report(r).findings}
    f = rules["T3-OUTCOME-TOTAL"]
    assert f.keys[0] == "t3.total.natural" and "t3.other_unpaid_fee.natural" in f.keys
    assert (f.expected, f.actual) == (5, 4)
    assert "表三!D27" == f.cells[0]


def test_rule3_total_column_of_totals() -> None:
    """（七）总计 × 总计 (J27) must also equal the sum of the outcome totals of column J."""
    r = _zero()
    r.values.update({"t3.granted.total": 1})  # a stated total of a row that is all zero
    keys = {f.rule: f.keys for f in check_report(r).findings}
    assert keys["T3-ROW-TOTAL"][0] == "t3.granted.total"
    assert keys["T3-OUTCOME-TOTAL"][0] == "t3.total.total"


def test_rule4_t4_totals() -> None:
    """Real report 011: 行政复议 10+1+0+0 with 总计 0."""
    r = _zero()
    r.values.update({"t4.review.upheld": 10, "t4.review.corrected": 1, "t4.review.total": 0})
    [f] = check_report(r).findings
    assert (f.rule, f.keys[0], f.cells[0], f.expected, f.actual) == ("T4-TOTAL", "t4.review.total",
                                                                      "表四!E4", 11, 0)
    assert "行政复议" in f.message


@pytest.mark.parametrize(("key", "raw", "rule"), [
    ("t3.new.natural", -1, "VALUE-NEGATIVE"),
    ("t4.review.upheld", 1.5, "VALUE-NOT-INTEGER"),
    ("t2.rules.issued", "若干", "VALUE-NOT-NUMBER"),
])
def test_rule5_values(key: str, raw: object, rule: str) -> None:
    doc = _zero().to_json(with_totals=False)
    doc["values"][key] = raw
    loaded = report_from_json(doc)
    result = check_report(loaded.report, findings=loaded.findings)
    f = result.findings[0]
    assert (f.rule, f.severity, f.keys) == (rule, Severity.ERROR, (key,))
    assert f.cells == (get_layout("2021").cell(key),)
    assert result.exit_code == 1


def test_rule5_signed_and_amounts_allowed() -> None:
    doc = _zero("2019").to_json(with_totals=False)
    doc["values"]["t2.licensing.change"] = -4
    doc["values"]["t2.procurement.amount"] = 12.34
    loaded = report_from_json(doc)
    assert check_report(loaded.report, findings=loaded.findings).findings == []
    assert loaded.report.values["t2.procurement.amount"] == Decimal("12.34")


def test_rule6_carry_over() -> None:
    prev, this = _zero(year=2023), _zero(year=2024)
    prev.values.update({"t3.carried_out.natural": 2, "t3.granted.natural": 0, "t3.new.natural": 2})
    this.values.update({"t3.carried_in.natural": 1, "t3.granted.natural": 1})
    findings = check_report(this, prev).findings
    carry = [f for f in findings if f.rule == "T3-CARRY-OVER"]
    assert [f.keys for f in carry] == [("t3.carried_in.natural",), ("t3.carried_in.total",)]
    f = carry[0]
    assert (f.severity, f.expected, f.actual, f.cells) == (Severity.WARNING, 2, 1, ("表三!D5",))
    assert not check_report(this, prev).errors


def test_rule6_holds_across_the_layout_change() -> None:
    prev, this = _zero("2019", 2020), _zero("2021", 2021)
    prev.values.update({"t3.carried_out.legal": 1, "t3.new.legal": 1})
    this.values.update({"t3.carried_in.legal": 1, "t3.granted.legal": 1})
    assert _only(this, prev) == []


def test_rule7_in_force() -> None:
    """Real reports 009→010: 规章 11 + 2 − 1 = 12 holds; a wrong figure is a warning."""
    prev, this = _zero(year=2023), _zero(year=2024)
    prev.values["t2.rules.in_force"] = 11
    this.values.update({"t2.rules.issued": 2, "t2.rules.repealed": 1, "t2.rules.in_force": 12})
    assert _only(this, prev) == []
    this.values["t2.rules.in_force"] = 13
    [f] = check_report(this, prev).findings
    assert (f.rule, f.severity.value, f.expected, f.actual) == ("T2-IN-FORCE", "warning", 12, 13)
    assert f.keys == ("t2.rules.in_force", "t2.rules.issued", "t2.rules.repealed")


def test_rule7_skipped_from_2019() -> None:
    prev, this = _zero("2019", 2020), _zero("2021", 2021)
    prev.values["t2.rules.total"] = 50
    this.values["t2.rules.in_force"] = 3
    assert _only(this, prev) == []


def test_previous_of_another_year_is_a_warning() -> None:
    assert _only(_zero(year=2024), _zero(year=2021)) == [("PREVIOUS-YEAR", "warning", ())]


def test_rule10_blank_reads_as_zero_with_warning() -> None:
    doc = _zero().to_json(with_totals=False)
    doc["values"]["t3.new.business"] = "—"
    loaded = report_from_json(doc)
    result = check_report(loaded.report, findings=loaded.findings)
    assert [(f.rule, f.severity.value, f.cells) for f in result.findings] == [
        ("VALUE-BLANK", "warning", ("表三!E4",))]
    assert result.exit_code == 0


def test_heading_variant_is_a_warning() -> None:
    r = _zero()
    r.headings = {"s5": "五、当前存在的主要问题及下步改进措施", "s1": "一、总体情况"}
    assert _only(r) == [("HEADING-VARIANT", "warning", ())]


def test_unreadable_value_does_not_pile_up_findings() -> None:
    doc = _zero().to_json(with_totals=False)
    doc["values"]["t3.new.natural"] = "不详"
    loaded = report_from_json(doc)
    assert check_report(loaded.report, findings=loaded.findings).rules() == ["VALUE-NOT-NUMBER"]
