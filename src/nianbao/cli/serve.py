"""``nianbao serve``: the local web front end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import serve as run
from nianbao.cli.common import command, out


def register(app: typer.Typer) -> None:
    @command(app, "serve", "在浏览器中使用年报：启动本机网页（默认只允许本机访问），可打开或新建工作区、查看报送情况、"
             "拖入收到的文件接收校验、查看单位的问题并下载反馈表、接受或退回报表、汇总并下载年度报告。")
    def serve(
        workspace: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
            "--workspace", "-w", help="要打开的工作区目录（默认：当前目录是工作区时打开它，否则显示首页）。",
            metavar="目录", file_okay=False)] = None,
        port: Annotated[int, typer.Option("--port", help="端口号。", metavar="端口", min=1, max=65535)] = 8765,
        host: Annotated[str, typer.Option(
            "--host", help="监听地址（默认 127.0.0.1，只允许本机访问；其他地址须设置密码）。", metavar="地址")] = "127.0.0.1",
        password: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--password", help="访问密码；--host 不是本机地址而未设置时，程序生成一个并显示。", metavar="密码")] = None,
        no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器。")] = False,
    ) -> None:
        ws = workspace
        if ws is None and (Path.cwd() / "nianbao.json").is_file():
            ws = Path.cwd()
        run(ws, host=host, port=port, password=password, browser=not no_browser,
            say=lambda text: out.print(text, highlight=False))
