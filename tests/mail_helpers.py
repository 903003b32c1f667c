"""Shared by the mail tests: a workspace wired to the loopback servers, replies as real clients write them,
and returned workbooks filled by a real LibreOffice."""

from __future__ import annotations

import base64
import sys
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from conftest import run
from mail_servers import PASSWORD, USER, ImapServer, SmtpServer

FILES = Path(__file__).parent / "files"
sys.path.insert(0, str(FILES))

ROSTER4 = ("单位编码,单位名称,类别,联系人,邮箱\n"
           "A,甲局,部门,张三,a@x.cn\n"
           "B,乙镇人民政府,乡镇街道,李四,b@x.cn\n"
           "C,丙街道办事处,乡镇街道,,c@x.cn\n"
           "D,丁局,部门,,\n")
YEAR = 2025
OFFICE = "某区人民政府办公室"


def template_file(ws: Path, unit: str) -> Path:
    return ws / "outbox" / f"{YEAR}年政府信息公开工作年度报告_{unit}.xlsx"


def make_workspace(tmp_path: Path, smtp: SmtpServer | None = None, imap: ImapServer | None = None, *,
                   deadline: str = "2099-01-31", templates: bool = True) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER4, encoding="utf-8")
    ws = tmp_path / "ws"
    args: list[object] = ["init", ws, "--year", YEAR, "--roster", roster, "--office", OFFICE, "--deadline", deadline,
                          "--contact", "王五 023-12345678", "--mail-from", USER]
    if smtp is not None:
        args += ["--smtp", f"{smtp.host}:{smtp.port}", "--starttls"]
    if imap is not None:
        args += ["--imap", f"{imap.host}:{imap.port}", "--starttls"]
    code, output = run(*args)
    assert code == 0, output
    bundle = tmp_path / "ca.pem"
    servers = [s for s in (smtp, imap) if s is not None]
    bundle.write_text(servers[0].cert.read_text() if servers else "", encoding="utf-8")  # one certificate
    code, output = run("config", "mail", "-w", ws, "--pace", 0, *(["--ca-file", bundle] if smtp or imap else []))
    assert code == 0, output
    if templates:
        code, output = run("templates", "-w", ws)
        assert code == 0, output
    return ws


def lo_fill(jobs: list[tuple[Path, Path, dict[str, float]]]) -> None:
    """Fill workbooks with a real LibreOffice: (template, result, changed inputs {key: value})."""
    from make_corpus import _lo_cells  # type: ignore[import-not-found]

    from lo.harness import run_job
    from nianbao.layout import get_layout
    from nianbao.workbook.form import INFO_SHEET, TEXT_SHEET, info_cell, text_cells

    layout = get_layout("2021")
    # what a clerk also types: the required text sections (no figures in them) and 填报人, 联系电话
    clerk = [{"sheet": TEXT_SHEET, "cell": t.ref, "string": _TEXT.get(t.section, "本年度按要求做好相关工作。")}
             for t in text_cells(layout) if not t.optional]
    clerk += [{"sheet": INFO_SHEET, "cell": info_cell("filler").ref, "string": "张三"},
              {"sheet": INFO_SHEET, "cell": info_cell("phone").ref, "string": "023-67891234"}]
    actions = []
    for src, dst, changes in jobs:
        cells = _lo_cells("2021") + clerk
        for key, value in changes.items():
            sheet, ref = layout.cell(key).split("!")
            cells = [c for c in cells if (c["sheet"], c["cell"]) != (sheet, ref)]
            cells.append({"sheet": sheet, "cell": ref, "value": float(value)})
        actions.append({"op": "fill", "src": src, "dst": dst, "cells": cells, "recalc": True})
    run_job(actions)


_TEXT = {
    "s1": "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续加强主动公开，规范依申请公开办理。",
    "s5": "存在的主要问题是公开内容的及时性有待提高。下一步将加强培训，完善工作机制。",
    "s6": "本机关无其他需要报告的事项。",
}


def _b64_lines(data: bytes) -> bytes:
    text = base64.b64encode(data)
    return b"\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def foxmail_reply(sender: str, to: str, subject: str, attachment: Path, name: str, *,
                  in_reply_to: str = "") -> bytes:
    """A reply as Foxmail writes it: GBK text, attachment name in RFC 2047 GBK (both name= and filename=)."""
    enc = b"=?GBK?B?" + base64.b64encode(name.encode("gbk")) + b"?="
    head = (f"From: \"{sender.split('@')[0]}\" <{sender}>\r\nTo: <{to}>\r\n").encode() + \
        b"Subject: =?GBK?B?" + base64.b64encode(subject.encode("gbk")) + b"?=\r\n" + \
        f"Date: {format_datetime(__import__('datetime').datetime.now().astimezone())}\r\n".encode() + \
        f"Message-ID: {make_msgid(domain='foxmail.com')}\r\n".encode() + \
        (f"In-Reply-To: {in_reply_to}\r\n".encode() if in_reply_to else b"") + \
        b"X-Mailer: Foxmail 7.2.25.228[cn]\r\nMime-Version: 1.0\r\n" \
        b"Content-Type: multipart/mixed;\r\n\tboundary=\"----=_001_NextPart572182624333_=----\"\r\n\r\n"
    body = "报表已填好，请查收。".encode("gbk")
    parts = (b"------=_001_NextPart572182624333_=----\r\nContent-Type: text/plain;\r\n\tcharset=\"GB2312\"\r\n"
             b"Content-Transfer-Encoding: base64\r\n\r\n" + _b64_lines(body) + b"\r\n\r\n"
             b"------=_001_NextPart572182624333_=----\r\nContent-Type: application/octet-stream;\r\n\tname=\""
             + enc + b"\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n\tfilename=\""
             + enc + b"\"\r\n\r\n" + _b64_lines(attachment.read_bytes()) + b"\r\n\r\n"
             b"------=_001_NextPart572182624333_=------\r\n")
    return head + parts


def outlook_reply(sender: str, to: str, subject: str, attachment: Path, name: str) -> bytes:
    """A reply as Outlook writes it: RFC 2231 filename*, UTF-8 RFC 2047 name=, quoted-printable text."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="outlook.com")
    msg["Date"] = format_datetime(__import__("datetime").datetime.now().astimezone())
    msg["X-Mailer"] = "Microsoft Outlook 16.0"
    msg.set_content("您好，附件为我单位报表。", cte="quoted-printable")
    msg.add_attachment(attachment.read_bytes(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    return msg.as_bytes()


def raw_utf8_reply(sender: str, to: str, subject: str, attachment: Path, name: str, encoding: str = "utf-8") -> bytes:
    """Webmail that writes the file name as raw 8-bit bytes in the header (UTF-8, or GBK), no encoding at all."""
    now = format_datetime(__import__("datetime").datetime.now().astimezone())
    head = (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: {make_msgid(domain='web.cn')}\r\n"
            f"Date: {now}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n").encode()
    return head + (b"--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nok\r\n--XYZ\r\n"
                   b"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name=\""
                   + name.encode(encoding) + b"\"\r\nContent-Disposition: attachment; filename=\"" + name.encode(encoding)
                   + b"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + _b64_lines(attachment.read_bytes())
                   + b"\r\n--XYZ--\r\n")


__all__ = ["PASSWORD", "USER"]
