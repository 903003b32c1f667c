"""The streaming reader's own paths: large parts streamed, the cell budget, shared formulas, cells
written without ``r=""``, laziness (a sheet nobody asks for is never parsed)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from nianbao.errors import NianbaoError
from nianbao.workbook import xlsx
from nianbao.workbook.reader import read_workbook
from test_xlsx_differential import RECORDER

FILES = Path(__file__).parent / "files"


@pytest.mark.parametrize("name", ["returned/lo-filled-2021.xlsx", "returned/oxl-row-inserted.xlsx",
                                  "review/lo-input-merged.xlsx", "retyped/012-sheets.xlsx",
                                  "returned/lo-stale-totals.xlsx"])
def test_streamed_parts_read_as_parts_parsed_whole(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(RECORDER.ROOT)
    path = FILES / name
    whole = json.dumps(RECORDER.snapshot(path), ensure_ascii=False, sort_keys=True)
    monkeypatch.setattr(xlsx, "STREAM_ABOVE", 0)  # every part streamed, element by element
    assert json.dumps(RECORDER.snapshot(path), ensure_ascii=False, sort_keys=True) == whole


def _package(sheet_xml: str, strings: list[str] | None = None) -> zipfile.ZipFile:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships"><sheets><sheet name="表三" sheetId="1" r:id="rId1"/>'
                    '</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        zf.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_xml}</sheetData></worksheet>")
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_shared_formulas_are_translated_to_each_cell() -> None:
    zf = _package('<row r="5"><c r="D5"><f t="shared" ref="D5:F5" si="0">SUM(D1:D4)+$A$1</f><v>3</v></c>'
                  '<c r="E5"><f t="shared" si="0"/><v>4</v></c><c r="F5"><f t="shared" si="0"/></c></row>')
    sheet = xlsx.read_package(lambda: zf).sheets[0]
    assert sheet.value(5, 4) == "=SUM(D1:D4)+$A$1"
    assert sheet.value(5, 5) == "=SUM(E1:E4)+$A$1"
    assert sheet.value(5, 6) == "=SUM(F1:F4)+$A$1"
    assert sheet.cached("E5") == "4" and sheet.cached("F5") is None


def test_cells_without_r_are_counted_into_place() -> None:
    zf = _package('<row r="3"><c><v>1</v></c><c r="C3"><v>2</v></c><c><v>3</v></c></row>'
                  '<row><c t="inlineStr"><is><t>甲</t></is></c></row>')
    sheet = xlsx.read_package(lambda: zf).sheets[0]
    assert sheet.value(3, 1) == 1 and sheet.value(3, 3) == 2 and sheet.value(3, 4) == 3
    assert sheet.value(4, 1) == "甲"


def test_rich_text_joins_runs_and_leaves_out_phonetics() -> None:
    zf = _package('<row r="1"><c r="A1" t="inlineStr"><is><r><t>政府</t></r><r><t>信息</t></r>'
                  '<rPh sb="0" eb="1"><t>zhengfu</t></rPh></is></c></row>')
    assert xlsx.read_package(lambda: zf).sheets[0].value(1, 1) == "政府信息"


def test_a_sheet_nobody_asks_for_is_never_parsed() -> None:
    zf = _package('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>oops</v></c></row>')
    record = xlsx.read_package(lambda: zf)  # the malformed number is in a sheet not read yet
    with pytest.raises(xlsx.UnreadablePart):
        _ = record.sheets[0].cells


def test_a_workbook_with_far_more_cells_than_a_report_is_refused(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_CELLS", 300)  # a template has about 850 cell elements
    path = FILES / "returned" / "lo-filled-2021.xlsx"
    with pytest.raises(NianbaoError) as caught:
        read_workbook(path)
    assert caught.value.code == "E-WB-UNREADABLE"
    assert str(path) in str(caught.value) and "单元格超过 300 个" in str(caught.value)


def test_protection_is_found_without_reading_the_cells() -> None:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    for xml, protected in ((f'<worksheet {ns}><sheetData/><sheetProtection sheet="1"/></worksheet>', True),
                           (f'<worksheet {ns}><sheetData/><!-- <sheetProtection sheet="1"/> --></worksheet>', False),
                           (f"<worksheet {ns}><sheetData/><sheetProtection sheet='true' objects='1'/></worksheet>",
                            True),
                           (f'<worksheet {ns}><sheetData/><sheetProtection objects="1"/></worksheet>', False)):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("s.xml", xml)
        probe = xlsx._protection_of(zipfile.ZipFile(io.BytesIO(buf.getvalue())), "s.xml")
        assert probe is protected, xml
        record = xlsx.SheetRecord("x")
        xlsx._read_sheet(zipfile.ZipFile(io.BytesIO(buf.getvalue())), "s.xml", [], xlsx._Styles(),
                         xlsx.WINDOWS_EPOCH, record)
        assert record.protected is protected, xml


def test_the_int_fast_path_of_normalise_gives_what_the_general_path_gives() -> None:
    from decimal import Decimal

    from nianbao.layout import Kind
    from nianbao.values import normalise

    for raw in (0, 1, 7, 123456789, -1, -250, 10**20):
        for kind in Kind:
            fast = normalise(raw, kind)
            general = normalise(Decimal(raw), kind)  # the Decimal path, as an int took before
            assert (fast.value, type(fast.value), fast.issue, fast.raw) == (
                general.value, type(general.value), general.issue, general.raw), (raw, kind)
