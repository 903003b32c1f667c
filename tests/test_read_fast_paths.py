"""The reader's shortcuts give what the general paths give, on the world's files (tests/files).

* A table at its declared place is taken without indexing its sheet
  (``table_finder._found_in_place``): on every sheet of every workbook in tests/files where the
  shortcut applies, the search by labels (``best_offset`` + ``place``) finds the same rows,
  columns, score and nothing moved, altered or deleted; where it does not apply, the search finds
  the table elsewhere or with something changed.
* A member the safety checks inflate straight from the file's bytes (``safety._inflate_small``)
  is byte for byte what ``zipfile`` reads; a member whose bytes or CRC were altered is left to
  ``zipfile``, which then refuses it.
* ``CheckedPackage`` (what the reader reads a checked workbook through) lists and reads every
  member as ``zipfile.ZipFile`` does.

The workbooks: tests/files/returned and tests/files/review (nianbao templates filled and damaged
through a real LibreOffice, ``lo-*``, or with openpyxl, ``oxl-*``: make_corpus.py, review/make.py)
and tests/files/retyped (the real published reports re-typed into blank workbooks).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from nianbao.layout import LAYOUTS
from nianbao.workbook import table_finder
from nianbao.workbook.safety import WorkbookRefused, _inflate_small, inspect_workbook
from nianbao.workbook.xlsx import UnreadablePart, read_package

FILES = Path(__file__).parent / "files"
ZIPPED = sorted(p for p in FILES.rglob("*.xlsx") if "unsafe" not in p.parts and zipfile.is_zipfile(p))


def _accepted(path: Path) -> bool:
    try:
        inspect_workbook(path)
    except WorkbookRefused:
        return False
    return True


WORKBOOKS = [p for p in ZIPPED if _accepted(p)]  # what the reader reads (safety refuses the others)


def test_there_are_workbooks_of_every_kind() -> None:
    folders = {p.relative_to(FILES).parts[0] for p in WORKBOOKS}
    assert {"returned", "review", "retyped"} <= folders
    assert len(WORKBOOKS) >= 30


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(FILES)))
def test_a_table_in_place_is_what_the_label_search_finds(path: Path) -> None:
    book = read_package(inspect_workbook(path).open_zip)
    for ws in book.sheets:
        try:
            index = table_finder.sheet_index(ws)
        except UnreadablePart:
            continue
        for layout in LAYOUTS.values():
            for table in layout.tables:
                fast = table_finder._found_in_place(table, ws)
                offset, votes = table_finder.best_offset(table, index)
                if fast is None:
                    if votes >= table_finder.MIN_VOTES:
                        slow = table_finder.place(table, ws, index, offset, 0.0)
                        assert not (slow.in_place and not slow.altered), (ws.title, table.id)
                    continue
                assert (offset, votes) == ((0, 0), 1.0)
                slow = table_finder.place(table, ws, index, offset, 0.0)
                slow.score = 1 - len(slow.altered) / len(table.labels)
                assert (slow.rows, slow.cols, slow.score) == (fast.rows, fast.cols, fast.score)
                assert not slow.moves and not slow.altered and not slow.deleted and not slow.deleted_rows
                assert slow.in_place and fast.in_place


def test_the_shortcut_applies_to_the_returned_templates() -> None:
    hits = 0
    for path in sorted((FILES / "returned").glob("*.xlsx")):
        if path not in WORKBOOKS:
            continue
        book = read_package(inspect_workbook(path).open_zip)
        for table in LAYOUTS["2021"].tables:
            ws = book.sheet(table.sheet)
            if ws is not None and table_finder._found_in_place(table, ws) is not None:
                hits += 1
    assert hits >= 10  # the usual case is the fast one


@pytest.mark.parametrize("path", ZIPPED, ids=lambda p: str(p.relative_to(FILES)))
def test_members_inflated_from_the_bytes_are_what_zipfile_reads(path: Path) -> None:
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            fast = _inflate_small(data, info)
            if info.file_size < 1 << 20 and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                assert fast == zf.read(info), info.filename
            else:
                assert fast is None


@pytest.mark.parametrize("path", WORKBOOKS[:12], ids=lambda p: str(p.relative_to(FILES)))
def test_checked_package_reads_as_zipfile(path: Path) -> None:
    with zipfile.ZipFile(path) as zf, inspect_workbook(path).open_zip() as package:
        assert package.namelist() == zf.namelist()
        for name in zf.namelist():
            assert package.getinfo(name).CRC == zf.getinfo(name).CRC
            assert package.read(name) == zf.read(name)
            with package.open(name) as a, zf.open(name) as b:
                assert a.read() == b.read()


def _altered(data: bytes, info: zipfile.ZipInfo, at: int) -> bytes:
    """``data`` with one byte of a member's compressed bytes flipped."""
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    pos = start + at % max(info.compress_size, 1)
    return data[:pos] + bytes([data[pos] ^ 0x55]) + data[pos + 1:]


def test_an_altered_member_is_left_to_zipfile_and_refused(tmp_path: Path) -> None:
    source = next(p for p in WORKBOOKS if p.parent.name == "returned")
    data = source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    broken = _altered(data, info, info.compress_size // 2)
    assert _inflate_small(broken, info) is None
    target = tmp_path / "broken.xlsx"
    target.write_bytes(broken)
    with pytest.raises(WorkbookRefused) as caught:
        inspect_workbook(target)
    assert caught.value.code == "E-WB-TRUNCATED"
    assert str(target) in str(caught.value)
