"""Issue 16 "declared once": each fact has one declaration, and what a report holds survives the
ledger, the roll-up copy and the ingest worker's plain form."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run
from nianbao.campaign.ingest import _plain, _rebuild, match_unit
from nianbao.campaign.ledger import PASSED, Ledger, Received
from nianbao.campaign.previous import Previous
from nianbao.campaign.roster import RosterUnit
from nianbao.carry import carry_forward
from nianbao.errors import NianbaoError
from nianbao.findings import error
from nianbao.layout import CARRY_PAIRS, LAYOUT_IDS, LAYOUTS, SIXTH_ROWS_2021, get_layout, in_force_keys
from nianbao.model import Report, Unit, unit_key
from nianbao.rules import check_report
from nianbao.synth import random_report
from nianbao.values import show


def _report(seed: int = 1) -> Report:
    return random_report("2021", 2025, Unit("甲局", "A01"), random.Random(seed))


def test_layout_ids_and_the_keys_declared_are_the_layouts_own() -> None:
    assert set(LAYOUT_IDS) == set(LAYOUTS)
    for layout in LAYOUTS.values():
        for _, this_key, last_key in CARRY_PAIRS:
            assert layout.fields[this_key].row_label.startswith("二、上年结转")
            assert layout.fields[last_key].row_label.startswith("四、结转下年度")
    t2 = get_layout("2021").fields
    assert [t2[k].col_label for k in in_force_keys("rules")] == ["现行有效件数", "本年制发件数", "本年废止件数"]
    assert [get_layout("2021").fields[f"{p}.natural"].row_label[:4] for p in SIXTH_ROWS_2021] == \
        ["（六）1", "（六）2", "（六）3"]


def test_carry_forward_and_the_carry_rule_use_the_same_pairs() -> None:
    last = _report(3).resolved()
    this = carry_forward(last, 2026, Unit("甲局", "A01"))
    for column, this_key, last_key in CARRY_PAIRS:
        if column != "total":
            assert this.values[this_key] == last.values[last_key]
    this.values[CARRY_PAIRS[0][1]] += 1
    found = [f for f in check_report(this.resolved(), last).findings if f.rule == "T3-CARRY-OVER"]
    assert [f.keys for f in found] == [(CARRY_PAIRS[0][1],), (CARRY_PAIRS[-1][1],)]


def test_a_decimal_reads_the_same_in_a_message_and_elsewhere() -> None:
    value = Decimal("0.120")
    f = error("T3-BALANCE", expected=value, actual=Decimal("1.50"), column="自然人", new=value, carried_in=0,
              total=value, carried_out=0, cell_list="D4")
    assert show(value) == "0.12"
    assert "0.12" in f.message and "0.120" not in f.message and "1.5" in f.message and "1.50" not in f.message


def test_unit_names_match_the_same_way_in_ingest_and_last_years_data() -> None:
    full_width = "甲　局（Ａ）"  # ideographic space, full-width letter
    assert unit_key(full_width) == unit_key("甲局(A)")
    assert match_unit([RosterUnit("X1", "甲局(A)", "部门")], "", full_width) is not None
    last = Report(get_layout("2021"), 2024, Unit("甲局(A)"))
    assert Previous([last]).for_unit(Unit(full_width)) is last


@pytest.mark.parametrize("year", ["1800", "3000"])
def test_one_year_range_one_code(tmp_path: Path, roster: Path, year: str) -> None:
    code, text = run("init", tmp_path / "ws", "--year", year, "--roster", roster, "--office", "某办")
    assert code == 2 and f"报告年度“{year}”无效" in text
    data = tmp_path / "d.json"
    doc = {"schema": "nianbao/1", "layout": "2021", "year": int(year), "unit": {"name": "甲"}, "values": {}}
    data.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    code, text = run("check", data)
    assert code == 2 and "四位数年份" in text


def test_headings_and_unreadable_survive_the_ledger_the_copy_and_the_worker(tmp_path: Path) -> None:
    report = _report(5)
    report.headings["s5"] = "五、存在的问题及改进措施"
    key = next(iter(report.layout.inputs))
    del report.values[key]
    report.unreadable[key] = "若干"
    assert report.resolved().unreadable == {key: "若干"}
    assert _rebuild(_plain(report)).unreadable == {key: "若干"}
    assert _rebuild(_plain(report)).headings == report.headings
    ledger = Ledger.create(tmp_path / "ledger.sqlite", tmp_path / "originals", [RosterUnit("A01", "甲局", "部门")])
    sub = ledger.record(Received(data=b"PK some bytes", original_name="甲局.xlsx", received_at="2026-01-20T10:00:00",
                                 status=PASSED, unit_code="A01", report=report))
    back = ledger.report(sub.id)
    assert back.headings == report.headings
    assert back.unreadable == {key: "若干"}
    assert key not in back.values


def test_check_of_an_unusable_year_in_the_api_raises(tmp_path: Path) -> None:
    import nianbao

    data = tmp_path / "d.json"
    data.write_text('{"schema": "nianbao/1", "layout": "2021", "year": 1800, "unit": {"name": "甲"}, "values": {}}',
                    "utf-8")
    with pytest.raises(NianbaoError) as info:
        nianbao.check(data)
    assert info.value.exit_code == 2
