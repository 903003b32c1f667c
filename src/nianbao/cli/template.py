"""``nianbao template``: write the locked workbook a department fills in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import make_template, unusual_year
from nianbao.cli._campaign import ForceOption
from nianbao.cli.common import command, err, out
from nianbao.files import check_output
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "template", "生成供各单位填报的年报工作簿（.xlsx）：表格栏目锁定，只能在浅黄色单元格内填写，"
             "总计和勾稽关系自动计算。可用 --data 预填数据（如上年结转）。")
    def template(
        output: Annotated[Path, typer.Option("--output", "-o", help="要生成的工作簿文件（.xlsx）。",
                                             metavar="输出文件")],
        year: Annotated[int, typer.Option("--year", help="报告年度，例如 2025。", metavar="年度")],
        unit_name: Annotated[str, typer.Option("--unit-name", help="填报单位名称。", metavar="单位名称")],
        unit_code: Annotated[str, typer.Option("--unit-code", help="填报单位代码（可选）。", metavar="单位代码")] = "",
        layout: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
            "--layout", help="报表格式：2019 或 2021；默认 2020 年及以前用 2019 版，此后用 2021 版。",
            metavar="格式")] = None,
        data: Annotated[Optional[Path], typer.Option(  # noqa: UP045
            "--data", help="预填数据文件（.json），可只含部分数据项，例如上年结转。", metavar="数据文件")] = None,
        password: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--password", help="工作表保护密码（可选；不设密码时仍然保护）。", metavar="密码")] = None,
        force: ForceOption = False,
    ) -> None:
        check_output(output, [data], force=force)
        if unusual_year(year):
            today = datetime.now().year
            err.print(message("TEMPLATE-YEAR-UNUSUAL", year=year, today=today, previous=today - 1))
        meta = make_template(output, year=year, unit_name=unit_name, unit_code=unit_code, layout=layout,
                             data=data, password=password)
        out.print(message("TEMPLATE-WRITTEN", path=str(output), year=meta.year, layout=meta.layout,
                          unit=meta.unit_name))
