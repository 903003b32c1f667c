"""``nianbao check``: apply every rule to a data file or a returned workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import load_and_check
from nianbao.cli.common import command, print_result


def register(app: typer.Typer) -> None:
    @command(app, "check", "校验一份数据文件（.json）或回收的工作簿（.xlsx），逐项列出错误和提示。"
             "无错误时退出码为 0（可有提示），有错误为 1，文件无法使用为 2。")
    def check(
        source: Annotated[Path, typer.Argument(help="要校验的数据文件或工作簿。", metavar="文件")],
        previous: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
            "--previous", "-p", help="上一年度的数据文件或工作簿，用于跨年度核对。", metavar="上年文件")] = None,
        year: Annotated[Optional[int], typer.Option(  # noqa: UP045
            "--year", "-y", help="应报送的年度；文件为其他年度时报错误。", metavar="年度")] = None,
        unit: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--unit", "-u", help="应报送的单位名称或编码；文件为其他单位时报错误。", metavar="单位")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出校验结果（分组及逐项）。")] = False,
        show_all: Annotated[bool, typer.Option("--all", help="逐项列出每个问题，不把同类问题合并为一行。")] = False,
    ) -> None:
        loaded, result = load_and_check(source, previous, year=year, unit=unit)
        rep = loaded.report
        about = {"file": str(source), "unit": {"code": rep.unit.code, "name": rep.unit.name},
                 "year": rep.year, "layout": rep.layout.id}
        print_result(result, as_json=as_json, title=f"{source}：{rep.display_title}", layout=rep.layout,
                     expand=show_all, about=about)
        raise typer.Exit(result.exit_code)
