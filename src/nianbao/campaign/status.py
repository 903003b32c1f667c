"""The status board: one line per unit of the roster, from the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.campaign.ledger import Decision, Submission
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.states import MISSING, STATES, state, status_name
from nianbao.campaign.workspace import Workspace
from nianbao.messages import message

__all__ = ["HEADER", "MISSING", "Board", "BoardLine", "build_board", "decision_json", "decision_text", "status_text",
           "write_board_xlsx"]

HEADER = ("单位编码", "单位名称", "类别", "状态", "最近报送时间", "文件名", "错误", "提示", "报送次数",
          message("BOARD-DECISION-HEADER"))
MAIL_HEADER = ("最近发送", "最近催报", "最近来信")  # by mail (nianbao send / fetch)


def status_text(status: str) -> str:
    return status_name(status)


def decision_json(d: Decision | None) -> dict[str, object] | None:
    if d is None:
        return None
    return {"decision": d.decision, "override_errors": d.override_errors, "reason": d.reason, "by": d.decided_by,
            "at": d.decided_at, "submission": d.submission_id}


def decision_text(d: Decision | None) -> str:
    if d is None:
        return ""
    return message("BOARD-DECISION", decision=message(f"DECISION-{d.kind}"), reason=d.reason, who=d.decided_by,
                   when=d.decided_at)


@dataclass(frozen=True)
class BoardLine:
    unit: RosterUnit
    status: str  # a code of states.py
    last_received: str = ""
    file_name: str = ""
    errors: int = 0
    warnings: int = 0
    submissions: int = 0
    decision: Decision | None = None
    last_sent: str = ""  # the workbook or feedback mailed last
    last_reminded: str = ""
    last_mail: str = ""  # the unit's last mail with an attachment (fetch)

    @property
    def mail_row(self) -> list[str]:
        return [self.last_sent, self.last_reminded, self.last_mail]

    @property
    def label(self) -> str:
        return status_text(self.status)

    def as_row(self) -> list[str | int]:
        return [self.unit.code, self.unit.name, self.unit.category, self.label, self.last_received,
                self.file_name, self.errors, self.warnings, self.submissions, decision_text(self.decision)]


@dataclass
class Board:
    lines: list[BoardLine]
    refused: list[Submission] = field(default_factory=list)
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


def build_board(ws: Workspace) -> Board:
    from nianbao.mail.store import mail_dates

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
                                       last_reminded=reminded, last_mail=received))
            else:
                lines.append(BoardLine(unit, st.status, current.received_at, current.original_name,
                                       current.error_count, current.warning_count, len(history), st.decision,
                                       sent, reminded, received))
        refused = [s for s in ledger.submissions() if s.status == "refused"]
        current = [ledger.report(sub.id) for sub in (ledger.current(u.code) for u in ledger.units()) if sub]
    from nianbao.compare.crossunit import find_copies

    return Board(lines, refused, find_copies(current))


def write_board_xlsx(board: Board, path: Path) -> None:
    """The board as a workbook (one sheet 报送情况, refused files on 拒收文件)."""
    import io

    import xlsxwriter

    from nianbao.campaign.export import escape_cell
    from nianbao.model import write_atomic

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    fmts = {s.code: wb.add_format({"bg_color": s.fill, "border": 1}) for s in STATES}
    ws = wb.add_worksheet("报送情况")
    ws.write_row(0, 0, HEADER + MAIL_HEADER, head)
    for i, line in enumerate(board.lines, start=1):
        for j, value in enumerate([*line.as_row(), *line.mail_row]):
            if isinstance(value, int):
                ws.write_number(i, j, value, fmts[line.status])
            else:
                ws.write_string(i, j, escape_cell(value), fmts[line.status])
    ws.write_string(len(board.lines) + 2, 0, board.totals_text)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 3, 10)
    ws.set_column(4, 4, 20)
    ws.set_column(5, 5, 44)
    ws.set_column(9, 9, 50)
    ws.set_column(len(HEADER), len(HEADER) + len(MAIL_HEADER) - 1, 20)
    ws.freeze_panes(1, 2)
    if board.refused:
        rs = wb.add_worksheet("拒收文件")
        rs.write_row(0, 0, ("文件名", "接收时间", "原因"), head)
        for i, sub in enumerate(board.refused, start=1):
            rs.write_row(i, 0, [escape_cell(sub.original_name), sub.received_at, escape_cell(sub.message)])
        rs.set_column(0, 0, 44)
        rs.set_column(1, 1, 20)
        rs.set_column(2, 2, 90)
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
    wb.close()
    write_atomic(Path(path), buf.getvalue())
