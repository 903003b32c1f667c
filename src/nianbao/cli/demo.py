"""``nianbao demo``: the whole collection loop on the bundled samples (the README's main job)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from nianbao.api import BOARD_COLUMNS, STATES, Board, IngestResult, run_demo
from nianbao.cli.common import command, out
from nianbao.display import clean

_STYLE = {s.code: s.style for s in STATES}


def _board(board: Board) -> None:
    table = Table()
    shown = ("name", "status_text", "file", "errors", "warnings", "decision_text")
    columns = {c.key: c for c in BOARD_COLUMNS}
    for key in shown:
        table.add_column(columns[key].header, overflow="fold")  # a unit name is never cut to "重庆市渝北…"
    for line in board.lines:
        cells: list[str | Text] = [clean(columns[key].value(line)) for key in shown]
        cells[1] = Text(str(cells[1]), style=_STYLE.get(line.status, ""))
        table.add_row(*cells)
    out.print(table)
    out.print(board.totals_text, highlight=False)


def register(app: typer.Typer) -> None:
    @command(app, "demo", "演示完整的年报收集流程：在一个新目录中用内置的示例单位名单（10 个部门和乡镇街道）"
             "建立工作区、生成模板、模拟各单位报送（多数正确，一个有错误、一个改动了模板、一个重复发送并更正、"
             "一个仅有提示并经审核接受、一个发回未填写的模板、一个未报送）、接收校验、审核、查看报送情况、"
             "生成反馈表、汇总并生成年度报告。")
    def demo(
        directory: Annotated[Optional[Path], typer.Argument(  # noqa: UP045 - typer needs Optional
            help="演示目录（须为新目录或空目录；默认新建一个临时目录）。", metavar="目录")] = None,
    ) -> None:
        def step(text: str, payload: Any) -> None:
            out.print(text, highlight=False)
            if isinstance(payload, Board):
                _board(payload)
            elif isinstance(payload, IngestResult):
                for o in payload.outcomes:
                    out.print(f"  {o.message}", highlight=False)
                out.print(f"  {payload.summary}", highlight=False)

        run_demo(directory, step=step)
