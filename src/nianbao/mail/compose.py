"""Messages to the units, from the editable template (``邮件模板.toml`` in the workspace, else the packaged one).

Each message has a plain-text part and an HTML part made from the same text (every value escaped), and
the unit's workbook attached with its Chinese file name encoded per RFC 2231 (what Outlook, Foxmail,
WPS mail and webmail read).
"""

from __future__ import annotations

import html
import mimetypes
import tomllib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from importlib import resources
from pathlib import Path
from typing import Any

from nianbao.mail.settings import MailError

WORKSPACE_TEMPLATE = "邮件模板.toml"
KINDS = ("send", "feedback", "remind")


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


def default_template_text() -> str:
    return resources.files("nianbao").joinpath("resources/mail-templates.toml").read_text(encoding="utf-8")


def load_templates(root: Path | None) -> dict[str, Template]:
    """The templates: the workspace's own file when there is one, else the packaged one."""
    path = root / WORKSPACE_TEMPLATE if root is not None else None
    if path is not None and path.is_file():
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise MailError("E-MAIL-TEMPLATE", path=str(path), reason=str(exc)) from None
        where = str(path)
    else:
        doc = tomllib.loads(default_template_text())
        where = "内置模板"
    out: dict[str, Template] = {}
    for kind in KINDS:
        section = doc.get(kind)
        if not isinstance(section, dict) or not isinstance(section.get("subject"), str) \
                or not isinstance(section.get("body"), str):
            raise MailError("E-MAIL-TEMPLATE", path=where, reason=f"缺少 [{kind}] 的 subject 或 body")
        out[kind] = Template(section["subject"], section["body"].strip("\n"))
        for text in (section["subject"], section["body"]):
            try:
                text.format_map(_Probe())
            except (ValueError, IndexError) as exc:
                raise MailError("E-MAIL-TEMPLATE", path=where, reason=f"[{kind}] {exc}") from None
    return out


class _Probe(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: Template, fields: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of one message; values are data, never markup."""
    subject = " ".join(template.subject.format_map(_Fields(fields)).split())
    text = template.body.format_map(_Fields(fields))
    # HTML from the rendered plain text: escaped as a whole, then paragraphs and line breaks
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    inner = "\n".join("<p>" + html.escape(p.strip("\n")).replace("\n", "<br>\n") + "</p>" for p in paragraphs)
    page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n"
            "<body style=\"font-family: 'Microsoft YaHei', 'PingFang SC', sans-serif; font-size: 14px;\">\n"
            f"{inner}\n</body></html>\n")
    return subject, text, page


def build_message(*, mail_from: str, from_name: str, to: str, to_name: str, subject: str, text: str,
                  page: str, attachment: Path | None = None, domain: str | None = None,
                  when: datetime | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((from_name, mail_from))
    msg["To"] = formataddr((to_name, to))
    msg["Subject"] = subject
    msg["Date"] = format_datetime((when or datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid(idstring="nianbao", domain=domain or mail_from.rpartition("@")[2] or None)
    msg["Reply-To"] = mail_from
    msg.set_content(text)
    msg.add_alternative(page, subtype="html")
    if attachment is not None:
        ctype = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
        if attachment.suffix.lower() == ".xlsx":
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        maintype, _, subtype = ctype.partition("/")
        msg.add_attachment(attachment.read_bytes(), maintype=maintype, subtype=subtype, filename=attachment.name)
    return msg
