"""The streaming reader (``workbook.xlsx``) finds what the openpyxl reader found.

1. Every workbook in tests/files: the findings (codes, severities, keys, cells, expected/actual,
   messages), values, text and identity equal those the openpyxl-based reader recorded in
   ``tests/files/snapshot/reader-findings.json`` (written once by that reader, before it was
   replaced; see ``tests/files/snapshot/make.py``).
2. Round trips, as ``test_properties.py`` draws them: a template of a random consistent report
   (both layouts), edited the way clerks edit (a cell typed as text, a negative or fractional number,
   a formula typed into an input, a total overwritten, a label retyped, a cell unlocked, two cells
   merged, the protection lifted, saved by openpyxl), read by the streaming reader and by
   openpyxl's ``load_workbook`` feeding the same checks: the same findings and values.
"""

from __future__ import annotations

import io
import json
import random
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.layout import get_layout, split_ref
from nianbao.model import Unit
from nianbao.synth import random_report
from nianbao.workbook import reader
from nianbao.workbook.safety import inspect_workbook
from nianbao.workbook.writer import write_template
from nianbao.workbook.xlsx import CellRecord, SheetRecord, WorkbookRecord

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
# Round trips: the old path (openpyxl.load_workbook) kept here to compare against
# ------------------------------------------------------------------------------------------------


def _openpyxl_record(data: bytes) -> WorkbookRecord:
    """The workbook as openpyxl's ``load_workbook`` sees it (the reader's source before issue 16)."""
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import CellRange

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), data_only=False, keep_vba=False, keep_links=False)
    results = _cached_by_sheet(data)
    sheets = []
    for ws in wb.worksheets:
        record = SheetRecord(ws.title, ws.sheet_state, bool(ws.protection.sheet))
        for (r, c), cell in ws._cells.items():
            if isinstance(cell, MergedCell):
                continue
            locked = not (cell.has_style and not cell.protection.locked)
            if cell.value is not None or not locked:
                record.cells[r, c] = CellRecord(cell.value, locked)
        record.merged = [CellRange(str(rng)).coord for rng in ws.merged_cells.ranges]
        record.results = results.get(ws.title, {})
        sheets.append(record)
    props = {p.name: str(p.value) for p in wb.custom_doc_props if p.value is not None}
    return WorkbookRecord(sheets, props, bool(wb.security and wb.security.lockStructure))


def _cached_by_sheet(data: bytes) -> dict[str, dict[tuple[int, int], str | None]]:
    from defusedxml import ElementTree as SafeET

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    zf = zipfile.ZipFile(io.BytesIO(data))
    book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out: dict[str, dict[tuple[int, int], str | None]] = {}
    for s in book.iter(f"{ns}sheet"):
        target = targets[s.get(f"{rel_ns}id")]
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        found: dict[tuple[int, int], str | None] = {}
        for el in SafeET.fromstring(zf.read(part)).iter(f"{ns}c"):
            if el.find(f"{ns}f") is not None:
                v = el.find(f"{ns}v")
                text = v.text if v is not None else None
                found[split_ref(el.get("r", ""))] = (
                    text if el.get("t", "n") in ("n", "") else (None if text is None else "#" + text))
        out[s.get("name", "")] = found
    return out


def _old_read(path: Path) -> Any:
    safe = inspect_workbook(path)
    return reader._Reader(safe, _openpyxl_record(safe.data), None, None, None).read()


EDITS = ("text", "negative", "fraction", "formula_input", "total_constant", "label", "unlock", "merge",
         "unprotect", "note", "blank_total", "outside")


def _edit(path: Path, layout_id: str, edits: list[tuple[str, int]]) -> None:
    """Apply clerks' edits with openpyxl and save (openpyxl writes inline strings, as the corpus)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Protection

    layout = get_layout(layout_id)
    wb = load_workbook(path)
    inputs = [f for f in layout.fields.values() if f.is_input]
    totals = [f for f in layout.fields.values() if f.is_total]
    for what, pick in edits:
        if what in ("text", "negative", "fraction", "formula_input", "note"):
            f = inputs[pick % len(inputs)]
            ws = wb[layout.table_by_id[f.table].sheet]
            ws[f.ref].value = {"text": "三", "negative": -4, "fraction": 2.5, "formula_input": "=1+2",
                               "note": "无"}[what]
        elif what in ("total_constant", "blank_total"):
            f = totals[pick % len(totals)]
            ws = wb[layout.table_by_id[f.table].sheet]
            ws[f.ref].value = 7 if what == "total_constant" else None
        elif what == "label":
            table = layout.tables[pick % len(layout.tables)]
            lb = table.labels[pick % len(table.labels)]
            wb[table.sheet][lb.ref].value = lb.text + "（改）"
        elif what == "unlock":
            table = layout.tables[pick % len(layout.tables)]
            lb = table.labels[pick % len(table.labels)]
            wb[table.sheet][lb.ref].protection = Protection(locked=False)
        elif what == "merge":
            f = inputs[pick % len(inputs)]
            ws = wb[layout.table_by_id[f.table].sheet]
            r, c = split_ref(f.ref)
            ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
        elif what == "unprotect":
            wb[layout.tables[pick % len(layout.tables)].sheet].protection.sheet = False
        elif what == "outside":
            table = layout.tables[pick % len(layout.tables)]
            wb[table.sheet].cell(row=table.n_rows + 30, column=2, value="备注")
    wb.save(path)


def _comparable(loaded: Any) -> dict[str, Any]:
    return json.loads(json.dumps({
        "findings": [f.to_json() for f in loaded.findings],
        "values": loaded.report.to_json()["values"], "meta": loaded.meta,
    }, ensure_ascii=False))


@given(layout_id=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 2**32 - 1),
       edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000)), max_size=4))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_round_trips_read_as_openpyxl_read_them(tmp_path: Path, layout_id: str, seed: int,
                                                edits: list[tuple[str, int]]) -> None:
    report = random_report(layout_id, 2024, Unit("测试局", "U01"), random.Random(seed))
    path = tmp_path / f"{layout_id}-{seed}.xlsx"
    write_template(path, layout_id=layout_id, year=2024, unit=report.unit, report=report)
    if edits:
        _edit(path, layout_id, edits)
    new = reader.read_workbook(path)
    assert _comparable(new) == _comparable(_old_read(path))
    if any(what != "fraction" for what, _ in edits):  # a fraction is fine in a fee cell
        assert new.findings
    if not edits:  # as written: every value read back, nothing to say
        assert new.findings == []
        assert {k: v for k, v in new.report.values.items() if k in report.layout.inputs} == {
            k: v for k, v in report.values.items() if k in report.layout.inputs}
