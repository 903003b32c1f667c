"""``nianbao config mail``: show or change the workspace's mail settings (never a password)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from nianbao.campaign.workspace import open_workspace, save_config
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, out
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    from nianbao.cli._i18n import CONTEXT_SETTINGS, ChineseGroup

    config_app = typer.Typer(help="查看或修改工作区设置。", no_args_is_help=True, options_metavar="[选项]",
                             subcommand_metavar="命令 [参数]...", cls=ChineseGroup, rich_markup_mode=None,
                             context_settings=CONTEXT_SETTINGS)
    app.add_typer(config_app, name="config", help="查看或修改工作区设置（config mail：邮件设置）。")

    @command(config_app, "mail", "查看或修改邮件设置：发件地址、发信服务器（SMTP）、收信服务器（IMAP）、登录名、"
             "加密方式、发送间隔。不带选项时显示当前设置。密码不保存：取自环境变量 NIANBAO_MAIL_PASSWORD 或运行时输入。")
    def mail(
        workspace: WorkspaceOption = Path("."),
        mail_from: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
            "--mail-from", help="发件邮箱地址。", metavar="地址")] = None,
        smtp: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--smtp", help="发信服务器，主机名[:端口]。", metavar="服务器")] = None,
        imap: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--imap", help="收信服务器，主机名[:端口]。", metavar="服务器")] = None,
        mail_user: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--mail-user", help="邮箱登录名（默认为发件地址）。", metavar="登录名")] = None,
        use_ssl: Annotated[bool, typer.Option("--ssl", help="使用 SSL 连接（SMTP 465、IMAP 993）。")] = False,
        starttls: Annotated[bool, typer.Option("--starttls", help="使用 STARTTLS（SMTP 587、IMAP 143）。")] = False,
        plain: Annotated[bool, typer.Option("--plain", help="不加密（仅限单位内网的邮件服务器，如 SMTP 25）。")] = False,
        pace: Annotated[Optional[float], typer.Option(  # noqa: UP045
            "--pace", help="两封邮件之间的间隔秒数。", metavar="秒")] = None,
        ca_file: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--ca-file", help="信任的证书文件（本单位邮件服务器自签证书时使用；空字符串恢复系统默认）。",
            metavar="文件")] = None,
        folder: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--folder", help="收件文件夹（默认 INBOX）。", metavar="文件夹")] = None,
        template: Annotated[bool, typer.Option(
            "--template", help="把内置的邮件模板复制到工作区（邮件模板.toml），以便修改主题和正文。")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")] = False,
    ) -> None:
        from nianbao.mail.compose import WORKSPACE_TEMPLATE, default_template_text
        from nianbao.mail.settings import MailError, configure, describe, workspace_settings
        from nianbao.model import write_atomic

        ws = open_workspace(workspace)
        current = workspace_settings(ws)
        changes = (mail_from, smtp, imap, mail_user, pace, ca_file, folder)
        if any(c is not None for c in changes) or use_ssl or starttls or plain:
            new = configure(current, mail_from=mail_from, smtp=smtp, imap=imap, user=mail_user, ssl=use_ssl,
                            starttls=starttls, plain=plain, pace=pace, ca_file=ca_file, folder=folder)
            ws = save_config(ws, replace(ws.config, mail=new.to_json()))
            current = new
            if not as_json:
                out.print(escape(message("CLI-CONFIG-SAVED", path=ws.root / "nianbao.json")), highlight=False)
        if template:
            path = ws.root / WORKSPACE_TEMPLATE
            if path.exists():
                raise MailError("E-MAIL-TEMPLATE-EXISTS", path=path)
            write_atomic(path, default_template_text().encode("utf-8"))
            if not as_json:
                out.print(escape(message("CLI-CONFIG-TEMPLATE", path=path)), highlight=False)
        if as_json:
            sys.stdout.write(json.dumps(current.to_json(), ensure_ascii=False, indent=2) + "\n")
            return
        out.print(escape(message("CLI-CONFIG-MAIL-TITLE", path=ws.root)), highlight=False)
        for label, value in describe(current):
            out.print(f"  {escape(label)}：{escape(value)}", highlight=False)
