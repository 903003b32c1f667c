"""A spreadsheet holding a published report (.xlsx/.xlsm pasted from a page, .ods, .xls) as a Document.

An .xlsx/.xlsm is read in the one streaming pass of :mod:`nianbao.workbook.xlsx` (after the checks of
:mod:`nianbao.workbook.safety`), the cached result standing for a formula; .ods and .xls with
python-calamine (values, and merged ranges from content.xml for .ods). Pasting a page into a
spreadsheet puts all its tables on one column grid, so one logical cell of a statutory table spans
several physical columns (a merged range, value top-left) and adjacent tables have different spans.
Here every merged range collapses to one logical cell and the columns it covers vanish, so each row
lists its logical cells as the published table does. A row holding one text cell that is no table
label is a paragraph of the report (title, headings, narrative).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from nianbao.layout import col_letter
from nianbao.sources.grid import Cell, Document, Grid


def show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value)


def read_spreadsheet(data: bytes, path: str, kind: str) -> Document:
    if kind == "xlsx" and b"xl/workbook.xml" not in data and b"content.xml" in data:
        kind = "ods"  # an OpenDocument file renamed .xlsx (member names are stored uncompressed)
    if kind == "xlsx":
        return _read_xlsx(path)
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    doc = Document(path, kind)
    ods_merges = _ods_merges(data) if kind == "ods" else {}
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merges = getattr(sheet, "merged_cell_ranges", None) or ods_merges.get(name, [])
        sheet_rows(doc, name, rows, merges)
    return doc


def _read_xlsx(path: str) -> Document:
    """An .xlsx through the workbook reader's streaming pass: stored values, the cached result of a
    formula (none: blank), merged ranges."""
    from nianbao.errors import UnusableInput
    from nianbao.workbook.safety import inspect_workbook
    from nianbao.workbook.xlsx import ArrayFormula, UnreadablePart, read_package, split_range

    safe = inspect_workbook(path)
    book = read_package(safe.open_zip)
    doc = Document(path, "xlsx")
    for sheet in book.sheets:
        try:
            cells, merged, results = sheet.cells, sheet.merged, sheet.results
        except UnreadablePart as exc:
            raise UnusableInput("E-IMPORT-UNREADABLE", path=path, reason=exc.reason) from None
        merges = []
        for rng in merged:
            (r0, c0), (r1, c1) = split_range(rng)
            merges.append(((r0 - 1, c0 - 1), (r1 - 1, c1 - 1)))
        if not cells:
            continue
        n_rows = max(r for r, _ in cells)
        n_cols = max(c for _, c in cells)
        rows: list[list[Any]] = [[None] * n_cols for _ in range(n_rows)]
        for (r, c), cell in cells.items():
            value = cell.value
            if cell.is_formula or isinstance(value, ArrayFormula):
                value = _result(results.get((r, c)))
            rows[r - 1][c - 1] = value
        sheet_rows(doc, sheet.title, rows, merges)
    return doc


_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})


def _result(cached: str | None) -> Any:
    """A formula's cached result as a value: a number, or the text after the record's ``#``."""
    if cached is None or cached[1:] in _ERRORS:
        return None  # no result, or an error value: nothing shows (as calamine reads it)
    if cached.startswith("#"):
        return cached[1:]
    try:
        return float(cached)
    except ValueError:
        return cached


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merges(data: bytes) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Merged ranges of each sheet of an .ods (calamine gives its values, not its merges)."""
    import zipfile

    from defusedxml import ElementTree as SafeET

    out: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as fh:
        root = SafeET.parse(fh).getroot()
    for table in root.iter(f"{_T}table"):
        merges: list[tuple[tuple[int, int], tuple[int, int]]] = []
        r = 0
        for row in table.iter(f"{_T}table-row"):
            row_rep = int(row.get(f"{_T}number-rows-repeated", "1"))
            c = 0
            for cell in row:
                rep = int(cell.get(f"{_T}number-columns-repeated", "1"))
                cs = int(cell.get(f"{_T}number-columns-spanned", "1"))
                rs = int(cell.get(f"{_T}number-rows-spanned", "1"))
                if cell.tag == f"{_T}table-cell" and (cs > 1 or rs > 1):
                    merges.append(((r, c), (r + rs - 1, c + cs - 1)))
                c += rep
            r += min(row_rep, 10000)
        out[table.get(f"{_T}name", "")] = merges
    return out


def sheet_rows(doc: Document, name: str, rows: list[list[Any]],
               merges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Append one sheet's logical rows to ``doc`` (0-based rows and columns, merges inclusive)."""
    from nianbao.sources.text import is_table_label

    span: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in merges:
        span[(r0, c0)] = (c1 - c0 + 1, r1 - r0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    grid: Grid | None = None
    n = 0
    for r, values in enumerate(rows):
        cells: list[Cell] = []
        for c, value in enumerate(values):
            if (r, c) in covered:
                continue
            cs, rs = span.get((r, c), (1, 1))
            cells.append(Cell(show(value), cs, rs, f"{name}!{col_letter(c + 1)}{r + 1}"))
        filled = [c for c in cells if not c.blank]
        if not filled:
            continue
        if len(filled) == 1 and not is_table_label(filled[0].text):
            from nianbao.sources.locate import is_value

            if not is_value(filled[0].text):
                doc.blocks.append(filled[0].text.strip())
                grid = None
                continue
        if grid is None:
            n += 1
            grid = Grid(name if n == 1 else f"{name}（{n}）")
            doc.blocks.append(grid)
        grid.rows.append(cells)
