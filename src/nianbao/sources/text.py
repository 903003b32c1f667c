"""Text as copied from a report's web page or exported by LibreOffice, into a :class:`Document`.

Two forms: one cell a line (what a browser or LibreOffice gives when a page with tables is copied as
text, like the seed), and ``label | v1 | v2`` rows (the transcriptions of ``shared/real-reports``,
and what many people type). Lines that form a table — statutory labels and numbers — become a grid,
one row per label with the numbers under it; every other line is a paragraph.
"""

from __future__ import annotations

import re

from nianbao.sources.grid import Cell, Document, Grid, clean
from nianbao.sources.locate import canon, heading_section, is_value, known_labels


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def is_table_label(line: str) -> bool:
    c = canon(line)
    if not c:
        return False
    if c in known_labels():
        return True
    m = re.match(r"^(.*\D)\d+$", c)  # a label run together with its numbers
    if m and m.group(1) in known_labels():
        return True
    return len(c) >= 4 and any(k.startswith(c) or c.startswith(k) for k in known_labels() if len(k) >= 4)


def read_text(data: bytes, path: str) -> Document:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    head = [i for i, ln in enumerate(lines[:25]) if re.fullmatch(r"={10,}", ln.strip())]
    if head:  # a transcription's front matter (source:, note:, …) ends at a line of '='
        lines = lines[head[0] + 1:]
    doc = Document(path, "text")
    if sum("|" in ln for ln in lines) >= 5:
        _pipes(lines, doc, "|")
    elif sum("\t" in ln.strip() for ln in lines) >= 5:  # a table copied from a browser: cells by tabs
        _pipes(lines, doc, "\t")
    else:
        _one_cell_a_line(_spread(lines), doc)
    return doc


_TRAILING_NUMBERS = re.compile(r"^(?P<label>\S.*?\S)\s+(?P<nums>(?:[\d.,]+\s+)*[\d.,]+)$")


def _spread(lines: list[str]) -> list[str]:
    """``规章 1 0 11`` (a statutory label, then its numbers on the same line, as an unruled table's
    text comes out of a PDF) as one cell a line."""
    out: list[str] = []
    for ln in lines:
        m = _TRAILING_NUMBERS.match(ln.strip())
        if m and is_table_label(m.group("label")):
            out.extend(["", m.group("label"), *(x for n in m.group("nums").split() for x in ("", n))])
        else:
            out.append(ln)
    return out


def _pipes(lines: list[str], doc: Document, sep: str) -> None:
    grid: Grid | None = None
    n_tables = 0
    for no, line in enumerate(lines, start=1):
        s = line.strip()
        if not s:
            continue
        if sep in s and not re.match(r"^(列|注)\s*[:：]", s):
            if grid is None:
                n_tables += 1
                grid = Grid(f"表格{n_tables}")
                doc.blocks.append(grid)
            parts = [p.strip() for p in line.strip("\r\n").split(sep)] if sep == "\t" else \
                [p.strip() for p in s.split(sep)]
            cells: list[Cell] = []
            for k, part in enumerate(parts):
                where = f"第{no}行第{k + 1}栏"
                if k == 0 and "/" in part and not is_value(part):
                    cells.extend(Cell(x.strip(), where=where) for x in part.split("/"))
                else:
                    cells.append(Cell(part, where=where))
            grid.rows.append(cells)
            continue
        if re.match(r"^(列|注)\s*[:：]", s) or re.match(r"^\[表[二三四]\]", s):
            continue
        grid = None
        doc.blocks.append(s)


def _one_cell_a_line(lines: list[str], doc: Document) -> None:
    # an empty line separates cells; a line of only &nbsp; or ideographic spaces is a blank cell
    items = [(no, ln.strip()) for no, ln in enumerate(lines, start=1)
             if ln.strip() or re.search(r"[\u00a0\u3000]", ln)]
    kinds = []
    for _, s in items:
        if not s:
            kinds.append("v")
        elif is_value(s):
            kinds.append("v")
        elif is_table_label(s):
            kinds.append("l")
        elif heading_section(s) is not None or len(clean(s)) > 40 or "。" in s:
            kinds.append("p")
        else:
            kinds.append("?")  # a short line: a label variant inside a table, or a sub-heading
    i = 0
    n_tables = 0
    while i < len(items):
        if kinds[i] != "l":
            if items[i][1]:
                doc.blocks.append(items[i][1])
            i += 1
            continue
        j = i
        while j < len(items) and (kinds[j] in "lv" or (kinds[j] == "?" and "v" in kinds[j + 1:j + 3])):
            j += 1
        if kinds[i:j].count("v") < 3:
            doc.blocks.extend(s for _, s in items[i:j] if s)
            i = j
            continue
        n_tables += 1
        grid = Grid(f"表格{n_tables}")
        for no, s in items[i:j]:
            cell = Cell(s, where=f"第{no}行")
            if (not s or is_value(s)) and grid.rows:
                grid.rows[-1].append(cell)
            else:
                grid.rows.append([cell])
        doc.blocks.append(grid)
        i = j
