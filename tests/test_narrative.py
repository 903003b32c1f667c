"""Rule 8: numbers stated in the narrative against the tables; the standard sentences."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from nianbao import rules
from nianbao.layout import get_layout
from nianbao.model import Report, Unit, load_report
from nianbao.narrative import (
    claims,
    fill,
    load_templates,
    says_nothing_of_figures,
    standard_sentences,
)
from nianbao.rules import check_report
from nianbao.rules.narrative import check_narrative
from nianbao.synth import random_report

REAL = Path(__file__).parent / "files" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text("utf-8"))["files"]
UNIT = Unit("某某县某某局")

# How expected.json names the measures this check compares.
WHAT_TO_MEASURE = {
    "收到申请（新收+上年结转）": "received",
    "收到申请（本年新收）": "received",
    "上年结转": "carried_in",
    "结转下年度": "carried_out",
    "行政复议": "review",
    "行政诉讼": "suit",
}


def _report(text: str, **values: int) -> Report:
    report = random_report("2021", 2023, UNIT, random.Random(11), scale=40)
    for key, value in values.items():
        report.values[key.replace("__", ".")] = value
    report = report.resolved()
    report.text = {"s1": text}
    return report


def _mismatches(report: Report) -> list[tuple[int, object, tuple[str, ...]]]:
    result = check_report(report)
    return [(f.actual, f.expected, f.keys) for f in result.findings if f.rule == "NARRATIVE-MISMATCH"]


def test_the_check_is_registered() -> None:
    assert check_narrative in rules.CHECKS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_reports_give_exactly_the_expected_mismatches(name: str) -> None:
    loaded = load_report(REAL / f"{name}.json")
    result = check_report(loaded.report, findings=loaded.findings)
    got = sorted((f.actual, f.expected, f.keys) for f in result.findings if f.rule == "NARRATIVE-MISMATCH")
    want = sorted((e["narrative"], e["table"], tuple(e["keys"])) for e in EXPECTED[name]["narrative"])
    assert got == want
    assert all(f.severity.value == "warning" for f in result.findings if f.rule == "NARRATIVE-MISMATCH")


def test_010_names_the_numbers_and_the_quote() -> None:
    loaded = load_report(REAL / "010.json")
    found = {f.actual: f for f in check_report(loaded.report).findings if f.rule == "NARRATIVE-MISMATCH"}
    assert set(found) == {134, 57}
    review, suit = found[134], found[57]
    assert review.expected == 170 and review.cells == ("表四!E4",)
    assert "行政复议案件134件" in review.message and "170" in review.message
    assert suit.expected == 77 and suit.cells == ("表四!J4", "表四!O4")
    assert "57" in suit.message and "77" in suit.message and "之和" in suit.message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_reports_agreeing_figures_are_read(name: str) -> None:
    """The figures the narrative states and the tables confirm are found, not skipped."""
    stated = {(c.measure, c.number) for c in claims(load_report(REAL / f"{name}.json").report)}
    for agree in EXPECTED[name]["narrative_agrees"]:
        measure = WHAT_TO_MEASURE.get(agree["what"])
        if measure and not agree["quote"].startswith("2024 年市科委有"):  # number before the noun
            assert (measure, agree["narrative"]) in stated, agree["quote"]


@pytest.mark.parametrize("text", [
    "全市开展征集调查33期，收到公众意见382条。",
    "对涉及政府信息公开的行政复议、行政诉讼2类案件，按月完成备案管理。",
    "其中，自然人申请3493件，法人或其他组织申请114件。",
    "全年受理网络问政182件。",
    "本年度发生行政复议和行政诉讼案件共5件。",
    "2023年，全年公开政策文件4件。",
    "较上年收到政府信息公开申请80件有所增加。",
    "行政复议结果维持3件。",
    "收到人大代表建议申请12件。",
    "共办理行政复议、行政诉讼相关案件74件。",
    "2023年对25件政府信息公开申请案件收取了信息处理费2950元。",
])
def test_no_false_positives(text: str) -> None:
    assert claims(_report(text)) == []


def test_percentage_and_year_are_not_the_number() -> None:
    report = _report("全市全年共收办政府信息公开申请案件3607件，同比增长70.3%。")
    assert [(c.measure, c.number) for c in claims(report)] == [("received", 3607)]


def test_received_mismatch_and_either_reading_accepted() -> None:
    base = {"t3__new__natural": 10, "t3__new__business": 2}
    report = _report("本年度共收到政府信息公开申请99件。", **base)
    new_total = report.values["t3.new.total"]
    assert _mismatches(report) == [(99, new_total, ("t3.new.total",))]
    both = new_total + report.values["t3.carried_in.total"]
    for n in (new_total, both):
        assert _mismatches(_report(f"本年度共收到政府信息公开申请{n}件。", **base)) == []


def test_none_received_is_zero() -> None:
    report = _report("本年度未收到政府信息公开申请。")
    assert [(c.measure, c.number) for c in claims(report)] == [("received", 0)]
    assert report.values["t3.new.total"] > 0
    assert _mismatches(report) == [(0, report.values["t3.new.total"], ("t3.new.total",))]


def test_carried_over_and_forward() -> None:
    report = _report("上年结转政府信息公开申请7件；结转下年度继续办理9件。")
    ci, co = report.values["t3.carried_in.total"], report.values["t3.carried_out.total"]
    got = _mismatches(report)
    assert ((7, ci, ("t3.carried_in.total",)) in got) == (ci != 7)
    assert ((9, co, ("t3.carried_out.total",)) in got) == (co != 9)
    ok = _report(f"上年结转政府信息公开申请{ci}件；结转下年度继续办理{co}件。")
    assert _mismatches(ok) == []


def test_full_width_digits_and_thousands_separator() -> None:
    report = _report("全年收到政府信息公开申请１２件，被申请行政复议1,234件。")
    assert [(c.measure, c.number) for c in claims(report)] == [("received", 12), ("review", 1234)]


def test_repeated_statement_is_reported_once() -> None:
    report = _report("被申请行政复议999件。\n（二）……被申请行政复议999件。")
    assert [a for a, _, _ in _mismatches(report)] == [999]


# --------------------------------------------------------------------------------------------
# Standard sentences
# --------------------------------------------------------------------------------------------


def test_templates_file_is_valid_and_covers_the_table_sections() -> None:
    entries = load_templates()
    assert {e["section"] for e in entries} == {"s2", "s3", "s4"}
    layout = get_layout("2021")
    import re

    for e in entries:
        for name in re.findall(r"\{([a-z0-9_.]+)\}", e["text"] + e.get("zero_text", "")):
            lay = get_layout(str(e.get("layout", "2021")))
            assert name in lay.fields or name in ("t3.received.total", "t4.suit.total"), name
    assert layout  # both layouts covered by the s2 entries
    assert {str(e.get("layout")) for e in entries if e["section"] == "s2"} == {"2019", "2021"}


def test_standard_sentence_uses_the_numbers() -> None:
    report = _report("")
    v = report.values
    sentences = standard_sentences(report)
    assert sentences["s3"].startswith(f"本年度共收到政府信息公开申请{v['t3.new.total']}件，"
                                      f"上年结转政府信息公开申请{v['t3.carried_in.total']}件")
    assert f"办结{v['t3.total.total']}件" in sentences["s3"]
    assert f"制发规章{v['t2.rules.issued']}件" in sentences["s2"]


def test_zero_sentence_when_nothing_happened() -> None:
    layout = get_layout("2019")
    report = Report(layout, 2020, UNIT, {k: 0 for k in layout.inputs})
    report.values["t2.procurement.amount"] = 0
    sentences = standard_sentences(report)
    assert sentences["s4"].startswith("本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况")
    assert sentences["s3"].startswith("本年度未收到政府信息公开申请")
    assert sentences["s2"].startswith("本年度新制作规章0件")


def test_no_sentence_where_the_narrative_states_the_figures() -> None:
    report = _report("本年度被申请行政复议2件，被提起行政诉讼1件。")
    assert not says_nothing_of_figures(report, "s4")
    assert says_nothing_of_figures(report, "s3")
    assert "s4" not in standard_sentences(report)
    report.text["s3"] = "本年度依申请公开工作情况见下表。"
    assert "s3" not in standard_sentences(report)


def test_fill_derived_figures() -> None:
    values = {"t3.new.total": 3, "t3.carried_in.total": 2, "t4.suit_direct.total": 1,
              "t4.suit_after_review.total": 4}
    assert fill("{t3.received.total}/{t4.suit.total}/{t3.new.total}", values) == "5/5/3"
