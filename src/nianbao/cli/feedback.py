"""``nianbao feedback``: a corrected-copy workbook for the clerk, with every problem marked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import write_feedback
from nianbao.cli._campaign import ForceOption
from nianbao.cli.common import command, err, print_result
from nianbao.files import check_output
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "feedback", "根据回收的工作簿生成反馈工作簿：新的模板已填入原有数字和文字，"
             "有问题的单元格标红并附批注，另有“问题清单”工作表。原文件不会被修改。")
    def feedback(
        source: Annotated[Path, typer.Argument(help="回收的工作簿（或数据文件）。", metavar="文件")],
        output: Annotated[Path, typer.Option("--output", "-o", help="反馈工作簿的保存路径（.xlsx）。",
                                             metavar="输出文件")],
        previous: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
            "--previous", "-p", help="上一年度的数据文件或工作簿，用于跨年度核对。", metavar="上年文件")] = None,
        deadline: Annotated[str, typer.Option("--deadline", help="报送截止日期，例如 2026-01-31，写在问题清单上。",
                                              metavar="日期")] = "",
        contact: Annotated[str, typer.Option("--contact", help="联系人及电话，写在问题清单上。",
                                             metavar="联系人")] = "",
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出校验结果。")] = False,
        force: ForceOption = False,
    ) -> None:
        check_output(output, [source, previous], force=force)
        result = write_feedback(source, output, previous=previous, deadline=deadline, contact=contact)
        print_result(result, as_json=as_json, title=f"{source} → {output}")
        if not as_json:
            err.print(message("FEEDBACK-WRITTEN", path=str(output)), highlight=False)
        raise typer.Exit(result.exit_code)
