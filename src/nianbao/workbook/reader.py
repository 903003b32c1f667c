"""Read a returned workbook back: safety, identification, tamper checks, values, text.

The file is checked by ``safety`` on its raw bytes first, then read in one streaming pass by
``workbook.xlsx`` (values, formulas and their cached results, locks, merges, sheet and workbook
protection, custom properties). Every number goes through ``model.read_values`` (the one normaliser); every total is
recomputed from the inputs: a total whose formula was overwritten becomes a *stated* total, so the
rules engine checks it against the sum of its parts.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from nianbao.findings import Finding, error, warning
from nianbao.layout import (
    LAYOUT_2019,
    LAYOUT_IDS,
    LAYOUTS,
    Field,
    Layout,
    Table,
    col_letter,
    get_layout,
    is_report_year,
    normalise_label,
    other_layout_id,
    split_ref,
)
from nianbao.messages import message
from nianbao.model import Loaded, Report, Unit, read_values, unit_key
from nianbao.values import normalise
from nianbao.workbook import form, table_finder
from nianbao.workbook.meta import MEMBERS_SHEET, META_SHEET, PROPERTY_PREFIX, TemplateMeta
from nianbao.workbook.safety import SafeWorkbook, WorkbookRefused, inspect_workbook
from nianbao.workbook.xlsx import (
    CellRecord,
    Package,
    SheetRecord,
    UnreadablePart,
    WorkbookRecord,
    read_package,
)

# the statutory tables' own sheets (both layouts): a workbook with them all is a template, even stripped
_TABLE_SHEETS = frozenset(t.sheet for layout in LAYOUTS.values() for t in layout.tables)

FEEDBACK_SHEET = "问题清单"  # added by ``nianbao feedback``; a returned corrected copy may keep it

# whose report, for which year: the labels of those cells of 基本信息, as the form declares them
_IDENTITY = {c.name: c.label for c in form.INFO_CELLS if c.name in ("unit_name", "unit_code", "year")}

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read_workbook(path: str | os.PathLike[str], *, expect_year: int | None = None,
                  expect_unit: str | None = None, expect_campaign: str | None = None) -> Loaded:
    """Read a returned workbook into a report and every finding made while reading it.

    Raises ``UnusableInput`` (exit code 2) for a file that is unsafe, not a workbook, or holds no
    statutory table; everything else becomes a finding naming the sheet and cell.
    """
    safe = inspect_workbook(path)
    try:
        return _Reader(safe, read_package(safe.open_zip), expect_year, expect_unit, expect_campaign).read()
    except UnreadablePart as exc:  # a part read when first needed (a sheet's cells)
        raise WorkbookRefused("E-WB-UNREADABLE", path=str(safe.path), reason=exc.reason) from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookRefused("E-WB-UNREADABLE", path=str(safe.path), reason=type(exc).__name__) from None


class _Indexes(dict[str, table_finder.Index]):
    """``table_finder.sheet_index`` of each sheet, made when first asked for (most are never needed)."""

    def __init__(self, sheets: dict[str, SheetRecord]) -> None:
        super().__init__()
        self._sheets = sheets

    def __missing__(self, title: str) -> table_finder.Index:
        index = self[title] = table_finder.sheet_index(self._sheets[title])
        return index


class _Reader:
    def __init__(self, safe: SafeWorkbook, wb: WorkbookRecord, expect_year: int | None, expect_unit: str | None,
                 expect_campaign: str | None) -> None:
        self.safe = safe
        self.path = str(safe.path)
        self.wb = wb
        self.expect_year = expect_year
        self.expect_unit = expect_unit
        self.expect_campaign = expect_campaign
        self.findings: list[Finding] = []
        self.doubtful: set[str] = set()  # keys whose cell did not hold a clean number
        self.unreadable: set[str] = set()  # keys whose cell is gone (row deleted) or covered by a merge
        self.sheets = [ws for ws in wb.sheets if ws.title not in (META_SHEET, FEEDBACK_SHEET, MEMBERS_SHEET)]
        self.indexes = _Indexes({ws.title: ws for ws in self.sheets})

    # --------------------------------------------------------------------------------------------
    def read(self) -> Loaded:
        if self.safe.has_macros:
            self.findings.append(warning("WB-MACRO", path=self.path))
        pairs = self._meta_pairs()
        meta = _meta_from(pairs)
        if meta is None and not self._template_shaped():
            return self._read_logical(pairs)
        strict = meta is not None
        if meta is not None:
            layout = get_layout(meta.layout)
            placements = self._place_by_meta(layout)
            if "t2" not in placements:  # 表二 tells the layouts apart: trust the tables over the identity
                other = LAYOUTS[other_layout_id(layout.id)]
                theirs = self._place_by_meta(other)
                if "t2" in theirs:
                    self.findings.append(warning("META-LAYOUT", expected=layout.id, actual=other.id))
                    layout, placements = other, theirs
        else:
            layout, placements = self._identify()
        mixed = self._mixed_layout(layout, placements)
        year, unit = self._identity(meta, layout)
        report = Report(layout, year, unit)
        if meta is None:
            self.findings.insert(0, warning("META-MISSING", path=self.path, layout=layout.id, year=year,
                                            unit=unit.name))
        else:
            self._check_meta(meta, layout)
            self._check_sheets(layout, placements)
            self._check_unit_marks(meta, layout, placements)
        for table in layout.tables:
            p = placements.get(table.id)
            if p is None and mixed is not None and table.id == "t3":
                self.findings.extend(table_finder.label_findings(mixed[1], strict=False))
                continue
            if p is None:
                self.findings.append(error("TABLE-MISSING", sheet=table.sheet, title=table.title))
                continue
            self.findings.extend(table_finder.label_findings(p, strict=strict))
            merged = table_finder.merged_input_findings(p)
            self.findings.extend(merged)
            self.unreadable.update(k for f in merged for k in f.keys)
            if strict:
                self.findings.extend(table_finder.merge_findings(p))
                self.findings.extend(table_finder.lock_findings(p, layout))
                self.findings.extend(table_finder.outside_findings(p, layout))
            self._read_table(report, p, strict)
        if mixed is not None:
            self._read_mixed_t3(report, *mixed)
        self._check_cached_totals(report, placements, strict)
        self._read_text(report, layout)
        self._read_info(pairs, layout, meta)
        return Loaded(report, self.findings, self.path, pairs)

    # --------------------------------------------------------------------------------------------
    # A workbook typed or pasted without the template: the logical grid
    # --------------------------------------------------------------------------------------------
    def _read_logical(self, pairs: dict[str, str]) -> Loaded:
        """Tables re-typed or pasted into a blank workbook, read through ``nianbao.sources``.

        Pasting a page puts every table on one column grid, so a logical cell spans several merged
        physical columns: the sheet is read as logical cells (each merged range one cell) and the
        tables are found by their labels, as in any published report. Findings name the sheet and
        the cell where each value was typed. A formula's cached result stands for its value.
        """
        from nianbao.errors import UnusableInput
        from nianbao.sources.grid import Document
        from nianbao.sources.locate import locate
        from nianbao.sources.xlsx import sheet_rows

        doc = Document(self.path, "xlsx")
        for ws in self.sheets:
            if ws.title in (form.INFO_SHEET, form.TEXT_SHEET) or not ws.cells:
                continue
            n_rows = max(r for r, _ in ws.cells)
            n_cols = max(c for _, c in ws.cells)
            rows: list[list[Any]] = [[None] * n_cols for _ in range(n_rows)]
            for (r, c), cell in ws.cells.items():
                # a formula stands for its cached result (a number's text; "#…" for text or errors)
                value = ws.results.get((r, c)) if cell.is_formula else cell.value
                if cell.is_formula and isinstance(value, str) and value.startswith("#"):
                    value = value[1:]
                rows[r - 1][c - 1] = value
            merges = []
            for rng in ws.merged:
                first, _, last = rng.partition(":")
                (r0, c0), (r1, c1) = split_ref(first), split_ref(last or first)
                merges.append(((r0 - 1, c0 - 1), (r1 - 1, c1 - 1)))
            sheet_rows(doc, ws.title, rows, merges)
        info_year, info_unit = self._info_identity()
        try:
            imported = locate(doc, year=self.expect_year if info_year is None else info_year,
                              unit=self.expect_unit or info_unit or None, source_rule="META-MISSING")
        except UnusableInput as exc:
            if exc.code == "E-IMPORT-NO-YEAR":
                raise WorkbookRefused("E-WB-NO-YEAR", path=self.path) from None
            raise WorkbookRefused("E-WB-NOT-TEMPLATE", path=self.path) from None
        loaded = imported.loaded
        loaded.report.headings.clear()  # a workbook's table titles are not the report's headings
        if info_year is not None and self.expect_year is not None and info_year != self.expect_year:
            loaded.findings.append(error("META-YEAR", expected=self.expect_year, actual=info_year))
        self._read_text(loaded.report, loaded.report.layout)
        self._read_info(pairs, loaded.report.layout, None)
        if self.safe.has_macros:
            loaded.findings.insert(0, warning("WB-MACRO", path=self.path))
        return Loaded(loaded.report, loaded.findings, self.path, pairs)

    def _template_shaped(self) -> bool:
        """A template whose identity was stripped: its own sheets are there (read by the template path)."""
        names = set(self.wb.sheetnames)
        return form.INFO_SHEET in names or _TABLE_SHEETS <= names

    def _info_identity(self) -> tuple[int | None, str]:
        info = self.wb.sheet(form.INFO_SHEET)
        if info is None:
            return None, ""
        year = _as_year(table_finder.value_at(info, *_rc(form.info_cell("year").ref)))
        name = str(table_finder.value_at(info, *_rc(form.info_cell("unit_name").ref)) or "").strip()
        return year, name

    # --------------------------------------------------------------------------------------------
    # Identification
    # --------------------------------------------------------------------------------------------
    def _meta_pairs(self) -> dict[str, str]:
        props = {name[len(PROPERTY_PREFIX):]: value for name, value in self.wb.properties.items()
                 if name.startswith(PROPERTY_PREFIX)}
        sheet: dict[str, str] = {}
        meta_sheet = self.wb.sheet(META_SHEET)
        if meta_sheet is not None:
            for r in sorted({r for r, c in meta_sheet.cells if c == 1}):
                name = meta_sheet.value(r, 1)
                if isinstance(name, str) and name:
                    value = meta_sheet.value(r, 2)
                    sheet[name] = "" if value is None else str(value)
        for name, value in sheet.items():
            if name in props and props[name] != value:
                if name in _IDENTITY:  # whose report, for which year: no copy can be trusted over the other
                    self.findings.append(error("META-IDENTITY", name=name, label=_IDENTITY[name],
                                               actual=props[name], expected=value))
                else:
                    self.findings.append(warning("META-CONFLICT", name=name, actual=props[name], expected=value))
        return {**sheet, **props}

    def _place_by_meta(self, layout: Layout) -> dict[str, table_finder.FoundTable]:
        out: dict[str, table_finder.FoundTable] = {}
        for table in layout.tables:
            p = table_finder.find_table(table, self.sheets, self.indexes, prefer=table.sheet)
            if p is not None:
                out[table.id] = p
        return out

    def _identify(self) -> tuple[Layout, dict[str, table_finder.FoundTable]]:
        """No metadata: the layout whose tables are found best, by labels, in any sheet."""
        best: tuple[float, Layout, dict[str, table_finder.FoundTable]] | None = None
        for layout_id in LAYOUT_IDS:
            layout = LAYOUTS[layout_id]
            placements: dict[str, table_finder.FoundTable] = {}
            for table in layout.tables:
                p = table_finder.find_table(table, self.sheets, self.indexes, prefer=table.sheet)
                if p is not None:
                    placements[table.id] = p
            # 表二 tells the layouts apart; 表三 only in its last rows
            score = sum(p.score * (3 if tid == "t2" else 1) for tid, p in placements.items())
            if placements and (best is None or score > best[0]):
                best = (score, layout, placements)
        if best is None:
            raise WorkbookRefused("E-WB-NOT-TEMPLATE", path=self.path)
        return best[1], best[2]

    def _mixed_layout(self, layout: Layout,
                      placements: dict[str, table_finder.FoundTable]) -> tuple[Layout, table_finder.FoundTable] | None:
        """A 表三 of the other layout beside this layout's 表二 (spec: mixed layouts)."""
        own = placements.get("t3")
        if own is not None and own.score >= 1:
            return None  # every label of this layout's 表三 found: no other table can fit better
        other_id = other_layout_id(layout.id)
        other = LAYOUTS[other_id]
        t3_other = other.table_by_id["t3"]
        sheets = [own.ws] if own is not None else self.sheets
        theirs = table_finder.find_table(t3_other, sheets, self.indexes, prefer=layout.table_by_id["t3"].sheet)
        if theirs is None or (own is not None and theirs.score <= own.score) or theirs.score < 0.9:
            return None
        if len({actual - declared for declared, actual in theirs.rows.items()}) > 1:
            return None  # its rows fit only with rows skipped: this layout's 表三 with altered labels
        placements.pop("t3", None)
        detail = message("LAYOUT-MIXED-ONE-ROW" if other_id == LAYOUT_2019 else "LAYOUT-MIXED-THREE-ROWS")
        # the first row of the other layout's （六）: the first row holding a key this layout lacks
        row = min(split_ref(f.ref)[0] for f in t3_other.fields if f.key not in layout.fields)
        first = min((lb for lb in t3_other.labels if split_ref(lb.ref)[0] == row), key=lambda lb: split_ref(lb.ref))
        self.findings.append(error("LAYOUT-MIXED", cells=(theirs.cell_name(first.ref),), layout=layout.id,
                                   other=other_id, detail=detail, expected=layout.id, actual=other_id))
        return other, theirs

    def _identity(self, meta: TemplateMeta | None, layout: Layout) -> tuple[int, Unit]:
        if meta is not None:
            return meta.year, Unit(meta.unit_name, meta.unit_code)
        info = self.wb.sheet(form.INFO_SHEET)
        year: int | None = None
        name = code = ""
        if info is not None:
            year = _as_year(table_finder.value_at(info, *_rc(form.info_cell("year").ref)))
            name = str(table_finder.value_at(info, *_rc(form.info_cell("unit_name").ref)) or "").strip()
            code = str(table_finder.value_at(info, *_rc(form.info_cell("unit_code").ref)) or "").strip()
        title_year, title_body = self._title()
        if year is None:
            year = title_year
        if year is not None and self.expect_year is not None and year != self.expect_year:
            self.findings.append(error("META-YEAR", expected=self.expect_year, actual=year))
        if year is None:
            year = self.expect_year
        if year is None:
            raise WorkbookRefused("E-WB-NO-YEAR", path=self.path)
        if not name:
            name = self.expect_unit or title_body or Path(self.path).stem
        return year, Unit(name, code)

    def _title(self) -> tuple[int | None, str]:
        """Year and body of a title such as ``宿迁市2023年政府信息公开工作年度报告`` above the tables
        (the body is what precedes the year); without a title, the year of any ``2023年``."""
        found = [m for ws in self.sheets for text in self.indexes[ws.title]
                 if (m := re.search(r"(20\d\d)年", text))]
        titled = [m for m in found if "报告" in m.string[m.end():]]
        if titled:
            return int(titled[0].group(1)), titled[0].string[:titled[0].start()]
        return (int(found[0].group(1)) if found else None), ""

    # --------------------------------------------------------------------------------------------
    # Checks of the whole workbook (template files only)
    # --------------------------------------------------------------------------------------------
    def _check_meta(self, meta: TemplateMeta, layout: Layout) -> None:
        if self.expect_year is not None and meta.year != self.expect_year:
            self.findings.append(error("META-YEAR", expected=self.expect_year, actual=meta.year))
        if self.expect_unit and unit_key(self.expect_unit) not in {unit_key(meta.unit_name), unit_key(meta.unit_code)}:
            self.findings.append(error("META-UNIT", expected=self.expect_unit, actual=meta.unit_name))
        if self.expect_campaign and meta.campaign != self.expect_campaign:
            self.findings.append(warning("META-CAMPAIGN", expected=self.expect_campaign,
                                         actual=meta.campaign or message("META-CAMPAIGN-NONE")))
        if meta.left_out:
            self.findings.append(warning("ROLLUP-INCOMPLETE", units="、".join(meta.left_out.split("|"))))
        if meta.fingerprint and meta.fingerprint != layout.fingerprint:
            self.findings.append(warning("META-FINGERPRINT", expected=layout.fingerprint,
                                         actual=meta.fingerprint, layout=layout.id))

    def _check_unit_marks(self, meta: TemplateMeta, layout: Layout,
                          placements: dict[str, table_finder.FoundTable]) -> None:
        """A table sheet whose hidden unit mark names another unit came from that unit's workbook."""
        own = form.unit_mark(meta.unit_code, meta.unit_name)
        for table in layout.tables:
            p = placements.get(table.id)
            if p is None:
                continue
            mark = table_finder.value_at(p.ws, *p.pos_any(form.table_placement(layout, table.sheet).unit_mark_ref))
            if isinstance(mark, str) and mark.startswith(form.UNIT_MARK_PREFIX) and mark != own:
                other = mark[len(form.UNIT_MARK_PREFIX):].partition("|")[2] or mark
                self.findings.append(error("SHEET-OTHER-UNIT", cells=(p.sheet,), sheet=p.sheet, other=other,
                                           unit=meta.unit_name))

    def _check_sheets(self, layout: Layout, placements: dict[str, table_finder.FoundTable]) -> None:
        expected = list(form.sheet_names(layout))
        actual = [ws.title for ws in self.sheets]
        renamed = {}
        for table in layout.tables:
            p = placements.get(table.id)
            if p is not None and p.sheet != table.sheet:
                renamed[p.sheet] = table.sheet
                if table.sheet not in actual:
                    self.findings.append(warning("SHEET-RENAMED", expected=table.sheet, actual=p.sheet))
        table_sheets = {t.sheet for t in layout.tables}
        for name in expected:
            if name not in actual and name not in table_sheets:
                self.findings.append(warning("SHEET-MISSING", expected=name))
        for name in actual:
            if name not in expected and name not in renamed:
                self.findings.append(warning("SHEET-EXTRA", actual=name))
        seen = [renamed.get(n, n) for n in actual if renamed.get(n, n) in expected]
        in_order = [n for n in expected if n in seen]
        if seen != in_order:
            self.findings.append(warning("SHEET-ORDER", expected="、".join(in_order), actual="、".join(seen)))
        for ws in self.sheets:
            name = renamed.get(ws.title, ws.title)
            if name in expected and not ws.protected:
                self.findings.append(warning("PROTECTION-OFF", sheet=ws.title))

    # --------------------------------------------------------------------------------------------
    # Values
    # --------------------------------------------------------------------------------------------
    def _read_table(self, report: Report, p: table_finder.FoundTable, strict: bool) -> None:
        raw_items: list[tuple[str, Any]] = []
        # a table typed without the template whose totals were typed too (copied from a published
        # report): a blank total there is a published blank, read as 0 with a warning (rule 10)
        typed_totals = not strict and any(not _blank(p.value(f.ref)) for f in p.table.fields if f.is_total)
        cells = p.ws.cells
        in_place = p.in_place
        unreadable = self.unreadable
        for f, declared_pos, is_input in table_finder.declared(p.table).fields:
            if in_place and f.key not in unreadable:  # the usual case: a number at its declared place
                c = cells.get(declared_pos)
                value = None if c is None else c.value
                if is_input and (value is None or type(value) is int or type(value) is float):
                    raw_items.append((f.key, value))
                    continue
            elif p.is_deleted(f.ref) or f.key in unreadable:
                self.doubtful.add(f.key)
                continue  # already an error; the totals around it are left out
            else:
                value = p.value(f.ref)
            # a text cell holding "=74" is text, not a formula
            formula = None if isinstance(value, str) and _is_text_cell(p.cell(f.ref)) else table_finder.formula_text(value)
            if formula is None and is_input and not isinstance(value, str):  # the usual case: a number
                raw_items.append((f.key, value))
            elif is_input:
                raw_items.append((f.key, self._read_input(report.layout, p, f, value, formula)))
            elif self._read_total(report.layout, p, f, value, formula, strict) or (typed_totals and _blank(value)):
                raw_items.append((f.key, value))
        self._read_values(report, p, raw_items)

    def _read_input(self, layout: Layout, p: table_finder.FoundTable, f: Field, value: Any,
                    formula: str | None) -> Any:
        """An input cell holding text or a formula: what is read for it, with the findings about it."""
        cell = p.cell_name(f.ref)
        if isinstance(value, str):
            self.doubtful.add(f.key)  # text: a spreadsheet's SUM leaves it out
            if formula is None and value.strip():
                n = normalise(value, f.kind)
                if n.value is not None and n.issue is None:
                    self.findings.append(warning("NUMBER-AS-TEXT", keys=(f.key,), cells=(cell,), cell=cell,
                                                 actual=n.value, where=layout.describe(f.key), raw=value))
        if formula is None:
            return value
        self.findings.append(warning("INPUT-FORMULA", keys=(f.key,), cells=(cell,), cell=cell,
                                     where=layout.describe(f.key), raw=formula))
        return p.ws.cached(p.ref(f.ref))

    def _read_total(self, layout: Layout, p: table_finder.FoundTable, f: Field, value: Any,
                    formula: str | None, strict: bool) -> bool:
        """A total cell: whether its value is read as a stated total (a constant where the template
        has a formula, checked by the rules); an altered formula is an error in a template."""
        cell = p.cell_name(f.ref)
        if formula is not None:
            refs = _formula_cells(formula)
            if p.in_place:  # the table where the layout declares it: the declared parts
                want = _declared_parts(layout.id, f.key)
            else:
                want = tuple(sorted({p.ref(layout.fields[k].ref) for k in f.parts
                                     if not p.is_deleted(layout.fields[k].ref)}))
            intact = refs is not None and (refs == want or (p.shifted and _covers(p, list(refs), list(want))))
            if strict and not intact:  # intact: the total is recomputed from the inputs
                self.findings.append(error("FORMULA-ALTERED", keys=(f.key,), cells=(cell,), cell=cell,
                                           where=layout.describe(f.key), actual=formula,
                                           detail=message("FORMULA-ALTERED-CHANGED", formula=formula)))
            return False
        if _blank(value):
            if strict:
                self.findings.append(error("FORMULA-ALTERED", keys=(f.key,), cells=(cell,), cell=cell,
                                           where=layout.describe(f.key), actual="",
                                           detail=message("FORMULA-ALTERED-DELETED")))
            return False  # (a table typed without the template: a published blank, see _read_table)
        if strict:
            shown = normalise(value, f.kind).raw or str(value)
            self.findings.append(error("FORMULA-ALTERED", keys=(f.key,), cells=(cell,), cell=cell,
                                       where=layout.describe(f.key), actual=value,
                                       detail=message("FORMULA-ALTERED-CONSTANT", shown=shown)))
        return True

    def _read_values(self, report: Report, p: table_finder.FoundTable, items: list[tuple[str, Any]]) -> None:
        """``model.read_values``, with each finding's cell renamed to where the value really was."""
        layout = report.layout
        for finding in read_values(report, items):
            key = finding.keys[0]
            actual_cell = p.cell_name(layout.fields[key].ref)
            declared = layout.cell(key)
            if actual_cell != declared:
                finding = type(finding)(finding.rule, finding.severity,
                                        finding.message.replace(declared, actual_cell), finding.keys,
                                        (actual_cell,), finding.expected, finding.actual)
            self.findings.append(finding)
            self.doubtful.add(key)

    def _read_mixed_t3(self, report: Report, other: Layout, p: table_finder.FoundTable) -> None:
        """Read a 表三 of the other layout into this layout's keys (the （六） rows differ).

        Read as any table (typed totals, blanks and notes included), then mapped: a 2019 （六） row
        goes to 3.其他 of 2021 (the two other 2021 rows, never published, are 0); the three 2021
        rows are summed into the 2019 （六）.
        """
        tmp = Report(other, report.year, report.unit)
        first = len(self.findings)
        self._read_table(tmp, p, strict=False)
        values = tmp.values
        sixth = ("t3.other_no_correction", "t3.other_unpaid_fee", "t3.other_other")
        typed_totals = any(other.fields[k].is_total for k in values)

        def mapped(key: str) -> str:  # an other-layout key in this layout
            row, column = key.split(".")[1:]
            if key in report.layout.fields:
                return key
            return f"t3.other_other.{column}" if row == "other" else f"t3.other.{column}"

        for i in range(first, len(self.findings)):
            f = self.findings[i]
            keys = tuple(mapped(k) for k in f.keys)
            if keys != f.keys:
                self.findings[i] = type(f)(f.rule, f.severity, f.message, keys, f.cells, f.expected, f.actual)
        for key, field_ in report.layout.fields.items():
            if not key.startswith("t3."):
                continue
            column = key.rsplit(".", 1)[1]
            if key in values:
                report.values[key] = values[key]
            elif key.startswith("t3.other."):  # 2019 keys from a 2021 表三: the three items summed
                parts = [values.get(f"{s}.{column}") for s in sixth]
                if all(v is not None for v in parts):
                    report.values[key] = sum(parts)  # type: ignore[arg-type]
            elif key.startswith("t3.other_other."):  # 2021 keys from a 2019 表三: all under 3.其他
                v = values.get(f"t3.other.{column}")
                if v is not None:
                    report.values[key] = v
            elif key.startswith(sixth) and (field_.is_input or typed_totals):
                report.values[key] = 0  # a 2021 （六） row the 2019 表三 does not have

    def _check_cached_totals(self, report: Report, placements: dict[str, table_finder.FoundTable],
                             strict: bool) -> None:
        layout = report.layout
        computed = report.computed_totals()
        for key in layout.totals:
            if key in report.values or key not in computed:
                continue
            f = layout.fields[key]
            p = placements.get(f.table)
            if p is None or (self.doubtful and _depends_on(layout, key, self.doubtful)):
                continue  # a cell with text makes the spreadsheet's sum differ: already reported
            cached = p.ws.cached(p.ref(f.ref))
            number = _as_number(cached)
            if number is not None and number != computed[key]:
                cell = p.cell_name(f.ref)
                self.findings.append(warning("TOTAL-STALE", keys=(key,), cells=(cell,), cell=cell,
                                             where=layout.describe(key), expected=computed[key],
                                             actual=number))

    # --------------------------------------------------------------------------------------------
    # Text and 基本信息
    # --------------------------------------------------------------------------------------------
    def _read_text(self, report: Report, layout: Layout) -> None:
        ws = self.wb.sheet(form.TEXT_SHEET)
        if ws is None:
            return
        # Find each section by its heading, so a workbook made by another nianbao version (whose
        # form placed the sections elsewhere) is still read right; fall back to the declared cell.
        heading_rows = {normalise_label(str(v)): r for (r, c), cell in ws.cells.items()
                        if c == 1 and isinstance(v := cell.value, str)}
        cells = form.text_cells(layout)
        by_heading = any(normalise_label(tc.heading) in heading_rows for tc in cells)
        for tc in cells:
            h_row, col = _rc(tc.heading_ref)
            if by_heading:
                if normalise_label(tc.heading) not in heading_rows:
                    continue  # a section this workbook's form does not have (e.g. an older version)
                h_row = heading_rows[normalise_label(tc.heading)]
            value = table_finder.value_at(ws, h_row + _rc(tc.ref)[0] - _rc(tc.heading_ref)[0], col)
            if value is None:
                continue
            text = str(value)
            if "_x" in text:  # openpyxl drops the escape of a literal "_x000D_": read the cell's own XML
                ref = f"{col_letter(col)}{h_row + _rc(tc.ref)[0] - _rc(tc.heading_ref)[0]}"
                text = _raw_texts(self.safe, form.TEXT_SHEET).get(ref, unescape_ooxml(text))
            text = text.strip()  # CR and LF exactly as typed
            if text:
                report.text[tc.section] = text

    def _read_info(self, pairs: dict[str, str], layout: Layout, meta: TemplateMeta | None) -> None:
        ws = self.wb.sheet(form.INFO_SHEET)
        if ws is None:
            return
        for ic in form.INFO_CELLS:
            value = table_finder.value_at(ws, *_rc(ic.ref))
            if ic.editable:
                if value is not None and str(value).strip():
                    pairs[ic.name] = unescape_ooxml(str(value)).strip()
                continue
            if meta is None:
                continue
            expected = {"unit_name": meta.unit_name, "unit_code": meta.unit_code, "year": str(meta.year),
                        "layout": form.layout_text(layout)}.get(ic.name)
            shown = "" if value is None else str(value)
            if ic.name == "year" and _as_year(value) == meta.year:
                continue
            same = unit_key if ic.name in ("unit_name", "unit_code") else normalise_label
            if expected is not None and same(shown) != same(expected):
                cell = f"{form.INFO_SHEET}!{ic.ref}"
                self.findings.append(warning("INFO-ALTERED", cells=(cell,), cell=cell, label=ic.label,
                                             expected=expected, actual=shown))


@functools.lru_cache(maxsize=4096)  # the same few hundred formulas in every workbook of a layout
def _cached_formula_cells(formula: str) -> tuple[str, ...] | None:
    refs = table_finder.formula_cells(formula)
    return None if refs is None else tuple(sorted(refs))


def _formula_cells(formula: str) -> tuple[str, ...] | None:
    """The cells a plain sum formula adds, sorted (``table_finder.formula_cells``; short ones remembered)."""
    if len(formula) <= 400:
        return _cached_formula_cells(formula)
    refs = table_finder.formula_cells(formula)
    return None if refs is None else tuple(sorted(refs))


@functools.lru_cache(maxsize=1024)
def _declared_parts(layout_id: str, key: str) -> tuple[str, ...]:
    layout = LAYOUTS[layout_id]
    return tuple(sorted({layout.fields[k].ref for k in layout.fields[key].parts}))


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _raw_texts(safe: SafeWorkbook, sheet: str) -> dict[str, str]:
    """``{ref: text}`` of the text cells of one sheet, from its XML and the shared strings, with the
    OOXML escapes (``_x000D_`` for CR, ``_x005F_`` for a literal underscore) decoded exactly."""
    with safe.open_zip() as zf:
        part = _sheet_part(zf, sheet)
        if part is None:
            return {}
        shared: list[str] = []
        if "xl/sharedStrings.xml" in zf.namelist():
            with zf.open("xl/sharedStrings.xml") as fh:
                for _, el in SafeET.iterparse(fh, events=("end",)):
                    if el.tag == f"{_NS}si":  # plain <t>, or rich-text runs <r><t>; phonetic <rPh> is not text
                        shared.append(_si_text(el))
                        el.clear()
        out: dict[str, str] = {}
        with zf.open(part) as fh:
            for _, el in SafeET.iterparse(fh, events=("end",)):
                if el.tag != f"{_NS}c":
                    continue
                kind, ref = el.get("t", "n"), el.get("r", "")
                v = el.find(f"{_NS}v")
                if kind == "s" and v is not None and (v.text or "").isdigit() and int(v.text or 0) < len(shared):
                    out[ref] = unescape_ooxml(shared[int(v.text or 0)])
                elif kind == "inlineStr" and (inline := el.find(f"{_NS}is")) is not None:
                    out[ref] = unescape_ooxml(_si_text(inline))
                elif kind == "str" and v is not None:
                    out[ref] = unescape_ooxml(v.text or "")
                el.clear()
        return out


def _si_text(si: Element) -> str:
    parts = []
    for child in si:
        if child.tag == f"{_NS}t":
            parts.append(child.text or "")
        elif child.tag == f"{_NS}r":
            t = child.find(f"{_NS}t")
            parts.append(t.text or "" if t is not None else "")
    return "".join(parts)


def unescape_ooxml(text: str) -> str:
    """A cell's text as typed: OOXML writes a carriage return (and other control characters) as
    ``_x000D_`` and a literal ``_x…_`` with its underscore escaped (``_x005F_``); openpyxl leaves both."""
    if "_x" not in text:
        return text
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        return m.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return _OOXML_ESCAPE.sub(char, text)


def _is_text_cell(cell: CellRecord | None) -> bool:
    return cell is not None and isinstance(cell.value, str) and not cell.is_formula


def _sheet_part(zf: Package, sheet: str) -> str | None:
    try:
        book: Element = SafeET.fromstring(zf.read("xl/workbook.xml"))
        rels: Element = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, SafeET.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    for s in book.iter(f"{_NS}sheet"):
        if s.get("name") == sheet:
            target = targets.get(s.get(f"{_REL_NS}id"))
            if not target:
                return None
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return part if part in zf.namelist() else None
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _covers(p: table_finder.FoundTable, refs: list[str], want: list[str]) -> bool:
    """A formula that adds its parts and empty cells only: a spreadsheet widens a sum over inserted columns."""
    from nianbao.layout import split_ref

    extra = set(refs) - set(want)
    return set(want) <= set(refs) and all(table_finder.value_at(p.ws, *split_ref(r)) in (None, "") for r in extra)


def _depends_on(layout: Layout, key: str, keys: set[str]) -> bool:
    f = layout.fields[key]
    return any(p in keys or (layout.fields[p].is_total and _depends_on(layout, p, keys)) for p in f.parts)


def _meta_from(pairs: dict[str, str]) -> TemplateMeta | None:
    try:
        meta = TemplateMeta.from_pairs(pairs)
    except (KeyError, ValueError):
        return None
    return meta if meta.layout in LAYOUTS and meta.unit_name else None


def _as_number(text: str | None) -> Decimal | None:
    if text is None or text.startswith("#"):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    # XML holds binary doubles as shortest text; round-trip through float to match the normaliser
    return Decimal(repr(float(number))) if number != number.to_integral_value() else number


def _as_year(value: Any) -> int | None:
    """The report year a cell gives (``layout.is_report_year``): a whole number, or the first year
    written in a text (``2023年度``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year in a number cell, as a program that writes floats stores it
    if isinstance(value, int):
        return value if is_report_year(value) else None
    if isinstance(value, str):
        m = re.search(r"(19|20|21)\d\d", normalise_label(value))
        if m and is_report_year(year := int(m.group(0))):
            return year
    return None


def _rc(ref: str) -> tuple[int, int]:
    from nianbao.layout import split_ref

    return split_ref(ref)


__all__ = ["Table", "read_workbook"]
