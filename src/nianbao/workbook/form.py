"""Where everything of the workbook form sits, declared once: the writer lays the form out from
this module and the reader finds things with it.

The statutory tables (表二/表三/表四) are declared in :mod:`nianbao.layout` and start at A1 of their
own sheets; this module declares everything around them:

- the sheet names and their order (:func:`sheet_names`), and the very hidden meta sheet;
- the cells of 基本信息 (:data:`INFO_CELLS`: unit, year and layout locked; 填报人, 联系电话,
  填报日期 editable);
- the cells of 文字部分 (:func:`text_cells`: one large editable cell per section, with the
  guidance of :attr:`nianbao.layout.Section.guidance` above it);
- the live checks: one row per equation of ``layout.equations`` on 校验 (:func:`check_rows`), and
  one cell per equation beside or below its table, outside the statutory grid
  (:func:`table_checks`), the overall status cell (:data:`STATUS_REF`) and the count of inputs
  still empty (:data:`EMPTY_COUNT_REF`).

The Chinese text that the workbook itself shows (instructions, prompts, alerts, check labels) is
declared here too, as data: it is the form's own text, reviewed together with its positions.
All references are A1 references without ``$``; every function is pure and cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nianbao.layout import Equation, Kind, Layout, col_letter, get_layout, split_ref
from nianbao.workbook.meta import META_SHEET, PROPERTY_PREFIX

__all__ = [
    "CHECK_BAD",
    "CHECK_HEADER_ROW",
    "CHECK_OK",
    "CHECK_SHEET",
    "EMPTY_COUNT_LABEL_REF",
    "EMPTY_COUNT_REF",
    "INFO_CELLS",
    "INFO_SHEET",
    "INSTRUCTIONS_SHEET",
    "META_SHEET",
    "PROPERTY_PREFIX",
    "STATUS_LABEL_REF",
    "STATUS_OK",
    "STATUS_REF",
    "TEXT_SHEET",
    "CheckRow",
    "InfoCell",
    "TableCheck",
    "TextCell",
    "check_rows",
    "info_cell",
    "layout_text",
    "sheet_names",
    "table_checks",
    "text_cells",
]

# ---------------------------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------------------------

INSTRUCTIONS_SHEET = "填报说明"
INFO_SHEET = "基本信息"
TEXT_SHEET = "文字部分"
CHECK_SHEET = "校验"


def sheet_names(layout: Layout) -> tuple[str, ...]:
    """The visible sheets in order: 填报说明, 基本信息, 文字部分, 表二, 表三, 表四, 校验.

    The very hidden :data:`META_SHEET` follows them as the last sheet of the file.
    """
    return (INSTRUCTIONS_SHEET, INFO_SHEET, TEXT_SHEET, *(t.sheet for t in layout.tables), CHECK_SHEET)


# ---------------------------------------------------------------------------------------------
# 基本信息
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InfoCell:
    """One line of 基本信息: a label in column A, the value in column B."""

    name: str  # stable name: unit_name, unit_code, year, layout, filler, phone, date
    label: str
    ref: str  # the value cell
    editable: bool
    prompt: str = ""  # input prompt of an editable cell

    @property
    def label_ref(self) -> str:
        row, _ = split_ref(self.ref)
        return f"A{row}"


INFO_TITLE_REF = "A1"
INFO_CELLS: tuple[InfoCell, ...] = (
    InfoCell("unit_name", "单位名称", "B3", False),
    InfoCell("unit_code", "单位代码", "B4", False),
    InfoCell("year", "报告年度", "B5", False),  # a number, e.g. 2025
    InfoCell("layout", "报表格式", "B6", False),  # layout_text(layout), e.g. "2021版（国办公开办函〔2021〕30号）"
    InfoCell("filler", "填报人", "B7", True, "请填写填报人姓名。"),
    InfoCell("phone", "联系电话", "B8", True, "请填写填报人的联系电话。"),
    InfoCell("date", "填报日期", "B9", True, "请填写填报日期，例如 2026年1月20日。"),
)
INFO_NOTE_REF = "A11"  # a locked note under the lines


def info_cell(name: str) -> InfoCell:
    return next(c for c in INFO_CELLS if c.name == name)


def layout_text(layout: Layout) -> str:
    """What 基本信息 shows for the layout, e.g. ``2021版（国办公开办函〔2021〕30号）``.

    The layout id is the text before ``版``.
    """
    return f"{layout.id}版（{layout.notice}）"


# ---------------------------------------------------------------------------------------------
# 文字部分
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextCell:
    """One section of 文字部分: heading, guidance and the large editable cell, all in column A."""

    section: str  # "preface", "s1" … "s6"
    heading_ref: str
    guidance_ref: str
    ref: str  # the editable cell
    optional: bool  # s2–s4: optional notes above a table
    heading: str  # heading shown (the statutory heading, “（选填）” for the notes)
    guidance: str  # Section.guidance of the layout
    height: float  # row height of the editable cell, in points


TEXT_TITLE_REF = "A1"
TEXT_NOTE_REF = "A2"
_TEXT_FIRST_ROW = 4
_TEXT_HEIGHTS = {"s1": 300.0, "s5": 150.0, "s6": 120.0}
_NOTE_HEIGHT = 45.0
PREFACE_HEADING = "前言（选填）"
PREFACE_GUIDANCE = "报告开头、“一、总体情况”之前的说明文字，如编制依据、统计期限、联系方式等，不加标题。"


@cache
def _text_cells(layout_id: str) -> tuple[TextCell, ...]:
    layout = get_layout(layout_id)
    out: list[TextCell] = []
    out.append(TextCell("preface", f"A{_TEXT_FIRST_ROW}", f"A{_TEXT_FIRST_ROW + 1}",
                        f"A{_TEXT_FIRST_ROW + 2}", True, PREFACE_HEADING, PREFACE_GUIDANCE, _NOTE_HEIGHT * 2))
    row = _TEXT_FIRST_ROW + 4
    for sec in layout.sections:
        optional = sec.table is not None
        heading = f"{sec.heading}（选填）" if optional else sec.heading
        out.append(TextCell(sec.id, f"A{row}", f"A{row + 1}", f"A{row + 2}", optional, heading,
                            sec.guidance, _NOTE_HEIGHT if optional else _TEXT_HEIGHTS.get(sec.id, 120.0)))
        row += 4  # heading, guidance, text, one empty row
    return tuple(out)


def text_cells(layout: Layout) -> tuple[TextCell, ...]:
    """The text cells in report order (preface, s1 … s6)."""
    return _text_cells(layout.id)


# ---------------------------------------------------------------------------------------------
# 校验 and the checks beside the tables
# ---------------------------------------------------------------------------------------------

STATUS_LABEL_REF = "A2"  # merged A2:B2
STATUS_REF = "C2"  # 全部校验通过 / 有 N 处不一致，请检查标红单元格 / 尚有 N 个单元格未填写…
EMPTY_COUNT_LABEL_REF = "A3"  # merged A3:B3
EMPTY_COUNT_REF = "C3"  # number of input cells still empty (COUNTBLANK)
CHECK_HEADER_ROW = 6  # column headers of the check rows (row 5: CHECK_NOTE)
CHECK_NOTE_REF = "A4"
CHECK_COLUMNS = ("序号", "校验项目", "校验内容", "涉及单元格", "左边合计", "右边合计", "差额", "结果")
CHECK_OK = "一致"
CHECK_BAD = "不一致"
STATUS_OK = "全部校验通过"


def status_bad(count: str) -> str:
    """Status text for broken checks; ``count`` is a number or a formula fragment."""
    return f"有 {count} 处不一致，请检查标红单元格"


def status_empty(count: str) -> str:
    return f"勾稽关系一致，尚有 {count} 个单元格未填写（无数据请填 0）"


@dataclass(frozen=True)
class CheckRow:
    """One equation on the 校验 sheet: columns A–H of ``row`` (see :data:`CHECK_COLUMNS`)."""

    index: int  # position in layout.equations
    row: int
    equation: Equation

    @property
    def lhs_ref(self) -> str:
        return f"E{self.row}"

    @property
    def rhs_ref(self) -> str:
        return f"F{self.row}"

    @property
    def diff_ref(self) -> str:
        return f"G{self.row}"

    @property
    def result_ref(self) -> str:
        return f"H{self.row}"


def _expand(layout: Layout, key: str) -> dict[str, int]:
    """``key`` as a sum of inputs: input key -> coefficient."""
    f = layout.fields[key]
    if not f.is_total:
        return {key: 1}
    out: dict[str, int] = {}
    for part in f.parts:
        for k, n in _expand(layout, part).items():
            out[k] = out.get(k, 0) + n
    return out


def inputs_behind(layout: Layout, keys: tuple[str, ...]) -> dict[str, str | None]:
    """The input cells a clerk can change for an equation's keys: each input key itself (-> None),
    and for a column total the inputs summed into it (-> the total's key). Row totals (the 总计
    column) are left out: their column's own balance points at the cells."""
    out: dict[str, str | None] = {}
    for key in keys:
        f = layout.fields[key]
        if f.is_input:
            out.setdefault(key, None)
            continue
        col = split_ref(f.ref)[1]
        for part in f.parts:
            pf = layout.fields[part]
            if pf.is_input and split_ref(pf.ref)[1] == col:
                out.setdefault(part, key)
    return out


def can_fail(layout: Layout, eq: Equation) -> bool:
    """Whether an equation can fail in the locked workbook: not when both sides are the same sum
    of inputs (a total's own formula, or a total of totals), only when the clerk's inputs decide."""
    def side(keys: tuple[str, ...]) -> dict[str, int]:
        out: dict[str, int] = {}
        for key in keys:
            for k, n in _expand(layout, key).items():
                out[k] = out.get(k, 0) + n
        return {k: n for k, n in out.items() if n}

    return side(eq.lhs) != side(eq.rhs)


@cache
def _check_rows(layout_id: str) -> tuple[CheckRow, ...]:
    layout = get_layout(layout_id)
    failing = [(i, eq) for i, eq in enumerate(layout.equations) if can_fail(layout, eq)]
    return tuple(CheckRow(i, CHECK_HEADER_ROW + 1 + n, eq) for n, (i, eq) in enumerate(failing))


def check_rows(layout: Layout) -> tuple[CheckRow, ...]:
    """One row per equation that can fail (:func:`can_fail`), in ``layout.equations`` order,
    from row ``CHECK_HEADER_ROW + 1``."""
    return _check_rows(layout.id)


def check_range(layout: Layout) -> str:
    """The result column of all check rows on 校验, e.g. ``H7:H13``."""
    rows = check_rows(layout)
    return f"H{rows[0].row}:H{rows[-1].row}"


# Short descriptions of each rule, shown on 校验 and next to the checks beside the tables.
RULE_TEXT: dict[str, str] = {
    "T3-BALANCE": "一、本年新收＋二、上年结转＝（七）总计＋四、结转下年度继续办理",
    "T3-ROW-TOTAL": "总计＝自然人＋商业企业＋科研机构＋社会公益组织＋法律服务机构＋其他",
    "T3-OUTCOME-TOTAL": "（七）总计＝（一）至（六）各项办理结果之和",
    "T4-TOTAL": "总计＝结果维持＋结果纠正＋其他结果＋尚未审结",
}
# Header of the check column beside a table, and the marker of the rows of checks below it.
BESIDE_HEADER = "本行校验"
BELOW_LABEL = "← 本行为各列校验：{rule}"
STATUS_MIRROR_LABEL = "校验结果："


@dataclass(frozen=True)
class TableCheck:
    """The copy of one equation beside or below its table, on the table's own sheet."""

    index: int  # position in layout.equations
    sheet: str
    ref: str  # shows CHECK_OK / CHECK_BAD
    equation: Equation


@dataclass(frozen=True)
class TablePlacement:
    """Extra cells of one table sheet (all outside the statutory grid)."""

    sheet: str
    checks: tuple[TableCheck, ...]
    beside_header_ref: str | None  # header of the column of row checks, when there is one
    below_labels: tuple[tuple[str, str], ...]  # (ref, rule code) for each row of checks below
    status_label_ref: str  # STATUS_MIRROR_LABEL, row 1 right of the table
    status_ref: str  # mirrors 校验!STATUS_REF
    unit_mark_ref: str  # in a hidden column: whose workbook this sheet belongs to (see unit_mark)


@cache
def _placements(layout_id: str) -> dict[str, TablePlacement]:
    layout = get_layout(layout_id)
    per_table: dict[str, list[tuple[int, Equation]]] = {}
    for i, eq in enumerate(layout.equations):
        per_table.setdefault(layout.fields[eq.keys[0]].table, []).append((i, eq))

    out: dict[str, TablePlacement] = {}
    for table in layout.tables:
        items = per_table.get(table.id, [])
        side_col = table.n_cols + 2  # one empty column between the table and the checks

        def rows_of(eq: Equation) -> set[int]:
            return {split_ref(layout.fields[k].ref)[0] for k in eq.keys}

        # A "row check" sits beside its row: all its cells in one row, the only such check there.
        single_row = [rows_of(eq) for _, eq in items]
        row_count: dict[int, int] = {}
        for rows in single_row:
            if len(rows) == 1:
                (r,) = rows
                row_count[r] = row_count.get(r, 0) + 1
        below_rules: list[str] = []
        checks: list[TableCheck] = []
        has_beside = False
        for (i, eq), rows in zip(items, single_row, strict=True):
            if len(rows) == 1 and row_count[next(iter(rows))] == 1:
                ref = f"{col_letter(side_col)}{next(iter(rows))}"
                has_beside = True
            else:
                if eq.rule not in below_rules:
                    below_rules.append(eq.rule)
                row = table.n_rows + 1 + below_rules.index(eq.rule) + 1
                _, col = split_ref(layout.fields[eq.lhs[0]].ref)
                ref = f"{col_letter(col)}{row}"
            checks.append(TableCheck(i, table.sheet, ref, eq))
        refs = [c.ref for c in checks]
        if len(refs) != len(set(refs)):
            raise AssertionError(f"check cells collide on {table.sheet}")
        below = tuple((f"{col_letter(side_col)}{table.n_rows + 2 + k}", rule) for k, rule in enumerate(below_rules))
        beside_header = f"{col_letter(side_col)}{table.header_rows}" if has_beside else None
        if beside_header and table.header_rows <= 1:
            raise AssertionError(f"no room for the status above the checks of {table.sheet}")
        out[table.sheet] = TablePlacement(table.sheet, tuple(checks), beside_header, below,
                                          f"{col_letter(side_col)}1", f"{col_letter(side_col + 1)}1",
                                          f"{col_letter(side_col + 3)}1")
    return out


UNIT_MARK_PREFIX = "nianbao-unit:"


def unit_mark(unit_code: str, unit_name: str) -> str:
    """The text of a table sheet's hidden unit mark. A sheet copied (or pasted whole) from another
    unit's workbook brings that unit's mark along, and the reader notices."""
    return f"{UNIT_MARK_PREFIX}{unit_code}|{unit_name}"


def table_placement(layout: Layout, sheet: str) -> TablePlacement:
    """Check cells, labels and the status mirror of one table sheet."""
    return _placements(layout.id)[sheet]


def table_checks(layout: Layout) -> tuple[TableCheck, ...]:
    """Every equation's copy beside or below its table (rows to the right: column n_cols+2)."""
    return tuple(c for t in layout.tables for c in _placements(layout.id)[t.sheet].checks)


# ---------------------------------------------------------------------------------------------
# Sizes (column widths in Excel character units)
# ---------------------------------------------------------------------------------------------

TABLE_COLUMN_WIDTHS: dict[str, tuple[float, ...]] = {
    "t2": (26.0, 20.0, 20.0, 20.0),
    "t3": (8.0, 16.0, 46.0, *(10.0,) * 7),
    "t4": (9.5,) * 15,
}
CHECK_COLUMN_WIDTH = 12.0  # the column of checks beside a table
SHEET_COLUMN_WIDTHS: dict[str, tuple[float, ...]] = {
    INSTRUCTIONS_SHEET: (84.0,),
    INFO_SHEET: (16.0, 60.0),
    TEXT_SHEET: (84.0,),
    CHECK_SHEET: (5.0, 17.0, 42.0, 22.0, 8.0, 8.0, 6.0, 7.0),
}
LANDSCAPE_TABLES = frozenset({"t3", "t4"})
PAD_COLUMN_WIDTH = 1.0  # the empty column B in the print area of a one-column sheet
# Print margins in inches (0.75″ = 19 mm sides; header and footer 0.65″ = 16.5 mm from the edge)
PAGE_MARGINS = {"left": 0.75, "right": 0.75, "top": 1.0, "bottom": 1.0}
HEADER_MARGIN = 0.65
A4_HEIGHT_PT = 841.89


def printable_height(landscape: bool = False) -> float:
    """Points of row height one printed page holds (at 100 %), with a 5 % allowance for
    programs that draw rows a little taller than declared."""
    paper = 595.28 if landscape else A4_HEIGHT_PT
    return 0.95 * (paper - 72 * (PAGE_MARGINS["top"] + PAGE_MARGINS["bottom"]))


# ---------------------------------------------------------------------------------------------
# The form's own Chinese text
# ---------------------------------------------------------------------------------------------

INFO_TITLE = "基本信息"
INFO_NOTE = "单位名称、单位代码、报告年度和报表格式由下发单位设定，不能修改；如有错误，请联系下发单位重新下发。"
TEXT_TITLE = "文字部分"
TEXT_NOTE = (
    "请在每个标题下方的浅色大单元格内填写正文，段落之间按 Alt+Enter 换行（Excel、WPS；LibreOffice 为 Ctrl+Enter）；"
    "以“（一）”等开头的短段落视为小标题。可拖动行高查看全文。"
)
CHECK_TITLE = "校验（自动计算，无需填写）"
STATUS_LABEL = "校验结果"
EMPTY_COUNT_LABEL = "尚未填写的数字单元格"

INPUT_TITLE: dict[Kind, str] = {
    Kind.COUNT: "请填写件数",
    Kind.SIGNED: "请填写增减数",
    Kind.AMOUNT: "请填写金额",
}
INPUT_PROMPT: dict[Kind, str] = {
    Kind.COUNT: "请填写不小于 0 的整数；没有的填 0，不要留空，不要填写文字或单位。",
    Kind.SIGNED: "请填写整数，减少时填负数（如 -2）；没有变化的填 0。",
    Kind.AMOUNT: "请填写不小于 0 的数字，可有小数；不要填写“元”“万元”等单位。没有的填 0。",
}
ERROR_TITLE = "输入有误"
ERROR_MESSAGE: dict[Kind, str] = {
    Kind.COUNT: "此处只能填写不小于 0 的整数。说明文字请写在“文字部分”。",
    Kind.SIGNED: "此处只能填写整数（减少时填负数）。说明文字请写在“文字部分”。",
    Kind.AMOUNT: "此处只能填写不小于 0 的数字（可有小数），不要带单位。",
}
TEXT_PROMPT_TITLE = "请填写正文"
TEXT_PROMPT = "在此单元格内填写本部分正文；段落之间换行即可。"

INSTRUCTIONS_TITLE = "{year}年度政府信息公开工作年度报告填报说明"


def chinese_date(iso: str) -> str:
    """``2026-01-31`` as ``2026年1月31日``; any other text unchanged."""
    parts = iso.strip().split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    return iso


def instructions(layout: Layout, *, year: int, unit_name: str, deadline: str = "", contact: str = "",
                 campaign: str = "") -> list[tuple[str, str]]:
    """The lines of 填报说明, each ``(style, text)`` with style ``title``, ``heading`` or ``text``."""
    tables = "、".join(t.sheet for t in layout.tables)
    signed = any(f.kind is Kind.SIGNED for f in layout.fields.values())
    del campaign  # the batch id is in the hidden meta sheet, not for the clerk to read
    lines: list[tuple[str, str]] = [
        ("title", INSTRUCTIONS_TITLE.format(year=year)),
        ("text", f"填报单位：{unit_name}"),
        ("text", f"报表格式：{layout_text(layout)}；统计期间：{year}年1月1日至{year}年12月31日。"),
    ]
    if deadline:
        lines.append(("text", f"报送时限：请于{chinese_date(deadline)}前报送。"))
    if contact:
        lines.append(("text", f"联系人及电话：{contact}"))
    lines += [
        ("heading", "一、填写什么"),
        ("text", f"1.“{INFO_SHEET}”：填写填报人、联系电话和填报日期。"),
        ("text", f"2.“{TEXT_SHEET}”：填写一、总体情况，五、存在的主要问题及改进情况，六、其他需要报告的事项；"
                 "二至四部分表格上方的说明文字可选填。"),
        ("text", f"3.“{tables}”：只在浅黄色单元格内填写数字。总计由公式自动计算，不能也不需要填写。"),
        ("heading", "二、填写要求"),
        ("text", "1.件数填写不小于 0 的整数；没有的填 0，不要留空，不要填写“/”“—”“无”或文字说明。"),
        ("text", ("2.“本年增/减”可填负数；金额可有小数，不要带“元”“万元”等单位。" if signed
                  else "2.金额可有小数，不要带“元”“万元”等单位。")),
        ("text", "3.表三每一列须满足：一、本年新收＋二、上年结转＝（七）总计＋四、结转下年度继续办理；"
                 "每件申请只能计入一种办理结果（部分公开的只计入“（二）部分公开”）。"),
        ("text", "4.“二、上年结转”应与上一年度报告的“四、结转下年度继续办理”一致。"),
        ("text", "5.需要说明的情况（如数字的构成、口径）请写在“文字部分”，不要写在数字单元格内。"),
        ("heading", "三、检查"),
        ("text", f"“{CHECK_SHEET}”工作表和各表右侧、下方的校验单元格自动核对勾稽关系，"
                 f"不一致的标为红色。报送前请确认“{CHECK_SHEET}”工作表显示“{STATUS_OK}”。"),
        ("heading", "四、报送"),
        ("text", "1.请直接保存并报送本文件（.xlsx 格式）。不要另存为 .xls 或 .et 格式，不要设置打开密码。"),
        ("text", "2.不要增加、删除、重命名或移动工作表，不要复制粘贴整行整列，不要修改表格标题和栏目。"),
        ("text", "3.本文件含有识别信息，请勿使用其他单位的文件填报。"),
    ]
    return lines
