"""A Word document (.docx) holding a published report as a :class:`Document`.

Paragraphs and tables in body order. A merged Word cell is one ``w:tc`` element: python-docx's
``table.cell(r, c)`` repeats it in every grid position it covers, so the rows are read from the
``w:tc`` elements themselves — a horizontal merge (``w:gridSpan``) is one cell, a vertical merge's
continuation (``w:vMerge`` without ``restart``) is not listed again — which collapses each merged
cell to one logical cell.
"""

from __future__ import annotations

import io
from typing import Any

from nianbao.sources.grid import Cell, Document, Grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(el: Any) -> str:
    out = []
    for node in el.iter():
        if node.tag == f"{W}t" and node.text:
            out.append(node.text)
        elif node.tag == f"{W}tab":
            out.append(" ")
    return "".join(out)


def read_docx(data: bytes, path: str) -> Document:
    import docx

    d = docx.Document(io.BytesIO(data))
    doc = Document(path, "docx")
    n = 0
    for el in d.element.body.iterchildren():
        if el.tag == f"{W}p":
            text = _text(el).strip()
            if text:
                doc.blocks.append(text)
        elif el.tag == f"{W}tbl":
            n += 1
            doc.blocks.append(_table(el, f"Word表格{n}"))
    return doc


def _table(tbl: Any, name: str) -> Grid:
    grid = Grid(name)
    for r, tr in enumerate(tbl.iterchildren(f"{W}tr"), start=1):
        cells: list[Cell] = []
        col = 1
        for tc in tr.iterchildren(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span = 1
            covered = False
            if pr is not None:
                gs = pr.find(f"{W}gridSpan")
                if gs is not None:
                    try:
                        span = max(1, int(gs.get(f"{W}val", "1")))
                    except ValueError:
                        span = 1
                vm = pr.find(f"{W}vMerge")
                if vm is not None and vm.get(f"{W}val", "continue") != "restart":
                    covered = True
            if not covered:
                paras = [_text(p) for p in tc.iterchildren(f"{W}p")]
                cells.append(Cell("".join(p.strip() for p in paras), span, 1, f"{name}第{r}行第{col}列"))
            col += span
        grid.rows.append(cells)
    return grid
