"""The roster: the units an office collects returns from, read from a .csv or .xlsx list.

Columns (row 1 is the header, in any order): 单位编码, 单位名称, 类别 (部门 / 乡镇街道 / 其他), 联系人,
邮箱, 电话. Only 单位名称 is required. A unit without a code gets one from its row (``U002``), so that every
unit has a stable identity in the ledger; the workspace keeps the completed copy. Every problem is
reported with the file and the spreadsheet row number a clerk sees.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nianbao.display import escape_cell, unescape_cell
from nianbao.errors import UnusableInput, exc_reason, os_reason
from nianbao.layout import normalise_label
from nianbao.model import unit_key


class RosterError(UnusableInput):
    """A roster that cannot be used (exit code 2); the message names the file and the row."""


COLUMNS = ("单位编码", "单位名称", "类别", "联系人", "邮箱", "电话")
_CATEGORY_ALIASES = {"部门": "部门", "区级部门": "部门", "单位": "部门", "乡镇街道": "乡镇街道", "乡镇": "乡镇街道",
                     "街道": "乡镇街道", "镇街": "乡镇街道", "其他": "其他", "": "其他"}

# Windows refuses these in file names; the unit name becomes part of the template's file name.
_UNSAFE_CHARS = '<>:"/\\|?*'
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_LENGTH = 100
MAX_TITLE_ROWS = 10  # rows above the header (a title, a date line) that are skipped
_ZERO_FORMAT = re.compile(r"^0+$")  # Excel's "0000": the digits a clerk sees, leading zeros included
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RosterUnit:
    code: str
    name: str
    category: str = "其他"
    contact: str = ""
    email: str = ""
    phone: str = ""

    def as_row(self) -> list[str]:
        return [self.code, self.name, self.category, self.contact, self.email, self.phone]


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` cannot be part of a Windows file name, or None when it can."""
    bad = sorted({ch for ch in name if ch in _UNSAFE_CHARS})
    if bad:
        return "含有文件名中不允许的字符“" + "".join(bad) + "”"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "含有换行符或其他控制字符"
    if name != name.strip() or name.endswith("."):
        return "以空格或句点结尾"
    if name.split(".")[0].upper() in _RESERVED:
        return "是 Windows 的保留名称"
    if len(name) > MAX_NAME_LENGTH:
        return f"超过 {MAX_NAME_LENGTH} 个字符"
    return None


def read_roster(path: str | os.PathLike[str]) -> list[RosterUnit]:
    """Read and validate a roster; raises ``RosterError`` naming the file and the row."""
    from nianbao.files import kind_of

    p = Path(path)
    kind = kind_of(p)
    if kind is not None:  # a FIFO or a device is never opened
        raise RosterError("E-FILE-NOT-REGULAR", path=str(p), kind=kind)
    if not p.is_file():
        raise RosterError("E-ROSTER-MISSING", path=str(p))
    suffix = p.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(p)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(p)
    else:
        raise RosterError("E-ROSTER-TYPE", path=str(p))
    return parse_rows(rows, str(p))


def parse_rows(rows: Iterable[Sequence[Any]], path: str) -> list[RosterUnit]:
    """Validate raw rows (the first is the header) into units."""
    it = iter(rows)
    index, header_row = _read_header(it, path)
    return _rows_to_units(it, index, header_row, path)


def _read_header(it: Iterator[Sequence[Any]], path: str) -> tuple[dict[str, int], int]:
    """The column of each known column name, and the header's row number (title rows skipped)."""
    header = next(it, None)
    if header is None:
        raise RosterError("E-ROSTER-EMPTY", path=path)
    header_row = 1
    # A sheet made in Excel often has a title (名单) in the rows above the header: skip them.
    while not _is_header(header) and header_row <= MAX_TITLE_ROWS:
        following = next(it, None)
        if following is None:
            break
        header, header_row = following, header_row + 1
    if not _is_header(header):
        raise RosterError("E-ROSTER-HEADER", path=path, column="单位名称")
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = normalise_label(_text(cell))
        if name in COLUMNS:
            if name in index:
                raise RosterError("E-ROSTER-DUP-HEADER", path=path, column=name)
            index[name] = i
    if "单位名称" not in index:
        raise RosterError("E-ROSTER-HEADER", path=path, column="单位名称")
    return index, header_row


def _rows_to_units(it: Iterator[Sequence[Any]], index: dict[str, int], header_row: int,
                   path: str) -> list[RosterUnit]:
    units: list[RosterUnit] = []
    names: dict[str, int] = {}
    codes: dict[str, int] = {}
    # names and codes that differ only by full-width/half-width forms or spaces are one unit to a
    # person and to ``match_unit``: refused, naming both rows
    near_names: dict[str, tuple[int, str]] = {}
    near_codes: dict[str, tuple[int, str]] = {}
    for row_no, row in enumerate(it, start=header_row + 1):
        # the workspace's own copy escapes formula-like text ("'=1+2"): read it back as it was
        cells = {col: unescape_cell(_text(row[i])) if i < len(row) else "" for col, i in index.items()}
        if not any(_text(c) for c in row):
            continue  # blank lines are common at the end of a sheet
        name = unicodedata.normalize("NFC", cells.get("单位名称", "")).strip()
        if not name:
            raise RosterError("E-ROSTER-NAME-EMPTY", path=path, row=row_no)
        reason = unsafe_reason(name)
        if reason:
            raise RosterError("E-ROSTER-NAME-UNSAFE", path=path, row=row_no, name=name, reason=reason)
        if name in names:
            raise RosterError("E-ROSTER-DUP-NAME", path=path, row=row_no, name=name, first=names[name])
        near = near_key(name)
        if near in near_names:
            first_row, other = near_names[near]
            raise RosterError("E-ROSTER-NEAR-DUP-NAME", path=path, row=row_no, name=name, first=first_row,
                              other=other)
        names[name] = row_no
        near_names[near] = (row_no, name)
        code = cells.get("单位编码", "").strip() or f"U{row_no:03d}"
        if code in codes:
            raise RosterError("E-ROSTER-DUP-CODE", path=path, row=row_no, unit_code=code, first=codes[code])
        near = near_key(code)
        if near in near_codes:
            first_row, other = near_codes[near]
            raise RosterError("E-ROSTER-NEAR-DUP-CODE", path=path, row=row_no, unit_code=code, first=first_row,
                              other=other)
        codes[code] = row_no
        near_codes[near] = (row_no, code)
        raw_category = normalise_label(cells.get("类别", ""))
        category = _CATEGORY_ALIASES.get(raw_category)
        if category is None:
            raise RosterError("E-ROSTER-CATEGORY", path=path, row=row_no, actual=cells.get("类别", ""))
        email = cells.get("邮箱", "").strip()
        if email and not _EMAIL.match(email):
            raise RosterError("E-ROSTER-EMAIL", path=path, row=row_no, actual=email)
        units.append(RosterUnit(code, name, category, cells.get("联系人", "").strip(), email,
                                cells.get("电话", "").strip()))
    if not units:
        raise RosterError("E-ROSTER-EMPTY", path=path)
    return units


def near_key(text: str) -> str:
    """What two names or codes are told apart by: ``model.unit_key`` (as ingest matches them), case folded."""
    return unit_key(text).casefold()


def _is_header(row: Sequence[Any]) -> bool:
    return any(normalise_label(_text(cell)) == "单位名称" for cell in row)


def write_roster(units: Iterable[RosterUnit], path: Path) -> None:
    """The workspace's copy: UTF-8 with a byte-order mark, so Excel on Windows opens it correctly."""
    from nianbao.model import write_atomic

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for u in units:
        writer.writerow([escape_cell(v) for v in u.as_row()])  # a name "=1+2" is not a formula in Excel
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))


def _csv_rows(p: Path) -> list[list[str]]:
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RosterError("E-ROSTER-READ", path=str(p), reason=os_reason(exc)) from None
    # Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK; "CSV UTF-8" with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise RosterError("E-ROSTER-ENCODING", path=str(p))
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise RosterError("E-ROSTER-READ", path=str(p), reason=exc_reason(exc)) from None


def _xlsx_rows(p: Path) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RosterError("E-ROSTER-READ", path=str(p), reason=f"不是有效的 Excel 工作簿（{exc}）") from None
    try:
        ws = wb.worksheets[0]
        return [[_shown(c) for c in r] for r in ws.iter_rows(max_col=30, max_row=10000)]
    finally:
        wb.close()


def _shown(cell: Any) -> Any:
    """A cell's value; a whole number formatted as ``0000`` as the text Excel shows (``0012``)."""
    value = cell.value
    fmt = str(getattr(cell, "number_format", "") or "")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and value >= 0 and _ZERO_FORMAT.match(fmt):
        return str(int(value)).zfill(len(fmt))
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
