"""The streaming reader (``workbook.xlsx``) finds what the openpyxl reader found.

1. Every workbook in tests/files: the findings (codes, severities, keys, cells, expected/actual,
   messages), values, text and identity equal those the openpyxl-based reader recorded in
   ``tests/files/snapshot/reader-findings.json`` (written once by that reader, before it was
   replaced; see ``tests/files/snapshot/make.py``).
2. Round trips, as ``test_properties.py`` draws them: a template of a random consistent report
   (both layouts) reads back with its values and no finding; edited the way clerks edit (a cell
   typed as text, a negative or fractional number, a formula typed into an input, a total
   overwritten, a label retyped, a cell unlocked, two cells merged, the protection lifted, content
   beside a table; saved by openpyxl), the edit is found at its cell.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.layout import Field, Kind, col_letter, get_layout, split_ref
from nianbao.model import Unit
from nianbao.synth import random_report
from nianbao.workbook import reader
from nianbao.workbook.writer import write_template

SNAPSHOT = Path(__file__).parent / "files" / "snapshot"


def _snapshot_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("reader_snapshot", SNAPSHOT / "reader_snapshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RECORDER = _snapshot_module()


def _recorded() -> dict[str, Any]:
    return dict(json.loads((SNAPSHOT / "reader-findings.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", RECORDER.workbook_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_file_reads_as_the_openpyxl_reader_read_it(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(RECORDER.ROOT)
    rel = path.relative_to(RECORDER.ROOT).as_posix()
    got = json.loads(json.dumps(RECORDER.snapshot(path), ensure_ascii=False))
    assert got == _recorded()[rel]


def test_the_recording_covers_every_folder() -> None:
    recorded = _recorded()
    for folder in ("returned", "review", "retyped", "unsafe"):
        assert sum(k.startswith(f"tests/files/{folder}/") for k in recorded) >= 5, folder
    assert sum("findings" in v for v in recorded.values()) >= 35  # read, not only refused


# ------------------------------------------------------------------------------------------------
# Round trips. Until the openpyxl path was removed, this compared the streaming reader with
# openpyxl.load_workbook feeding the same checks on 200 drawn edits (commit "Streaming xlsx reader …"
# of issue 16); now each edit's own finding is the expectation.
# ------------------------------------------------------------------------------------------------

EDITS = ("text", "negative", "fraction", "formula_input", "total_constant", "label", "unlock", "merge",
         "unprotect", "note", "blank_total", "outside")


def _edit(path: Path, layout_id: str, what: str, pick: int) -> tuple[str, str]:
    """One clerk's edit made with openpyxl and saved; returns (sheet, cell) it touched."""
    from openpyxl import load_workbook
    from openpyxl.styles import Protection

    layout = get_layout(layout_id)
    wb = load_workbook(path)
    inputs = [f for f in layout.fields.values() if f.is_input]
    totals = [f for f in layout.fields.values() if f.is_total]
    table = layout.tables[pick % len(layout.tables)]
    label = table.labels[pick % len(table.labels)]
    if what in ("text", "negative", "fraction", "formula_input", "note"):
        # a negative number is right in a signed cell (本年增/减), a fraction in an amount (万元)
        wrong_here = {"negative": Kind.SIGNED, "fraction": Kind.AMOUNT}.get(what)
        candidates = [f for f in inputs if f.kind is not wrong_here]
        f = candidates[pick % len(candidates)]
        sheet, ref = layout.table_by_id[f.table].sheet, f.ref
        wb[sheet][ref].value = {"text": "三个", "negative": -4, "fraction": 2.5, "formula_input": "=1+2",
                                "note": "无"}[what]
    elif what in ("total_constant", "blank_total"):
        f = totals[pick % len(totals)]
        sheet, ref = layout.table_by_id[f.table].sheet, f.ref
        wb[sheet][ref].value = 7 if what == "total_constant" else None
    elif what == "label":
        sheet, ref = table.sheet, label.ref
        wb[sheet][ref].value = label.text + "（改）"
    elif what == "unlock":
        sheet, ref = table.sheet, label.ref
        wb[sheet][ref].protection = Protection(locked=False)
    elif what == "merge":
        # an input the template itself spans over several columns (表二's 行政许可 B7:D7) has no
        # neighbour to merge with: pick among the inputs that are single cells
        def single(f: Field) -> bool:
            ranges = wb[layout.table_by_id[f.table].sheet].merged_cells.ranges
            return not any(f.ref in rng for rng in ranges)

        singles = [f for f in inputs if single(f)]
        f = singles[pick % len(singles)]
        sheet = layout.table_by_id[f.table].sheet
        r, c = split_ref(f.ref)
        wb[sheet].merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
        ref = f"{col_letter(c + 1)}{r}"
    elif what == "unprotect":
        sheet, ref = table.sheet, ""
        wb[sheet].protection.sheet = False
    else:  # outside
        sheet, ref = table.sheet, f"B{table.n_rows + 30}"
        wb[sheet][ref].value = "备注"
    wb.save(path)
    return sheet, ref


EXPECTED_RULE = {"negative": "VALUE-NEGATIVE", "formula_input": "INPUT-FORMULA", "total_constant": "FORMULA-ALTERED",
                 "blank_total": "FORMULA-ALTERED", "label": "LABEL-ALTERED", "unlock": "CELL-UNLOCKED",
                 "unprotect": "PROTECTION-OFF", "outside": "CONTENT-OUTSIDE"}


@given(layout_id=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 2**32 - 1),
       edit=st.none() | st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_round_trips_read_back_with_each_edit_found(tmp_path: Path, layout_id: str, seed: int,
                                                    edit: tuple[str, int] | None) -> None:
    report = random_report(layout_id, 2024, Unit("测试局", "U01"), random.Random(seed))
    path = tmp_path / f"{layout_id}-{seed}.xlsx"
    write_template(path, layout_id=layout_id, year=2024, unit=report.unit, report=report)
    inputs = report.layout.inputs
    if edit is None:  # as written: every value read back, nothing to say
        loaded = reader.read_workbook(path)
        assert loaded.findings == []
        assert {k: v for k, v in loaded.report.values.items() if k in inputs} == {
            k: v for k, v in report.values.items() if k in inputs}
        return
    what, pick = edit
    sheet, ref = _edit(path, layout_id, what, pick)
    loaded = reader.read_workbook(path)
    cell = f"{sheet}!{ref}"
    if what == "fraction":  # a fee may have decimals, a count may not
        key = next(f.key for f in report.layout.fields.values() if f.is_input
                   and f.ref == ref and report.layout.table_by_id[f.table].sheet == sheet)
        assert loaded.report.values.get(key) == Decimal("2.5") or any(
            f.rule == "VALUE-NOT-INTEGER" and cell in f.cells for f in loaded.findings)
    elif what == "merge":
        assert any(f.rule in ("INPUT-MERGED", "MERGE-ALTERED") and f.cells for f in loaded.findings)
        if any(f.ref == ref and report.layout.table_by_id[f.table].sheet == sheet
               for f in report.layout.fields.values() if f.is_input):
            assert any(f.rule == "INPUT-MERGED" and cell in f.cells for f in loaded.findings)
    elif what == "unprotect":
        assert [f.rule for f in loaded.findings] == ["PROTECTION-OFF"]
        assert sheet in loaded.findings[0].message
    elif what in EXPECTED_RULE:
        assert any(f.rule == EXPECTED_RULE[what] and cell in f.cells for f in loaded.findings), (
            what, cell, [(f.rule, f.cells) for f in loaded.findings])
    else:  # text, note: whatever it is called, the cell is named
        assert any(cell in f.cells for f in loaded.findings), (what, cell)
