"""``nianbao status``: the board, one line per unit."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from nianbao.campaign.states import STATES
from nianbao.campaign.status import HEADER, MAIL_HEADER, build_board, decision_json, write_board_xlsx
from nianbao.campaign.workspace import open_workspace
from nianbao.cli._campaign import ForceOption, WorkspaceOption
from nianbao.cli.common import command, out
from nianbao.display import clean
from nianbao.files import check_output
from nianbao.messages import message

_STYLE = {s.code: s.style for s in STATES}
_WIDE = 110  # console columns from which the whole board fits
_WIDE_ONLY = ("类别", "文件名", "报送次数", HEADER[9])


def register(app: typer.Typer) -> None:
    @command(app, "status", "显示报送情况：每个单位一行（" + " / ".join(s.name for s in STATES) + "），"
             "最近报送时间，错误和提示个数，审核意见，末行为合计。指定单位时显示该单位的全部报送记录、"
             "每份的问题和每次审核。")
    def status(
        unit: Annotated[Optional[str], typer.Argument(  # noqa: UP045 - typer needs Optional
            help="单位编码或单位名称：显示该单位的报送记录。", metavar="单位")] = None,
        workspace: WorkspaceOption = Path("."),
        xlsx: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
            "--xlsx", help="同时将报送情况保存为 Excel 工作簿。", metavar="文件")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")] = False,
        force: ForceOption = False,
    ) -> None:
        ws = open_workspace(workspace)
        if unit is not None:
            from nianbao.cli._history import show_history

            show_history(ws, unit, as_json=as_json)
            return
        if xlsx is not None:
            check_output(xlsx, [ws.ledger_path, ws.root / "nianbao.json", ws.root / "roster.csv"], force=force)
        board = build_board(ws)
        if as_json:
            doc = {"units": [dict[str, Any](zip(("code", "name", "category", "status_text", "last_received",
                                                 "file", "errors", "warnings", "submissions", "decision_text"),
                                                line.as_row(), strict=True))
                             | {"status": line.status, "decision": decision_json(line.decision),
                                "last_sent": line.last_sent, "last_reminded": line.last_reminded,
                                "last_mail": line.last_mail}
                             for line in board.lines],
                   "refused": [{"file": s.original_name, "received": s.received_at, "reason": s.reason,
                                "message": s.message} for s in board.refused],
                   "copies": [c.to_json() for c in board.copies]}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        else:
            out.print(message("CLI-STATUS-TITLE", office=ws.config.office, year=ws.year,
                              deadline=ws.config.deadline or "未设定"), highlight=False)
            # On a narrow console (80 columns) only the columns that fit, so that no unit name is cut
            # to "重庆市渝北…"; the whole board is in --xlsx / --json.
            shown = [i for i, name in enumerate(HEADER) if i > 0 and (out.width >= _WIDE or name not in _WIDE_ONLY)]
            table = Table()
            for i in shown:
                name = HEADER[i]
                fold = name in ("单位名称", "文件名")
                table.add_column(name, no_wrap=not fold, overflow="fold" if fold else "ellipsis")
            # mail columns once mail was used, on a console wide enough for them (else in --xlsx / --json)
            mailed = out.width >= _WIDE + 40 and any(any(line.mail_row) for line in board.lines)
            for name in MAIL_HEADER if mailed else ():
                table.add_column(name, no_wrap=True)
            for line in board.lines:
                row = [str(v) for v in line.as_row()]
                cells: list[str | Text] = [clean(v) for v in row]
                cells[3] = Text(row[3], style=_STYLE[line.status])
                table.add_row(*(cells[i] for i in shown), *(_short(t) for t in line.mail_row if mailed))
            out.print(table)
            out.print(board.totals_text, highlight=False)
            if board.refused:
                out.print(message("CLI-REFUSED-TITLE", count=len(board.refused)), highlight=False)
                for s in board.refused:
                    out.print(f"  {s.received_at}  {s.message}", highlight=False)
            if board.copies:
                from nianbao.compare.xlsx import copy_text

                out.print(message("STATUS-COPIES-TITLE", count=len(board.copies)), style="yellow")
                for c in board.copies:
                    out.print("  " + copy_text(c))
        if xlsx is not None:
            write_board_xlsx(board, xlsx)
            if not as_json:
                out.print(message("CLI-BOARD-XLSX", path=xlsx), highlight=False)


def _short(stamp: str) -> str:
    """2026-12-01T10:00:27 → 12-01 10:00 (the year is the campaign's)."""
    return stamp[5:16].replace("T", " ") if len(stamp) >= 16 else stamp
