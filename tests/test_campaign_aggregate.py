"""The roll-up: a pure sum of inputs, and the workspace rules about who is in it."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.campaign.aggregate import IncompleteError, NothingToAggregate, aggregate, roll_up
from nianbao.campaign.ingest import ingest
from nianbao.campaign.workspace import Workspace, init_workspace
from nianbao.layout import get_layout
from nianbao.model import Report, Unit, save_report
from nianbao.rules import check_report
from nianbao.synth import random_report

OFFICE = Unit("某区人民政府办公室", "X00")


def test_sum_of_inputs_cell_by_cell_with_exact_amounts() -> None:
    rng = random.Random(3)
    layout = get_layout("2021")
    reports = [random_report("2021", 2025, Unit(f"单位{i}", f"U{i}"), rng) for i in range(4)]
    reports[0].values["t2.fees.amount"] = Decimal("0.1")
    reports[1].values["t2.fees.amount"] = Decimal("0.2")
    total = aggregate(reports, layout, 2025, OFFICE)
    assert total.unit == OFFICE and total.year == 2025
    assert [m.code for m in total.members] == ["U0", "U1", "U2", "U3"]
    for key in layout.fields:  # inputs and totals alike
        assert total.values[key] == sum(r.full_values()[key] for r in reports), key
    assert total.values["t2.fees.amount"] == Decimal("0.3") + sum(r.values["t2.fees.amount"] for r in reports[2:])
    assert check_report(total).ok  # a sum of consistent reports is consistent


def test_empty_and_2019_layout() -> None:
    layout = get_layout("2019")
    empty = aggregate([], layout, 2020, OFFICE)
    assert set(empty.values) == set(layout.fields)
    assert all(v == 0 for v in empty.values.values())
    assert isinstance(empty.values["t2.procurement.amount"], Decimal)


def test_layouts_must_match() -> None:
    r = random_report("2019", 2020, Unit("甲"), random.Random(1))
    with pytest.raises(ValueError, match="layout 2019 != 2021"):
        aggregate([r], get_layout("2021"), 2021, OFFICE)


def _ws(tmp_path: Path) -> Workspace:
    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称,类别\nA,甲局,部门\nB,乙局,部门\nC,丙镇人民政府,乡镇街道\n", encoding="utf-8")
    return init_workspace(tmp_path / "ws", year=2025, roster=roster, office=OFFICE.name, office_code=OFFICE.code)


def _send(ws: Workspace, code: str, name: str, *, seed: int, broken: bool = False) -> Report:
    r = random_report("2021", 2025, Unit(name, code), random.Random(seed), with_totals=False)
    if broken:
        r.values["t3.new.natural"] += 1  # 表三 no longer balances
    save_report(r, ws.inbox / f"{code}-{seed}.json", with_totals=False)
    return r


def test_roll_up_blocks_on_missing_and_errors_unless_allowed(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    a = _send(ws, "A", "甲局", seed=1)
    _send(ws, "B", "乙局", seed=2, broken=True)
    ingest(ws, feedback=False)
    with pytest.raises(IncompleteError) as exc:
        roll_up(ws, write_outputs=False)
    assert exc.value.exit_code == 1
    assert "1 个单位未报送（丙镇人民政府）" in str(exc.value)
    assert "1 个单位的报表有错误（乙局）" in str(exc.value)
    assert "--allow-incomplete" in str(exc.value)

    result = roll_up(ws, allow_incomplete=True, write_outputs=False)
    assert [u.code for u in result.included] == ["A"]
    assert [u.code for u in result.missing] == ["C"]
    assert [u.code for u in result.with_errors] == ["B"]
    assert result.report.values == a.resolved().values
    assert result.report.members == [Unit("甲局", "A")]


def test_roll_up_with_nothing_accepted(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    with pytest.raises(NothingToAggregate, match="还没有单位报送通过校验的报表"):
        roll_up(ws, allow_incomplete=True, write_outputs=False)


def test_consolidated_workbook_ingests_cleanly_one_level_up(tmp_path: Path) -> None:
    from nianbao.workbook.reader import read_workbook

    ws = _ws(tmp_path)
    sent = [_send(ws, "A", "甲局", seed=1), _send(ws, "B", "乙局", seed=2), _send(ws, "C", "丙镇人民政府", seed=3)]
    ingest(ws, feedback=False)
    result = roll_up(ws)
    assert result.complete
    assert result.data_file is not None and result.workbook is not None and result.docx is not None
    assert result.docx.read_bytes()[:2] == b"PK"
    assert result.data_file.name == "2025年政府信息公开工作年度报告_某区人民政府办公室_汇总.json"
    loaded = read_workbook(result.workbook)
    assert loaded.meta["members"] == "A|B|C"
    assert loaded.report.unit == OFFICE

    # the county's office is one unit of the city's campaign
    roster = tmp_path / "市级名单.csv"
    roster.write_text(f"单位编码,单位名称,类别\n{OFFICE.code},{OFFICE.name},其他\nY01,另一区政府办公室,其他\n",
                      encoding="utf-8")
    city = init_workspace(tmp_path / "city", year=2025, roster=roster, office="某市人民政府办公室")
    up = ingest(city, [result.workbook], feedback=False)
    [outcome] = up.outcomes
    assert outcome.action == "recorded" and outcome.unit is not None and outcome.unit.code == OFFICE.code
    assert outcome.submission is not None and outcome.submission.status == "passed", outcome.message
    with city.open_ledger() as ledger:
        values = ledger.values(outcome.submission.id)
        report = ledger.report(outcome.submission.id)
    layout = get_layout("2021")
    for key in layout.fields:  # the city sees exactly the sum of the county's units
        assert values[key] == sum(r.full_values()[key] for r in sent), key
    assert [m.code for m in report.members] == ["A", "B", "C"]


def test_an_incomplete_roll_up_says_so_when_read_one_level_up(tmp_path: Path) -> None:
    from nianbao.workbook.reader import read_workbook

    ws = _ws(tmp_path)
    _send(ws, "A", "甲局", seed=1)
    _send(ws, "B", "乙局", seed=2, broken=True)
    ingest(ws, feedback=False)
    result = roll_up(ws, allow_incomplete=True)
    assert result.workbook is not None
    loaded = read_workbook(result.workbook)
    assert loaded.meta["left_out"] == "丙镇人民政府|乙局"
    [f] = [f for f in loaded.findings if f.rule == "ROLLUP-INCOMPLETE"]
    assert f.severity.value == "warning" and "丙镇人民政府、乙局" in f.message
    (tmp_path / "complete").mkdir()
    complete_ws = _ws(tmp_path / "complete")
    for code, name, seed in (("A", "甲局", 1), ("B", "乙局", 2), ("C", "丙镇人民政府", 3)):
        _send(complete_ws, code, name, seed=seed)
    ingest(complete_ws, feedback=False)
    complete = roll_up(complete_ws)
    assert complete.workbook is not None
    assert "ROLLUP-INCOMPLETE" not in [f.rule for f in read_workbook(complete.workbook).findings]
