"""Benchmarks of nianbao: throughput, peak memory and scaling, against baselines in the same run.

    python benchmarks/run.py            # N = 1000 unit workbooks (and N/10 for scaling)
    python benchmarks/run.py --n 200    # a quicker run (about 2 minutes on 2 cores)
    python benchmarks/run.py --n 200 --json results.json --profile ingest_j1

For N/10 and N unit workbooks of random consistent data (``nianbao.synth.random_report``), every
stage runs in a fresh Python process of its own (``--stage``, an internal mode of this script), so
that its peak memory is its own: the parent reaps each stage with ``os.wait4`` and reads that
child's ``ru_maxrss`` (peak resident set size, which includes the interpreter and the imports; a
process pool's workers are included as the largest single process, not summed). Wall time is
measured inside the stage around the work only (``time.perf_counter``): interpreter start-up,
imports and the preparation of input data are not counted.

Stages and their baselines (see docs/benchmarks.md):

    gen        nianbao.workbook.writer.write_template, prefilled    baseline: gen_base
    gen_base   bare XlsxWriter writing the same cells, merges, formats, widths and heights,
               (the metadata sheet's cells too) without data validation, conditional formats, protection or properties
    gen_calls  reference, not a goal: XlsxWriter with the same validations, conditional formats, protection and
               print set-up: every XlsxWriter call write_template makes, recorded (untimed) and replayed
    check      read_workbook + rules.check_report                   baseline: openpyxl
    ingest_j1  nianbao.campaign.ingest.ingest(jobs=1) into a fresh workspace   baseline: openpyxl
    ingest_j2  the same with jobs=2 (at N only)                     compared with ingest_j1
    openpyxl   bare openpyxl.load_workbook of each file (the baseline of reading)
    calamine   python-calamine reading every sheet's values (the floor of reading)
    aggregate  nianbao.campaign.aggregate.roll_up(write_outputs=False) over the ledger
    report     nianbao.word.report.write_report of the aggregated report (goal < 0.5 s)
    hostile    read_workbook of one 20 MB workbook built to cost (2 million cells of random numbers in
               two sheets, within safety's size limits): refused or read, in 2 s and 200 MB

Nothing here is a test: goals are measured and reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

YEAR = 2024
SEED = 20240101

# --------------------------------------------------------------------------------------------
# Goals (measured against, never asserted)
# --------------------------------------------------------------------------------------------

GOAL_GEN_RATIO = 1.2  # generation ≤ 1.2 × bare XlsxWriter
GOAL_CHECK_FLOOR = 5.0  # check (read + rules) ≤ 5 × the python-calamine floor
GOAL_INGEST_MS = 10.0  # check + ingest --jobs 1 ≤ 10 ms per workbook
GOAL_INGEST_MEMORY = 1.1  # peak memory of ingesting N ≤ 1.1 × that of N/10
GOAL_JOBS_SPEEDUP = 1.8  # --jobs 2 ≥ 1.8 × faster than --jobs 1
GOAL_REPORT_SECONDS = 0.5  # the .docx report in under 0.5 s
GOAL_IMPORT_PDF_SECONDS = 2.0  # nianbao import of a 10-page PDF (issue 12)
GOAL_IMPORT_HTML_SECONDS = 0.3  # nianbao import of an HTML page (issue 12)
GOAL_HOSTILE_SECONDS = 2.0  # a 20 MB hostile workbook refused or read within 2 s …
GOAL_HOSTILE_MB = 200.0  # … and 200 MB peak RSS
HOSTILE_BYTES = 20 * 1024 * 1024


# ============================================================================================
# Stage side: runs in a fresh process (python benchmarks/run.py --stage NAME --ctx FILE --out FILE)
# ============================================================================================


def unit_list(n: int) -> list[tuple[str, str]]:
    """(code, name) of the N units: the same names at every size."""
    return [(f"U{i:05d}", f"第{i:05d}号测试单位") for i in range(1, n + 1)]


def unit_report(layout_id: str, code: str, name: str) -> Any:
    """The random consistent report of one unit (deterministic per unit)."""
    from nianbao.model import Unit
    from nianbao.synth import CLERK_TEXT, random_report

    rng = random.Random(f"{SEED}:{code}")
    report = random_report(layout_id, YEAR, Unit(name, code), rng)
    report.text = dict(CLERK_TEXT)  # a return filled in completely: no warning
    return report


class Stopwatch:
    """Accumulates the wall time, and the CPU time of this process and its reaped children, spent
    inside ``with watch:`` blocks only. CPU time is much less disturbed by other load on the machine."""

    seconds = 0.0
    cpu = 0.0

    def __init__(self) -> None:
        self._t0 = 0.0
        self._c0 = 0.0

    @staticmethod
    def _cpu() -> float:
        import resource

        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def __enter__(self) -> Stopwatch:
        self._c0 = self._cpu()
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.perf_counter() - self._t0
        self.cpu += self._cpu() - self._c0

    def result(self) -> dict[str, float]:
        return {"seconds": self.seconds, "cpu_seconds": self.cpu}


def _files(ctx: dict[str, Any]) -> list[Path]:
    return sorted(Path(ctx["files"]).glob("*.xlsx"))


def stage_idle(ctx: dict[str, Any]) -> dict[str, Any]:
    """Import everything the stages import, do nothing: the memory floor of a stage process."""
    import openpyxl  # noqa: F401
    import python_calamine  # noqa: F401
    import xlsxwriter  # noqa: F401

    import nianbao.campaign.aggregate
    import nianbao.campaign.ingest
    import nianbao.rules
    import nianbao.workbook.reader
    import nianbao.workbook.writer

    try:
        import nianbao.word.report  # noqa: F401
    except ImportError:
        pass
    return {"seconds": 0.0, "items": 0}


def stage_setup(ctx: dict[str, Any]) -> dict[str, Any]:
    """A workspace whose roster lists the N units (not measured); its copies for each ingest run."""
    from nianbao.campaign.workspace import init_workspace

    root = Path(ctx["root"])
    root.mkdir(parents=True, exist_ok=True)
    roster = root / "roster.csv"
    lines = ["单位编码,单位名称,类别"] + [f"{code},{name},部门" for code, name in unit_list(ctx["n"])]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = init_workspace(root / "ws_empty", year=YEAR, roster=roster, office="基准测试县人民政府办公室")
    for name in ctx["workspaces"]:
        shutil.copytree(ws.root, root / name)
    Path(ctx["files"]).mkdir(parents=True, exist_ok=True)
    return {"seconds": 0.0, "items": 0, "campaign": ws.campaign, "layout": ws.layout_id}


def stage_plan(ctx: dict[str, Any]) -> dict[str, Any]:
    """Extract the cell plan of one nianbao template, for the bare XlsxWriter baseline (not measured)."""
    from nianbao.workbook.writer import template_bytes

    code, name = unit_list(1)[0]
    report = unit_report(ctx["layout"], code, name)
    data, _ = template_bytes(layout_id=ctx["layout"], year=YEAR, unit=report.unit, report=report,
                             campaign=ctx["campaign"])
    plan = extract_plan(data, ctx["layout"])
    Path(ctx["plan"]).write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return {"seconds": 0.0, "items": sum(len(s["cells"]) for s in plan["sheets"])}


def extract_plan(data: bytes, layout_id: str) -> dict[str, Any]:
    """Every cell of a template (value or formula, and its format), its merges, widths and heights.

    Input cells are marked with their key so that the baseline writes each unit's own numbers. The
    metadata sheet's cells are written (as a visible sheet); data validation, conditional formats,
    protection, print set-up and document properties are left out: the baseline is the "same cells
    and formats" only.
    """
    import io
    import warnings

    import openpyxl
    from openpyxl.cell.cell import MergedCell

    from nianbao.layout import get_layout

    layout = get_layout(layout_id)
    keys = {(t.sheet, f.ref): f.key for t in layout.tables for f in t.fields if f.is_input}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data))
    formats: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def fmt_id(cell: Any) -> int | None:
        if not cell.has_style:
            return None
        props = _format_props(cell)
        key = json.dumps(props, sort_keys=True)
        if key not in index:
            index[key] = len(formats)
            formats.append(props)
        return index[key]

    sheets = []
    for ws in wb.worksheets:  # the metadata sheet too: its cells are cells nianbao writes (not hidden here)
        widths = {}
        for dim in ws.column_dimensions.values():
            if dim.width and dim.customWidth:
                for c in range(dim.min, dim.max + 1):
                    widths[c - 1] = dim.width
        heights = {r - 1: dim.height for r, dim in ws.row_dimensions.items() if dim.height}
        tops = {(rng.min_row, rng.min_col): rng for rng in ws.merged_cells.ranges}
        cells = []
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                value = cell.value
                if value is None and not cell.has_style:
                    continue
                entry: dict[str, Any] = {"r": cell.row - 1, "c": cell.column - 1, "f": fmt_id(cell)}
                key = keys.get((ws.title, cell.coordinate))
                if key is not None:
                    entry["key"] = key
                elif cell.data_type == "f":
                    entry["formula"] = str(value)
                elif isinstance(value, (int, float)):
                    entry["number"] = value
                elif value is not None:
                    entry["string"] = str(value)
                rng = tops.get((cell.row, cell.column))
                if rng is not None:
                    entry["merge"] = [rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1]
                cells.append(entry)
        sheets.append({"name": ws.title, "widths": widths, "heights": heights, "cells": cells})
    return {"formats": formats, "sheets": sheets}


def _format_props(cell: Any) -> dict[str, Any]:
    """An XlsxWriter format dict from an openpyxl cell style (the properties nianbao uses)."""

    def rgb(color: Any) -> str | None:
        value = getattr(color, "rgb", None)
        return "#" + value[-6:] if isinstance(value, str) and len(value) >= 6 else None

    props: dict[str, Any] = {}
    font = cell.font
    if font is not None:
        if font.name:
            props["font_name"] = font.name
        if font.sz:
            props["font_size"] = float(font.sz)
        if font.b:
            props["bold"] = True
        color = rgb(font.color)
        if color and color != "#000000":
            props["font_color"] = color
    if cell.fill is not None and cell.fill.fill_type == "solid":
        color = rgb(cell.fill.fgColor)
        if color:
            props["bg_color"] = color
    if cell.border is not None and cell.border.left is not None and cell.border.left.style:
        props["border"] = 1
    al = cell.alignment
    if al is not None:
        if al.horizontal:
            props["align"] = al.horizontal
        if al.vertical:
            props["valign"] = "vcenter" if al.vertical == "center" else al.vertical
        if al.wrap_text:
            props["text_wrap"] = True
    if cell.number_format and cell.number_format != "General":
        props["num_format"] = cell.number_format
    return props


def stage_gen(ctx: dict[str, Any]) -> dict[str, Any]:
    """nianbao's generation: a prefilled, protected, validated template per unit."""
    from nianbao.campaign.workspace import template_name
    from nianbao.synth import CLERK_INFO
    from nianbao.workbook.writer import write_template

    out = Path(ctx["files"])
    watch = Stopwatch()
    n = 0
    for code, name in unit_list(ctx["n"]):
        report = unit_report(ctx["layout"], code, name)
        path = out / template_name(YEAR, name)
        with watch:
            write_template(path, layout_id=ctx["layout"], year=YEAR, unit=report.unit, report=report,
                           campaign=ctx["campaign"], info=CLERK_INFO)
        n += 1
    return {**watch.result(), "items": n}


def stage_gen_base(ctx: dict[str, Any]) -> dict[str, Any]:
    """Bare XlsxWriter writing the same cells, merges and formats (see :func:`extract_plan`)."""
    import xlsxwriter

    from nianbao.workbook.writer import _num

    plan = json.loads(Path(ctx["plan"]).read_text(encoding="utf-8"))
    out = Path(ctx["base_files"])
    out.mkdir(parents=True, exist_ok=True)
    watch = Stopwatch()
    n = 0
    for code, name in unit_list(ctx["n"]):
        values = {k: _num(v) for k, v in unit_report(ctx["layout"], code, name).values.items()}
        with watch:
            write_bare(out / f"{code}.xlsx", plan, values)
        n += 1
    del xlsxwriter
    return {**watch.result(), "items": n}


def write_bare(path: Path, plan: dict[str, Any], values: dict[str, Any]) -> None:
    import xlsxwriter

    from nianbao.workbook.writer import WORKBOOK_DEFAULT_FONT

    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, **WORKBOOK_DEFAULT_FONT})
    formats = [wb.add_format(props) for props in plan["formats"]]
    for sheet in plan["sheets"]:
        ws = wb.add_worksheet(sheet["name"])
        for col, width in sheet["widths"].items():
            ws.set_column(int(col), int(col), width)
        for row, height in sheet["heights"].items():
            ws.set_row(int(row), height)
        for cell in sheet["cells"]:
            f = formats[cell["f"]] if cell["f"] is not None else None
            r, c = cell["r"], cell["c"]
            if "key" in cell:
                value: Any = values.get(cell["key"])
            elif "formula" in cell:
                value = None
            else:
                value = cell.get("number", cell.get("string"))
            if "merge" in cell:
                r1, c1, r2, c2 = cell["merge"]
                ws.merge_range(r1, c1, r2, c2, "" if value is None else value, f)
                if "formula" in cell:
                    ws.write_formula(r, c, cell["formula"], f, "")
            elif "formula" in cell:
                ws.write_formula(r, c, cell["formula"], f, "")
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, f)
            elif isinstance(value, str):
                ws.write_string(r, c, value, f)
            else:
                ws.write_blank(r, c, None, f)
    wb.close()


class _Format:
    """What :class:`RecordingWorkbook` hands out for a format: its index."""

    def __init__(self, index: int) -> None:
        self.index = index


class RecordingWorkbook:
    """Stands in for an XlsxWriter ``Workbook``: records every call nianbao's writer makes on it and on
    its worksheets (formats as :class:`_Format`), to be replayed onto a real one (:func:`replay_calls`)."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, tuple[Any, ...]]] = []  # (-1: the workbook, else a sheet; method; args)
        self.formats: list[dict[str, Any]] = []
        self.sheets = 0

    def add_format(self, props: dict[str, Any] | None = None) -> _Format:
        self.formats.append(dict(props or {}))
        return _Format(len(self.formats) - 1)

    def add_worksheet(self, name: str) -> _RecordingSheet:
        self.calls.append((-1, "add_worksheet", (name,)))
        self.sheets += 1
        return _RecordingSheet(self, self.sheets - 1)

    def __getattr__(self, method: str) -> Callable[..., None]:
        return lambda *args: self.calls.append((-1, method, args))


class _RecordingSheet:
    def __init__(self, book: RecordingWorkbook, index: int) -> None:
        self._book, self._index = book, index

    def __getattr__(self, method: str) -> Callable[..., None]:
        def record(*args: Any, **kwargs: Any) -> None:
            self._book.calls.append((self._index, method, (*args, *kwargs.values()) if kwargs else args))
        return record


def record_calls(layout_id: str, report: Any, campaign: str, info: dict[str, str]) -> RecordingWorkbook:
    """The XlsxWriter calls ``write_template`` makes for this unit (as :func:`stage_gen` calls it)."""
    from nianbao.layout import get_layout
    from nianbao.workbook.meta import TemplateMeta
    from nianbao.workbook.writer import TemplateWriter

    meta = TemplateMeta(layout=layout_id, year=YEAR, unit_name=report.unit.name, unit_code=report.unit.code,
                        campaign=campaign, members="", left_out="")
    book = RecordingWorkbook()
    TemplateWriter(book, get_layout(layout_id), meta, report, None, "", "", info).write()  # type: ignore[arg-type]
    return book


def _prepared(book: RecordingWorkbook) -> list[tuple[int, str, tuple[Any, ...], int | None]]:
    """Each call with where its format is: an argument's position, -1 for an options dict's "format"."""
    out: list[tuple[int, str, tuple[Any, ...], int | None]] = []
    for target, method, args in book.calls:
        at = next((i for i, a in enumerate(args) if isinstance(a, _Format)), None)
        if at is None and args and isinstance(args[-1], dict) and isinstance(args[-1].get("format"), _Format):
            at = -1
        out.append((target, method, args, at))
    return out


def replay_calls(path: Path, book: RecordingWorkbook,
                 calls: list[tuple[int, str, tuple[Any, ...], int | None]]) -> None:
    """Make the recorded calls on a real XlsxWriter workbook written to ``path``."""
    import xlsxwriter

    from nianbao.workbook.writer import WORKBOOK_DEFAULT_FONT

    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False, **WORKBOOK_DEFAULT_FONT})
    formats = [wb.add_format(props) for props in book.formats]
    sheets: list[Any] = []
    for target, method, args, at in calls:
        if target < 0:
            if method == "add_worksheet":
                sheets.append(wb.add_worksheet(*args))
            else:
                getattr(wb, method)(*args)
        elif at is None:
            getattr(sheets[target], method)(*args)
        elif at >= 0:
            getattr(sheets[target], method)(*args[:at], formats[args[at].index], *args[at + 1:])
        else:
            options = args[-1]
            getattr(sheets[target], method)(*args[:-1], {**options, "format": formats[options["format"].index]})
    wb.close()


def stage_gen_calls(ctx: dict[str, Any]) -> dict[str, Any]:
    """Reference: XlsxWriter making every call write_template makes for each unit (recorded untimed, with
    the same validations, conditional formats, protection and print set-up); no structure lock, no atomic
    write: those are nianbao's own work."""
    from nianbao.synth import CLERK_INFO

    out = Path(ctx["base_files"]).with_name("calls")
    out.mkdir(parents=True, exist_ok=True)
    watch = Stopwatch()
    n = 0
    for code, name in unit_list(ctx["n"]):
        book = record_calls(ctx["layout"], unit_report(ctx["layout"], code, name), ctx["campaign"], CLERK_INFO)
        calls = _prepared(book)
        with watch:
            replay_calls(out / f"{code}.xlsx", book, calls)
        n += 1
    return {**watch.result(), "items": n}


def stage_openpyxl(ctx: dict[str, Any]) -> dict[str, Any]:
    """The baseline of reading: a bare ``openpyxl.load_workbook`` of each file, default options."""
    import warnings

    import openpyxl

    watch = Stopwatch()
    files = _files(ctx)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            with watch:
                wb = openpyxl.load_workbook(path)
            del wb
    return {**watch.result(), "items": len(files)}


def stage_calamine(ctx: dict[str, Any]) -> dict[str, Any]:
    """The floor of reading: python-calamine (Rust) reading every sheet's cached values."""
    from python_calamine import CalamineWorkbook

    watch = Stopwatch()
    files = _files(ctx)
    cells = 0
    for path in files:
        with watch:
            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                cells += sum(len(row) for row in wb.get_sheet_by_name(name).to_python())
    return {**watch.result(), "items": len(files), "cells": cells}


def stage_check(ctx: dict[str, Any]) -> dict[str, Any]:
    """nianbao's read-back and check of each file, without the ledger."""
    from nianbao.rules import check_report
    from nianbao.workbook.reader import read_workbook

    _preload_reader()

    watch = Stopwatch()
    files = _files(ctx)
    errors = warnings = 0
    rules: dict[str, int] = {}
    for path in files:
        with watch:
            loaded = read_workbook(path)
            result = check_report(loaded.report, None, loaded.findings)
        errors += len(result.errors)
        warnings += len(result.warnings)
        for f in result.findings:
            rules[f.rule] = rules.get(f.rule, 0) + 1
    return {**watch.result(), "items": len(files), "errors": errors, "warnings": warnings,
            "rules": rules}


def _preload_reader() -> None:
    """Import what the reader imports, as the openpyxl stage imports openpyxl before timing."""
    import lxml.etree  # noqa: F401

    import nianbao.rules
    import nianbao.workbook.reader  # noqa: F401


def hostile_workbook(path: Path, size: int = HOSTILE_BYTES) -> int:
    """A well-formed .xlsx of about ``size`` bytes (just under safety's 20 MB) whose sheets hold as many
    cells of random numbers as fit within safety's limits: the most parsing per byte that a file
    passing ``safety`` can ask for. Returns the number of cells."""
    import zipfile

    rng = random.Random(SEED)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            '/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    }
    # random digits deflate about 4:1; safety allows 50 MB per member and 100 MB in all, so the cells
    # go into as many sheets as it takes (at most 45 MB each)
    budget = min(int(size * 3.8), 95 * 1024 * 1024)
    used = cells = 0
    sheets = []
    while used < budget:
        rows, sheet_used, r = [], 0, 0
        while sheet_used < min(45 * 1024 * 1024, budget - used):
            r += 1
            row = "".join(f'<c r="{col}{r}"><v>{rng.randrange(10**9)}</v></c>' for col in "ABCDEFGHIJ")
            rows.append(f'<row r="{r}">{row}</row>')
            sheet_used += len(rows[-1])
            cells += 10
        used += sheet_used
        sheets.append(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>' + "".join(rows)
                      + "</sheetData></worksheet>")
    listed = "".join(f'<sheet name="表{i + 1}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i in range(len(sheets)))
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.'
                        f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(sheets)))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", overrides + "</Types>")
    parts["xl/workbook.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel_ns}><sheets>{listed}'
                                f'</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships">{rels}</Relationships>')
    for i, text in enumerate(sheets):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = text
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return cells


def stage_hostile_file(ctx: dict[str, Any]) -> dict[str, Any]:
    """Build the hostile workbook (not measured)."""
    return {"seconds": 0.0, "items": 1, "cells": hostile_workbook(Path(ctx["hostile"]), int(ctx["hostile_bytes"]))}


def stage_hostile(ctx: dict[str, Any]) -> dict[str, Any]:
    """One hostile workbook (:func:`hostile_workbook`) through ``read_workbook``: refused or read."""
    from nianbao.errors import NianbaoError
    from nianbao.workbook.reader import read_workbook

    _preload_reader()
    path = Path(ctx["hostile"])  # built by the parent, so that building it is not in this peak memory
    outcome = "read"
    with Stopwatch() as watch:
        try:
            read_workbook(path)
        except NianbaoError as exc:
            outcome = f"refused ({exc.code})"
    return {**watch.result(), "items": 1, "cells": ctx["hostile_cells"], "bytes": path.stat().st_size,
            "outcome": outcome}


def stage_ingest(ctx: dict[str, Any]) -> dict[str, Any]:
    """``nianbao ingest --jobs J`` as a library call: identify, check, record every file."""
    import concurrent.futures.process  # noqa: F401

    from nianbao.campaign.ingest import ingest
    from nianbao.campaign.workspace import open_workspace

    _preload_reader()

    import resource

    ws = open_workspace(ctx["workspace"])
    me0, kids0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with Stopwatch() as watch:
        result = ingest(ws, [ctx["files"]], jobs=ctx["jobs"], progress=False)
    me1, kids1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    self_cpu = me1.ru_utime + me1.ru_stime - me0.ru_utime - me0.ru_stime
    children_cpu = kids1.ru_utime + kids1.ru_stime - kids0.ru_utime - kids0.ru_stime
    actions: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for o in result.outcomes:
        actions[o.action] = actions.get(o.action, 0) + 1
        if o.submission is not None:
            statuses[o.submission.status] = statuses.get(o.submission.status, 0) + 1
    return {**watch.result(), "items": len(result.outcomes), "actions": actions, "statuses": statuses,
            "self_cpu_seconds": self_cpu, "children_cpu_seconds": children_cpu}


def stage_aggregate(ctx: dict[str, Any]) -> dict[str, Any]:
    """Summing the accepted returns of the ledger (``roll_up`` without writing its outputs)."""
    from nianbao.campaign.aggregate import roll_up
    from nianbao.campaign.workspace import open_workspace

    ws = open_workspace(ctx["workspace"])
    with Stopwatch() as watch:
        result = roll_up(ws, write_outputs=False)
    return {**watch.result(), "items": len(result.included), "complete": result.complete}


def stage_report(ctx: dict[str, Any]) -> dict[str, Any]:
    """Writing the .docx report of the aggregated figures (the first call in a fresh process)."""
    t0 = time.perf_counter()
    from nianbao.word.report import write_report

    imported = time.perf_counter() - t0
    from nianbao.campaign.aggregate import roll_up
    from nianbao.campaign.workspace import open_workspace

    report = roll_up(open_workspace(ctx["workspace"]), write_outputs=False).report
    out = Path(ctx["root"]) / "report.docx"
    with Stopwatch() as watch:
        write_report(report, out)
    with Stopwatch() as again:
        write_report(report, out)
    return {**watch.result(), "items": 1, "import_seconds": imported, "second_call_seconds": again.seconds,
            "bytes": out.stat().st_size}


SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def stage_import(ctx: dict[str, Any]) -> dict[str, Any]:
    """``nianbao import`` of published reports, as published: the Word-pasted portal page of 014 and a
    10-page PDF made of the WPS-made PDF of 017 (shared/real-reports/originals) by poppler — its pages
    1–3 twice and 2 once more ahead of its own 1–6, tables on pages 8–9. Baselines in the same run:
    lxml parsing the page; pdfplumber extracting the PDF's text."""
    import lxml.html
    import pdfplumber

    from nianbao.sources import import_source

    root = Path(ctx["root"])
    originals = SHARED / "real-reports" / "originals"
    html_path = originals / "014-shuyang-fagai-2023.html"
    text = html_path.read_text("utf-8")
    for n in range(1, 7):
        subprocess.run(["pdfseparate", "-f", str(n), "-l", str(n), str(originals / "017-huaian-2024.pdf"),
                        str(root / f"p{n}.pdf")], check=True, capture_output=True)
    pdf_path = root / "ten-pages.pdf"
    order = [1, 2, 3, 1, 2, 3, 2, 4, 5, 6]
    subprocess.run(["pdfunite", *(str(root / f"p{n}.pdf") for n in order), str(pdf_path)], check=True,
                   capture_output=True)
    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
    import_source(html_path)  # warm: imports and caches, not counted
    runs = 20
    with Stopwatch() as html_watch:
        for _ in range(runs):
            loaded = import_source(html_path).loaded
    values = len(loaded.report.values)
    with Stopwatch() as lxml_watch:
        for _ in range(runs):
            lxml.html.document_fromstring(text)
    with Stopwatch() as watch:
        for _ in range(3):
            pdf_values = len(import_source(pdf_path).loaded.report.values)
    with Stopwatch() as plumber:
        for _ in range(3):
            with pdfplumber.open(pdf_path) as pdf:
                for pg in pdf.pages:
                    pg.extract_text()
    return {"seconds": watch.seconds / 3, "cpu_seconds": watch.cpu / 3, "items": 1, "pages": pages,
            "pdf_values": pdf_values, "html_seconds": html_watch.seconds / runs, "html_values": values,
            "lxml_seconds": lxml_watch.seconds / runs, "pdfplumber_text_seconds": plumber.seconds / 3}


STAGES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "import": stage_import,
    "idle": stage_idle,
    "setup": stage_setup,
    "plan": stage_plan,
    "gen": stage_gen,
    "gen_base": stage_gen_base,
    "gen_calls": stage_gen_calls,
    "openpyxl": stage_openpyxl,
    "calamine": stage_calamine,
    "check": stage_check,
    "ingest_j1": stage_ingest,
    "ingest_j2": stage_ingest,
    "aggregate": stage_aggregate,
    "report": stage_report,
    "hostile_file": stage_hostile_file,
    "hostile": stage_hostile,
}


def run_stage_here(name: str, ctx_path: Path, out_path: Path, profile: bool) -> None:
    """The child side: run one stage, write its result as JSON."""
    import resource

    ctx = json.loads(ctx_path.read_text(encoding="utf-8"))
    fn = STAGES[name]
    load_before = os.getloadavg()[0]
    if profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        result = prof.runcall(fn, ctx)
        prof.dump_stats(str(out_path.with_suffix(".prof")))
        text = io.StringIO()
        pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(40)
        pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(25)
        out_path.with_suffix(".profile.txt").write_text(text.getvalue(), encoding="utf-8")
    else:
        result = fn(ctx)
    result["load_average"] = [load_before, os.getloadavg()[0]]  # 1-minute, at start and end
    result["self_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["children_maxrss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out_path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


# ============================================================================================
# Parent side: orchestration, peak memory, the table
# ============================================================================================


@dataclass
class Measured:
    stage: str
    n: int
    seconds: float  # work only, measured inside the stage
    cpu: float  # CPU seconds of the work (the stage process and its reaped children)
    wall: float  # the whole process, start-up and preparation included
    peak_mb: float  # ru_maxrss of the stage process (largest of it and its reaped children)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def items(self) -> int:
        return int(self.extra.get("items") or self.n)

    @property
    def per_item_ms(self) -> float:
        return 1000 * self.seconds / self.items if self.items else 0.0

    @property
    def cpu_per_item_ms(self) -> float:
        return 1000 * self.cpu / self.items if self.items else 0.0


class StageFailed(RuntimeError):
    pass


def run_stage(name: str, ctx: dict[str, Any], workdir: Path, *, profile: bool = False) -> Measured:
    """Run one stage in a fresh process and measure that process's own peak RSS (``os.wait4``)."""
    tag = f"{name}-{ctx.get('n', 0)}"
    ctx_path = workdir / f"{tag}.ctx.json"
    out_path = workdir / f"{tag}.out.json"
    log_path = workdir / f"{tag}.log"
    ctx_path.write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    out_path.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--ctx", str(ctx_path),
           "--out", str(out_path)]
    if profile:
        cmd.append("--profile-stage")
    t0 = time.perf_counter()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0 or not out_path.is_file():
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise StageFailed(f"stage {name} (n={ctx.get('n')}) failed with exit code {proc.returncode}:\n{tail}")
    extra = json.loads(out_path.read_text(encoding="utf-8"))
    peak_kb = max(usage.ru_maxrss, extra.get("self_maxrss_kb", 0), extra.get("children_maxrss_kb", 0))
    seconds, cpu = float(extra.pop("seconds")), float(extra.pop("cpu_seconds", 0.0))
    return Measured(name, int(ctx.get("n", 0)), seconds, cpu, wall, peak_kb / 1024, extra)


def median_run(ms: list[Measured]) -> Measured:
    """The run of median wall time, its CPU time and peak the medians of all runs; every run's
    figures kept in ``extra["runs"]``."""
    ordered = sorted(ms, key=lambda m: m.seconds)
    mid = ordered[(len(ordered) - 1) // 2]
    extra = {**mid.extra, "runs": [{"seconds": m.seconds, "cpu_seconds": m.cpu, "peak_mb": m.peak_mb,
                                     "self_cpu_seconds": m.extra.get("self_cpu_seconds"),
                                     "children_cpu_seconds": m.extra.get("children_cpu_seconds"),
                                     "load_average": m.extra.get("load_average")} for m in ms]}
    for key in ("self_cpu_seconds", "children_cpu_seconds"):
        values = [m.extra[key] for m in ms if m.extra.get(key) is not None]
        if values:
            extra[key] = statistics.median(values)
    return Measured(mid.stage, mid.n, mid.seconds, statistics.median(m.cpu for m in ms), mid.wall,
                    statistics.median(m.peak_mb for m in ms), extra)


def two_core_speedup(j1: Measured, j2: Measured) -> float | None:
    """``--jobs 2``'s speed-up on CPU time, as two free cores would give it: ``--jobs 1``'s CPU time
    over the longer of the parent's own CPU time and half of all the CPU time (parent and workers
    share the two cores). Other processes on the machine barely change it; wall time they do."""
    own, kids = j2.extra.get("self_cpu_seconds"), j2.extra.get("children_cpu_seconds")
    if own is None or kids is None:
        return None
    return ratio(j1.cpu, max(own, (own + kids) / 2))


def measure_size(n: int, workdir: Path, *, with_jobs2: bool, profile: set[str],
                 progress: Callable[[Measured], None], hostile_bytes: int = HOSTILE_BYTES,
                 repeat: int = 1) -> dict[str, Measured]:
    """Every stage at one size, in pipeline order; returns them by stage name. The ingests run
    ``repeat`` times each (alternating), the median counts."""
    root = workdir / f"n{n}"
    files = root / "files"
    workspaces = ["ws_j1"] + (["ws_j2"] if with_jobs2 else [])
    base: dict[str, Any] = {"n": n, "root": str(root), "files": str(files), "base_files": str(root / "bare"),
                            "plan": str(workdir / "plan.json")}
    setup = run_stage("setup", {**base, "workspaces": workspaces}, workdir)
    base.update(campaign=setup.extra["campaign"], layout=setup.extra["layout"])
    if not Path(base["plan"]).is_file():
        run_stage("plan", base, workdir)
    out: dict[str, Measured] = {}

    def do(stage: str, **more: Any) -> None:
        m = run_stage(stage, {**base, **more}, workdir, profile=stage in profile)
        out[stage] = m
        progress(m)

    do("idle")
    do("gen")
    do("gen_base")
    do("gen_calls")
    do("openpyxl")
    do("calamine")
    do("check")
    # The ingests alternate (j1, j2, j1, j2, ...), each into a fresh copy of the empty workspace, and
    # each figure is the median run: one disturbed run (another process on a core) does not decide it.
    runs: dict[str, list[Measured]] = {"ingest_j1": [], "ingest_j2": []}
    for i in range(repeat):
        for stage, jobs in (("ingest_j1", 1), ("ingest_j2", 2)) if with_jobs2 else (("ingest_j1", 1),):
            name = f"ws_{stage[-2:]}" + (f"_{i + 1}" if i else "")
            if i:
                shutil.copytree(root / "ws_empty", root / name)
            m = run_stage(stage, {**base, "workspace": str(root / name), "jobs": jobs}, workdir,
                          profile=stage in profile and i == 0)
            runs[stage].append(m)
            progress(m)
    for stage, ms in runs.items():
        if ms:
            out[stage] = median_run(ms)
    do("aggregate", workspace=str(root / "ws_j1"))
    do("report", workspace=str(root / "ws_j1"))
    if with_jobs2:  # once, at N; built in a process of its own (a fork of a large parent would count)
        hostile = root / "hostile.xlsx"
        built = run_stage("hostile_file", {**base, "hostile": str(hostile), "hostile_bytes": hostile_bytes}, workdir)
        do("hostile", hostile=str(hostile), hostile_cells=built.extra["cells"])
    if with_jobs2 and shutil.which("pdfunite") and (SHARED / "real-reports").is_dir():  # once, at N (issue 12)
        do("import")
    return out


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------

STAGE_TEXT = {
    "gen": "generate (write_template, prefilled)",
    "gen_base": "  baseline: bare XlsxWriter, same cells",
    "gen_calls": "  reference: XlsxWriter with the same validations, conditional formats, protection and print set-up",
    "check": "check (read_workbook + check_report)",
    "ingest_j1": "check + ingest, --jobs 1",
    "ingest_j2": "check + ingest, --jobs 2",
    "openpyxl": "  baseline: openpyxl.load_workbook",
    "calamine": "  floor: python-calamine values",
    "aggregate": "aggregate (roll_up, no outputs)",
    "report": "report (write_report .docx)",
    "import": "import (published report, 10-page PDF)",  # shown in its own table
    "idle": "idle process (imports only)",
    "hostile": "hostile 20 MB workbook (read_workbook)",
}

BASELINE_OF = {"gen": "gen_base", "gen_calls": "gen_base", "check": "openpyxl", "ingest_j1": "openpyxl", "ingest_j2": "openpyxl"}


@dataclass
class Goal:
    name: str
    measured: float | None
    target: str
    met: bool | None
    cpu: float | None = None  # the same measure on CPU time (less disturbed by other load), when it has one


def ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def goals(small: dict[str, Measured], big: dict[str, Measured]) -> list[Goal]:
    def r(stage: str, base: str) -> float | None:
        if stage in big and base in big:
            return ratio(big[stage].seconds, big[base].seconds)
        return None

    def r_cpu(stage: str, base: str) -> float | None:
        if stage in big and base in big:
            return ratio(big[stage].cpu, big[base].cpu)
        return None

    gen = r("gen", "gen_base")
    floor = r("check", "calamine")
    ingest_ms = big["ingest_j1"].per_item_ms if "ingest_j1" in big else None
    mem = ratio(big["ingest_j1"].peak_mb, small["ingest_j1"].peak_mb) if "ingest_j1" in big else None
    jobs = r("ingest_j1", "ingest_j2")
    jobs_cpu = two_core_speedup(big["ingest_j1"], big["ingest_j2"]) if "ingest_j2" in big else None
    report = big["report"].seconds if "report" in big else None
    hostile = big.get("hostile")

    def g(name: str, value: float | None, target: str, ok: Callable[[float], bool], cpu: float | None = None) -> Goal:
        return Goal(name, value, target, None if value is None else ok(value), cpu)

    ingest_cpu = big["ingest_j1"].cpu_per_item_ms if "ingest_j1" in big else None
    return [
        # the "≤ 1.2 × bare XlsxWriter", read as XlsxWriter used directly for the same workbook
        # (docs/benchmarks.md: the cells-only baseline leaves out features XlsxWriter itself makes dear)
        g("generation ÷ XlsxWriter writing the same workbook", r("gen", "gen_calls"), f"≤ {GOAL_GEN_RATIO}",
          lambda v: v <= GOAL_GEN_RATIO, r_cpu("gen", "gen_calls")),
        g("generation ÷ bare XlsxWriter", gen, f"≤ {GOAL_GEN_RATIO}", lambda v: v <= GOAL_GEN_RATIO,
          r_cpu("gen", "gen_base")),
        g("check (read + rules) ÷ python-calamine", floor, f"≤ {GOAL_CHECK_FLOOR}", lambda v: v <= GOAL_CHECK_FLOOR,
          r_cpu("check", "calamine")),
        g("check + ingest (--jobs 1), ms per workbook", ingest_ms, f"≤ {GOAL_INGEST_MS}",
          lambda v: v <= GOAL_INGEST_MS, ingest_cpu),
        g("ingest peak memory, N ÷ N/10", mem, f"≤ {GOAL_INGEST_MEMORY}", lambda v: v <= GOAL_INGEST_MEMORY),
        g("ingest speed-up, --jobs 2 vs --jobs 1", jobs, f"≥ {GOAL_JOBS_SPEEDUP}", lambda v: v >= GOAL_JOBS_SPEEDUP, jobs_cpu),
        g("report (.docx) seconds", report, f"< {GOAL_REPORT_SECONDS}", lambda v: v < GOAL_REPORT_SECONDS),
        g("hostile 20 MB workbook: seconds", hostile.seconds if hostile else None, f"≤ {GOAL_HOSTILE_SECONDS}",
          lambda v: v <= GOAL_HOSTILE_SECONDS, hostile.cpu if hostile else None),
        g("hostile 20 MB workbook: peak RSS MB", hostile.peak_mb if hostile else None, f"≤ {GOAL_HOSTILE_MB:.0f}",
          lambda v: v <= GOAL_HOSTILE_MB),
    ] + ([
        g("import of a 10-page PDF, seconds", big["import"].seconds, f"< {GOAL_IMPORT_PDF_SECONDS}",
          lambda v: v < GOAL_IMPORT_PDF_SECONDS, big["import"].cpu),
        g("import of an HTML page, seconds", float(big["import"].extra["html_seconds"]),
          f"< {GOAL_IMPORT_HTML_SECONDS}", lambda v: v < GOAL_IMPORT_HTML_SECONDS),
    ] if "import" in big else [])


def fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{suffix}"


def times(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}×"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    right = [i > 0 for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if right[i] else c.ljust(w) for i, (c, w) in
                                 enumerate(zip(cells, widths, strict=True))) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if right[i] else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


ORDER = ["gen", "gen_base", "gen_calls", "check", "ingest_j1", "ingest_j2", "openpyxl", "calamine", "aggregate", "report",
         "hostile", "idle"]


def render(small: dict[str, Measured], big: dict[str, Measured]) -> str:
    n, n_small = next(iter(big.values())).n, next(iter(small.values())).n
    parts = [f"### Stages at N = {n}", ""]
    rows = []
    for stage in ORDER:
        if stage not in big:
            continue
        m = big[stage]
        base = BASELINE_OF.get(stage)
        rel = ratio(m.seconds, big[base].seconds) if base and base in big else None
        rel_cpu = ratio(m.cpu, big[base].cpu) if base and base in big else None
        floor = ratio(m.seconds, big["calamine"].seconds) if stage.startswith(("check", "ingest")) else None
        single = stage in ("report", "hostile")
        per = f"{m.seconds:.3f} s" if single else f"{m.per_item_ms:.2f}"
        cpu = f"{m.cpu:.3f} s" if single else f"{m.cpu_per_item_ms:.2f}"
        rows.append([STAGE_TEXT[stage], f"{m.seconds:.2f}", per, cpu, f"{m.peak_mb:.0f}", times(rel), times(rel_cpu),
                     times(floor, 0)])
    parts.append(markdown_table(["stage", "wall s", "ms / workbook", "CPU ms / workbook", "peak RSS MB",
                                 "÷ baseline", "÷ baseline (CPU)", "÷ calamine"], rows))
    parts += ["", f"### Scaling: N/10 = {n_small} vs N = {n}", ""]
    rows = []
    for stage in ORDER:
        if stage not in big or stage not in small or stage in ("idle", "hostile"):
            continue
        a, b = small[stage], big[stage]
        rows.append([STAGE_TEXT[stage].strip(), f"{a.per_item_ms:.2f}", f"{b.per_item_ms:.2f}",
                     times(ratio(b.per_item_ms, a.per_item_ms)), f"{a.peak_mb:.0f}", f"{b.peak_mb:.0f}",
                     times(ratio(b.peak_mb, a.peak_mb))])
    parts.append(markdown_table(["stage", f"ms/wb N={n_small}", f"ms/wb N={n}", "time/wb ratio",
                                 f"peak MB N={n_small}", f"peak MB N={n}", "memory ratio"], rows))
    if "import" in big:
        e = big["import"].extra
        parts += ["", "### Import of published reports (`nianbao import`)", ""]
        parts.append(markdown_table(
            ["source", "seconds / file", "baseline", "baseline s", "÷ baseline", "numbers read"],
            [[f"PDF, {e['pages']} pages (WPS original)", f"{big['import'].seconds:.3f}", "pdfplumber text only",
              f"{e['pdfplumber_text_seconds']:.3f}",
              times(ratio(big["import"].seconds, e["pdfplumber_text_seconds"])), str(e["pdf_values"])],
             ["HTML portal page (Word-pasted original)", f"{e['html_seconds']:.3f}", "lxml parse only",
              f"{e['lxml_seconds']:.3f}", times(ratio(e["html_seconds"], e["lxml_seconds"])),
              str(e["html_values"])]]))
    parts += ["", "### Goals", ""]
    rows = [[g.name, fmt(g.measured), g.target, {True: "met", False: "MISSED", None: "n/a"}[g.met],
             "" if g.cpu is None else fmt(g.cpu)] for g in goals(small, big)]
    parts.append(markdown_table(["goal", "measured", "target", "verdict", "on CPU time"], rows))
    notes = sanity_notes(big) + load_notes(small, big)
    if notes:
        parts += ["", "Notes:", *(f"- {x}" for x in notes)]
    return "\n".join(parts)


def sanity_notes(big: dict[str, Measured]) -> list[str]:
    """What the run saw besides timings: every workbook must have been read, passed and recorded."""
    notes = []
    if "gen" in big and "gen_calls" in big:
        own, own_cpu = ratio(big["gen"].seconds, big["gen_calls"].seconds), ratio(big["gen"].cpu, big["gen_calls"].cpu)
        features = ratio(big["gen_calls"].cpu, big["gen_base"].cpu) if "gen_base" in big else None
        notes.append(f"generation: write_template ÷ XlsxWriter making the same calls {fmt(own)} (CPU {fmt(own_cpu)}): "
                     f"nianbao's own work; those calls ÷ bare XlsxWriter (CPU) {fmt(features)}: XlsxWriter's cost "
                     "of the validations, conditional formats, protection and print set-up")
    if "check" in big:
        e = big["check"].extra
        notes.append(f"check: {e.get('items')} files, {e.get('errors')} errors, {e.get('warnings')} warnings"
                     + (f" ({e.get('rules')})" if e.get("rules") else ""))
    for stage in ("ingest_j1", "ingest_j2"):
        if stage in big:
            e = big[stage].extra
            notes.append(f"{stage}: actions {e.get('actions')}, statuses {e.get('statuses')}"
                         + (f", pool workers' peak {e['children_maxrss_kb'] / 1024:.0f} MB"
                            if e.get("children_maxrss_kb") else ""))
    if "report" in big:
        e = big["report"].extra
        notes.append(f"report: import of nianbao.word.report {e.get('import_seconds', 0):.3f} s (not counted), "
                     f"second call {e.get('second_call_seconds', 0):.3f} s, {e.get('bytes')} bytes")
    if "aggregate" in big:
        notes.append(f"aggregate: {big['aggregate'].extra.get('items')} units included")
    if "hostile" in big:
        e = big["hostile"].extra
        notes.append(f"hostile: {e.get('bytes', 0) / 1024 / 1024:.1f} MB, {e.get('cells')} cells: {e.get('outcome')}")
    return notes


def load_notes(*runs: dict[str, Measured]) -> list[str]:
    """The 1-minute load average when each single-process stage started. The benchmark itself keeps one
    core busy (a load of about 1); well above that, other work was running. The --jobs 2 ingest and the
    stages after it are left out: the load average still shows the pool's own workers."""
    after_pool = {"ingest_j2", "aggregate", "report"}
    loads = [m.extra["load_average"][0] for res in runs for m in res.values()
             if m.extra.get("load_average") and m.stage not in after_pool]
    if not loads:
        return []
    note = f"load average (1 min) at the start of the single-process stages: {min(loads):.2f} to {max(loads):.2f}"
    if max(loads) > 1.5:
        note += (" — other work was running: wall times are disturbed; compare the CPU columns, "
                 "and rerun on a quiet machine for --jobs 2")
    return [note]


def machine() -> dict[str, Any]:
    from importlib import metadata

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import nianbao

    return {
        "nianbao_source": str(Path(nianbao.__file__).resolve().parent),
        "cpus": os.cpu_count(), "cpu": cpu or platform.processor(), "memory": mem,
        "python": platform.python_version(), "platform": platform.platform(),
        "versions": {d: version(d) for d in ("nianbao", "openpyxl", "XlsxWriter", "python-calamine",
                                              "python-docx", "defusedxml")},
    }


def machine_text(info: dict[str, Any]) -> str:
    v = ", ".join(f"{k} {val}" for k, val in info["versions"].items())
    return (f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} RAM; Python {info['python']} "
            f"on {info['platform']}\nLibraries: {v}\nnianbao imported from {info['nianbao_source']}")


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="nianbao benchmarks: time, peak memory and scaling against baselines.")
    p.add_argument("--n", type=int, default=1000, help="number of unit workbooks (default 1000); scaling uses N/10")
    p.add_argument("--small", type=int, default=None, help="the smaller size for scaling (default N/10, at least 2)")
    p.add_argument("--workdir", type=Path, default=None, help="where to put the files (default: a temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the work folder (files, workspaces, logs, profiles)")
    p.add_argument("--json", type=Path, default=None, help="also write every measurement to this JSON file")
    p.add_argument("--profile", action="append", default=[], metavar="STAGE",
                   help="run STAGE under cProfile (at N); the profile lands in the work folder (implies --keep)")
    p.add_argument("--no-jobs2", action="store_true", help="skip the --jobs 2 ingest (and the hostile workbook)")
    p.add_argument("--repeat", type=int, default=3,
                   help="runs of each ingest (--jobs 1 and 2, alternating) whose median counts (default 3)")
    p.add_argument("--hostile-mb", type=float, default=HOSTILE_BYTES / 1024 / 1024,
                   help="size of the hostile workbook in MB (default 20)")
    p.add_argument("--from-json", type=Path, default=None, metavar="FILE",
                   help="print the tables of an earlier run's --json file instead of running")
    # internal: one stage in this process
    p.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    p.add_argument("--ctx", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--profile-stage", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.stage is None and args.n < 1:
        p.error("--n must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stage:
        run_stage_here(args.stage, args.ctx, args.out, args.profile_stage)
        return 0
    if args.from_json:
        doc = json.loads(args.from_json.read_text(encoding="utf-8"))
        runs = {int(size): {k: _from_json(m) for k, m in res.items()} for size, res in doc["results"].items()}
        print(f"nianbao benchmarks: N = {doc['n']} unit workbooks (scaling against N/10 = {doc['small']}); "
              f"run took {doc['seconds']:.0f} s")
        print(machine_text(doc["machine"]))
        print()
        print(render(runs[doc["small"]], runs[doc["n"]]))
        return 0
    n = args.n
    small = args.small if args.small is not None else max(2, n // 10)
    small = min(small, n)
    keep = args.keep or bool(args.profile) or args.workdir is not None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(machine_text(info), file=sys.stderr)
    t0 = time.perf_counter()

    def progress(m: Measured) -> None:
        print(f"  N={m.n:<6} {m.stage:<10} {m.seconds:8.2f} s  {m.per_item_ms:8.2f} ms/wb  "
              f"cpu {m.cpu_per_item_ms:8.2f} ms/wb  load {m.extra.get('load_average', [0])[0]:.1f}  "
              f"peak {m.peak_mb:6.0f} MB  (process {m.wall:.1f} s)", file=sys.stderr, flush=True)

    try:
        results: dict[int, dict[str, Measured]] = {}
        for size in _sizes(small, n):
            results[size] = measure_size(size, workdir, with_jobs2=(size == n and not args.no_jobs2),
                                         profile=set(args.profile) if size == n else set(), progress=progress,
                                         hostile_bytes=int(args.hostile_mb * 1024 * 1024),
                                         repeat=max(1, args.repeat))
    except StageFailed as exc:
        print(str(exc), file=sys.stderr)
        print(f"work folder kept: {workdir}", file=sys.stderr)
        return 1
    total = time.perf_counter() - t0
    text = render(results[small], results[n])
    print(f"nianbao benchmarks: N = {n} unit workbooks (scaling against N/10 = {small}); run took {total:.0f} s")
    print(machine_text(info))
    print()
    print(text)
    if args.json:
        doc = {"n": n, "small": small, "seconds": total, "machine": info,
               "results": {str(size): {k: _as_json(m) for k, m in res.items()} for size, res in results.items()},
               "goals": [g.__dict__ for g in goals(results[small], results[n])]}
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    if keep:
        print(f"\nwork folder: {workdir}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _sizes(small: int, n: int) -> Iterator[int]:
    yield small
    if n != small:
        yield n


def _from_json(doc: dict[str, Any]) -> Measured:
    extra = {k: v for k, v in doc.items() if k not in {"stage", "n", "seconds", "cpu_seconds", "per_workbook_ms",
                                                      "cpu_per_workbook_ms", "process_seconds", "peak_rss_mb"}}
    return Measured(doc["stage"], doc["n"], doc["seconds"], doc.get("cpu_seconds", 0.0), doc["process_seconds"],
                    doc["peak_rss_mb"], extra)


def _as_json(m: Measured) -> dict[str, Any]:
    return {"stage": m.stage, "n": m.n, "seconds": m.seconds, "cpu_seconds": m.cpu,
            "per_workbook_ms": m.per_item_ms, "cpu_per_workbook_ms": m.cpu_per_item_ms,
            "process_seconds": m.wall, "peak_rss_mb": m.peak_mb, **m.extra}


if __name__ == "__main__":
    sys.exit(main())
