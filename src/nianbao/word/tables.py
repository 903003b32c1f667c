"""The statutory tables 表二/表三/表四 as WordprocessingML, drawn purely from ``layout.Table``.

Labels, merges and the grid come from the layout; the numbers from the values given (the report's
resolved values: totals recomputed from the inputs). Column widths are computed so that every
number fits on one line: the table font shrinks (五号 → 小五) and, as a last resort, the caller puts
the table on a landscape page (``fit`` returns ``None`` when nothing fits the width given).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from nianbao.layout import Table, cells_in_range, col_letter, split_ref
from nianbao.values import Number, show
from nianbao.word import style
from nianbao.word.style import Fonts


@dataclass(frozen=True)
class Fit:
    """A table's font size and column widths (points) for a given width."""

    size: float
    widths: tuple[float, ...]

    @property
    def width(self) -> float:
        return sum(self.widths)


def number_columns(table: Table) -> frozenset[int]:
    """Columns (1-based) that hold numbers: any column with a field."""
    return frozenset(split_ref(f.ref)[1] for f in table.fields)


def cell_texts(table: Table, values: Mapping[str, Number]) -> dict[str, str]:
    """Text of every top-left cell: the label, or the number shown as a clerk writes it."""
    out = {lb.ref: lb.text for lb in table.labels}
    for f in table.fields:
        out[f.ref] = show(values.get(f.key))
    return out


def fit(table: Table, values: Mapping[str, Number], available: float) -> Fit | None:
    """The largest table size whose columns fit ``available`` points, or ``None``."""
    for size in style.TABLE_SIZES:
        widths = _widths(table, values, size, available)
        if widths is not None:
            return Fit(size, widths)
    return None


def squeeze(table: Table, values: Mapping[str, Number], available: float) -> Fit:
    """Last resort when even the smallest size does not fit: every column shrunk in proportion,
    so the table keeps to the type area (numbers may then wrap)."""
    size = style.TABLE_SIZES[-1]
    minimum, _ = _minimum_widths(table, values, size)
    scale = available / sum(minimum)
    return Fit(size, tuple(w * scale for w in minimum))


def _widths(table: Table, values: Mapping[str, Number], size: float,
            available: float) -> tuple[float, ...] | None:
    minimum, weights = _minimum_widths(table, values, size)
    spare = available - sum(minimum)
    if spare < 0:
        return None
    if not any(weights):
        weights[-1] = 1.0
    total_weight = sum(weights)
    return tuple(m + spare * w / total_weight for m, w in zip(minimum, weights, strict=True))


def _minimum_widths(table: Table, values: Mapping[str, Number],
                    size: float) -> tuple[list[float], list[float]]:
    """Each column's least width (points) at ``size``, and its share of any spare width."""
    label_specs, number_spec = style.TABLE_COLUMNS[table.id]
    numeric = number_columns(table)
    pad = 2 * style.TABLE_CELL_PADDING
    digits: dict[int, int] = {}
    spans = _spans(table)
    for f in table.fields:
        _, col = split_ref(f.ref)
        if spans.get(f.ref, (1, 1))[1] > 1:
            continue  # a merged number cell has the width of several columns
        digits[col] = max(digits.get(col, 0), len(show(values.get(f.key))))
    minimum: list[float] = []
    weights: list[float] = []
    labels = iter(label_specs)
    for col in range(1, table.n_cols + 1):
        spec = number_spec if col in numeric else next(labels)
        need = spec.min_chars * size + pad
        if col in numeric:
            need = max(need, digits.get(col, 0) * style.DIGIT_EM * size + pad + style.SAFETY)
        minimum.append(need)
        weights.append(spec.weight)
    return minimum, weights


def _spans(table: Table) -> dict[str, tuple[int, int]]:
    """Top-left ref of each merge → (rows, columns) it spans."""
    out: dict[str, tuple[int, int]] = {}
    for rng in table.merges:
        first, last = rng.split(":")
        r1, c1 = split_ref(first)
        r2, c2 = split_ref(last)
        out[first] = (r2 - r1 + 1, c2 - c1 + 1)
    return out


def _owner(table: Table) -> dict[str, str]:
    """Every cell under a merge → the merge's top-left ref."""
    out: dict[str, str] = {}
    for rng in table.merges:
        cells = cells_in_range(rng)
        for ref in cells:
            out[ref] = cells[0]
    return out


def _twips(points: float) -> int:
    return int(points * 20)


def _text_width(text: str, size: float) -> float:
    """Points a line of ``text`` takes at ``size`` (a CJK character 1 em, others about half)."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.55 for ch in text)


def row_heights(table: Table, values: Mapping[str, Number], table_fit: Fit) -> list[float]:
    """Estimated height (points) of every row: wrapped lines of its tallest one-row cell."""
    import math

    texts = cell_texts(table, values)
    spans = _spans(table)
    size = table_fit.size
    line = size * style.TABLE_LINE_FACTOR
    row_min = style.TABLE_ROW_MIN / style.MM_PER_PT
    pad = 2 * style.TABLE_CELL_PADDING
    heights = [row_min] * table.n_rows
    for ref, text in texts.items():
        row, col = split_ref(ref)
        n_rows, n_cols = spans.get(ref, (1, 1))
        if n_rows > 1 or not text:
            continue
        width = sum(table_fit.widths[col - 1: col - 1 + n_cols]) - pad
        lines = max(1, math.ceil(_text_width(text, size) / max(width, size)))
        heights[row - 1] = max(heights[row - 1], lines * line + 2)
    return heights


def keep_rows(table: Table, heights: list[float], page_height: float) -> set[int]:
    """The rows (1-based) whose paragraphs keep with the next row.

    A table that fits on a page is kept together (it moves to the next page whole); a longer one
    splits with its header repeated and at least :data:`style.MIN_ROWS_AT_SPLIT` body rows on
    each side: the header and the first rows are kept together, and so are the last rows."""
    n = table.n_rows
    if sum(heights) <= page_height * style.KEEP_TOGETHER_SHARE:
        return set(range(1, n))
    first = set(range(1, min(n, table.header_rows + style.MIN_ROWS_AT_SPLIT)))
    last = set(range(max(1, n - style.MIN_ROWS_AT_SPLIT + 1), n))
    return first | last


def table_element(table: Table, values: Mapping[str, Number], fonts: Fonts,
                  table_fit: Fit, page_height: float | None = None) -> etree._Element:
    """The ``w:tbl`` element of one statutory table; ``page_height`` (points of the type area)
    decides whether it is kept together on one page (see :func:`keep_rows`)."""
    texts = cell_texts(table, values)
    spans = _spans(table)
    owner = _owner(table)
    numeric_refs = {f.ref for f in table.fields}
    widths = [_twips(w) for w in table_fit.widths]
    size = table_fit.size
    half_points = round(size * 2)
    line = _twips(size * style.TABLE_LINE_FACTOR)
    pad = _twips(style.TABLE_CELL_PADDING)
    row_min = _twips(style.TABLE_ROW_MIN / style.MM_PER_PT)
    rpr = _run_properties(fonts, half_points)
    keep = _kept_rows(table, values, table_fit, page_height)
    out: list[str] = [f"<w:tbl {nsdecls('w')}>", _table_properties(widths, pad)]
    for row in range(1, table.n_rows + 1):
        header = row <= table.header_rows
        out.append(
            "<w:tr><w:trPr><w:cantSplit/>"
            f'<w:trHeight w:val="{row_min}" w:hRule="atLeast"/>'
            + ("<w:tblHeader/>" if header else "")
            + '<w:jc w:val="center"/></w:trPr>'
        )
        col = 1
        while col <= table.n_cols:
            ref = f"{_col(col)}{row}"
            top_left = owner.get(ref, ref)
            n_rows, n_cols = spans.get(top_left, (1, 1))
            width = sum(widths[col - 1: col - 1 + n_cols])
            tc_pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if n_cols > 1:
                tc_pr += f'<w:gridSpan w:val="{n_cols}"/>'
            if n_rows > 1:
                tc_pr += '<w:vMerge w:val="restart"/>' if top_left == ref else "<w:vMerge/>"
            tc_pr += '<w:vAlign w:val="center"/>'
            text = texts.get(ref, "") if top_left == ref else ""
            align = _alignment(table, ref, header, ref in numeric_refs, n_rows)
            keep_next = "<w:keepNext/>" if row in keep else ""
            ppr = (f'<w:pPr><w:pStyle w:val="{TABLE_STYLE}"/>{keep_next}'
                   f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
                   f'<w:jc w:val="{align}"/></w:pPr>')
            run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
            out.append(f"<w:tc><w:tcPr>{tc_pr}</w:tcPr><w:p>{ppr}{run}</w:p></w:tc>")
            col += n_cols
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return parse_xml("".join(out))


def _run_properties(fonts: Fonts, half_points: int) -> str:
    """The ``w:rPr`` of every run in a table: the table font (Latin text in the Latin font), its size."""
    return (f'<w:rPr><w:rFonts w:ascii="{escape(fonts.latin)}" w:hAnsi="{escape(fonts.latin)}" '
            f'w:eastAsia="{escape(fonts.table)}" w:cs="{escape(fonts.latin)}"/>'
            f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')


def _kept_rows(table: Table, values: Mapping[str, Number], table_fit: Fit, page_height: float | None) -> set[int]:
    """The rows kept with the next one (see :func:`keep_rows`); without a page height, a short table
    whole and a long one's header with its first rows."""
    if page_height is None:
        return set(range(1, table.n_rows if table.n_rows <= style.KEEP_TOGETHER_MAX_ROWS
                         else table.header_rows + style.KEEP_WITH_HEADER_ROWS))
    return keep_rows(table, row_heights(table, values, table_fit), page_height)


def _table_properties(widths: list[int], pad: int) -> str:
    """The ``w:tblPr`` (centred, single borders, fixed layout, cell padding) and the ``w:tblGrid``."""
    return (
        f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        "<w:tblBorders>"
        + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        + "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"
    )


TABLE_STYLE = "nbTable"


def _alignment(table: Table, ref: str, header: bool, numeric: bool, n_rows: int) -> str:
    """Numbers and headers centred; 表三's row labels left-aligned, as in the official sample."""
    if numeric or header or table.id != "t3" or n_rows > 1:
        return "center"
    return "left"


def _col(index: int) -> str:
    return col_letter(index)
