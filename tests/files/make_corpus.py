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
        fat.extend(list(range(first + 1, first + n)) + [ENDOFCHAIN])
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


def main(argv: list[str]) -> None:
    what = set(argv) or {"unsafe", "returned"}
    if "unsafe" in what:
        write_unsafe()
    if "returned" in what:
        sys.path.insert(0, str(HERE.parent.parent))
        from tests.files.returned_corpus import write_returned  # noqa: PLC0415

        write_returned(RETURNED)


if __name__ == "__main__":
    main(sys.argv[1:])
