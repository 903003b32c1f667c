#!/usr/bin/python3
"""LibreOffice edits a clerk makes beyond typing into cells, for ``make.py``.

Runs under Debian's ``/usr/bin/python3`` (the one with ``uno``) and reuses the test harness's
driver (``tests/lo/uno_driver.py``: profile, start, watchdog, cleanup), adding one op::

    {"op": "edit", "src": "/abs/in.xlsx", "dst": "/abs/out.xlsx", "filter": "Calc MS Excel 2007 XML",
     "steps": [
        {"do": "string" | "value" | "formula", "sheet": "表三", "cell": "D4", "arg": ...},
        {"do": "input", "sheet": "表三", "cell": "F5", "arg": "2023/1/5"},   # as typed (number recognition)
        {"do": "unprotect", "sheet": "表三"}, {"do": "unprotect_book"},
        {"do": "merge", "sheet": "表三", "range": "D4:E4"},
        {"do": "insert_cols", "sheet": "表三", "col": 3, "count": 1},     # 0-based column index
        {"do": "delete_rows", "sheet": "表三", "row": 9, "count": 1},     # 0-based row index
        {"do": "move_sheet", "sheet": "表三", "to": 2},
        {"do": "hide_sheet", "sheet": "表四"},
        {"do": "copy_sheet_from", "from": "/abs/other.xlsx", "sheet": "表三", "as": "表三", "to": 4}
     ]}
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lo"))

import uno_driver as d


def _sheet(doc, name):
    return d._sheet(doc, name)


def op_edit(office, action):
    doc = office.load_spreadsheet(action["src"])
    try:
        for step in action.get("steps", []):
            do = step["do"]
            if do in ("string", "value", "formula", "input"):
                cell = _sheet(doc, step["sheet"]).getCellRangeByName(step["cell"])
                if do == "string":
                    cell.setString(step["arg"])
                elif do == "value":
                    cell.setValue(float(step["arg"]))
                else:
                    cell.setFormula(step["arg"])  # non-formula text is recognised as when typed
            elif do == "unprotect":  # what a clerk does first (no password set by default)
                _sheet(doc, step["sheet"]).unprotect(step.get("password", ""))
            elif do == "unprotect_book":
                doc.unprotect(step.get("password", ""))
            elif do == "merge":
                _sheet(doc, step["sheet"]).getCellRangeByName(step["range"]).merge(True)
            elif do == "insert_cols":
                _sheet(doc, step["sheet"]).Columns.insertByIndex(step["col"], step.get("count", 1))
            elif do == "delete_rows":
                _sheet(doc, step["sheet"]).Rows.removeByIndex(step["row"], step.get("count", 1))
            elif do == "move_sheet":
                doc.Sheets.moveByName(step["sheet"], step["to"])
            elif do == "hide_sheet":
                _sheet(doc, step["sheet"]).IsVisible = False
            elif do == "copy_sheet_from":
                other = office.load_spreadsheet(step["from"])
                try:
                    if doc.Sheets.hasByName(step["as"]):
                        doc.Sheets.removeByName(step["as"])
                    doc.Sheets.importSheet(other, step["sheet"], step["to"])
                finally:
                    office.close_doc(other)
            else:
                raise d.JobError(f"unknown step {do!r}")
        doc.calculateAll()
        dst = action["dst"]
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        props = d._props(FilterName=action.get("filter", d.XLSX_FILTER), Overwrite=True)
        doc.storeToURL(d._url(dst), props)
    finally:
        office.close_doc(doc)
    return {"op": "edit", "dst": action["dst"]}


d.OPS["edit"] = op_edit

if __name__ == "__main__":
    sys.exit(d.main(sys.argv))
