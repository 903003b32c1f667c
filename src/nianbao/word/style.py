"""GB/T 9704-2012 (党政机关公文格式) as declared data for the Word report.

Sizes in points, lengths in millimetres. The renderer (``report.py``, ``tables.py``) reads these
values and hard-codes none of its own, so a reviewer can check the page against the standard here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Chinese type sizes (字号) in points.
SIZE_2HAO = 22.0  # 二号: title
SIZE_3HAO = 16.0  # 三号: body, headings
SIZE_4HAO = 14.0  # 四号: page numbers
SIZE_5HAO = 10.5  # 五号: tables
SIZE_XIAO5 = 9.0  # 小五: tables that are too wide in 五号

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Fonts:
    """Font names of the report; configurable because offices differ in what they have installed.

    ``latin`` is used for digits and Latin letters everywhere (the East Asian fonts cover the rest).
    """

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading: str = "黑体"  # 一、 headings
    subheading: str = "楷体_GB2312"  # （一） headings
    table: str = "仿宋_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"

    def with_overrides(self, **names: str | None) -> Fonts:
        """A copy with the given (non-empty) names replaced."""
        return replace(self, **{k: v for k, v in names.items() if v})


@dataclass(frozen=True)
class Page:
    """A page and its margins; the type area (版心) is what the margins leave."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    footer: float  # distance of the footer (page number) from the bottom edge
    header: float = 15.0

    @property
    def type_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def type_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def rotated(self) -> Page:
        """The same sheet turned sideways, the margins turned with it (top 37 mm becomes left)."""
        return Page(self.height, self.width, self.right, self.left, self.top, self.bottom,
                    self.footer - (self.bottom - self.left), self.header)


# A4 portrait, margins top 37 / bottom 35 / left 28 / right 26 mm: type area 156 mm × 225 mm.
# The page number line sits 7 mm below the type area (GB/T 9704 7.5): its baseline about 28 mm
# from the bottom edge, so the footer paragraph (4号, about 5 mm high) starts 23 mm from it.
A4 = Page(width=210.0, height=297.0, top=37.0, bottom=35.0, left=28.0, right=26.0, footer=23.0)

# Body text: 3号 with an exact line pitch of 28.95 pt gives 22 lines in 225 mm; characters
# condensed by 0.25 pt (15.75 pt each) give 28 characters in 156 mm.
BODY_SIZE = SIZE_3HAO
LINE_PITCH = 28.95
CHAR_SPACING = -0.25
INDENT_CHARS = 2  # first-line indent of every body paragraph and heading (空二字)

TITLE_SIZE = SIZE_2HAO
TITLE_LINE = 36.0  # exact line height of the title (2号 needs more than the body pitch)
TITLE_CHARS_PER_LINE = 20  # a 2号 line in 156 mm; a longer title is broken before the year
PAGE_NUMBER_SIZE = SIZE_4HAO
PAGE_NUMBER_DASH = "—"  # 一字线 on each side of the number: — 1 —
DATE_RIGHT_CHARS = 4  # 成文日期右空四字
DRAFT_COLOUR = "C00000"

# Sub-heading detection (datapoints.md: a paragraph that begins with a marker is a sub-heading
# when it is short). Longer paragraphs keep the marker's lead-in (up to 。 or ：) in the
# sub-heading font, as hand-made reports do.
SUBHEADING_MAX_CHARS = 30
LEAD_IN_MAX_CHARS = 24

# Tables: the first size that fits the type area is used; if none fits, the table gets a
# landscape section of its own.
TABLE_SIZES = (SIZE_5HAO, SIZE_XIAO5)
TABLE_CELL_PADDING = 2.0  # pt, left and right of every cell
TABLE_LINE_FACTOR = 1.25  # exact line height of table text = size × factor
TABLE_ROW_MIN = 6.0  # mm, minimum height of a table row
DIGIT_EM = 0.5  # width of a digit (Times New Roman / Liberation Serif) in em
SAFETY = 1.5  # pt of slack per column so a number never wraps
# A short table (表二, 表四) moves to the next page rather than split; a long one (表三) may split,
# its header rows repeating, but never leaves its header and first rows alone at a page foot.
KEEP_TOGETHER_MAX_ROWS = 20
KEEP_WITH_HEADER_ROWS = 2
# A table whose estimated height is within this share of the type area is kept on one page; a
# longer one splits with at least MIN_ROWS_AT_SPLIT rows on each side of the break.
KEEP_TOGETHER_SHARE = 0.92
MIN_ROWS_AT_SPLIT = 5


@dataclass(frozen=True)
class ColumnSpec:
    """How wide a table column may be: a minimum in characters of the table font, and a weight
    for sharing out whatever width is left over."""

    min_chars: float
    weight: float


# Column declarations per statutory table: a spec for each label column (A, B, …) and one spec
# shared by all number columns. Which columns hold numbers comes from the layout's fields.
TABLE_COLUMNS: dict[str, tuple[tuple[ColumnSpec, ...], ColumnSpec]] = {
    # 表二: label column A, then B–D numbers (some merged).
    "t2": ((ColumnSpec(6, 1.4),), ColumnSpec(4, 1.0)),
    # 表三: A (三、本年度办理结果, vertical), B (（三）不予公开 …), C (item labels), D–J numbers.
    # A is one character wide, so 三、本年度办理结果 stands upright as in the official sample.
    "t3": ((ColumnSpec(1, 0.0), ColumnSpec(4, 0.1), ColumnSpec(8, 1.0)), ColumnSpec(3, 0.05)),
    # 表四: fifteen number columns.
    "t4": ((), ColumnSpec(2, 1.0)),
}
