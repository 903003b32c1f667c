"""Re-typed workbooks made from the eight real published reports (tests/files/retyped/).

No template metadata: the reader must locate the statutory tables by their labels (one sheet with
title rows and a blank column, or one table per sheet under the office's own sheet names), read
every value as the data file of the same report has it, and say what ``expected.json`` says.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.errors import UnusableInput
from nianbao.layout import col_letter, normalise_label
from nianbao.model import load_report
from nianbao.rules import check_report
from nianbao.workbook.reader import read_workbook

FILES = Path(__file__).parent / "files"
sys.path.insert(0, str(FILES / "retyped"))
import make  # noqa: E402

EXPECTED = json.loads((FILES / "real" / "expected.json").read_text("utf-8"))["files"]
PLANS = {plan.name: plan for plan in make.PLANS}
NO_YEAR = "014-sheets-no-year.xlsx"
runner = CliRunner()


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    """Each file as make.py builds it now (this also fills each plan's cell positions)."""
    return {name: make.build(plan) for name, plan in PLANS.items()}


def cell(pos: tuple[Any, ...]) -> str:
    sheet, row, col = pos[:3]
    return f"{sheet}!{col_letter(col)}{row}"


def year_of(report: str) -> int:
    return int(json.loads((make.REAL / f"{report}.json").read_text("utf-8"))["year"])


def read(name: str) -> Any:
    """Read as ``nianbao check`` does; the file without a title row needs ``--year``."""
    plan = PLANS[name]
    return read_workbook(make.HERE / name, expect_year=None if plan.title else year_of(plan.report))


def test_committed_files_are_what_make_py_builds(built: dict[str, bytes]) -> None:
    for name, data in built.items():
        assert (make.HERE / name).read_bytes() == data, f"{name}: run tests/files/retyped/make.py"


@pytest.mark.parametrize("name", sorted(PLANS))
def test_layout_year_and_every_value_as_published(name: str, built: dict[str, bytes]) -> None:
    plan = PLANS[name]
    want = load_report(make.REAL / f"{plan.report}.json").report
    loaded = read(name)
    assert (loaded.report.layout.id, loaded.report.year) == (want.layout.id, want.year)
    assert loaded.report.values == want.values


@pytest.mark.parametrize("name", sorted(PLANS))
def test_rule_findings_are_those_of_expected_json(name: str, built: dict[str, bytes]) -> None:
    plan = PLANS[name]
    loaded = read(name)
    result = check_report(loaded.report, None, loaded.findings)
    rules = [f for f in result.findings if f.rule.startswith(("T3-", "T4-", "VALUE-"))]
    want = EXPECTED[plan.report]["findings"]
    assert Counter((f.rule, f.keys) for f in rules) == Counter((w["rule"], tuple(w["keys"])) for w in want)
    for f in rules:
        if f.rule.startswith("VALUE-"):  # named by the cell where the office typed it
            assert f.cells == (cell(plan.positions[f.keys[0]]),)
            assert cell(plan.positions[f.keys[0]]) in f.message
    assert {(w["rule"], w["severity"]) for w in want} == {(f.rule, f.severity.value) for f in rules}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_identification_and_label_findings(name: str, built: dict[str, bytes]) -> None:
    plan = PLANS[name]
    loaded = read(name)
    result = check_report(loaded.report, None, loaded.findings)
    other = [f for f in result.findings if not f.rule.startswith(("T3-", "T4-", "VALUE-"))]
    assert [(f.rule, f.severity.value) for f in other if f.rule != "LABEL-VARIANT"] == (
        [("META-MISSING", "warning")] + ([("LAYOUT-MIXED", "error")] if make.is_mixed(plan.report) else []))
    assert f"2021 版格式、{year_of(plan.report)} 年度" in other[0].message
    if make.is_mixed(plan.report):
        [mixed] = [f for f in other if f.rule == "LAYOUT-MIXED"]
        # the cell of the single （六）其他处理 row, where the office typed it
        assert mixed.cells == (cell(plan.labels["（六）其他处理"]),)
    # a label typed differently from the statutory one (after white space and width are ignored)
    # is a warning naming the cell; the numbers beside it are still read
    variants = {(cell(pos), std, " ".join(pos[3].split())) for std, pos in plan.labels.items()
                if normalise_label(pos[3]) != normalise_label(std)}
    got = {(f.cells[0], f.expected, f.actual) for f in other if f.rule == "LABEL-VARIANT"}
    assert got == variants
    assert all(f.severity.value == "warning" for f in other if f.rule == "LABEL-VARIANT")
    # every typo and variant expected.json lists is among them
    assert {normalise_label(a) for _, _, a in got} >= {
        normalise_label(lb["published"]) for lb in EXPECTED[plan.report].get("labels", [])
        if normalise_label(lb["published"]) != normalise_label(lb["standard"])}


def test_every_label_variant_of_the_sources_is_in_the_files(built: dict[str, bytes]) -> None:
    """The files carry the published typos and variants (expected.json, and the 009/010 notes)."""
    typed = {(plan.report, pos[3]) for plan in PLANS.values() for pos in plan.labels.values()}
    for report, exp in EXPECTED.items():
        for lb in exp.get("labels", []):
            assert any(r == report and normalise_label(t) == normalise_label(lb["published"]) for r, t in typed)
    assert ("009", "1.逾期不补正") in {(r, normalise_label(t)) for r, t in typed}


def test_no_year_anywhere_is_a_clear_refusal_unless_given() -> None:
    path = make.HERE / NO_YEAR
    with pytest.raises(UnusableInput) as exc:
        read_workbook(path)
    assert exc.value.code == "E-WB-NO-YEAR"
    r = runner.invoke(app, ["check", str(path)])
    assert r.exit_code == 2 and "无法从中确定报告年度" in r.output and "--year" in r.output
    r = runner.invoke(app, ["check", str(path), "--year", "2023"])
    assert r.exit_code == 0, r.output  # warnings only: no metadata, blanks, the 2019 row name
    assert "2023年" in r.output.splitlines()[0]  # the title shown: the year given


def test_year_from_the_title_wins_and_a_different_expected_year_is_an_error() -> None:
    loaded = read_workbook(make.HERE / "009.xlsx", expect_year=2024)
    assert loaded.report.year == 2023
    [f] = [f for f in loaded.findings if f.rule == "META-YEAR"]
    assert (f.severity.value, f.expected, f.actual) == ("error", 2024, 2023)
    assert [f.rule for f in read_workbook(make.HERE / "009.xlsx", expect_year=2023).findings
            if f.rule == "META-YEAR"] == []


@pytest.mark.parametrize(("name", "code"), [("009.xlsx", 0), ("011.xlsx", 1), ("015.xlsx", 1), ("016.xlsx", 0)])
def test_check_exit_codes(name: str, code: int) -> None:
    r = runner.invoke(app, ["check", str(make.HERE / name)])
    assert r.exit_code == code, r.output


def test_the_unit_comes_from_the_title_row_when_there_is_no_metadata() -> None:
    """009's title row reads 宿迁市2023年政府信息公开工作年度报告: the body is the unit, not the file name."""
    loaded = read_workbook(FILES / "retyped" / "009.xlsx")
    assert (loaded.report.unit.name, loaded.report.year) == ("宿迁市", 2023)
