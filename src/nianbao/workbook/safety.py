"""Safety checks on a returned workbook, before any parser sees it.

Returned files come from dozens of clerks and are untrusted. Nothing in openpyxl guards against zip
bombs, so everything that decides whether a file may be opened is checked here on the raw bytes and
the zip directory: the magic bytes, the size, the member count, the declared uncompressed sizes and
compression ratios (``zipfile`` never inflates a member past its declared size, and a member that
lies about it fails its CRC), the required parts, and the XML prologues (a DTD or an entity
declaration has no place in an OOXML part; openpyxl's own parsing is defused too, through
defusedxml, which is a dependency).

Each refusal is its own ``E-WB-…`` code in ``messages.py``, names the file and exits with code 2.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from nianbao.errors import UnusableInput, os_reason
from nianbao.messages import message

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
MACRO_PARTS = ("xl/vbaProject.bin",)


@dataclass(frozen=True)
class Limits:
    """What a genuine annual-report workbook never exceeds (a filled template is about 30 kB)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_members: int = 1000
    max_total_uncompressed: int = 100 * 1024 * 1024
    max_member_uncompressed: int = 50 * 1024 * 1024
    max_ratio: float = 100.0  # per member, checked once a member inflates past ratio_floor
    ratio_floor: int = 1024 * 1024
    # A template's largest sheet has about 300 cells; a clerk's extra formatting may add some thousands.
    # A sheet far beyond that (a 20 MB workbook of random numbers) is refused before openpyxl loads
    # it, by counting its ``<c`` elements while the XML is scanned anyway.
    max_cells_per_sheet: int = 50_000


DEFAULT_LIMITS = Limits()


class WorkbookRefused(UnusableInput):
    """A returned file that is not a readable, safe .xlsx workbook (exit code 2)."""


@dataclass
class SafeWorkbook:
    """A file that passed every check: its bytes (read once) and what was noticed on the way."""

    path: Path
    data: bytes
    has_macros: bool = False
    members: list[str] = field(default_factory=list)
    # the XML parts the checks inflated whole (up to KEEP_INFLATED in all): read from here, not again
    inflated: dict[str, bytes] = field(default_factory=dict, repr=False)
    infos: list[zipfile.ZipInfo] = field(default_factory=list, repr=False)  # the zip directory, as read

    def open_zip(self) -> CheckedPackage:
        return CheckedPackage(self.data, self.infos, self.inflated)


class CheckedPackage:
    """The members of a checked workbook, read-only, as a ``zipfile.ZipFile`` gives them (``namelist``,
    ``getinfo``, ``read``, ``open``): a member the checks inflated whole (its CRC checked then) from
    those bytes; any other through a ``ZipFile``, opened when first needed."""

    def __init__(self, data: bytes, infos: list[zipfile.ZipInfo], inflated: dict[str, bytes]) -> None:
        self._data = data
        self._infos = {i.filename: i for i in infos}
        self._inflated = inflated
        self._zip: zipfile.ZipFile | None = None

    def _zipfile(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self._data))
        return self._zip

    def namelist(self) -> list[str]:
        return list(self._infos) if self._infos else self._zipfile().namelist()

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        info = self._infos.get(name)
        return info if info is not None else self._zipfile().getinfo(name)

    def read(self, name: str) -> bytes:
        data = self._inflated.get(name)
        return data if data is not None else self._zipfile().read(name)

    def open(self, name: str) -> IO[bytes]:
        return self._zipfile().open(name)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self) -> CheckedPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


KEEP_INFLATED = 8 * 1024 * 1024  # the XML parts kept from the checks, in all (a template: about 150 kB)


def inspect_workbook(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> SafeWorkbook:
    """Check a returned file and return its bytes, or raise ``WorkbookRefused`` with the reason."""
    from nianbao.files import kind_of

    p = Path(path)
    name = str(p)
    kind = kind_of(p)
    if kind is not None:  # a FIFO or a device is never opened: reading one blocks or never ends
        raise WorkbookRefused("E-FILE-NOT-REGULAR", path=name, kind=kind)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise UnusableInput("E-FILE-MISSING", path=name) from None
    except OSError as exc:
        raise UnusableInput("E-FILE-READ", path=name, reason=os_reason(exc)) from None
    if size == 0:
        raise WorkbookRefused("E-WB-EMPTY", path=name)
    if size > limits.max_file_bytes:
        raise WorkbookRefused("E-WB-TOO-LARGE", path=name, size=_mb(size), limit=_mb(limits.max_file_bytes))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnusableInput("E-FILE-READ", path=name, reason=os_reason(exc)) from None
    if data.startswith(OLE_MAGIC):
        raise WorkbookRefused(_ole_kind(data), path=name)
    if data.startswith(EMPTY_ZIP_MAGIC):
        raise WorkbookRefused("E-WB-MISSING-PART", path=name, part=REQUIRED_PARTS[0])
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookRefused(_non_zip_kind(data), path=name)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise WorkbookRefused("E-WB-TRUNCATED", path=name) from None
    with zf:
        names = [i.filename for i in infos]
        _check_sizes(infos, name, limits)
        _check_kind_of_zip(zf, names, name)
        inflated = _check_xml(zf, infos, name, limits, data)
    return SafeWorkbook(p, data, has_macros=any(m in names for m in MACRO_PARTS), members=names,
                        inflated=inflated, infos=infos)


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise WorkbookRefused("E-WB-ZIP-BOMB", path=name,
                              detail=message("ZIP-BOMB-MEMBERS", count=len(infos), limit=limits.max_members))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookRefused("E-WB-ENCRYPTED", path=name)
        total += info.file_size
        if info.file_size > limits.max_member_uncompressed:
            raise WorkbookRefused("E-WB-ZIP-BOMB", path=name,
                                  detail=message("ZIP-BOMB-MEMBER-SIZE", member=info.filename,
                                                 size=_mb(info.file_size)))
        if info.file_size > limits.ratio_floor:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise WorkbookRefused("E-WB-ZIP-BOMB", path=name,
                                      detail=message("ZIP-BOMB-MEMBER-RATIO", member=info.filename,
                                                     ratio=f"{ratio:.0f}"))
    if total > limits.max_total_uncompressed:
        raise WorkbookRefused("E-WB-ZIP-BOMB", path=name, detail=message("ZIP-BOMB-TOTAL", size=_mb(total)))


def _check_kind_of_zip(zf: zipfile.ZipFile, names: list[str], name: str) -> None:
    """A zip that is not an Excel workbook: say what it is, when that helps the clerk."""
    present = set(names)
    if "xl/workbook.xml" not in present:
        if "word/document.xml" in present:
            raise WorkbookRefused("E-WB-WORD", path=name)
        if "mimetype" in present:
            try:
                mimetype = zf.read("mimetype")[:100]
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                raise WorkbookRefused("E-WB-TRUNCATED", path=name) from None
            if b"opendocument" in mimetype:
                raise WorkbookRefused("E-WB-ODF", path=name)
        if "[Content_Types].xml" not in present:
            raise WorkbookRefused("E-WB-NOT-SPREADSHEET", path=name)
    for part in REQUIRED_PARTS:
        if part not in present:
            raise WorkbookRefused("E-WB-MISSING-PART", path=name, part=part)


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_TEXT = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# a <c> element, with or without a namespace prefix (two alternatives: faster than one optional prefix)
_CELL = re.compile(rb"<c[\s>/]|<[A-Za-z_][\w.-]*:c[\s>/]")
_CELL_TEXT = re.compile(r"<c[\s>/]|<[A-Za-z_][\w.-]*:c[\s>/]")
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ASCII_COMPATIBLE = ("utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "windows-1252", "cp1252",
                     "gbk", "gb2312", "gb18030")


def _xml_encoding(head: bytes) -> str:
    """The encoding an XML part is in: its byte-order mark, else its UTF-16/32 byte pattern, else its
    declaration (XML 1.0, appendix F); UTF-8 by default."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                     (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return enc
    for pattern, enc in ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                         (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"),
                         (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be")):
        if head.startswith(pattern):
            return enc
    m = _DECLARED.match(head.lstrip())
    return m.group(1).decode("ascii").lower() if m else "utf-8"


def _check_xml(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits,
               data: bytes = b"") -> dict[str, bytes]:
    """Refuse a DTD anywhere in an XML part; reading every member whole also proves it inflates.
    Returns the parts read in one chunk (under 1 MB each, :data:`KEEP_INFLATED` in all), for the reader.

    OOXML never carries a DTD, and text content cannot hold a literal ``<!`` (it is escaped), so
    any ``<!DOCTYPE`` or ``<!ENTITY`` is an attack or a forgery. Each part is scanned in its own
    encoding (a UTF-16 part hides ``<!DOCTYPE`` from a byte search). The cells of each worksheet are
    counted on the way: a sheet far larger than any template is refused here, before it is parsed.
    """
    kept: dict[str, bytes] = {}
    room = KEEP_INFLATED
    for info in infos:
        if info.is_dir() or not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            small = _inflate_small(data, info) if data else None
            if small is not None:  # the usual part: inflated straight from the file's bytes
                first, whole = small, True
                _scan_xml(iter((small,)), info.filename, name, limits)
            else:
                with zf.open(info) as fh:
                    first = fh.read(1 << 20)
                    whole = len(first) < 1 << 20  # read() returns less only at the end of the member
                    _scan_xml(_chunks(first, fh), info.filename, name, limits)
            if whole and len(first) <= room:  # its CRC was checked when the end was read
                kept[info.filename] = first
                room -= len(first)
        except WorkbookRefused:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise WorkbookRefused("E-WB-TRUNCATED", path=name) from None
    return kept


def _chunks(first: bytes, fh: IO[bytes]) -> Iterator[bytes]:
    chunk = first
    while chunk:
        yield chunk
        chunk = fh.read(1 << 20)


def _scan_xml(chunks: Iterator[bytes], member: str, name: str, limits: Limits) -> None:
    """Refuse a part with a DTD, or a sheet with too many cells, from its inflated bytes in chunks."""
    import codecs

    sheet = member.startswith("xl/worksheets/")
    first = next(chunks, b"")
    encoding = _xml_encoding(first[:256])
    decoder = None
    if encoding not in _ASCII_COMPATIBLE:
        try:
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        except LookupError:
            raise WorkbookRefused("E-WB-XML-ENCODING", path=name, member=member, encoding=encoding) from None
        if not encoding.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
            raise WorkbookRefused("E-WB-XML-ENCODING", path=name, member=member, encoding=encoding)
    tail, text_tail, cells = b"", "", 0
    chunk = first
    while chunk:
        # a DTD may hide behind a long comment: scan every byte, chunks overlapping; the bytes always,
        # and the text too where the part is in UTF-16 or UTF-32
        window = tail + chunk
        if _DTD.search(window):
            raise WorkbookRefused("E-WB-XML-ENTITY", path=name, member=member)
        if decoder is not None:
            text = text_tail + decoder.decode(chunk)
            if _DTD_TEXT.search(text):
                raise WorkbookRefused("E-WB-XML-ENTITY", path=name, member=member)
            if sheet:
                cells += len(_CELL_TEXT.findall(text)) - len(_CELL_TEXT.findall(text_tail))
            text_tail = text[-16:]
        elif sheet:
            cells += len(_CELL.findall(window)) - len(_CELL.findall(tail))
        tail = chunk[-16:]
        if cells > limits.max_cells_per_sheet:
            raise WorkbookRefused("E-WB-TOO-MANY-CELLS", path=name, member=member,
                                  limit=f"{limits.max_cells_per_sheet:,}")
        chunk = next(chunks, b"")


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, file name length, extra field length


def _inflate_small(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A member under 1 MB, stored or deflated, inflated from the file's bytes: exactly what ``zipfile``
    reads (its local header's name, its size and its CRC checked), or ``None`` for anything else,
    left to ``zipfile`` (which then says what is wrong with it)."""
    if (info.file_size >= 1 << 20 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or info.flag_bits & 0x61):  # encrypted, patched, strongly encrypted
        return None
    offset = info.header_offset
    if offset + _LOCAL_HEADER.size > len(data):
        return None
    signature, n_name, n_extra = _LOCAL_HEADER.unpack_from(data, offset)
    start = offset + _LOCAL_HEADER.size
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if signature != ZIP_MAGIC or data[start:start + n_name].decode(encoding, "replace") != info.orig_filename:
        return None
    start += n_name + n_extra
    raw = data[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    try:
        out = raw if info.compress_type == zipfile.ZIP_STORED else \
            zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
    except zlib.error:
        return None
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    return out


def check_archive(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """A zip sent with returns in it: its members, once its size, member count, uncompressed sizes and
    ratios are within a workbook's limits (each member is checked again as a workbook when read)."""
    from nianbao.files import kind_of

    p = Path(path)
    name = str(p)
    kind = kind_of(p)
    if kind is not None:
        raise WorkbookRefused("E-FILE-NOT-REGULAR", path=name, kind=kind)
    size = p.stat().st_size
    if size > limits.max_file_bytes:
        raise WorkbookRefused("E-WB-TOO-LARGE", path=name, size=_mb(size), limit=_mb(limits.max_file_bytes))
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise WorkbookRefused("E-WB-TRUNCATED", path=name) from None
    _check_sizes(infos, name, limits)
    return infos


def _ole_kind(data: bytes) -> str:
    """An OLE compound file: a password-encrypted .xlsx, a legacy .xls / WPS .et, or something else.

    Directory entries store stream names in UTF-16LE, so a byte search finds them without an OLE
    parser.
    """
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "E-WB-ENCRYPTED"
    for stream in ("Workbook", "Book", "WpsWorkbook"):
        if (stream + "\0").encode("utf-16-le") in data:
            return "E-WB-LEGACY"
    if "WordDocument".encode("utf-16-le") in data:
        return "E-WB-WORD"
    return "E-WB-LEGACY-OTHER"


def _non_zip_kind(data: bytes) -> str:
    """Neither zip nor OLE: a zip cut short, CSV or other text renamed to .xlsx, or anything else."""
    if ZIP_MAGIC in data[:1024]:
        return "E-WB-TRUNCATED"
    head = data[:4096]
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "E-WB-NOT-SPREADSHEET"
    text = _as_text(head)
    if text is not None:
        stripped = text.lstrip("\ufeff \r\n\t").lower()
        if stripped.startswith(("<html", "<!doctype html", "<?xml", "<table", "<meta")):
            return "E-WB-HTML"
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if lines and any(sep in lines[0] for sep in (",", "\t", ";", "，")):
            return "E-WB-CSV"
    return "E-WB-NOT-SPREADSHEET"


def _as_text(head: bytes) -> str | None:
    if b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    encodings = ["utf-16"] if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            # the head may end mid-character: retry without the last few bytes
            try:
                return head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
    return None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
