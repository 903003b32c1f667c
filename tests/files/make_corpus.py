"""Regenerate the returned-workbook test corpus: ``tests/files/unsafe/`` and ``tests/files/returned/``.

    python tests/files/make_corpus.py            # both
    python tests/files/make_corpus.py unsafe     # crafted bytes only (deterministic, no LibreOffice)
    python tests/files/make_corpus.py returned   # templates filled/tampered by LibreOffice and openpyxl

``unsafe/`` holds crafted bytes, one file per kind of file the reader must refuse: the bytes are
deterministic (fixed zip timestamps, hand-written XML), so regenerating gives identical files.
``returned/`` holds workbooks made by nianbao's writer and then filled the way clerks do: through a
real LibreOffice (``tests/lo/harness.py``), or edited with openpyxl; ``returned/cases.json``
records, for each file, what was done to it. LibreOffice output carries timestamps, so those files
are reproducible in content, not byte for byte.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNSAFE = HERE / "unsafe"
RETURNED = HERE / "returned"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

# ------------------------------------------------------------------------------------------------
# Minimal, deterministic OOXML parts
# ------------------------------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
)


def _zip(members: list[tuple[str, bytes | str]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = compression
            data = content.encode("utf-8") if isinstance(content, str) else content
            zf.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def minimal_xlsx(sheet: bytes | str = SHEET, extra: list[tuple[str, bytes | str]] = ()) -> bytes:  # type: ignore[assignment]
    return _zip([
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", sheet),
        *extra,
    ])


# ------------------------------------------------------------------------------------------------
# A minimal OLE compound file (MS-CFB v3), enough for the reader's stream-name detection and for
# any real OLE parser: one FAT sector, one directory sector, streams of ≥ 4096 bytes (no mini FAT).
# ------------------------------------------------------------------------------------------------

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(streams: list[tuple[str, bytes]]) -> bytes:
    sector = 512
    padded = [(name, data + b"\0" * (-len(data) % sector)) for name, data in streams]
    padded = [(n, d if len(d) >= 4096 else d + b"\0" * (4096 - len(d))) for n, d in padded]
    fat: list[int] = [FATSECT, ENDOFCHAIN]  # sector 0 = FAT, sector 1 = directory
    starts = []
    for _, data in padded:
        n = len(data) // sector
        first = len(fat)
        starts.append(first)
        fat.extend([*list(range(first + 1, first + n)), ENDOFCHAIN])
    assert len(fat) <= sector // 4
    fat += [FREESECT] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    # A right-leaning chain of siblings under the root keeps the red-black tree valid (all black).
    entries = [entry("Root Entry", 5, NOSTREAM, NOSTREAM, 1 if streams else NOSTREAM, ENDOFCHAIN, 0)]
    for i, ((name, _), (_, data)) in enumerate(zip(streams, padded, strict=True)):
        right = i + 2 if i + 1 < len(streams) else NOSTREAM
        entries.append(entry(name, 2, NOSTREAM, right, NOSTREAM, starts[i], len(data)))
    while len(entries) % 4:
        entries.append(b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM,
                                                                                NOSTREAM) + b"\0" * 52)
    directory = b"".join(entries)
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0))
    difat = [0] + [FREESECT] * 108
    header += struct.pack("<109I", *difat)
    assert len(header) == 512
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(d for _, d in padded)


# ------------------------------------------------------------------------------------------------
# unsafe/: crafted bytes, each the kind of file named by its message code
# ------------------------------------------------------------------------------------------------

def _billion_laughs() -> str:
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [' + "".join(ents) + "]>"
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            "<si><t>&lol9;</t></si></sst>")


def _external_entity() -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!-- ' + "padding " * 700 + '-->\n'
            '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + WORKBOOK.split("\n", 1)[1].replace("Sheet1", "&xxe;"))


def _docx() -> bytes:
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/'
          'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ROOT_RELS.replace("xl/workbook.xml", "word/document.xml")
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           "<w:p><w:r><w:t>某某局2025年政府信息公开工作年度报告</w:t></w:r></w:p></w:body></w:document>")
    return _zip([("[Content_Types].xml", ct), ("_rels/.rels", rels), ("word/document.xml", doc)])


def unsafe_corpus() -> dict[str, tuple[bytes, str]]:
    """File name → (bytes, expected message code)."""
    good = minimal_xlsx()
    big_sheet = SHEET.replace("</sheetData>", "</sheetData>" + " " * (60 * 1024 * 1024))
    ratio_sheet = SHEET.replace("</sheetData>", "</sheetData>" + " " * (3 * 1024 * 1024))
    csv = "单位,项目,数量\r\n某某局,一、本年新收政府信息公开申请数量,3\r\n".encode("utf-8-sig")
    csv_gbk = "单位\t项目\t数量\r\n某某局\t规章\t0\r\n".encode("gb18030")
    html = ('<html><head><meta charset="utf-8"></head><body><table><tr><td>表三</td><td>3</td></tr>'
            "</table></body></html>").encode()
    encrypted = ole_file([("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\0" * 200),
                          ("EncryptedPackage", struct.pack("<Q", 12345) + bytes(range(256)) * 20)])
    legacy_xls = ole_file([("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\0" * 600),
                           ("\x05SummaryInformation", b"\xfe\xff" + b"\0" * 100)])
    wps_et = ole_file([("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\0" * 600),
                       ("\x05DocumentSummaryInformation", b"\xfe\xff" + b"\0" * 100)])
    many = _zip([("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", WORKBOOK)]
                + [(f"xl/media/empty{i}.bin", b"") for i in range(1100)], compression=zipfile.ZIP_STORED)
    return {
        "empty.xlsx": (b"", "E-WB-EMPTY"),
        "csv-renamed.xlsx": (csv, "E-WB-CSV"),
        "csv-gbk-tabs.xlsx": (csv_gbk, "E-WB-CSV"),
        "html-renamed.xls": (html, "E-WB-HTML"),
        "pdf-renamed.xlsx": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "E-WB-NOT-SPREADSHEET"),
        "random-bytes.xlsx": (bytes((i * 7919 + 13) % 256 for i in range(2048)), "E-WB-NOT-SPREADSHEET"),
        "docx-renamed.xlsx": (_docx(), "E-WB-WORD"),
        "truncated.xlsx": (good[: len(good) // 2], "E-WB-TRUNCATED"),
        "truncated-tail.xlsx": (good[:-30], "E-WB-TRUNCATED"),
        "missing-workbook-part.xlsx": (_zip([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS)]),
                                       "E-WB-MISSING-PART"),
        "zip-bomb-size.xlsx": (minimal_xlsx(big_sheet), "E-WB-ZIP-BOMB"),
        "zip-bomb-ratio.xlsx": (minimal_xlsx(ratio_sheet), "E-WB-ZIP-BOMB"),
        "zip-bomb-members.xlsx": (many, "E-WB-ZIP-BOMB"),
        "billion-laughs.xlsx": (minimal_xlsx(extra=[("xl/sharedStrings.xml", _billion_laughs())]),
                                "E-WB-XML-ENTITY"),
        "external-entity.xlsx": (_zip([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                                       ("xl/workbook.xml", _external_entity()),
                                       ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                                       ("xl/worksheets/sheet1.xml", SHEET)]), "E-WB-XML-ENTITY"),
        "password-to-open.xlsx": (encrypted, "E-WB-ENCRYPTED"),
        "legacy.xls": (legacy_xls, "E-WB-LEGACY"),
        "legacy-renamed.xlsx": (legacy_xls, "E-WB-LEGACY"),
        "wps.et": (wps_et, "E-WB-LEGACY"),
    }


def write_unsafe(outdir: Path = UNSAFE) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (data, code) in unsafe_corpus().items():
        (outdir / name).write_bytes(data)
        expected[name] = code
    (outdir / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# returned/: nianbao templates, filled and tampered with the way clerks do
# ------------------------------------------------------------------------------------------------

UNIT = ("重庆市某某区某某局", "500000-001")
YEARS = {"2021": 2025, "2019": 2020}


def corpus_report(layout_id: str, seed: int = 7) -> object:
    """The consistent random report a case starts from (inputs only are typed in)."""
    import random

    from nianbao.model import Unit
    from nianbao.synth import random_report

    report = random_report(layout_id, YEARS[layout_id], Unit(*UNIT), random.Random(seed), scale=9)
    report.text = {"s1": "（一）主动公开\n本年度主动公开政府信息。", "s5": "存在的主要问题。", "s6": "未收取信息处理费。"}
    return report


def _template(path: Path, layout_id: str, *, prefilled: bool) -> None:
    from nianbao.model import Unit
    from nianbao.workbook.writer import write_template

    report = corpus_report(layout_id) if prefilled else None
    write_template(path, layout_id=layout_id, year=YEARS[layout_id], unit=Unit(*UNIT), report=report,  # type: ignore[arg-type]
                   campaign="2025-annual", template_id=f"corpus-{layout_id}")


def _lo_cells(layout_id: str) -> list[dict[str, object]]:
    """Every input of the corpus report, as LibreOffice cell specs (a clerk typing the numbers)."""
    from nianbao.layout import get_layout

    report = corpus_report(layout_id)
    layout = get_layout(layout_id)
    out: list[dict[str, object]] = []
    for key in layout.inputs:
        sheet, ref = layout.cell(key).split("!")
        out.append({"sheet": sheet, "cell": ref, "value": float(report.values[key])})  # type: ignore[attr-defined]
    return out


def _returned_lo(outdir: Path, work: Path) -> None:
    sys.path.insert(0, str(HERE.parent))
    from lo.harness import run_job  # type: ignore[import-not-found]

    actions = []
    for layout_id in ("2021", "2019"):
        blank = work / f"blank-{layout_id}.xlsx"
        _template(blank, layout_id, prefilled=False)
        actions.append({"op": "fill", "src": blank, "dst": outdir / f"lo-filled-{layout_id}.xlsx",
                        "cells": _lo_cells(layout_id), "recalc": True})
    blank = work / "blank-2021.xlsx"
    cells = _lo_cells("2021")
    # a clerk overwrites a locked total with a number (the API ignores protection, like a paste)
    actions.append({"op": "fill", "src": blank, "dst": outdir / "lo-total-overwritten.xlsx",
                    "cells": [*cells, {"sheet": "表三", "cell": "J4", "value": 999.0}], "recalc": True})
    # notes, markers, thousands separators, negatives and fractions typed into number cells
    odd = {("表三", "D4"): {"string": "22（其中修订16件）"}, ("表三", "E5"): {"string": "/"},
           ("表三", "F6"): {"string": "1,234"}, ("表三", "G7"): {"value": -3.0},
           ("表三", "H8"): {"value": 2.5}, ("表二", "B14"): {"string": "12万元"},
           ("表四", "A4"): {"string": "无"}}
    typed = [{"sheet": c["sheet"], "cell": c["cell"], **odd.get((c["sheet"], c["cell"]), {"value": c["value"]})}  # type: ignore[arg-type]
             for c in cells]
    actions.append({"op": "fill", "src": blank, "dst": outdir / "lo-odd-values.xlsx", "cells": typed,
                    "recalc": True})
    run_job(actions)
    _stale_total(outdir / "lo-filled-2021.xlsx", outdir / "lo-stale-totals.xlsx", "表四", "E4")


def _stale_total(src: Path, dst: Path, sheet: str, ref: str) -> None:
    """A copy whose cached result of one formula is off by 7, as a program that does not
    recalculate leaves it (the formula itself untouched)."""
    import re

    with zipfile.ZipFile(src) as zin:
        members = [(i, zin.read(i)) for i in zin.infolist()]
    names = {i.filename: d for i, d in members}
    book = names["xl/workbook.xml"].decode()
    rels = names["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet name="{sheet}"[^>]*r:id="([^"]+)"', book).group(1)  # type: ignore[union-attr]
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    part = "xl/" + (target.group(1) or target.group(2))  # type: ignore[union-attr]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            if info.filename == part:
                text = data.decode()
                cell = re.compile(rf'(<c r="{ref}"[^>]*>.*?<v>)([^<]*)(</v>)')
                text, n = cell.subn(lambda m: m.group(1) + str(float(m.group(2)) + 7) + m.group(3), text, count=1)
                assert n == 1, f"no cached value at {sheet}!{ref}"
                data = text.encode()
            zout.writestr(info, data)
    dst.write_bytes(buf.getvalue())


def _returned_openpyxl(outdir: Path, work: Path) -> None:
    import openpyxl
    from openpyxl.packaging.custom import CustomPropertyList

    def edit(name: str, layout_id: str, change: object) -> None:
        src = work / f"prefilled-{layout_id}.xlsx"
        if not src.exists():
            _template(src, layout_id, prefilled=True)
        wb = openpyxl.load_workbook(src)
        change(wb)  # type: ignore[operator]
        wb.save(outdir / name)

    def set_value(sheet: str, ref: str, value: object):  # type: ignore[no-untyped-def]
        def do(wb):  # type: ignore[no-untyped-def]
            wb[sheet][ref] = value
        return do

    def unprotect(wb):  # type: ignore[no-untyped-def]
        wb["表三"].protection.sheet = False

    def rename(wb):  # type: ignore[no-untyped-def]
        wb["表四"].title = "Sheet4"

    def add_sheet(wb):  # type: ignore[no-untyped-def]
        ws = wb.create_sheet("备注", 6)
        ws["A1"] = "本单位无行政复议。"

    def delete_sheet(wb):  # type: ignore[no-untyped-def]
        del wb["表四"]

    def insert_row(wb):  # type: ignore[no-untyped-def]
        wb["表三"].insert_rows(10)

    def bad_inputs(wb):  # type: ignore[no-untyped-def]
        ws = wb["表三"]
        ws["D4"] = "三件"
        ws["E4"] = -2
        ws["F4"] = 1.5
        wb["表二"]["B3"] = "5件"

    def strip_meta(wb):  # type: ignore[no-untyped-def]
        wb.custom_doc_props = CustomPropertyList()
        del wb["_nianbao"]

    def outside(wb):  # type: ignore[no-untyped-def]
        wb["表三"]["A32"] = "备注：另有 3 件电话咨询未计入。"

    def formula_changed(wb):  # type: ignore[no-untyped-def]
        wb["表四"]["E4"] = "=A4+B4"

    edit("oxl-resaved.xlsx", "2021", lambda wb: None)
    edit("oxl-protection-removed.xlsx", "2021", unprotect)
    edit("oxl-label-changed.xlsx", "2021", set_value("表三", "C9", "2.其他法律行政止公开"))
    edit("oxl-sheet-renamed.xlsx", "2021", rename)
    edit("oxl-sheet-added.xlsx", "2021", add_sheet)
    edit("oxl-sheet-deleted.xlsx", "2021", delete_sheet)
    edit("oxl-row-inserted.xlsx", "2021", insert_row)
    edit("oxl-bad-inputs.xlsx", "2021", bad_inputs)
    edit("oxl-meta-stripped-2019.xlsx", "2019", strip_meta)
    edit("oxl-content-outside.xlsx", "2021", outside)
    edit("oxl-formula-changed.xlsx", "2021", formula_changed)


def _retyped(layout_ids: tuple[str, str], origin: tuple[int, int]) -> bytes:
    """A workbook typed by hand: 表二 of one layout, 表三/表四 of another, away from A1, totals as
    numbers, no metadata (a copy from an old report)."""
    import openpyxl

    from nianbao.layout import col_letter, get_layout, split_ref

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    title = wb.create_sheet("封面")
    title["A1"] = f"{UNIT[0]}{YEARS[layout_ids[1]]}年政府信息公开工作年度报告"
    for i, table_id in enumerate(("t2", "t3", "t4")):
        layout = get_layout(layout_ids[0] if table_id == "t2" else layout_ids[1])
        report = corpus_report(layout.id).full_values()  # type: ignore[attr-defined]
        table = layout.table_by_id[table_id]
        ws = wb.create_sheet(f"Sheet{i + 1}")
        dr, dc = origin
        for lb in table.labels:
            r, c = split_ref(lb.ref)
            # re-typed labels: half-width brackets, stray spaces (the reader normalises them)
            ws.cell(r + dr, c + dc, lb.text.replace("（", "(").replace("）", ") "))
        for rng in table.merges:
            a, _, b = rng.partition(":")
            (r1, c1), (r2, c2) = split_ref(a), split_ref(b)
            ws.merge_cells(f"{col_letter(c1 + dc)}{r1 + dr}:{col_letter(c2 + dc)}{r2 + dr}")
        for f in table.fields:
            r, c = split_ref(f.ref)
            ws.cell(r + dr, c + dc, float(report[f.key]) if f.kind.value == "amount" else int(report[f.key]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _returned_crafted(outdir: Path, work: Path) -> None:
    import openpyxl

    (outdir / "retyped-2019.xlsx").write_bytes(_retyped(("2019", "2019"), (2, 1)))
    (outdir / "mixed-layout.xlsx").write_bytes(_retyped(("2021", "2019"), (0, 0)))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "姓名"
    wb.active["B1"] = "电话"
    wb.active["A2"] = "张三"
    wb.save(outdir / "not-a-template.xlsx")
    # a macro-enabled copy: a VBA part, its relationship and content type added to a template
    src = work / "prefilled-2021.xlsx"
    with zipfile.ZipFile(src) as zin:
        members = [(i, zin.read(i)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="bin" '
                                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.'
                                    b'microsoft.com/office/2006/relationships/vbaProject" '
                                    b'Target="vbaProject.bin"/></Relationships>')
            zout.writestr(info, data)
        zout.writestr(zipfile.ZipInfo("xl/vbaProject.bin", FIXED_TIME), b"\xcc\x61" + b"\0" * 510)
    (outdir / "macro.xlsm").write_bytes(buf.getvalue())


def write_returned(outdir: Path = RETURNED) -> None:
    import tempfile

    sys.path.insert(0, str(HERE.parent.parent / "src"))
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-corpus-") as tmp:
        work = Path(tmp)
        _returned_openpyxl(outdir, work)
        _returned_crafted(outdir, work)
        _returned_lo(outdir, work)


def main(argv: list[str]) -> None:
    what = set(argv) or {"unsafe", "returned"}
    if "unsafe" in what:
        write_unsafe()
    if "returned" in what:
        write_returned(RETURNED)


if __name__ == "__main__":
    main(sys.argv[1:])
