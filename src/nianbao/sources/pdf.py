"""A text PDF (made by Word, WPS or LibreOffice) holding a published report as a :class:`Document`.

pdfplumber finds the ruled tables of each page; a cell covered by a merge comes back as ``None`` and
is not listed, so each row lists its logical cells; a label wrapped over several lines is joined. A
table running over two pages is two grids one after the other, which the locator reads as one
sequence of rows. Text outside the tables becomes paragraphs (wrapped lines joined, a short line or an
indented one ending or starting a paragraph). A PDF without a text layer (a scan) is refused: nianbao
does no OCR.
"""

from __future__ import annotations

import io
import re
from typing import Any

from nianbao.errors import UnusableInput
from nianbao.sources.grid import Cell, Document, Grid

_PAGE_NO = re.compile(r"^[-—–\s]*(第\s*)?\d+\s*(页)?[-—–\s]*$|^\d+\s*/\s*\d+$")


def read_pdf(data: bytes, path: str) -> Document:
    import pdfplumber

    doc = Document(path, "pdf")
    any_text = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        n_tables = 0
        for page_no, page in enumerate(pdf.pages, start=1):
            if not page.chars:
                continue
            any_text = True
            items: list[tuple[float, int, Any]] = []
            tables = []
            for t in page.find_tables():
                rows = t.extract()
                if max((sum(x is not None for x in row) for row in rows), default=0) >= 2:
                    tables.append((t, rows))  # a ruled box round one column of text is no table
            boxes = [t.bbox for t, _ in tables]
            for t, rows in tables:
                n_tables += 1
                grid = Grid(f"第{page_no}页表格{n_tables}")
                for r, row in enumerate(rows, start=1):
                    cells = [Cell(re.sub(r"\s*\n\s*", "", text).strip(), 1, 1, f"{grid.name}第{r}行第{c}列")
                             for c, text in enumerate(row, start=1) if text is not None]
                    grid.rows.append(cells)
                items.append((t.bbox[1], 1, grid))

            def outside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]] = boxes) -> bool:
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            rest = page.filter(outside) if boxes else page
            for line in rest.extract_text_lines(keep_blank_chars=False):
                text = line["text"].strip()
                if text and not _PAGE_NO.match(text):
                    items.append((line["top"], 0, line))
            items.sort(key=lambda it: (it[0], it[1]))
            _paragraphs(doc, items, float(page.width))
    if not any_text:
        raise UnusableInput("E-IMPORT-SCANNED", path=path)
    if not doc.grids:  # no ruled table: read the text as copied text (label and numbers on a line)
        from nianbao.sources.text import read_text

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        out = read_text(text.encode("utf-8"), path)
        out.kind = "pdf"
        return out
    return doc


def _paragraphs(doc: Document, items: list[tuple[float, int, Any]], width: float) -> None:
    lines = [it[2] for it in items if it[1] == 0]
    if lines:
        left = min(ln["x0"] for ln in lines)
        right = max(ln["x1"] for ln in lines)
    buf = ""
    prev: dict[str, Any] | None = None
    for _, kind, obj in items:
        if kind == 1:
            if buf:
                doc.blocks.append(buf)
            buf, prev = "", None
            doc.blocks.append(obj)
            continue
        text = obj["text"].strip()
        size = max((c.get("size", 10) for c in obj.get("chars", [])), default=10.0)
        starts = obj["x0"] > left + size * 1.2  # indented: a new paragraph (or a centred title)
        ended = prev is not None and prev["x1"] < right - size * 1.5  # the line above stopped short
        heading = bool(re.match(r"^[（(]?[一二三四五六七八九十]+[）)、.．]", text))
        if buf and (prev is None or starts or ended or heading):
            doc.blocks.append(buf)
            buf = ""
        buf += text
        prev = obj
    if buf:
        doc.blocks.append(buf)
