"""``nianbao export FILE -o DATA.json``: a returned workbook (or data file) as a nianbao data file.

The single-file form only; a workspace-wide export may add options here, keeping this form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nianbao.api import load_and_check, save_report
from nianbao.cli._campaign import ForceOption
from nianbao.cli.common import command, err, print_result
from nianbao.files import check_output
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "export", "把回收的工作簿导出为数据文件（JSON）：数字按数据项名称、文字按部分保存，"
             "合计按填报各项重新计算。同时列出校验结果；有错误时退出码为 1，但仍会导出。")
    def export(
        source: Annotated[Path, typer.Argument(help="回收的工作簿（或数据文件）。", metavar="文件")],
        output: Annotated[Path, typer.Option("--output", "-o", help="数据文件的保存路径（.json）。",
                                             metavar="输出文件")],
        force: ForceOption = False,
    ) -> None:
        check_output(output, [source], force=force)
        loaded, result = load_and_check(source)
        save_report(loaded.report, output)
        if result.findings:
            print_result(result, as_json=False, title=f"{source}：{loaded.report.display_title}")
        err.print(message("EXPORT-WRITTEN", path=str(output)), highlight=False)
        raise typer.Exit(result.exit_code)
