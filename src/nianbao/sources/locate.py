"""Find the statutory tables and the report's text in a :class:`~nianbao.sources.grid.Document`.

One locator for every source form. Tables are found by their labels (``layout`` declares them), never
by position: each grid row is split into its labels (leading text cells) and its values (the cells
after them); the data rows of 表二/表三 are matched in order to the declared rows by their last
label (variants and typos allowed, a row whose label is not recognised is taken by its place
between recognised ones); 表四 is read from its one row of fifteen numbers or from three labelled
rows of five. Every number goes through the one value normaliser (``model.read_values``).

Never guess: a cell whose text runs into its neighbour (``规范性文件898989``), a row whose number of
values does not tell which value is which column, a row missing because the table was cut off — the
cells of that row stay unread, with an error finding naming table, row and column and the raw text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from nianbao.errors import UnusableInput
from nianbao.findings import Finding, error, warning
from nianbao.layout import (
    LAYOUT_2019,
    LAYOUT_IDS,
    LAYOUTS,
    SIXTH_OTHER_2021,
    SIXTH_ROW_2019,
    SIXTH_ROWS_2021,
    T3_COLUMNS,
    T4_GROUPS,
    T4_RESULTS,
    Field,
    Layout,
    Table,
    default_layout_id,
    normalise_label,
    other_layout_id,
    split_ref,
)
from nianbao.messages import message
from nianbao.model import Loaded, Report, Unit, read_values
from nianbao.sources.grid import Cell, Document, clean
from nianbao.values import BLANK_MARKERS

# ------------------------------------------------------------------------------------------------
# Cells: label or value
# ------------------------------------------------------------------------------------------------

_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_VALUE = re.compile(rf"^{_NUM}$")
_NOTED = re.compile(rf"^{_NUM}(?:[（(].*[)）]|万元|元|件|条|个|项|次|人次)$")
_RUN_TOGETHER = re.compile(r"^(?P<label>.*\D)(?P<digits>\d+)$")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", clean(text))


def is_value(text: str) -> bool:
    """A cell that holds a number (with or without a note) or is blank."""
    t = squeeze(text)
    return t in BLANK_MARKERS or bool(_VALUE.match(t)) or bool(_NOTED.match(t))


def canon(text: str) -> str:
    """A label as compared: ``normalise_label``, ``1、`` as ``1.``, no trailing colon."""
    t = normalise_label(clean(text))
    t = re.sub(r"^(\d+)[、.．]", r"\1.", t)
    return t.rstrip(":：")


def label_score(got: str, want: str) -> float:
    g, w = canon(got), canon(want)
    if not g or not w:
        return 0.0
    if g == w:
        return 1.0
    if len(g) >= 4 and (w.startswith(g) or g.startswith(w)):
        return 0.9
    if len(g) >= 4 and (g in w or w in g):
        return 0.8
    ratio = difflib.SequenceMatcher(None, g, w, autojunk=False).ratio()
    return ratio if ratio >= 0.6 else 0.0


@dataclass
class Row:
    """A grid row as labels and values."""

    labels: list[Cell]
    values: list[Cell]
    grid: str
    number: int  # 1-based row number in its grid

    @property
    def filled(self) -> bool:
        """Some value cell holds something (a header row may end in blank cells)."""
        return any(not c.blank for c in self.values)

    @property
    def label(self) -> str:
        """The row's own label: the last label cell, or the last two joined when a Word-pasted page
        split one label over two cells (``（二）部分公开（区分处理的，`` | ``只计这一情形…）``)."""
        if len(self.labels) >= 2 and _split_label(self.labels[-2].text, self.labels[-1].text):
            return self.labels[-2].text + self.labels[-1].text
        return self.labels[-1].text if self.labels else ""

    @property
    def where(self) -> str:
        cells = self.labels or self.values
        return cells[0].where if cells and cells[0].where else f"{self.grid}第{self.number}行"


def _split_label(first: str, second: str) -> bool:
    """Two label cells that are one label cut in two: the first has an unclosed bracket, or the
    second starts with no numbering of its own and joined they are a known label."""
    a, b = canon(first), canon(second)
    if a.count("(") > a.count(")"):
        return True
    if re.match(r"^(\d+\.|\([一二三四五六七八九]\)|[一二三四五六七八九]、)", b):
        return False
    return (a + b) in known_labels() and b not in known_labels()


def split_row(cells: list[Cell], grid: str, number: int) -> Row:
    """Labels: the text cells before the first number (blank cells between them skipped);
    values: the cells after the last label, up to the next text cell."""
    last = -1
    for i, c in enumerate(cells):
        if c.blank:
            continue
        if is_value(c.text):
            break
        last = i
    labels = [c for c in cells[:last + 1] if not c.blank]
    values: list[Cell] = []
    for c in cells[last + 1:]:
        if not c.blank and not is_value(c.text):
            break
        values.append(c)
    return Row(labels, values, grid, number)


def rows_of(doc: Document) -> list[Row]:
    out: list[Row] = []
    for grid in doc.grids:
        for n, cells in enumerate(grid.rows, start=1):
            row = split_row(cells, grid.name, n)
            if row.labels or row.values:
                out.append(row)
    return out


# ------------------------------------------------------------------------------------------------
# Declared rows
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    table: Table
    row: int
    label: str  # the row's own (last) label
    fields: tuple[Field, ...]  # in column order


@cache
def declared_rows(layout_id: str, table_id: str) -> tuple[Declared, ...]:
    table = LAYOUTS[layout_id].table_by_id[table_id]
    by_row: dict[int, list[Field]] = {}
    for f in table.fields:
        by_row.setdefault(split_ref(f.ref)[0], []).append(f)
    out = []
    for r, fields in sorted(by_row.items()):
        fields.sort(key=lambda f: split_ref(f.ref)[1])
        first_col = split_ref(fields[0].ref)[1]
        labels = [lb for lb in table.labels if split_ref(lb.ref)[0] == r and split_ref(lb.ref)[1] < first_col]
        label = max(labels, key=lambda lb: split_ref(lb.ref)[1]).text if labels else ""
        out.append(Declared(table, r, label, tuple(fields)))
    return tuple(out)


# ------------------------------------------------------------------------------------------------
# Result of locating
# ------------------------------------------------------------------------------------------------


@dataclass
class Reading:
    """What the locator took from the tables: raw text per key, where it was, and findings."""

    raw: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    unread: dict[str, str] = field(default_factory=dict)  # key → raw text of a cell that stays unread
    findings: list[Finding] = field(default_factory=list)
    label_where: dict[str, str] = field(default_factory=dict)  # key → where its row's label was
    matched: int = 0  # declared rows found by their label
    found: set[str] = field(default_factory=set)  # table ids found

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.value == "error"]

    def take(self, d: Declared, row: Row, values: list[Cell]) -> None:
        for f, cell in zip(d.fields, values, strict=True):
            self.raw[f.key] = cell.text
            self.where[f.key] = cell.where or row.where
            self.label_where[f.key] = row.labels[-1].where if row.labels else row.where

    def leave(self, d: Declared, raw: str, code: str, where: str, **fmt: object) -> None:
        keys = tuple(f.key for f in d.fields)
        for k in keys:
            self.unread[k] = raw
        self.findings.append(error(code, keys=keys, cells=(where,), actual=raw, sheet=d.table.sheet,
                                   row=d.fields[0].row_label, columns=_columns(d), raw=raw, where=where,
                                   count=fmt.get("count", 0), expected_count=len(d.fields)))


def _columns(d: Declared) -> str:
    cols = [f.col_label for f in d.fields if f.col_label]
    return "、".join(cols) if cols else "各列"


# ------------------------------------------------------------------------------------------------
# 表二 and 表三: declared rows matched in order
# ------------------------------------------------------------------------------------------------


def _row_values(d: Declared, row: Row) -> list[Cell] | None:
    """The row's values for the declared fields, or None when the count does not tell the columns."""
    vals = list(row.values)
    n = len(d.fields)
    while len(vals) > n and vals[-1].blank:
        vals.pop()
    while len(vals) > n and vals[0].blank:
        vals.pop(0)
    return vals if len(vals) == n else None


def _run_together(d: Declared, row: Row) -> bool:
    """The row's label with digits glued to it (``规范性文件898989``): cells joined, no separator."""
    m = _RUN_TOGETHER.match(squeeze(row.label))
    return m is not None and not row.filled and label_score(m.group("label"), d.label) >= 0.8


def walk(decl: tuple[Declared, ...], rows: list[Row], start: int, reading: Reading, *,
         stop_labels: tuple[str, ...] = ()) -> int:
    """Match the declared rows in order to the data rows from ``start``; return where it ended."""
    j = start
    for k, d in enumerate(decl):
        later = decl[k + 1:]
        hit = None
        for ahead in range(j, min(j + 12, len(rows))):
            row = rows[ahead]
            if any(label_score(row.label, s) >= 0.9 for s in stop_labels):
                break
            if not (row.values or _run_together(d, row)):
                continue  # header and group rows
            if _run_together(d, row):
                hit = ahead
                break
            score = label_score(row.label, d.label) if row.labels else 0.0
            # a row is this one's only if no later declared row fits its label better
            if score >= 0.6 and score >= max((label_score(row.label, x.label) for x in later[:12]), default=0):
                hit = ahead
                break
        if hit is None:
            # not recognised: take the next data row by its place if its label is no later row's
            cand = next((i for i in range(j, min(j + 8, len(rows)))
                         if any(not c.blank for c in rows[i].values)), None)
            if cand is not None and rows[cand].labels and not any(
                    label_score(rows[cand].label, x.label) >= 0.8 for x in later) and not any(
                    label_score(rows[cand].label, s) >= 0.9 for s in stop_labels):
                hit = cand
                where = rows[cand].labels[-1].where or rows[cand].where
                reading.findings.append(warning(
                    "LABEL-VARIANT", keys=tuple(f.key for f in d.fields), cells=(where,),
                    cell=where, expected=d.label, actual=" ".join(rows[cand].label.split())))
        if hit is None:
            if not any(_findable(x, rows, j) for x in later):
                _cut_off(decl[k:], rows[j - 1].where if 0 < j <= len(rows) else "", reading)
                return j
            reading.leave(d, "", "IMPORT-ROW-MISSING", rows[j - 1].where if 0 < j <= len(rows) else "")
            continue
        row = rows[hit]
        j = hit + 1
        reading.matched += 1
        if row.labels and label_score(row.label, d.label) >= 0.6 and \
                normalise_label(row.label) != normalise_label(d.label):
            where = row.labels[-1].where or row.where
            reading.findings.append(warning(
                "LABEL-VARIANT", keys=tuple(f.key for f in d.fields), cells=(where,), cell=where,
                expected=d.label, actual=" ".join(row.label.split())))
        if _run_together(d, row):
            reading.leave(d, clean(row.label), "IMPORT-RUN-TOGETHER", row.labels[-1].where or row.where)
            continue
        vals = _row_values(d, row)
        if vals is None:
            raw = " ".join(clean(c.text) or "（空）" for c in row.values)
            reading.leave(d, raw, "IMPORT-COLUMNS", row.where, count=len(row.values))
            continue
        reading.take(d, row, vals)
    return j


def _findable(d: Declared, rows: list[Row], j: int) -> bool:
    return any(r.labels and label_score(r.label, d.label) >= 0.8 for r in rows[j:j + 40])


def _cut_off(missing: tuple[Declared, ...], where: str, reading: Reading) -> None:
    """The table ends before its last rows (a report cut off): one finding for all of them."""
    keys = tuple(f.key for d in missing for f in d.fields)
    for k in keys:
        reading.unread[k] = ""
    first = missing[0]
    reading.findings.append(error("IMPORT-TABLE-CUT", keys=keys, cells=(where,) if where else (),
                                  sheet=first.table.sheet, row=first.fields[0].row_label, count=len(missing),
                                  where=where or "表格开头"))


def _start(rows: list[Row], label: str, threshold: float = 0.9) -> int | None:
    for i, row in enumerate(rows):
        if row.filled and row.labels and label_score(row.label, label) >= threshold:
            return i
    return None


def read_t2(layout: Layout, rows: list[Row], reading: Reading) -> None:
    decl = declared_rows(layout.id, "t2")
    i = _start(rows, decl[0].label, 0.6)
    if i is None:
        return
    reading.found.add("t2")
    walk(decl, rows, i, reading, stop_labels=(declared_rows(layout.id, "t3")[0].label,))


def _headings_found(layout: Layout, rows: list[Row]) -> int:
    t2 = layout.table_by_id["t2"]
    own = {canon(lb.text) for lb in t2.labels if split_ref(lb.ref)[1] > 1}
    other = LAYOUTS[other_layout_id(layout.id)].table_by_id["t2"]
    own -= {canon(lb.text) for lb in other.labels}
    seen = {canon(c.text) for r in rows for c in r.labels}
    return sum(1 for h in own if h in seen or any(label_score(x, h) >= 0.9 for x in seen if len(x) >= 4))


def t3_variant_score(layout_id: str, rows: list[Row], start: int) -> float:
    probe = Reading()
    walk(declared_rows(layout_id, "t3"), rows, start, probe)
    return probe.matched - 2 * len(probe.errors)


def read_t3(layout: Layout, rows: list[Row], reading: Reading) -> tuple[str, str] | None:
    """Read 表三; returns the other layout's id and where its （六） row is when the table is the
    other layout's (mixed layouts)."""
    decl = declared_rows(layout.id, "t3")
    i = _start(rows, decl[0].label, 0.8)
    if i is None:
        return None
    reading.found.add("t3")
    other = other_layout_id(layout.id)
    if t3_variant_score(other, rows, i) > t3_variant_score(layout.id, rows, i):
        tmp = Reading()
        walk(declared_rows(other, "t3"), rows, i, tmp)
        _map_mixed(layout, other, tmp, reading)
        first = f"{SIXTH_ROW_2019 if other == LAYOUT_2019 else SIXTH_ROWS_2021[0]}.natural"
        return other, tmp.label_where.get(first, "")
    walk(decl, rows, i, reading)
    return None


def _map_mixed(layout: Layout, other: str, tmp: Reading, reading: Reading) -> None:
    """A 表三 of the other layout read into this layout's keys (spec: mixed layouts)."""
    reading.findings.extend(tmp.findings)
    sixth = SIXTH_ROWS_2021
    for key, raw in tmp.raw.items():
        if key in layout.fields:
            reading.raw[key], reading.where[key] = raw, tmp.where[key]
        elif key.startswith(SIXTH_ROW_2019 + "."):  # 2019 （六） → 2021 3.其他
            col = key.rsplit(".", 1)[1]
            reading.raw[f"{SIXTH_OTHER_2021}.{col}"] = raw
            reading.where[f"{SIXTH_OTHER_2021}.{col}"] = tmp.where[key]
    if other == LAYOUT_2019:
        for prefix in sixth[:2]:
            for f in layout.fields.values():
                if f.key.startswith(prefix + "."):
                    reading.raw.setdefault(f.key, "0")
    else:  # a 2021 表三 in a 2019 report: the three （六） rows summed into （六）其他处理
        from nianbao.values import normalise

        for col, _ in T3_COLUMNS:
            parts = [normalise(tmp.raw.get(f"{s}.{col}"), layout.fields[f"{SIXTH_ROW_2019}.natural"].kind).value
                     for s in sixth]
            if all(p is not None for p in parts):
                reading.raw[f"{SIXTH_ROW_2019}.{col}"] = str(sum(parts))  # type: ignore[arg-type]
    for key, raw in tmp.unread.items():
        if key in layout.fields:
            reading.unread[key] = raw


# ------------------------------------------------------------------------------------------------
# 表四
# ------------------------------------------------------------------------------------------------

# 表四's three groups as a retyped table names its rows: "复议后起诉" or "行政诉讼/复议后起诉"
# (layout.T4_GROUPS writes a group under 行政诉讼 as "行政诉讼·复议后起诉").
_T4_ROWS = tuple((key, (label.split("·")[-1], *(["/".join(label.split("·"))] if "·" in label else [])))
                 for key, label in T4_GROUPS)
_T4_REVIEW, _T4_SUIT = T4_GROUPS[0][1], T4_GROUPS[1][1].split("·")[0]  # 行政复议, 行政诉讼


@cache
def known_labels() -> frozenset[str]:
    """Every statutory label as compared (``canon``), with the names a retyped 表四 or 表三 row
    commonly carries: what tells a table's label line from prose in a copied text."""
    out = {canon(lb.text) for lay in LAYOUTS.values() for t in lay.tables for lb in t.labels}
    out |= {canon(name) for _, names in _T4_ROWS for name in names[1:]}
    out |= {"1.逾期不补正", "2.逾期不缴费"}
    return frozenset(out)


def read_t4(layout: Layout, rows: list[Row], reading: Reading, after: int = 0) -> None:
    t4 = layout.table_by_id["t4"]
    fields = {f.key: f for f in t4.fields}
    groups = [[fields[f"t4.{g}.{r}"] for r, _ in T4_RESULTS]
              for g, _ in _T4_ROWS]
    for i in range(after, len(rows)):
        row = rows[i]
        # three labelled rows of five
        if row.filled and label_score(row.label, _T4_REVIEW) >= 0.9:
            reading.found.add("t4")
            j = i
            for (_, names), gfields in zip(_T4_ROWS, groups, strict=True):
                d = Declared(t4, 4, names[0], tuple(gfields))
                cand = rows[j] if j < len(rows) else None
                if cand is None or not any(label_score(cand.label, n) >= 0.8 for n in names):
                    reading.leave(d, "", "IMPORT-ROW-MISSING", row.where)
                    continue
                j += 1
                reading.matched += 1
                vals = _row_values(d, cand)
                if vals is None:
                    reading.leave(d, " ".join(clean(c.text) or "（空）" for c in cand.values), "IMPORT-COLUMNS",
                                  cand.where, count=len(cand.values))
                else:
                    reading.take(d, cand, vals)
            return
        # the statutory form: a header with 行政复议 and 行政诉讼, then one row of fifteen
        heads = {canon(c.text) for r in rows[i:i + 4] for c in r.labels if not r.filled}
        if _T4_REVIEW in {canon(c.text) for c in row.labels} and not row.filled and _T4_SUIT in heads:
            reading.found.add("t4")
            d = Declared(t4, 4, "", tuple(f for g in groups for f in g))
            for k in range(i + 1, min(i + 30, len(rows))):
                cand = rows[k]
                if sum(not c.blank for c in cand.values) >= 3 and len(cand.values) >= 5:
                    reading.matched += 1
                    vals = _row_values(d, cand)
                    if vals is None:
                        reading.leave(d, " ".join(clean(c.text) or "（空）" for c in cand.values),
                                      "IMPORT-COLUMNS", cand.where, count=len(cand.values))
                    else:
                        reading.take(d, cand, vals)
                    return
            reading.leave(d, "", "IMPORT-ROW-MISSING", row.where)
            return


# ------------------------------------------------------------------------------------------------
# Title, date, preface and sections
# ------------------------------------------------------------------------------------------------

_TITLE = re.compile(r"政府信息公开.{0,6}(年度)?报告")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")
_DATE = re.compile(r"^(?:发布|公开|成文)?(?:日期|时间)[:：]\s*(\S+)")
_DATE_ANY = re.compile(r"(?:公开|发布)日期[:：]\s*(\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)")
_DATE_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)$")
_CHROME = re.compile(r"^(您当前的位置|当前位置|扫一扫在手机打开当前页|【?打印本页】?|【?关闭窗口】?|分享到|"
                     r"【?打印】?\s*【?关闭】?$|字号[:：]|来源[:：].{0,30}$|浏览次数)")
_SECTION_WORDS = (("s1", ("总体情况",)), ("s2", ("主动公开",)), ("s3", ("申请",)),
                  ("s4", ("行政复议", "行政诉讼")), ("s5", ("问题",)), ("s6", ("其他需要报告", "其他事项")))


def title_of(paragraphs: list[str]) -> tuple[int, str | None, int | None, str]:
    """(index, title, year, unit) of the report's title among the first paragraphs.

    A paragraph that is only the title wins over one that carries it with a label or a site name
    (``标题：…年度报告-沭阳县发改局``, a page's header).
    """
    found: list[tuple[int, int, str]] = []
    for i, p in enumerate(paragraphs[:40]):
        t = tidy(p)
        if len(t) <= 90 and _TITLE.search(t) and _YEAR.search(t):
            core = re.sub(r"^[^:：]{1,6}[:：]\s*", "", t)
            core = re.sub(r"(报告)\s*[-—_|｜].*$", r"\1", core)
            m = _YEAR.search(core)
            if m and not core[:m.start()].strip() and i > 0 and _unit_line(paragraphs[i - 1]):
                core = tidy(paragraphs[i - 1]) + core  # the title printed over two lines, unit first
            found.append((0 if core == t else 1, i, core))
    if not found:
        return -1, None, None, ""
    _, i, t = min(found)
    m = _YEAR.search(t)
    year = int(m.group(1)) if m else None
    unit = t[:m.start()] + t[m.end():] if m else t
    unit = re.sub(r"政府信息公开.*$", "", unit)
    unit = re.sub(r"\s+", "", unit).strip("《》“”\"")
    return i, t, year, unit


def _unit_line(text: str) -> bool:
    t = tidy(text)
    return 2 <= len(t) <= 30 and not re.search(r"[。，,；;:：、]", t) and not _YEAR.search(t)


def heading_section(text: str) -> str | None:
    """The section a heading such as ``五、存在的主要问题及整改措施`` opens, if it is one."""
    t = clean(text)
    if len(t) > 45 or t.endswith(("。", "；")):
        return None
    m = re.match(r"^(?:[（(]?附表[）)]?)?\s*([一二三四五六七八九])\s*[、.．]\s*(.+)$", t)
    if not m:
        return None
    rest = m.group(2)
    for sid, words in _SECTION_WORDS:
        if any(w in rest for w in words):
            return sid
    return ""


def read_text(paragraphs: list[str], report: Report, title_index: int) -> None:
    """Date line, preface and sections 一–六 (paragraphs under each heading, sub-headings kept)."""
    current = "preface"
    seen: set[str] = set()
    parts: dict[str, list[str]] = {}
    for p in paragraphs[title_index + 1:]:
        t = tidy(p)
        if not t:
            continue
        if report.date is None and (m := _DATE.match(t) or _DATE_ANY.search(t) or _DATE_LINE.match(t)):
            report.date = _iso(m.group(1))
            if current == "preface" and (_DATE.match(t) or _DATE_LINE.match(t)):
                continue
        sid = heading_section(t)
        if sid and sid not in seen and (current == "preface" or sid > current):
            current = sid
            seen.add(sid)
            statutory = report.layout.section_by_id[sid]
            if normalise_label(t) != normalise_label(statutory.heading):
                report.headings[sid] = t  # kept as published, so the report reproduces it
            continue
        if _CHROME.match(t):
            continue  # the portal's own lines (breadcrumb, print/share/QR-code links)
        parts.setdefault(current, []).append(t)
    _drop_signature(parts.get(current, []))
    for sid, lines in parts.items():
        report.text[sid] = "\n".join(lines)


def _drop_signature(lines: list[str]) -> None:
    """The signature ending the last section (the unit's name over the date) is not its text."""
    if lines and _DATE_LINE.match(lines[-1]):
        lines.pop()
        if lines and _unit_line(lines[-1]):
            lines.pop()


def tidy(text: str) -> str:
    """A paragraph as kept in the data file: its own characters, white space runs made one space."""
    return re.sub(r"[ \t\u00a0\u3000\u200b\ufeff]+", " ", text.replace("\n", " ")).strip()


def _iso(text: str) -> str:
    m = re.match(r"(\d{4})[-年](\d{1,2})[-月](\d{1,2})", text)
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else text


# ------------------------------------------------------------------------------------------------
# The whole document
# ------------------------------------------------------------------------------------------------


@dataclass
class Imported:
    loaded: Loaded
    reading: Reading
    document: Document


def locate(doc: Document, *, layout_id: str | None = None, year: int | None = None,
           unit: str | None = None, source_rule: str = "IMPORT-SOURCE") -> Imported:
    """The report in a document: tables by their labels, values normalised, text by headings.

    Raises ``UnusableInput`` (exit 2) when no statutory table is found or no year can be told.
    """
    rows = rows_of(doc)
    paragraphs = doc.paragraphs
    t_index, title, title_year, title_unit = title_of(paragraphs)
    findings: list[Finding] = []
    the_year = title_year if title_year is not None else year
    if the_year is None:
        the_year = _any_year(paragraphs)
    if year is not None and the_year is not None and the_year != year:
        findings.append(error("META-YEAR", expected=year, actual=the_year))
    best: tuple[float, Layout, Reading] | None = None
    for lid in ([layout_id] if layout_id else LAYOUT_IDS):
        lay = LAYOUTS[lid]
        reading = Reading()
        read_t2(lay, rows, reading)
        # 表二's column headings tell the layouts apart best; then how well its rows fit
        score = 100 * _headings_found(lay, rows) + reading.matched * 3 - 2 * len(reading.errors)
        if best is None or score > best[0]:
            best = (score, lay, reading)
    assert best is not None
    _, layout, reading = best
    if not reading.found and not layout_id and the_year is not None:
        layout = LAYOUTS[default_layout_id(the_year)]
    mixed = read_t3(layout, rows, reading)
    read_t4(layout, rows, reading)
    if not reading.found:
        raise UnusableInput("E-IMPORT-NO-TABLES", path=doc.path)
    if the_year is None:
        raise UnusableInput("E-IMPORT-NO-YEAR", path=doc.path)
    name = unit or title_unit or Path(doc.path).stem
    report = Report(layout, the_year, Unit(name), title=title)
    findings.insert(0, warning(source_rule, path=doc.path, kind=KIND_TEXT.get(doc.kind, doc.kind),
                               layout=layout.id, year=the_year, unit=name))
    if mixed is not None:
        other, where = mixed
        findings.append(error("LAYOUT-MIXED", cells=(where,) if where else (), layout=layout.id, other=other,
                              detail=message("LAYOUT-MIXED-ONE-ROW" if other == LAYOUT_2019
                                             else "LAYOUT-MIXED-THREE-ROWS"), expected=layout.id,
                              actual=other))
    for table in layout.tables:
        if table.id not in reading.found:
            findings.append(error("IMPORT-TABLE-MISSING", sheet=table.sheet, title=table.title, path=doc.path))
    findings.extend(reading.findings)
    for note in doc.notes:
        findings.append(warning("IMPORT-NOTE", path=doc.path, detail=note))
    findings.extend(_read(report, reading))
    read_text(paragraphs, report, t_index)
    return Imported(Loaded(report, findings, doc.path), reading, doc)


KIND_TEXT = {"html": "网页", "docx": "Word 文档", "pdf": "PDF 文件", "xlsx": "电子表格", "ods": "电子表格",
             "xls": "电子表格", "text": "文本"}


def _read(report: Report, reading: Reading) -> list[Finding]:
    layout = report.layout
    items = [(k, reading.raw[k]) for k in layout.fields if k in reading.raw and k not in reading.unread]
    out = []
    for f in read_values(report, items):
        key = f.keys[0]
        where = reading.where.get(key, "")
        declared = layout.cell(key)
        if where and where != declared:
            f = type(f)(f.rule, f.severity, f.message.replace(declared, where), f.keys, (where,), f.expected,
                        f.actual)
        out.append(f)
    for key, raw in reading.unread.items():
        report.unreadable[key] = unread_text(raw)
    return out


def unread_text(raw: str) -> str:
    """What the data file holds for a cell left unread: never a number, the raw text kept."""
    return f"（未读出）{raw}" if raw else "（未读出）"


def _any_year(paragraphs: list[str]) -> int | None:
    for p in paragraphs[:30]:
        m = _YEAR.search(clean(p))
        if m:
            return int(m.group(1))
    return None


def data_values(imported: Imported) -> dict[str, int | float | str]:
    """The values for the data file as published: numbers as numbers, blanks and notes as their text,
    an unread cell as its raw text (so checking the data file says what checking the source said)."""
    from nianbao.values import normalise, to_json_number

    report = imported.loaded.report
    out: dict[str, int | float | str] = {}
    for key, f in report.layout.fields.items():
        if key in imported.reading.unread:  # stays unread on reload, whatever the raw text was
            out[key] = unread_text(imported.reading.unread[key])
            continue
        raw = imported.reading.raw.get(key)
        if raw is None:
            if f.is_input:
                out[key] = unread_text("")
            continue
        n = normalise(raw, f.kind)
        out[key] = to_json_number(n.value) if n.value is not None and n.issue is None else raw
    return out


__all__ = ["Imported", "Reading", "Row", "data_values", "is_value", "locate", "rows_of"]
