"""Everything in one table: every unit of the roster × every key of the layout.

Values are those of each unit's current submission (accepted or not; the 状态 column says which);
units that sent nothing get empty cells. Text is escaped against formula injection: a spreadsheet
program would run a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula, so such text gets a leading apostrophe (OWASP's advice for CSV exports).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from nianbao.campaign.status import MISSING, status_text
from nianbao.campaign.workspace import Workspace
from nianbao.display import escape_cell
from nianbao.errors import UnusableInput
from nianbao.layout import get_layout
from nianbao.model import write_atomic
from nianbao.values import Number, show

UNIT_COLUMNS = ("单位编码", "单位名称", "类别", "状态", "报送时间", "文件名")
UNIT_KEYS = ("unit.code", "unit.name", "unit.category", "status", "received_at", "file")  # the second header row


def export_table(ws: Workspace) -> tuple[list[str], list[list[str | Number | None]]]:
    """(header, rows): the unit columns, then one column per key in layout order."""
    layout = get_layout(ws.layout_id)
    keys = list(layout.fields)
    rows: list[list[str | Number | None]] = []
    with ws.open_ledger() as ledger:
        for unit in ledger.units():
            st = ledger.unit_state(unit.code)  # the office's decision shows in the 状态 column
            sub = st.submission
            if sub is None:
                rows.append([unit.code, unit.name, unit.category, status_text(MISSING), "", "",
                             *([None] * len(keys))])
                continue
            values = ledger.values(sub.id)
            rows.append([unit.code, unit.name, unit.category, status_text(st.status), sub.received_at,
                         sub.original_name, *(values.get(k) for k in keys)])
    return [*UNIT_COLUMNS, *keys], rows


def export_labels(ws: Workspace) -> tuple[list[str], list[str]]:
    """The two header rows: the statutory label of each column (what a clerk reads), then its
    stable key (what a program reads)."""
    layout = get_layout(ws.layout_id)
    labels = [*UNIT_COLUMNS, *(layout.describe(k) for k in layout.fields)]
    return labels, [*UNIT_KEYS, *layout.fields]


def export_workspace(ws: Workspace, out: str | Path) -> Path:
    """Write the table as ``.csv`` (UTF-8 with BOM, for Excel) or ``.xlsx``; returns the path.

    Row 1 holds the statutory labels, row 2 the stable keys, then one row per unit."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UnusableInput("EXPORT-FORMAT", path=str(path))
    _, rows = export_table(ws)
    labels, keys = export_labels(ws)
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(labels)
        writer.writerow(keys)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        write_atomic(path, buf.getvalue().encode("utf-8-sig"))
    else:
        write_atomic(path, _xlsx(ws, labels, keys, rows))
    return path


def _csv_cell(value: str | Number | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_cell(value)
    return show(value)


def _xlsx(ws: Workspace, labels: list[str], keys_row: list[str], rows: list[list[str | Number | None]]) -> bytes:
    import xlsxwriter

    layout = get_layout(ws.layout_id)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    grey = wb.add_format({"font_color": "#808080", "font_size": 8})
    sheet = wb.add_worksheet("数据")
    sheet.write_row(0, 0, labels, bold)
    sheet.write_row(1, 0, keys_row, grey)
    sheet.set_row(0, 60)
    sheet.set_column(len(UNIT_COLUMNS), len(labels) - 1, 16)
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(i, j, escape_cell(value))
            elif abs(Decimal(value)) >= 10**15:  # no spreadsheet number holds it (an older ledger's 10^400): as text
                sheet.write_string(i, j, show(value))
            else:
                sheet.write_number(i, j, float(value) if not isinstance(value, int) else value)
    sheet.freeze_panes(2, 2)
    sheet.set_column(1, 1, 34)
    keys = wb.add_worksheet("数据项说明")
    keys.write_row(0, 0, ("数据项", "单元格", "说明"), bold)
    for i, key in enumerate(layout.fields, start=1):
        keys.write_row(i, 0, (key, layout.cell(key), layout.describe(key)))
    keys.set_column(0, 0, 30)
    keys.set_column(2, 2, 80)
    wb.close()
    return buf.getvalue()
