"""Workbooks filled and saved by a real LibreOffice (tests/files/returned/lo-*.xlsx, and one live job)."""

from __future__ import annotations

import sys
from pathlib import Path

from nianbao.layout import get_layout
from nianbao.rules import check_report
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.writer import write_template

FILES = Path(__file__).parent / "files"
RETURNED = FILES / "returned"
sys.path.insert(0, str(FILES))
from make_corpus import UNIT, YEARS, _lo_cells, corpus_report  # type: ignore[import-not-found]  # noqa: E402

from lo.harness import fill_workbook, requires_soffice  # noqa: E402


def inputs_of(layout_id: str) -> dict[str, object]:
    report = corpus_report(layout_id)
    return {k: v for k, v in report.values.items() if report.layout.fields[k].is_input}


def rules_and_cells(name: str) -> list[tuple[str, tuple[str, ...]]]:
    loaded = read_workbook(RETURNED / name)
    return [(f.rule, f.cells) for f in check_report(loaded.report, None, loaded.findings).findings]


def test_filled_by_libreoffice_reads_clean_both_layouts() -> None:
    for layout_id in ("2021", "2019"):
        loaded = read_workbook(RETURNED / f"lo-filled-{layout_id}.xlsx")
        assert check_report(loaded.report, None, loaded.findings).findings == []
        assert loaded.report.values == inputs_of(layout_id)
        assert loaded.report.layout.id == layout_id and loaded.report.year == YEARS[layout_id]


def test_total_overwritten_through_libreoffice() -> None:
    loaded = read_workbook(RETURNED / "lo-total-overwritten.xlsx")
    [f] = loaded.findings
    assert (f.rule, f.severity.value, f.cells, f.keys) == ("FORMULA-ALTERED", "error", ("表三!J4",),
                                                           ("t3.new.total",))
    # the constant is a stated total, checked against the recomputed sum
    assert loaded.report.values["t3.new.total"] == 999
    rules = [(g.rule, g.cells[0]) for g in check_report(loaded.report, None, loaded.findings).findings]
    assert rules == [("FORMULA-ALTERED", "表三!J4"), ("T3-ROW-TOTAL", "表三!J4"), ("T3-BALANCE", "表三!J4")]


def test_odd_values_typed_in_libreoffice() -> None:
    found = rules_and_cells("lo-odd-values.xlsx")
    reading = [x for x in found if x[0].startswith("VALUE-")]
    assert reading == [
        ("VALUE-AMOUNT-WAN", ("表二!B14",)),  # "12万元" in a 万元 cell: the unit is written, an error
        ("VALUE-NOTE", ("表三!D4",)),
        ("VALUE-BLANK", ("表三!E5",)),
        ("VALUE-NEGATIVE", ("表三!G7",)),
        ("VALUE-NOT-INTEGER", ("表三!H8",)),
        ("VALUE-BLANK", ("表四!A4",)),
    ]
    # LibreOffice's SUM leaves text out, so its cached totals differ: not reported as stale, since the
    # values above already explain it
    assert not any(r == "TOTAL-STALE" for r, _ in found)
    assert {c[0] for r, c in found if r == "T3-BALANCE"} == {"表三!D4", "表三!E4", "表三!F4", "表三!G4", "表三!H4",
                                                              "表三!J4"}
    loaded = read_workbook(RETURNED / "lo-odd-values.xlsx")
    assert loaded.report.values["t3.new.natural"] == 22
    assert loaded.report.values["t3.granted.research"] == 1234


def test_stale_cached_total_is_a_warning() -> None:
    loaded = read_workbook(RETURNED / "lo-stale-totals.xlsx")
    [f] = loaded.findings
    assert (f.rule, f.severity.value, f.cells) == ("TOTAL-STALE", "warning", ("表四!E4",))
    computed = loaded.report.computed_totals()["t4.review.total"]
    assert f.expected == computed and f.actual == computed + 7


@requires_soffice
def test_live_libreoffice_fill_and_overwrite(tmp_path: Path) -> None:
    from nianbao.model import Unit

    blank = tmp_path / "blank.xlsx"
    write_template(blank, layout_id="2019", year=2020, unit=Unit(*UNIT))
    layout = get_layout("2019")
    cells = [*_lo_cells("2019"), {"sheet": "表四", "cell": "O4", "value": 77.0}]
    fill_workbook(blank, tmp_path / "filled.xlsx", cells, recalc=True)
    loaded = read_workbook(tmp_path / "filled.xlsx")
    assert [(f.rule, f.cells) for f in loaded.findings] == [("FORMULA-ALTERED", ("表四!O4",))]
    inputs = {k: v for k, v in loaded.report.values.items() if layout.fields[k].is_input}
    assert inputs == inputs_of("2019")
    assert loaded.report.values["t4.suit_after_review.total"] == 77
