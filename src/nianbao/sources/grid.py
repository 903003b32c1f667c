"""The logical grid: a table as published, whatever file it came in.

A published table is rows of *logical* cells: a cell spanning several columns or rows (a merged
range in a spreadsheet, ``colspan``/``rowspan`` in HTML, a merged Word cell) is one cell, held once,
in the row where it starts. Physical columns that exist only to carry such spans vanish. Every source
reader (``xlsx``, ``html``, ``docx``, ``pdf``, ``text``) builds a :class:`Document` of paragraphs and
grids in reading order; ``locate`` finds the statutory tables in it by their labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass
class Cell:
    """One logical cell: its text as published, its span, and where it was (for messages)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    where: str = ""  # e.g. "年报表格!C5", "第4页表1第3行第2列"

    @property
    def blank(self) -> bool:
        return not clean(self.text)


@dataclass
class Grid:
    """One table: rows of logical cells, left to right (cells covered by a span from above omitted)."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)


Block = str | Grid


@dataclass
class Document:
    """A report as read from one source: paragraphs (``str``) and tables (``Grid``) in reading order."""

    path: str
    kind: str  # "html", "docx", "pdf", "xlsx", "ods", "xls", "text"
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader could not take (for findings)

    @property
    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    @property
    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]


_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def clean(text: str) -> str:
    """A cell's text as compared: NFKC, ``&nbsp;``/ideographic spaces as spaces, trimmed, single-spaced."""
    text = unicodedata.normalize("NFKC", text.replace("\u00a0", " "))
    return _SPACE.sub(" ", text).strip()
