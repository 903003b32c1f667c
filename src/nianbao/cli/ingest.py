"""``nianbao ingest``: take returned files into the workspace's ledger."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import Workspace
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, err, out
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "ingest", "接收各单位报送的文件（默认为工作区 inbox/ 目录中的全部文件）：按文件中的隐藏信息识别单位，"
             "不看文件名；拒收其他年度或其他工作区的文件；校验并记入台账；为有错误的单位在 feedback/ 生成反馈表。"
             "全部通过（可有提示）时退出码为 0，有错误或拒收为 1，无法使用为 2。")
    def ingest(
        sources: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045 - typer needs Optional
            help="要接收的文件或目录（默认为 inbox/）。", metavar="文件或目录")] = None,
        workspace: WorkspaceOption = Path("."),
        jobs: Annotated[int, typer.Option("--jobs", "-j", help="同时读取文件的进程数（多核时可加快）。",
                                          metavar="N")] = 1,
        no_feedback: Annotated[bool, typer.Option("--no-feedback", help="不生成反馈表。")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出每个文件的处理结果。")] = False,
    ) -> None:
        ws = Workspace.open(workspace)
        result = ws.ingest(sources or None, jobs=jobs, progress=sys.stderr.isatty() and not as_json,
                           feedback=not no_feedback, on_wait=lambda text: err.print(text))
        if as_json:
            files = []
            for o in result.outcomes:
                sub = o.submission
                files.append({
                    "file": str(o.path), "action": o.action, "message": o.message,
                    "unit": {"code": o.unit.code, "name": o.unit.name} if o.unit is not None else None,
                    "status": sub.status if sub is not None else None,
                    "errors": sub.error_count if sub is not None else None,
                    "warnings": sub.warning_count if sub is not None else None,
                    "received": sub.received_at if sub is not None else None,
                    "feedback": str(result.feedback[o.unit.code]) if o.unit is not None
                    and o.unit.code in result.feedback and o.action == "recorded" else None,
                })
            doc = {"files": files, "recorded": result.count("recorded"), "duplicates": result.count("duplicate"),
                   "refused": result.count("refused")}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            raise typer.Exit(result.exit_code)
        for o in result.outcomes:
            style = {"refused": "red", "duplicate": "dim"}.get(o.action, "")
            if o.submission is not None and o.action == "recorded" and o.submission.status == "errors":
                style = "yellow"
            out.print(o.message, style=style or None)
        for s in result.skipped:
            out.print(s.message, style="yellow")
        names = {u.code: u.name for u in ws.units()}
        for code, path in result.feedback.items():
            out.print(message("INGEST-FEEDBACK", unit=names.get(code, code), path=path))
        for problem in result.problems:
            err.print(problem, style="red")
        out.print(result.summary)
        raise typer.Exit(result.exit_code)
