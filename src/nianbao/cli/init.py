"""``nianbao init``: create a collection workspace."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import Workspace, configure_mail
from nianbao.cli._campaign import (
    ImapOption,
    MailFromOption,
    MailUserOption,
    PlainOption,
    SmtpOption,
    SslOption,
    StarttlsOption,
)
from nianbao.cli.common import command, out
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "init", "创建年报收集工作区：配置、单位名单、发件箱（outbox）、收件箱（inbox）、反馈（feedback）、"
             "报告（reports）目录和台账。单位名单为 .csv 或 .xlsx，表头：单位编码、单位名称、类别（部门/乡镇街道/其他）、"
             "联系人、邮箱。")
    def init(
        directory: Annotated[Path, typer.Argument(help="要创建的工作区目录（须为新目录或空目录）。", metavar="目录")],
        year: Annotated[int, typer.Option("--year", "-y", help="报告年度，例如 2025。", metavar="年度")],
        roster: Annotated[Path, typer.Option("--roster", "-r", help="单位名单（.csv 或 .xlsx）。", metavar="名单")],
        office: Annotated[str, typer.Option("--office", help="汇总单位（本机关）名称，例如 重庆市渝北区人民政府办公室。",
                                            metavar="名称")],
        office_code: Annotated[str, typer.Option("--office-code", help="汇总单位的单位编码（可选）。",
                                                 metavar="编码")] = "",
        layout: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
            "--layout", help="报告格式：2021 或 2019（默认按年度选择）。", metavar="格式")] = None,
        deadline: Annotated[str, typer.Option("--deadline", help="报送截止日期，例如 2026-01-31。",
                                              metavar="日期")] = "",
        contact: Annotated[str, typer.Option("--contact", help="联系人及电话，印在每份模板的填报说明中。",
                                             metavar="联系人")] = "",
        previous: Annotated[Optional[Path], typer.Option(  # noqa: UP045
            "--previous", "-p", help="上一年度的工作区、汇总工作簿或数据文件（目录），用于预填上年结转和跨年度核对。",
            metavar="上年数据")] = None,
        date: Annotated[str, typer.Option("--date", help="年度报告的成文日期，例如 2026-01-20（可在汇总时用 --date 另行指定）。",
                                          metavar="日期")] = "",
        mail_from: MailFromOption = None,
        smtp: SmtpOption = None,
        imap: ImapOption = None,
        mail_user: MailUserOption = None,
        use_ssl: SslOption = False,
        starttls: StarttlsOption = False,
        plain: PlainOption = False,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出所建工作区的信息。")] = False,
    ) -> None:
        given = (mail_from, smtp, imap, mail_user)
        mail = None
        if any(v is not None for v in given) or use_ssl or starttls or plain:
            mail = configure_mail(mail_from=mail_from, smtp=smtp, imap=imap, user=mail_user, ssl=use_ssl,
                                  starttls=starttls, plain=plain).to_json()
        ws = Workspace.create(directory, year=year, roster=roster, office=office, office_code=office_code,
                              layout_id=layout, deadline=deadline, contact=contact, previous=previous, date=date,
                              mail=mail)
        if as_json:
            doc = {"workspace": str(ws.root), "office": ws.config.office, "year": ws.year, "layout": ws.layout.id,
                   "campaign": ws.config.campaign, "deadline": ws.config.deadline, "contact": ws.config.contact,
                   "date": ws.config.date,
                   "units": [{"code": u.code, "name": u.name, "category": u.category} for u in ws.units()]}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            return
        out.print(message("CLI-INIT-DONE", path=ws.root, office=ws.config.office, year=ws.year,
                          layout=ws.layout.id, units=len(ws.units()), campaign=ws.config.campaign[:8]), highlight=False)
        out.print(message("CLI-INIT-NEXT", path=ws.root), highlight=False)
