"""``nianbao status``: the board, one line per unit."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from nianbao.api import BOARD_COLUMNS, STATES, Board, Workspace, chase_text, copy_text
from nianbao.cli._campaign import ForceOption, WorkspaceOption
from nianbao.cli.common import command, out
from nianbao.display import clean, short_time
from nianbao.files import check_output
from nianbao.messages import message

_STYLE = {s.code: s.style for s in STATES}


def register(app: typer.Typer) -> None:
    @command(app, "status", message("CLI-HELP-STATUS", states=" / ".join(s.name for s in STATES)))
    def status(
        unit: Annotated[Optional[str], typer.Argument(  # noqa: UP045 - typer needs Optional
            help="单位编码或单位名称：显示该单位的报送记录。", metavar="单位")] = None,
        workspace: WorkspaceOption = Path("."),
        xlsx: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
            "--xlsx", help="同时将报送情况保存为 Excel 工作簿（A4 横向打印，每页 30 个单位）。",
            metavar="文件")] = None,
        chase: Annotated[bool, typer.Option(
            "--chase", help="输出需要催报的单位名单（未报送、有错误），可直接粘贴到催报通知中。")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")] = False,
        force: ForceOption = False,
    ) -> None:
        ws = Workspace.open(workspace)
        if unit is not None:
            from nianbao.cli._history import show_history

            show_history(ws, unit, as_json=as_json)
            return
        if xlsx is not None:
            check_output(xlsx, ws.own_files(), force=force)
        board = ws.status()
        if as_json:
            doc: dict[str, Any] = {
                "office": board.office, "year": board.year, "deadline": board.deadline,
                "units": [board.row_json(line) for line in board.lines],
                "to_chase": [line.unit.code for line in board.to_chase],
                "refused": [{"file": s.original_name, "received": s.received_at, "reason": s.reason,
                             "message": s.message} for s in board.refused],
                "copies": [c.to_json() for c in board.copies]}
            if xlsx is not None:
                doc["xlsx"] = str(xlsx)
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        elif chase:
            out.print(clean(chase_text(board)), highlight=False)
        else:
            _print_board(board)
        if xlsx is not None:
            ws.write_board(xlsx, board)
            if not as_json:
                out.print(message("CLI-BOARD-XLSX", path=xlsx), highlight=False)


def _print_board(board: Board) -> None:
    """The board as a table that fits the console, its totals, refused files and copied text."""
    out.print(clean(board.title), highlight=False)
    # On a narrow console (80 columns) only the columns that fit, so that no unit name is cut
    # to "重庆市渝北…"; the whole board is in --xlsx / --json.
    shown = [i for i, c in enumerate(BOARD_COLUMNS) if c.key != "code" and c.shown_at(out.width)
             and (not c.only_if_used or any(c.value(line) for line in board.lines))]
    table = Table()
    for i in shown:
        c = BOARD_COLUMNS[i]
        table.add_column(c.header, no_wrap=not c.fold, overflow="fold" if c.fold else "ellipsis")
    status_col = next(i for i, c in enumerate(BOARD_COLUMNS) if c.key == "status_text")
    for line in board.lines:
        cells: list[str | Text] = [clean(v) for v in line.as_row()]
        cells[status_col] = Text(str(cells[status_col]), style=_STYLE.get(line.status, ""))
        table.add_row(*(cells[i] for i in shown))
    out.print(table)
    out.print(board.totals_text, highlight=False)
    if board.refused:
        out.print(message("CLI-REFUSED-TITLE", count=len(board.refused)), highlight=False)
        for s in board.refused:
            out.print(f"  {short_time(s.received_at)}  {clean(s.message)}", highlight=False)
    if board.copies:
        out.print(message("STATUS-COPIES-TITLE", count=len(board.copies)), style="yellow")
        for c in board.copies:
            out.print("  " + copy_text(c))
