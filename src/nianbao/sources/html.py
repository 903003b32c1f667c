"""A saved portal page (.html/.htm/.shtml, or .mhtml) into a :class:`Document`.

Decoded from the charset the page declares (``<meta charset>``, ``http-equiv``, the MIME part of an
.mhtml), else UTF-8 when it decodes, else GB18030 (a superset of GBK and GB2312, the usual encodings of
Chinese portals). Each innermost ``<table>`` becomes a grid whose rows list their cells as the page
does (a cell covered by a ``rowspan`` from above is not repeated); ``&nbsp;`` is blank; the pieces
Word puts a number or a label in (``<span>``, ``<font>``, ``<o:p>``) are joined; ``<br>`` inside a
cell joins its lines. Text outside tables becomes paragraphs, a ``<br>`` or block element ending one.
"""

from __future__ import annotations

import email
import email.policy
import re
from typing import Any

from nianbao.sources.grid import Cell, Document, Grid

_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
                    "header", "footer", "main", "blockquote", "pre", "center", "dl", "dt", "dd", "body",
                    "form", "nav", "aside", "figure", "figcaption", "caption", "address", "hr", "tr", "td",
                    "th", "tbody", "thead", "tfoot", "html"})
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "select", "option", "button"})
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = _CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _from_mhtml(data: bytes) -> bytes | str:
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            charset = part.get_content_charset()
            if charset:
                if charset.lower() in ("gb2312", "gbk"):
                    charset = "gb18030"
                try:
                    return payload.decode(charset)
                except (LookupError, UnicodeDecodeError):
                    pass
            return payload
    return data


def read_html(data: bytes, path: str) -> Document:
    import lxml.html

    head = data[:512].lstrip().lower()
    if head.startswith(b"mime-version") or b"multipart/related" in data[:4096].lower():
        source: bytes | str = _from_mhtml(data)
    else:
        source = data
    text = source if isinstance(source, str) else decode_html(source)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    doc = Document(path, "html")
    if not text.strip():
        return doc
    root = lxml.html.document_fromstring(text)
    _Walker(doc).walk(root)
    return doc


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.buf: list[str] = []
        self.n_tables = 0

    def flush(self) -> None:
        line = "".join(self.buf)
        self.buf = []
        line = re.sub(r"[\s\u00a0\u3000]+", " ", line).strip()
        if line:
            self.doc.blocks.append(line)

    def walk(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower().split(":")[-1] if tag else ""
        if not tag or tag in _SKIP:
            return
        if tag == "table" and not el.xpath(".//table"):
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self.flush()

    def table(self, el: Any) -> None:
        self.n_tables += 1
        name = f"网页表格{self.n_tables}"
        grid = Grid(name)
        taken: set[tuple[int, int]] = set()
        rows = [tr for tr in el.iter("tr") if _owner_table(tr) is el]
        for r, tr in enumerate(rows):
            cells: list[Cell] = []
            c = 0
            for td in tr:
                ttag = td.tag.lower() if isinstance(td.tag, str) else ""
                if ttag not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                cs, rs = _span(td.get("colspan")), _span(td.get("rowspan"))
                for dr in range(rs):
                    for dc in range(cs):
                        taken.add((r + dr, c + dc))
                cells.append(Cell(cell_text(td), cs, rs, f"{name}第{r + 1}行第{c + 1}列"))
                c += cs
            grid.rows.append(cells)
        self.doc.blocks.append(grid)


def _owner_table(tr: Any) -> Any:
    p = tr.getparent()
    while p is not None and not (isinstance(p.tag, str) and p.tag.lower() == "table"):
        p = p.getparent()
    return p


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1


def cell_text(td: Any) -> str:
    """A cell's text: Word's pieces joined, ``<br>`` and line breaks inside it joined too."""
    parts: list[str] = []

    def visit(e: Any) -> None:
        tag = e.tag.lower() if isinstance(e.tag, str) else ""
        if tag in _SKIP or not tag:
            if e.tail and not tag:
                parts.append(e.tail)
            return
        if e.text:
            parts.append(e.text)
        for ch in e:
            visit(ch)
            if ch.tail and isinstance(ch.tag, str):
                parts.append(ch.tail)

    visit(td)
    text = "".join(parts).replace("\u00a0", " ")
    return re.sub(r"\s*\n\s*", "", text).strip()
