"""``nianbao export-all``: every unit × every key of a workspace in one .xlsx or .csv."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from nianbao.api import Workspace
from nianbao.cli._campaign import ForceOption, WorkspaceOption
from nianbao.cli.common import command, out
from nianbao.files import check_output
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "export-all", "导出工作区中全部单位的全部数据项（每个单位一行，每个数据项一列）为 .xlsx 或 .csv；"
             "以 = + - @ 开头的文字前加单引号，防止被表格软件当作公式执行。")
    def export_all(
        output: Annotated[Path, typer.Option("--output", "-o", help="导出文件（.xlsx 或 .csv）。",
                                             metavar="导出文件")],
        workspace: WorkspaceOption = Path("."),
        force: ForceOption = False,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出导出结果。")] = False,
    ) -> None:
        ws = Workspace.open(workspace)
        check_output(output, ws.own_files(), force=force)
        path = ws.export(output)
        if as_json:
            doc = {"file": str(path), "units": len(ws.units()), "keys": len(ws.layout.fields)}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            return
        out.print(message("CLI-EXPORT-DONE", units=len(ws.units()), keys=len(ws.layout.fields),
                          path=path), highlight=False)
