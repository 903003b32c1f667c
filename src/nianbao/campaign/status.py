"""The status board: one line per unit of the roster, from the ledger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from nianbao.campaign.ledger import Decision, Submission
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.states import (
    ACCEPTED,
    ERRORS,
    MISSING,
    PASSED,
    REJECTED,
    STATES,
    UNTOUCHED,
    WARNINGS,
    state,
    status_name,
)
from nianbao.campaign.workspace import Workspace
from nianbao.display import escape_cell, short_time
from nianbao.messages import message
from nianbao.workbook.form import chinese_date

__all__ = ["BOARD_COLUMNS", "HEADER", "MAIL_HEADER", "MISSING", "Board", "BoardLine", "Column", "build_board", "chase_text",
           "decision_json", "decision_text", "short_time", "status_text", "write_board_xlsx"]

UNITS_PER_PAGE = 30  # board lines on one printed A4 landscape page (fewer units when some take two lines)
BOARD_LINE_HEIGHT = 14  # points a line of the printed board
# How each status prints (--xlsx): a mark and a shade that stay apart in black and white
# (未报送 darkest, 有错误 / 退回 mid, 仅有提示 light, 已通过 / 已接受 white). A new status adds its own here.
STATUS_MARKS = {MISSING: "○", UNTOUCHED: "□", ERRORS: "✗", REJECTED: "✗", WARNINGS: "△", ACCEPTED: "✓",
                PASSED: "✓"}
STATUS_SHADES = {MISSING: "#969696", UNTOUCHED: "#BFBFBF", ERRORS: "#F4B183", REJECTED: "#F4B183",
                 WARNINGS: "#FFE07A", ACCEPTED: "#FFFFFF", PASSED: "#FFFFFF"}


def status_text(status: str) -> str:
    return status_name(status)


def to_chase(status: str) -> bool:
    """A unit the office has to chase: its figures do not go into the roll-up yet."""
    return not state(status).aggregated


def decision_json(d: Decision | None) -> dict[str, object] | None:
    if d is None:
        return None
    return {"decision": d.decision, "override_errors": d.override_errors, "reason": d.reason, "by": d.decided_by,
            "at": d.decided_at, "submission": d.submission_id}


def decision_text(d: Decision | None) -> str:
    if d is None:
        return ""
    return message("BOARD-DECISION", decision=message(f"DECISION-{d.kind}"), reason=d.reason, who=d.decided_by,
                   when=short_time(d.decided_at))




@dataclass(frozen=True)
class BoardLine:
    unit: RosterUnit
    status: str  # a code of states.py
    last_received: str = ""  # ISO timestamp
    file_name: str = ""
    errors: int = 0
    warnings: int = 0
    submissions: int = 0
    decision: Decision | None = None
    last_sent: str = ""  # the workbook or feedback mailed last
    last_reminded: str = ""
    last_mail: str = ""  # the unit's last mail with an attachment (fetch)
    overdue_days: int = 0  # days past the deadline while not returned or not accepted

    @property
    def mail_row(self) -> list[str]:
        return [self.last_sent, self.last_reminded, self.last_mail]

    @property
    def label(self) -> str:
        return status_text(self.status)

    @property
    def to_chase(self) -> bool:
        return to_chase(self.status)

    def as_row(self) -> list[str | int]:
        """The values of :data:`BOARD_COLUMNS`, in order (as the clerk reads them)."""
        return [c.value(self) for c in BOARD_COLUMNS]


@dataclass(frozen=True)
class Column:
    """One column of the board, everywhere it is shown (console, --xlsx, --json)."""

    key: str  # the --json name
    header: str
    width: float  # in the --xlsx workbook
    value: Callable[[BoardLine], str | int]  # what a clerk reads
    json: Callable[[BoardLine], Any] | None = None  # what a machine reads (default: value)
    wide_only: bool = False  # left out on a narrow console (80 columns)
    fold: bool = False  # long text: wrapped, never cut
    console_min: int = 0  # console columns from which it is shown (0: 110 when wide_only, else always)
    printed: bool = True  # on the printed board (--xlsx); the others follow it, outside the print area
    only_if_used: bool = False  # on the console only when some unit has a value (the mail dates)

    def shown_at(self, width: int) -> bool:
        return width >= (self.console_min or (110 if self.wide_only else 0))


def _contact(unit: RosterUnit) -> str:
    """The roster's 联系人 and 电话, as the chase list prints them."""
    return " ".join(p for p in (unit.contact, unit.phone) if p)


def _chase(get: Callable[[BoardLine], str]) -> Callable[[BoardLine], str]:
    return lambda line: get(line) if line.to_chase else ""


# The board's columns, declared once. Another column is one more entry here (at its place).
BOARD_COLUMNS: list[Column] = [
    Column("code", "单位编码", 11, lambda x: x.unit.code),
    Column("name", "单位名称", 32, lambda x: x.unit.name, fold=True),
    Column("category", "类别", 8, lambda x: x.unit.category, wide_only=True, console_min=120),
    Column("status_text", "状态", 9, lambda x: x.label),
    Column("last_received", "最近报送时间", 13, lambda x: short_time(x.last_received), lambda x: x.last_received),
    Column("file", "文件名", 34, lambda x: x.file_name, wide_only=True, fold=True, console_min=160, printed=False),
    Column("errors", "错误", 5, lambda x: x.errors),
    Column("warnings", "提示", 5, lambda x: x.warnings),
    Column("submissions", "报送次数", 7, lambda x: x.submissions, wide_only=True, console_min=130, printed=False),
    Column("overdue_days", "逾期天数", 7, lambda x: x.overdue_days or "", lambda x: x.overdue_days, wide_only=True,
           console_min=96),
    Column("contact", "联系人及电话", 26, _chase(lambda x: _contact(x.unit)), lambda x: _contact(x.unit), wide_only=True,
           fold=True, console_min=110),
    Column("email", "邮箱", 28, _chase(lambda x: x.unit.email), lambda x: x.unit.email, wide_only=True,
           console_min=190, printed=False),
    Column("decision_text", message("BOARD-DECISION-HEADER"), 34, lambda x: decision_text(x.decision),
           wide_only=True, fold=True, console_min=150),
    # by mail (nianbao send / fetch)
    Column("last_sent", "最近发送", 13, lambda x: short_time(x.last_sent), lambda x: x.last_sent, wide_only=True,
           console_min=150, printed=False, only_if_used=True),
    Column("last_reminded", "最近催报", 13, lambda x: short_time(x.last_reminded), lambda x: x.last_reminded,
           wide_only=True, console_min=150, printed=False, only_if_used=True),
    Column("last_mail", "最近来信", 13, lambda x: short_time(x.last_mail), lambda x: x.last_mail, wide_only=True,
           console_min=150, printed=False, only_if_used=True),
]
MAIL_HEADER = ("最近发送", "最近催报", "最近来信")
HEADER = tuple(c.header for c in BOARD_COLUMNS)


@dataclass
class Board:
    lines: list[BoardLine]
    refused: list[Submission] = field(default_factory=list)
    office: str = ""
    year: int = 0
    deadline: str = ""  # YYYY-MM-DD or ""
    today: date | None = None
    copies: list[Any] = field(default_factory=list)  # compare.crossunit.Copy: sections copied between units

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def totals_text(self) -> str:
        items = "，".join(message("STATUS-TOTALS-ITEM", name=s.name, count=self.count(s.code)) for s in STATES
                         if s.always_counted or self.count(s.code))
        return message("STATUS-TOTALS", units=len(self.lines), items=items)

    @property
    def exit_code(self) -> int:
        """0 when every unit's figures go into the roll-up (passed, warnings, accepted), else 1."""
        return 0 if all(state(line.status).aggregated for line in self.lines) else 1

    @property
    def title(self) -> str:
        return message("CLI-STATUS-TITLE", office=self.office, year=self.year,
                       deadline=chinese_date(self.deadline) if self.deadline else message("BOARD-NO-DEADLINE"))

    @property
    def to_chase(self) -> list[BoardLine]:
        return [line for line in self.lines if line.to_chase]

    def row_json(self, line: BoardLine) -> dict[str, Any]:
        return ({c.key: (c.json or c.value)(line) for c in BOARD_COLUMNS}
                | {"status": line.status, "decision": decision_json(line.decision)})


def overdue(deadline: str, today: date) -> int:
    """Days past ``deadline`` (YYYY-MM-DD) on ``today``; 0 before it or without one."""
    try:
        due = date.fromisoformat(deadline)
    except (TypeError, ValueError):
        return 0
    return max(0, (today - due).days)


def build_board(ws: Workspace, today: date | None = None) -> Board:
    from nianbao.mail.store import mail_dates

    today = today or date.today()
    late = overdue(ws.config.deadline, today)
    lines: list[BoardLine] = []
    with ws.open_ledger() as ledger:
        mail = mail_dates(ledger.conn)
        for unit in ledger.units():
            history = [s for s in ledger.submissions(unit.code) if s.status != "refused"]
            st = ledger.unit_state(unit.code)
            current = st.submission
            sent, reminded, received = mail.get(unit.code, ("", "", ""))
            if current is None:
                lines.append(BoardLine(unit, MISSING, submissions=len(history), last_sent=sent,
                                       last_reminded=reminded, last_mail=received, overdue_days=late))
            else:
                lines.append(BoardLine(unit, st.status, current.received_at, current.original_name,
                                       current.error_count, current.warning_count, len(history), st.decision,
                                       sent, reminded, received, late if to_chase(st.status) else 0))
        refused = [s for s in ledger.submissions() if s.status == "refused"]
        reports = [ledger.report(sub.id) for sub in (ledger.current(u.code) for u in ledger.units()) if sub]
    from nianbao.compare.crossunit import find_copies

    return Board(lines, refused, ws.config.office, ws.year, ws.config.deadline, today, copies=find_copies(reports))


def chase_text(board: Board) -> str:
    """The units to chase as text ready to paste into a notice (``nianbao status --chase``)."""
    missing = [x for x in board.lines if x.status == MISSING]
    errors = [x for x in board.lines if x.to_chase and x.status != MISSING]
    if not missing and not errors:
        return message("CHASE-NONE", office=board.office, year=board.year)
    late = max((x.overdue_days for x in board.to_chase), default=0)
    when = chinese_date(board.deadline) if board.deadline else ""
    head = message("CHASE-TITLE", office=board.office, year=board.year)
    lines = [head]
    if when:
        lines.append(message("CHASE-LATE", deadline=when, days=late) if late else message("CHASE-DUE", deadline=when))

    def who(x: BoardLine) -> str:
        contact = "、".join(p for p in (_contact(x.unit), x.unit.email) if p)
        return f"{x.unit.name}（{contact}）" if contact else x.unit.name

    n = 0
    if missing:
        lines.append(message("CHASE-MISSING", count=len(missing)))
        for x in missing:
            n += 1
            lines.append(f"{n}. {who(x)}")
    if errors:
        lines.append(message("CHASE-ERRORS", count=len(errors)))
        for x in errors:
            n += 1
            received = message("CHASE-RECEIVED", when=short_time(x.last_received), status=x.label, errors=x.errors)
            lines.append(f"{n}. {who(x)}：{received}")
    lines.append(message("CHASE-CLOSING"))
    return "\n".join(lines)


def write_board_xlsx(board: Board, path: Path) -> None:
    """The board as a workbook (one sheet 报送情况, refused files on 拒收文件), printable on A4
    landscape: :data:`UNITS_PER_PAGE` units a page, title, deadline and printing date in the page
    header, states told apart by a mark and by shades that stay distinct in black and white."""
    import io

    import xlsxwriter

    from nianbao.model import write_atomic
    from nianbao.workbook.writer import line_count

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1}
    head = wb.add_format({**base, "bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "align": "center"})
    shades = STATUS_SHADES
    fmts = {k: wb.add_format({**base, "bg_color": c, "bold": to_chase(k)}) for k, c in shades.items()}
    marks = {k: f"{m} " for k, m in STATUS_MARKS.items()}
    ws = wb.add_worksheet("报送情况")
    # the printed columns first (the print area), then the others for the screen
    order = [i for i, c in enumerate(BOARD_COLUMNS) if c.printed] + [
        i for i, c in enumerate(BOARD_COLUMNS) if not c.printed]
    columns = [BOARD_COLUMNS[i] for i in order]
    ws.write_row(0, 0, [c.header for c in columns], head)
    ws.set_row(0, 26)
    status_col = next(j for j, c in enumerate(columns) if c.key == "status_text")
    # long text (a name, a decision's reason) is wrapped in its cell, never cut at the page's edge
    folded = {k: wb.add_format({**base, "bg_color": c, "bold": to_chase(k), "text_wrap": True})
              for k, c in shades.items()}
    breaks: list[int] = []
    used = 0  # lines on the current page: a page holds UNITS_PER_PAGE one-line units
    for i, line in enumerate(board.lines, start=1):
        shade = line.status if line.status in shades else MISSING
        values = [line.as_row()[k] for k in order]
        lines = max([line_count(v, c.width) for v, c in zip(values, columns, strict=True)
                     if c.fold and c.printed and isinstance(v, str)] + [1])
        lines = min(lines, UNITS_PER_PAGE)
        if used + lines > UNITS_PER_PAGE:
            breaks.append(i)
            used = 0
        used += lines
        ws.set_row(i, BOARD_LINE_HEIGHT * lines)
        for j, value in enumerate(values):
            f = (folded if columns[j].fold else fmts)[shade]
            if isinstance(value, int):
                ws.write_number(i, j, value, f)
            else:
                text = (marks.get(line.status, "") + value) if j == status_col else value
                ws.write_string(i, j, escape_cell(text), f)
    ws.write_string(len(board.lines) + 2, 0, board.totals_text)
    for j, col in enumerate(columns):
        ws.set_column(j, j, col.width)
    ws.print_area(0, 0, len(board.lines) + 2, sum(c.printed for c in columns) - 1)
    ws.freeze_panes(1, 2)
    printed = (board.today or date.today())
    _board_page(ws, board, printed)
    ws.set_h_pagebreaks(breaks)
    if board.refused:
        rs = wb.add_worksheet("拒收文件")
        rs.write_row(0, 0, ("文件名", "接收时间", "原因"), head)
        wrap = wb.add_format({**base, "text_wrap": True})
        for i, sub in enumerate(board.refused, start=1):
            rs.write_row(i, 0, [escape_cell(sub.original_name), short_time(sub.received_at),
                                escape_cell(sub.message)], wrap)
        rs.set_column(0, 0, 40)
        rs.set_column(1, 1, 14)
        rs.set_column(2, 2, 90)
        _board_page(rs, board, printed)
    if board.copies:
        from nianbao.compare.xlsx import copy_text

        cs = wb.add_worksheet("文字雷同")
        cs.write_row(0, 0, ("单位", "另一单位", "相似度（%）", "说明"), head)
        for i, c in enumerate(board.copies, start=1):
            cs.write_row(i, 0, [escape_cell(c.unit_a.name), escape_cell(c.unit_b.name), c.percent,
                                escape_cell(copy_text(c))])
        cs.set_column(0, 1, 30)
        cs.set_column(2, 2, 12)
        cs.set_column(3, 3, 100)
        _board_page(cs, board, printed)
    wb.close()
    write_atomic(Path(path), buf.getvalue())


def _board_page(ws: Any, board: Board, printed: date) -> None:
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.6, right=0.6, top=0.95, bottom=0.75)
    ws.repeat_rows(0)
    title = board.title.replace("&", "&&")
    ws.set_header(f'&C&"宋体,Bold"&12{title}&R&9' + message("BOARD-PRINTED", date=chinese_date(printed.isoformat())),
                  {"margin": 0.6})
    legend = "　".join(f"{mark} {status_text(status)}" for status, mark in STATUS_MARKS.items())
    ws.set_footer("&L&9" + legend + "&R&9第 &P 页，共 &N 页", {"margin": 0.6})
