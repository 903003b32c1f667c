"""Make the re-typed workbooks of tests/files/retyped/ from the eight real published reports.

Many offices never use the template: they copy the three tables of last year's published report
(Word or web page) into a blank Excel workbook and overwrite the numbers. This script writes each
real report (``tests/files/real/NNN.json``, values exactly as published) the way such an office
would: one sheet ``年报表格``, the report title on top, each table under its own title row, one blank
column on the left, labels as published (the typos and variants of ``expected.json`` and the
source texts), copy noise in the labels (line breaks, stray spaces, half-width punctuation), blank
cells left blank, notes typed into number cells, totals typed as numbers; 011/012 keep the single
``（六）其他处理`` row of the 2019 表三. Two reports also come as one table per sheet, on sheets named
the way the office likes.

Run: ``python tests/files/retyped/make.py`` (rewrites the .xlsx files next to it; deterministic).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from nianbao.layout import Table, col_letter, get_layout, split_ref

HERE = Path(__file__).parent
REAL = HERE.parent / "real"
REPORTS = ("009", "010", "011", "012", "013", "014", "015", "016")
SHEET = "年报表格"
ORIGIN = (0, 1)  # every table one column to the right of its declared place (a blank column A)
STAMP = dt.datetime(2025, 1, 6, 9, 0, 0)  # fixed, so the files are reproducible

# The published abbreviations of the （六） rows in 009/010 (comparison PDF; see the .txt notes).
ABBREVIATED_SIXTH = {
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": "1.逾期不补正",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": "2.逾期不缴费",
}


# --------------------------------------------------------------------------------------------
# Copy noise: what pasting a Word/web table into Excel does to a label (the reader must not care)
# --------------------------------------------------------------------------------------------


def _half_width(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").replace("，", ",").replace("：", ":")


def _line_breaks(text: str) -> str:
    if len(text) < 10:
        return text
    mid = len(text) // 2
    return text[:mid] + "\n" + text[mid:]


def _padded(text: str) -> str:
    return f" {text}  "


def _fullwidth_digits(text: str) -> str:
    return text.replace("1.", "１．").replace("2.", "２．").replace("3.", "３．")


NOISE: dict[str, Callable[[str], str]] = {
    "half": _half_width,
    "lines": _line_breaks,
    "pad": _padded,
    "fullwidth": _fullwidth_digits,
}


@dataclass(frozen=True)
class Plan:
    """How one office re-typed one report."""

    report: str
    noise: tuple[str, ...]  # NOISE applied to every label, in order
    sheets: tuple[str, str, str] | None = None  # one table per sheet, named so; None: all in SHEET
    title: bool = True  # the report title row (the only place the year is written)
    headings: tuple[str, str, str] = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                      "四、政府信息公开行政复议、行政诉讼情况")
    file: str = ""
    positions: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # key → (sheet, row, col)
    labels: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)  # standard → (…, as typed)

    @property
    def name(self) -> str:
        return self.file or f"{self.report}.xlsx"


PLANS: tuple[Plan, ...] = (
    Plan("009", ("lines",)),
    Plan("010", ("half", "pad")),
    Plan("011", ("half",)),
    Plan("012", ("pad",)),
    Plan("013", ("lines", "fullwidth")),
    Plan("014", ("half", "lines")),
    Plan("015", ("pad",), headings=("一、主动公开政府信息情况", "二、收到和处理政府信息公开申请情况",
                                    "三、政府信息公开行政复议、行政诉讼情况")),
    Plan("016", ("half",)),
    # one table per sheet, named as the office likes
    Plan("012", ("lines",), sheets=("表2", "申请情况", "复议诉讼"), file="012-sheets.xlsx"),
    Plan("014", ("pad",), sheets=("主动公开", "表3", "表4"), title=False, file="014-sheets-no-year.xlsx"),
)


def published_labels(report: str) -> dict[str, str]:
    """Standard label → the label as this report published it (typos, 2019 names, abbreviations)."""
    expected = json.loads((REAL / "expected.json").read_text("utf-8"))["files"][report]
    out = {lb["standard"]: lb["published"] for lb in expected.get("labels", [])}
    if report in ("009", "010"):
        out.update(ABBREVIATED_SIXTH)
    return out


def is_mixed(report: str) -> bool:
    """011/012 published a 2021 report whose 表三 keeps the single （六）其他处理 row of 2019."""
    mapping = json.loads((REAL / "expected.json").read_text("utf-8"))["files"][report].get("mapping", {})
    return "t3.other_other.*" in mapping


def tables_of(report: str) -> list[tuple[Table, Callable[[str], str]]]:
    """The three tables as published, each with the map from its keys to the data file's keys."""
    layout = get_layout("2021")
    t3 = layout.table_by_id["t3"]
    key_of: Callable[[str], str] = lambda k: k  # noqa: E731
    if is_mixed(report):
        t3 = get_layout("2019").table_by_id["t3"]
        key_of = lambda k: k.replace("t3.other.", "t3.other_other.")  # noqa: E731
    return [(layout.table_by_id["t2"], lambda k: k), (t3, key_of), (layout.table_by_id["t4"], lambda k: k)]


def _write_table(ws: Any, top: int, left: int, table: Table, key_of: Callable[[str], str],
                 values: dict[str, Any], labels: dict[str, str], noise: tuple[str, ...],
                 plan: Plan) -> None:
    for lb in table.labels:
        r, c = split_ref(lb.ref)
        text = labels.get(lb.text, lb.text)
        for name in noise:
            text = NOISE[name](text)
        ws.cell(top + r - 1, left + c - 1, text)
        plan.labels.setdefault(lb.text, (ws.title, top + r - 1, left + c - 1, text))
    for rng in table.merges:  # a table pasted from Word keeps its merged cells
        a, _, b = rng.partition(":")
        (r1, c1), (r2, c2) = split_ref(a), split_ref(b)
        ws.merge_cells(f"{col_letter(left + c1 - 1)}{top + r1 - 1}:{col_letter(left + c2 - 1)}{top + r2 - 1}")
    for f in table.fields:
        r, c = split_ref(f.ref)
        row, col = top + r - 1, left + c - 1
        plan.positions[key_of(f.key)] = (ws.title, row, col)
        value = values[key_of(f.key)]
        if value == "":
            continue  # published blank: left blank
        ws.cell(row, col, value)  # numbers as numbers, notes as text


def build(plan: Plan) -> bytes:
    doc = json.loads((REAL / f"{plan.report}.json").read_text("utf-8"))
    values = doc["values"]
    labels = published_labels(plan.report)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.created = wb.properties.modified = STAMP
    wb.properties.creator = "retyped"
    dr, dc = ORIGIN
    if plan.sheets is None:
        ws = wb.create_sheet(SHEET)
        row = 1
        if plan.title:
            ws.cell(row, 1 + dc, doc["title"])
            row += 2
        for heading, (table, key_of) in zip(plan.headings, tables_of(plan.report), strict=True):
            ws.cell(row, 1 + dc, heading)
            _write_table(ws, row + 1 + dr, 1 + dc, table, key_of, values, labels, plan.noise, plan)
            row += 1 + table.n_rows + 2
    else:
        for i, (name, heading, (table, key_of)) in enumerate(
                zip(plan.sheets, plan.headings, tables_of(plan.report), strict=True)):
            ws = wb.create_sheet(name)
            row = 1
            if plan.title and i == 0:
                ws.cell(row, 1 + dc, doc["title"])
                row += 1
            ws.cell(row, 1 + dc, heading)
            _write_table(ws, row + 1 + dr, 1 + dc, table, key_of, values, labels, plan.noise, plan)
    buf = io.BytesIO()
    wb.save(buf)
    return _reproducible(buf.getvalue())


def _reproducible(data: bytes) -> bytes:
    """The same bytes on every run: fixed zip entry times and a fixed modified date (openpyxl
    stamps both with the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP.isoformat().encode() + b"Z",
                              body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6]), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main() -> None:
    for plan in PLANS:
        (HERE / plan.name).write_bytes(build(plan))


if __name__ == "__main__":
    main()
