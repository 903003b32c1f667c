"""Workbook attachments out of a message, whatever client wrote it.

File names come encoded per RFC 2231 (``filename*=utf-8''…`` or ``gbk''…``), per RFC 2047
(``=?GBK?B?…?=``, ``=?gb2312?…``: decoded as GB18030, its superset) or as raw 8-bit bytes (UTF-8 or GBK).
Forwarded messages (``message/rfc822`` parts) are searched too; a .zip attachment gives the workbooks
inside it, within the safety limits of the workbook checks.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from email import policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import PurePosixPath, PureWindowsPath

from nianbao.workbook.safety import DEFAULT_LIMITS, Limits

WANTED = (".xlsx", ".xls", ".et", ".ods", ".json")
ZIP = ".zip"
_BY_TYPE = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/zip": ZIP,
    "application/x-zip-compressed": ZIP,
}
_GB_ALIASES = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "chinese", "csgb2312"}


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    within: str = ""  # the .zip it came from


@dataclass
class MailFacts:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    date: str
    attachments: list[Attachment]
    skipped: list[str]  # what was left out and why (zip limits, other file types)


def parse_bytes(data: bytes) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def facts(msg: Message, limits: Limits = DEFAULT_LIMITS) -> MailFacts:
    """Sender, subject, date and the workbook attachments of a parsed message."""
    sender_name, sender = _sender(msg)
    atts: list[Attachment] = []
    skipped: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = filename(part)
        by_type = _BY_TYPE.get(part.get_content_type(), "")
        if not name and not by_type:
            continue
        if by_type and PurePosixPath(name).suffix.lower() not in (*WANTED, ZIP):
            name = (name or "附件") + by_type  # a webmail that drops the extension (or the whole name)
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in WANTED and suffix != ZIP:
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if suffix == ZIP:
            got, why = unzip(name, payload, limits)
            atts.extend(got)
            skipped.extend(why)
        else:
            atts.append(Attachment(name, payload))
    return MailFacts(_header(msg, "Message-ID").strip(), sender, sender_name, _header(msg, "Subject"),
                     _date(msg), atts, skipped)


def filename(part: Message) -> str:
    """The attachment's file name, decoded; '' when it has none. Never a path."""
    raw = None
    headers = _raw_headers(part)  # the undecoded header: the policy's own decoding loses GBK and raw bytes
    for header, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        try:
            raw = headers.get_param(param, header=header)
        except Exception:  # a malformed header: try the next source
            raw = None
        if raw:
            break
    if not raw:
        return ""
    if isinstance(raw, tuple):  # RFC 2231: (charset, language, value) left undecoded
        charset, _lang, value = raw
        text = _decode_bytes(value.encode("latin-1", "surrogateescape"), charset)
    else:
        text = str(raw)
        text = _undo_surrogates(text)
        if "=?" in text:
            text = _decode_2047(text)
    return _safe_name(text)


def _raw_headers(part: Message) -> Message:
    from email.parser import HeaderParser

    text = "".join(f"{k}: {_undo_surrogates(str(v))}\n" for k, v in part.raw_items())
    return HeaderParser(policy=policy.compat32).parsestr(text + "\n")


def _decode_2047(text: str) -> str:
    out: list[str] = []
    for chunk, charset in decode_header(text):
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(_decode_bytes(chunk, charset))
    return "".join(out)


def _decode_bytes(data: bytes, charset: str | None) -> str:
    cs = (charset or "").lower()
    if cs in _GB_ALIASES:
        cs = "gb18030"
    for candidate in (cs, "utf-8", "gb18030") if cs else ("utf-8", "gb18030"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _undo_surrogates(text: str) -> str:
    """Raw 8-bit bytes in a header reach us as surrogate escapes: decode them as UTF-8, else GB18030."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    return _decode_bytes(data, None)


def _safe_name(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r", "").replace("\n", "")).strip().strip('"')
    text = PureWindowsPath(PurePosixPath(text).name).name  # no folders from a sender's name
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", text)
    return text.strip(". ")[:180]


def _header(msg: Message, name: str) -> str:
    value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    if value is None:
        return ""
    text = _undo_surrogates(str(value))
    if "=?" in text:
        text = _decode_2047(text)
    return " ".join(text.split())


def _sender(msg: Message) -> tuple[str, str]:
    raw = _header(msg, "From") or _header(msg, "Sender")
    pairs = getaddresses([raw])
    if not pairs:
        return "", ""
    name, addr = pairs[0]
    return name, addr.strip().lower()


def _date(msg: Message) -> str:
    raw = _header(msg, "Date")
    if not raw:
        return ""
    try:
        return parsedate_to_datetime(raw).isoformat(timespec="seconds")
    except (TypeError, ValueError, IndexError):
        return raw


def unzip(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Attachment], list[str]]:
    """The workbooks inside a zip attachment, within the safety limits; (found, reasons for what was not)."""
    from nianbao.messages import message

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return [], [message("MAIL-ZIP-BAD", name=name)]
    if len(infos) > limits.max_members:
        return [], [message("MAIL-ZIP-LIMIT", name=name, what=f"{len(infos)} 个文件")]
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_uncompressed:
        return [], [message("MAIL-ZIP-LIMIT", name=name, what=f"解压后 {total // (1 << 20)} MB")]
    found: list[Attachment] = []
    skipped: list[str] = []
    for info in infos:
        if info.is_dir():
            continue
        member = _zip_name(info)
        if PurePosixPath(member).suffix.lower() not in WANTED:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.max_member_uncompressed or (
                info.file_size > limits.ratio_floor and ratio > limits.max_ratio):
            skipped.append(message("MAIL-ZIP-LIMIT", name=f"{name}/{member}", what=f"压缩比 {ratio:.0f}"))
            continue
        try:
            content = zf.read(info)
        except (zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError):
            skipped.append(message("MAIL-ZIP-BAD", name=f"{name}/{member}"))
            continue
        found.append(Attachment(_safe_name(member), content, within=name))
    return found, skipped


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name: UTF-8 when flagged, else the bytes Chinese Windows wrote (GBK), else cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", "replace")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return info.filename
