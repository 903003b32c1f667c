"""One streaming pass over a returned ``.xlsx``: exactly what the workbook reader needs, nothing more.

The reader (``workbook.reader``) and the table locator (``workbook.table_finder``) need, per worksheet:
every stored cell's value (formula text for a formula cell, as a spreadsheet shows it in its
formula bar), the cached result of each formula, whether a cell is unlocked (``cellXfs``
protection: the only style read), the merged ranges, the sheet's name, order, state and protection;
and for the workbook: structure protection and the custom document properties (the hidden
identity, with the very hidden ``_nianbao`` sheet). This module reads each of those parts once with
lxml (entities not resolved, no DTD, no network; ``safety`` has already refused any DTD on the raw
bytes): a part of ordinary size parsed whole, a larger one (``STREAM_ABOVE``) with ``iterparse``,
each row dropped once read, so memory stays bounded by the stored cells, not by the XML. A sheet's
cells are read when first asked for (its protection can be had without them), and a workbook with
far more cells than a report (``MAX_CELLS``) is refused, however few bytes it has.

Values are given the way the previous reader (openpyxl ``load_workbook``) gave them, so that every
finding stays the same (``tests/test_xlsx_differential.py``): numbers as ``int`` or ``float``,
booleans as ``bool``, a number in a date-formatted cell as a ``datetime``, shared and inline
strings as plain text (rich-text runs joined, phonetic runs left out), error values as their text
(``#DIV/0!``), a formula as ``"=" + its text`` (a shared formula translated to each cell it fills),
an array formula as an :class:`ArrayFormula`. A cell covered by a merge (not its top-left cell) is
not stored: a spreadsheet shows nothing there. Empty cells are stored only when unlocked (the only
thing the lock check asks about an empty cell).
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any, Protocol

from lxml import etree

from nianbao.messages import message

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"

_C, _V, _F, _IS, _T, _R = (_NS + t for t in ("c", "v", "f", "is", "t", "r"))
_ROW, _MERGE, _PROTECTION, _SI = (_NS + t for t in ("row", "mergeCell", "sheetProtection", "si"))

_TRUE = ("1", "true")

WINDOWS_EPOCH = datetime(1899, 12, 30)
MAC_EPOCH = datetime(1904, 1, 1)


class Package(Protocol):
    """The members of an xlsx package, as ``zipfile.ZipFile`` reads them (``safety.CheckedPackage``)."""

    def namelist(self) -> list[str]: ...

    def getinfo(self, name: str) -> zipfile.ZipInfo: ...

    def read(self, name: str) -> bytes: ...

    def open(self, name: str) -> IO[bytes]: ...


class UnreadablePart(Exception):
    """A part of the package is missing or not well-formed XML; ``reason`` says which and how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ArrayFormula:
    """An array (or data-table) formula: its text and the range it fills."""

    text: str
    ref: str = ""


@dataclass(slots=True)
class CellRecord:
    """One stored cell: its value, whether it is locked, and whether the value is a formula (a text
    cell may hold ``=74`` too)."""

    value: Any
    locked: bool = True
    is_formula: bool = False


class SheetRecord:
    """One worksheet as stored: cells by ``(row, column)`` (1-based) and what surrounds them.

    The cells are read when first asked for (a sheet the reader never looks at, such as the
    template's 校验 sheet, costs nothing); name, state and order come from ``workbook.xml``.
    """

    cells: dict[tuple[int, int], CellRecord]
    merged: list[str]  # "A1:B2" (top-left first) or "A1"
    # the cached result of every formula cell, covered ones too: the number's text, "#" + text for a
    # text, boolean or error result, None when the file holds none
    results: dict[tuple[int, int], str | None]

    def __init__(self, title: str, state: str = "visible", protected: bool = False,
                 load: Callable[[SheetRecord], None] | None = None,
                 probe_protection: Callable[[], bool] | None = None) -> None:
        self.title = title
        self.state = state or "visible"  # visible | hidden | veryHidden
        self._protected = protected
        self._load = load
        self._probe_protection = probe_protection
        if load is None:
            self.cells, self.merged, self.results = {}, [], {}

    def __getattr__(self, name: str) -> Any:
        """``cells``, ``merged``, ``results``: read the sheet when first asked for (then plain attributes)."""
        load = self.__dict__.get("_load")
        if name in ("cells", "merged", "results") and load is not None:
            self._load = None
            self.cells, self.merged, self.results = {}, [], {}
            load(self)
            return self.__dict__[name]
        raise AttributeError(name)

    @property
    def protected(self) -> bool:
        """``<sheetProtection sheet="1">`` (found without reading the cells when they are not read)."""
        if self._load is not None and self._probe_protection is not None:
            return self._probe_protection()
        if self._load is not None:
            _ = self.cells
        return self._protected

    def value(self, row: int, col: int) -> Any:
        c = self.cells.get((row, col))
        return None if c is None else c.value

    def cached(self, ref: str) -> str | None:
        """The cached result of the formula in ``ref`` (``None``: no formula or no result)."""
        try:
            return self.results.get(_split(ref))
        except ValueError:
            return None

    def __repr__(self) -> str:
        return f"SheetRecord({self.title!r})"


@dataclass
class WorkbookRecord:
    """The worksheets of a workbook in their order, its custom properties and its protection."""

    sheets: list[SheetRecord]
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties, as text
    structure_locked: bool = False  # <workbookProtection lockStructure="1">

    @property
    def sheetnames(self) -> list[str]:
        return [s.title for s in self.sheets]

    def sheet(self, name: str) -> SheetRecord | None:
        for s in self.sheets:
            if s.title == name:
                return s
        return None


def read_package(open_zip: Callable[[], Package]) -> WorkbookRecord:
    """Read the parts of an (already checked) xlsx package into a :class:`WorkbookRecord`.

    ``open_zip`` opens the package (in memory: it stays open for the sheets read later). Raises
    :class:`UnreadablePart` for a package whose workbook, strings or styles cannot be read, and, when
    its cells are first asked for, for a sheet that cannot be; the caller names the file.
    """
    zf = open_zip()  # in memory, kept for the sheets read later (released with the record)
    return _read_package(zf)


def _read_package(zf: Package) -> WorkbookRecord:
    names = set(zf.namelist())
    book = _parse(zf, "xl/workbook.xml")
    targets = _relationships(zf, "xl/_rels/workbook.xml.rels", "xl", names)
    date1904 = False
    structure_locked = False
    listed: list[tuple[str, str, str]] = []  # (name, state, part)
    for el in book.iter():
        tag = el.tag
        if tag == _NS + "workbookPr":
            date1904 = el.get("date1904", "").lower() in _TRUE
        elif tag == _NS + "workbookProtection":
            structure_locked = el.get("lockStructure", "").lower() in _TRUE
        elif tag == _NS + "sheet":
            rel = targets.get(el.get(_REL_NS + "id", ""))
            if rel is None or rel[0] != "worksheet" or rel[1] not in names:
                continue  # a chart sheet, a dialog sheet, or a sheet whose part is gone
            listed.append((el.get("name", ""), el.get("state", "visible"), rel[1]))
    by_type = {kind: part for kind, part in targets.values()}
    strings = _shared_strings(zf, by_type.get("sharedStrings", "xl/sharedStrings.xml"), names)
    styles = _Styles.read(zf, by_type.get("styles", "xl/styles.xml"), names)
    epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
    budget = _Budget(MAX_CELLS)
    sheets = [SheetRecord(name, state, load=functools.partial(_load_sheet, zf, part, strings, styles, epoch, budget),
                          probe_protection=functools.partial(_protection_of, zf, part))
              for name, state, part in listed]
    return WorkbookRecord(sheets, _custom_properties(zf, names), structure_locked)


# ------------------------------------------------------------------------------------------------
# XML plumbing
# ------------------------------------------------------------------------------------------------


STREAM_ABOVE = 2 * 1024 * 1024  # a part inflating past this is streamed, element by element
# An annual-report workbook holds about a thousand cells and a few hundred strings; a file with far
# more is not one, and reading it all would only cost time and memory (safety limits bytes, not cells).
MAX_CELLS = 100_000  # <c> elements in all the sheets read, empty ones too
MAX_STRINGS = 100_000  # shared strings

_PARSER = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_comments=True,
               remove_pis=True)
_parsers = threading.local()  # an lxml parser may serve one thread only


def _parser() -> Any:
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(**_PARSER)
    return parser


def _iterparse(fh: IO[bytes], tags: tuple[str, ...]) -> Any:
    return etree.iterparse(fh, events=("end",), tag=tags, **_PARSER)


def _elements(zf: Package, part: str, tags: tuple[str, ...]) -> Iterator[Any]:
    """The elements of a part with one of ``tags``, in document order, each complete.

    A part of ordinary size is parsed whole (faster); a large one is streamed, each element cleared
    once the consumer has moved on, so memory stays bounded by what the consumer keeps.
    """
    if zf.getinfo(part).file_size <= STREAM_ABOVE:
        return iter(_parse(zf, part).iter(*tags))
    return _streamed(zf, part, tags)


def _streamed(zf: Package, part: str, tags: tuple[str, ...]) -> Iterator[Any]:
    """Elements of ``tags`` as they end; a row (never yielded) is dropped, cells and all, once read."""
    try:
        with zf.open(part) as fh:
            for _, el in _iterparse(fh, (*tags, _ROW)):
                if el.tag == _ROW:
                    el.clear()
                    parent = el.getparent()
                    while el.getprevious() is not None:
                        del parent[0]
                    continue
                yield el
                if el.tag != _C:  # a cell goes with its row
                    el.clear()
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        raise UnreadablePart(f"{part}: {exc}") from None


def _parse_bytes(data: bytes, part: str) -> Any:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadablePart(f"{part}: {exc}") from None


def _parse(zf: Package, part: str) -> Any:
    try:
        return etree.fromstring(zf.read(part), _parser())
    except KeyError:
        raise UnreadablePart(message("E-XLSX-MISSING-PART", part=part)) from None
    except etree.XMLSyntaxError as exc:
        raise UnreadablePart(f"{part}: {exc}") from None


def _relationships(zf: Package, part: str, base: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """``{rId: (type, part)}`` of a relationships part (type: the last word of its URI)."""
    if part not in names:
        return {}
    out = {}
    for r in _parse(zf, part).iter(_PKG_REL_NS + "Relationship"):
        target = r.get("Target", "")
        if r.get("TargetMode") == "External" or not target:
            continue
        kind = r.get("Type", "").rsplit("/", 1)[-1]
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
        out[r.get("Id", "")] = (kind, resolved)
    return out


def _text_of(el: Any) -> str:
    """A string item's plain text: ``<t>``, or the ``<t>`` of each rich-text run (never ``<rPh>``)."""
    if len(el) == 1 and el[0].tag == _T:  # plain text, the usual case
        return el[0].text or ""
    t = el.find(_T)
    parts = [t.text or ""] if t is not None else []
    for r in el.iterchildren(_R):
        rt = r.find(_T)
        if rt is not None and rt.text:
            parts.append(rt.text)
    return "".join(parts)


def _shared_strings(zf: Package, part: str, names: set[str]) -> list[str]:
    if part not in names:
        return []
    out: list[str] = []
    append = out.append
    for el in _elements(zf, part, (_SI,)):
        first = el[0] if len(el) == 1 else None
        # plain text (the usual case) read in line; rich text and phonetic runs by _text_of
        text = (first.text or "") if first is not None and first.tag == _T else _text_of(el)
        append(text.replace("x005F_", "") if "x005F_" in text else text)
        if len(out) > MAX_STRINGS:
            raise UnreadablePart(message("E-XLSX-TOO-MANY-STRINGS", limit=MAX_STRINGS))
    return out


def _custom_properties(zf: Package, names: set[str]) -> dict[str, str]:
    part = "docProps/custom.xml"
    if part not in names:
        return {}
    out: dict[str, str] = {}
    for prop in _parse(zf, part).iter(_CUSTOM_NS + "property"):
        name = prop.get("name")
        child = next(iter(prop), None)
        if not name or child is None or child.text is None or prop.get("linkTarget") is not None:
            continue  # an empty value is no value (as Excel's 属性 dialog shows it)
        kind = child.tag.rpartition("}")[2]  # the type's local name (vt:lpwstr → lpwstr)
        text = child.text
        try:
            if kind in ("i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint"):
                text = str(int(text))
            elif kind in ("r4", "r8", "decimal"):
                text = str(float(text))
            elif kind == "bool":
                text = str(text.strip().lower() in _TRUE)
        except ValueError:
            continue
        out[name] = text
    return out


# ------------------------------------------------------------------------------------------------
# Styles: the lock of each cell format, and which formats show dates
# ------------------------------------------------------------------------------------------------

_BUILTIN_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_BUILTIN_TIMEDELTA_IDS = frozenset({46})
_BUILTIN_CODES = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                  11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
                  17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
                  22: "m/d/yy h:mm", 37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)",
                  39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)", 45: "mm:ss",
                  46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@"}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CHARS = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def _is_date_code(code: str) -> bool:
    return _DATE_CHARS.search(_STRIP.sub("", code.split(";")[0])) is not None


_STYLES_SEEN: dict[bytes, _Styles] = {}  # by the SHA-256 of the styles part


@dataclass
class _Styles:
    unlocked: frozenset[int] = frozenset()  # cellXfs indices with <protection locked="0">
    dates: frozenset[int] = frozenset()  # cellXfs indices whose number format shows a date
    timedeltas: frozenset[int] = frozenset()  # … a duration ([h]:mm:ss)
    count: int = 0  # cellXfs

    @functools.cached_property
    def flags(self) -> dict[str | None, tuple[bool, bool]]:
        """``{s="" as written: (locked, shows a date)}`` for every format (``None``: no s="")."""
        out: dict[str | None, tuple[bool, bool]] = {str(i): (i not in self.unlocked, i in self.dates)
                                                    for i in range(self.count)}
        out[None] = (0 not in self.unlocked, 0 in self.dates)
        return out

    @classmethod
    def read(cls, zf: Package, part: str, names: set[str]) -> _Styles:
        """The styles part's formats; the same part (every template of a layout has it) read once."""
        if part not in names:
            return cls()
        data = zf.read(part)
        key = hashlib.sha256(data).digest()
        found = _STYLES_SEEN.get(key)
        if found is None:
            if len(_STYLES_SEEN) > 64:
                _STYLES_SEEN.clear()
            found = _STYLES_SEEN[key] = cls._from(_parse_bytes(data, part))
        return found

    @classmethod
    def _from(cls, root: Any) -> _Styles:
        codes = {int(n.get("numFmtId", "-1")): n.get("formatCode", "")
                 for n in root.iter(_NS + "numFmt") if n.get("numFmtId", "").isdigit()}
        xfs = root.find(_NS + "cellXfs")
        unlocked, dates, timedeltas = set(), set(), set()
        for i, xf in enumerate(xfs.iterchildren(_NS + "xf") if xfs is not None else ()):
            prot = xf.find(_NS + "protection")
            if prot is not None and prot.get("locked", "1").lower() not in _TRUE:
                unlocked.add(i)
            raw = xf.get("numFmtId", "0")
            fmt_id = int(raw) if raw.isdigit() else 0
            code = codes.get(fmt_id)
            if code is None:
                is_date = fmt_id in _BUILTIN_DATE_IDS
                is_delta = fmt_id in _BUILTIN_TIMEDELTA_IDS
            else:
                is_date = _is_date_code(code)
                is_delta = _TIMEDELTA.search(code.split(";")[0]) is not None
            if is_date:
                dates.add(i)
            if is_delta:
                timedeltas.add(i)
        return cls(frozenset(unlocked), frozenset(dates), frozenset(timedeltas), len(xfs) if xfs is not None else 0)


# ------------------------------------------------------------------------------------------------
# Worksheets
# ------------------------------------------------------------------------------------------------

_REF = re.compile(r"([A-Z]{1,3})(\d+)")


@functools.lru_cache(maxsize=65536)  # the same few thousand references in every workbook read
def _split(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref.replace("$", "").upper())
    if m is None:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


class _Budget:
    """The cells a workbook may still have read (shared by its sheets)."""

    def __init__(self, cells: int) -> None:
        self.cells = cells


def _load_sheet(zf: Package, part: str, strings: list[str], styles: _Styles, epoch: datetime,
                budget: _Budget, sheet: SheetRecord) -> None:
    try:
        _read_sheet(zf, part, strings, styles, epoch, sheet, budget)
    except (ValueError, IndexError) as exc:
        raise UnreadablePart(f"{part}: {type(exc).__name__}") from None


def _read_sheet(zf: Package, part: str, strings: list[str], styles: _Styles, epoch: datetime,
                sheet: SheetRecord, budget: _Budget | None = None) -> None:
    left = budget.cells if budget is not None else MAX_CELLS
    if zf.getinfo(part).file_size <= STREAM_ABOVE:  # parsed whole: cells, merges, protection apart
        root = _parse(zf, part)
        left = _read_cells(root.iter(_C), strings, styles, epoch, sheet, left)
        for el in root.iter(_MERGE, _PROTECTION):
            _read_other(el, sheet)
    else:  # streamed: one pass, in document order
        def cells_only() -> Iterator[Any]:
            for el in _streamed(zf, part, (_C, _MERGE, _PROTECTION)):
                if el.tag == _C:
                    yield el
                else:
                    _read_other(el, sheet)

        left = _read_cells(cells_only(), strings, styles, epoch, sheet, left)
    if budget is not None:
        budget.cells = left
    cells = sheet.cells
    for rng in sheet.merged:  # a covered cell shows nothing: it is not there
        covered = _covered(rng)
        if covered is None:  # a huge range: look at the stored cells instead
            (r1, c1), (r2, c2) = _bounds(rng)
            covered = tuple((r, c) for r, c in cells if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1))
        for pos in covered:
            cells.pop(pos, None)


def _read_other(el: Any, sheet: SheetRecord) -> None:
    """A ``<mergeCell>`` or ``<sheetProtection>`` of a sheet."""
    if el.tag == _MERGE:
        ref = el.get("ref", "")
        if ref:
            sheet.merged.append(_normal_range(ref))
    else:
        sheet._protected = el.get("sheet", "").lower() in _TRUE


def _read_cells(elements: Iterator[Any], strings: list[str], styles: _Styles, epoch: datetime,
                sheet: SheetRecord, left: int) -> int:
    """Store the ``<c>`` elements of a sheet; returns the cells the workbook may still have."""
    cells, results = sheet.cells, sheet.results
    unlocked, dates, deltas = styles.unlocked, styles.dates, styles.timedeltas
    shared: dict[str, tuple[str, int, int]] = {}  # si → (formula, row, col) of its first cell
    n_strings = len(strings)
    plain = styles.flags
    split, record = _split, CellRecord
    for el in elements:
        left -= 1
        if left < 0:
            raise UnreadablePart(message("E-XLSX-TOO-MANY-CELLS", limit=MAX_CELLS))
        s = el.get("s")
        flags = plain.get(s)  # (locked, shows a date) of the usual styles, by their s=""
        if flags is None:
            style = int(s) if s else 0
            flags = (style not in unlocked, style in dates)
        locked, is_date = flags
        n = len(el)
        if locked and n == 0:
            continue  # an empty locked cell: nothing to keep
        ref = el.get("r")
        pos = split(ref) if ref else _position(el)
        if n == 1 and not is_date:  # the usual cases first: a number, a shared string
            v = el[0]
            if v.tag == _V:
                kind = el.get("t")
                text = v.text
                if text:
                    if kind is None:
                        value: Any = int(text) if text.isdigit() else _number(text)
                        cells[pos] = record(value, locked)
                        continue
                    if kind == "s" and text.isdigit():
                        i = int(text)
                        if i < n_strings:
                            cells[pos] = record(strings[i], locked)
                            continue
        elif n == 2 and el.get("t") is None:  # then a plain formula with its numeric result
            f, v = el
            if f.tag == _F and v.tag == _V and f.get("t") is None:
                results[pos] = v.text
                cells[pos] = record("=" + (f.text or ""), locked, True)
                continue
        style = int(s) if s else 0
        value = _cell_value(el, strings, is_date, style in deltas, epoch, shared, results, *pos)
        if value is not None or not locked:
            cells[pos] = record(value, locked, pos in results)
    return left


@functools.lru_cache(maxsize=4096)  # the same merges in every template of a layout
def _covered(rng: str) -> tuple[tuple[int, int], ...] | None:
    """The cells a merged range covers (all but its top-left one); ``None`` for a huge range."""
    (r1, c1), (r2, c2) = _bounds(rng)
    if (r2 - r1 + 1) * (c2 - c1 + 1) > 4096:
        return None
    return tuple((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1))


def _number(text: str) -> int | float:
    """A number cell's ``<v>`` as openpyxl reads it: a float when it has a point or an exponent."""
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


def _position(cell: Any) -> tuple[int, int]:
    """The place of a cell written without ``r=""``, counted as spreadsheets count it: one column
    after the cell before it in its row; its row's ``r=""``, else one after the row before it."""
    col = 1
    prev = cell.getprevious()
    while prev is not None:
        ref = prev.get("r")
        if ref:
            col += _split(ref)[1]
            break
        col += 1
        prev = prev.getprevious()
    row_el = cell.getparent()
    row = 0
    while row_el is not None:
        r = row_el.get("r")
        if r and r.isdigit():
            row += int(r)
            break
        row += 1
        row_el = row_el.getprevious()
    return row, col


_PROTECTION_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetProtection\b([^>]*)>")
_SHEET_ATTR = re.compile(rb"""(?:^|\s)sheet\s*=\s*(["'])(.*?)\1""", re.S)
_NOT_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.S)


def _protection_of(zf: Package, part: str) -> bool:
    """Whether a sheet part is protected, from its bytes: the one element, outside comments and
    CDATA (text content cannot hold a literal ``<``); the same answer as reading the sheet."""
    data = zf.read(part)
    if b"sheetProtection" not in data:
        return False
    if b"<!" in data:
        data = _NOT_MARKUP.sub(b"", data)
    m = _PROTECTION_TAG.search(data)
    attr = _SHEET_ATTR.search(m.group(1)) if m else None
    return attr is not None and attr.group(2).strip().lower() in (b"1", b"true")


def _cell_value(el: Any, strings: list[str], is_date: bool, is_delta: bool, epoch: datetime,
                shared: dict[str, tuple[str, int, int]], results: dict[tuple[int, int], str | None],
                row: int, col: int) -> Any:
    kind = el.get("t", "n")
    text = f = None
    for child in el:
        tag = child.tag
        if tag == _V:
            text = child.text
        elif tag == _F:
            f = child
    if f is not None:
        results[row, col] = text if kind in ("n", "") else (None if text is None else "#" + text)
        return _formula(f, shared, row, col)
    if kind == "inlineStr":
        child = el.find(_IS)
        return _text_of(child) if child is not None else None
    if not text:
        return None
    if kind == "n":
        number = _number(text)
        if is_date:
            try:
                return _from_excel(number, epoch, is_delta)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "s":
        return strings[int(text)]  # an index past the table: IndexError, the file is unreadable
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return _from_iso(text)
    return text  # str, e (an error value's text)


def _formula(f: Any, shared: dict[str, tuple[str, int, int]], row: int, col: int) -> Any:
    text = "=" + (f.text or "")
    kind = f.get("t")
    if kind == "array":
        return ArrayFormula(text, f.get("ref", ""))
    if kind == "dataTable":
        return ArrayFormula("=", f.get("ref", ""))
    if kind == "shared":
        si = f.get("si", "")
        if si in shared:
            base, r0, c0 = shared[si]
            return translate_formula(base, row - r0, col - c0)
        if text != "=":
            shared[si] = (text, row, col)
    return text


# a cell reference outside a string, not part of a name or a function call
_FORMULA_REF = re.compile(r'"[^"]*"|(?<![A-Za-z0-9_.])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(])')


def translate_formula(formula: str, d_row: int, d_col: int) -> str:
    """A shared formula as it reads in a cell ``d_row`` rows and ``d_col`` columns from its first
    cell: relative references move, ``$``-anchored parts stay."""
    from nianbao.layout import col_letter

    def move(m: re.Match[str]) -> str:
        if m.group(2) is None:
            return m.group(0)  # a string literal
        col_abs, letters, row_abs, digits = m.groups()
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        r = int(digits) + (0 if row_abs else d_row)
        c = col + (0 if col_abs else d_col)
        if r < 1 or c < 1:
            return "#REF!"
        return f"{col_abs}{col_letter(c)}{row_abs}{r}"

    return _FORMULA_REF.sub(move, formula)


@functools.lru_cache(maxsize=4096)  # the same merges in every template of a layout
def _normal_range(ref: str) -> str:
    """A merged range as ``A1:B2`` (top-left first); a one-cell range as ``A1``."""
    from nianbao.layout import col_letter

    (r1, c1), (r2, c2) = _bounds(ref)
    first = f"{col_letter(c1)}{r1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{col_letter(c2)}{r2}"


def split_range(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """``"A1:B2"`` (or ``"A1"``) as ``((row, col), (row, col))``, 1-based and inclusive."""
    return _bounds(ref)


def _bounds(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    a, _, b = ref.partition(":")
    r1, c1 = _split(a)
    r2, c2 = _split(b) if b else (r1, c1)
    return (min(r1, r2), min(c1, c2)), (max(r1, r2), max(c1, c2))


def _from_excel(value: float, epoch: datetime, as_delta: bool) -> Any:
    """A date serial as the spreadsheet shows it (openpyxl's ``from_excel`` rules)."""
    if as_delta:
        td = timedelta(days=value)
        if td.microseconds:
            td = timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        seconds = diff.seconds
        from datetime import time

        return time(seconds // 3600, seconds // 60 % 60, seconds % 60, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + timedelta(days=day) + diff


def _from_iso(text: str) -> Any:
    try:
        return datetime.fromisoformat(text.rstrip("Z"))
    except ValueError:
        return text
