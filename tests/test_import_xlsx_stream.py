"""Issue 16: a pasted .xlsx reaches the logical grid through the workbook reader's one streaming pass.

The .xlsx files are LibreOffice's (the published forms of tests/test_import.py: a portal page
opened in Calc and saved as .xlsx) and the unsafe files of tests/files/unsafe.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from nianbao.errors import UnusableInput
from nianbao.sources import read_document
from nianbao.sources.grid import Grid
from nianbao.sources.xlsx import sheet_rows

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
import published_forms  # noqa: E402


def _grids(doc: object) -> list[tuple[str, list[list[tuple[str, int, int]]]]]:
    return [(b.name, [[(c.text, c.colspan, c.rowspan) for c in row if not c.blank] for row in b.rows])
            for b in doc.blocks if isinstance(b, Grid)]  # type: ignore[attr-defined]


def test_a_calc_saved_xlsx_gives_the_grid_calamine_gives() -> None:
    """The streaming pass and python-calamine (values, merged ranges) see the same logical grid."""
    from python_calamine import CalamineWorkbook

    from nianbao.sources.grid import Document

    forms = published_forms.make_forms()
    files = sorted(forms.glob("*.xlsx"))
    assert files
    for path in files:
        ours = read_document(path)
        wb = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        theirs = Document(str(path), "xlsx")
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            sheet_rows(theirs, name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [])
        assert _grids(ours) == _grids(theirs), path.name
        assert sum(len(g[1]) for g in _grids(ours)) > 20  # the statutory tables are there


@pytest.mark.parametrize("name, code", [("external-entity.xlsx", "E-WB-XML-ENTITY"),
                                        ("zip-bomb-ratio.xlsx", "E-WB-ZIP-BOMB")])
def test_an_unsafe_xlsx_is_refused_before_any_parser(name: str, code: str) -> None:
    """calamine read the zip bomb's one cell; the import now refuses it as ingest does."""
    with pytest.raises(UnusableInput) as info:
        read_document(TESTS / "files" / "unsafe" / name)
    assert info.value.code == code
    assert name in str(info.value)
