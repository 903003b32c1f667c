"""Mail saved as files (``.eml``, Outlook ``.msg``) dropped into inbox/: their attachments are ingested.

The attachments are taken out into a temporary folder for the ingest run only (the ledger keeps each
one byte for byte under originals/), so the inbox holds just what the clerk put there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nianbao.errors import UnusableInput
from nianbao.mail import parts
from nianbao.messages import message

MAIL_SUFFIXES = (".eml", ".msg")
# PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS (MS-OXPROPS)
_SENDER_PROPERTIES = ("5D01", "0C1F", "0065")


def read_mail_file(path: Path) -> parts.MailFacts:
    """Sender, subject, date and workbook attachments of a .eml or .msg file."""
    try:
        if path.suffix.lower() == ".msg":
            return _read_msg(path)
        return parts.facts(parts.parse_bytes(path.read_bytes()))
    except UnusableInput:
        raise
    except Exception as exc:  # a damaged file: refused with its reason, never a traceback
        raise UnusableInput("E-MAIL-FILE", path=path.name, reason=f"{type(exc).__name__}: {exc}") from None


def _read_msg(path: Path) -> parts.MailFacts:
    import extract_msg

    msg = extract_msg.openMsg(str(path))
    try:
        atts: list[parts.Attachment] = []
        skipped: list[str] = []
        _msg_attachments(msg, atts, skipped, depth=0)
        sender = str(getattr(msg, "sender", "") or "")
        from email.utils import parseaddr

        name, addr = parseaddr(sender)
        if "@" not in addr:  # the header holds only a name: the SMTP address is a property of its own
            for prop in _SENDER_PROPERTIES:
                value = str(msg.getStringStream(f"__substg1.0_{prop}") or "")
                if "@" in value:
                    name, addr = name or sender, value.strip()
                    break
        when: Any = getattr(msg, "date", None)
        return parts.MailFacts(str(getattr(msg, "messageId", "") or ""), addr.lower(), name,
                               str(getattr(msg, "subject", "") or ""),
                               when.isoformat(timespec="seconds") if hasattr(when, "isoformat") else str(when or ""),
                               atts, skipped)
    finally:
        msg.close()


def _msg_attachments(msg: Any, atts: list[parts.Attachment], skipped: list[str], depth: int) -> None:
    for att in getattr(msg, "attachments", []) or []:
        data = getattr(att, "data", None)
        if data is not None and not isinstance(data, bytes) and depth < 5:  # an attached (forwarded) message
            _msg_attachments(data, atts, skipped, depth + 1)
            continue
        name = parts._safe_name(str(getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or ""))
        if not name or not isinstance(data, bytes):
            continue
        suffix = Path(name).suffix.lower()
        if suffix == parts.ZIP:
            got, why = parts.unzip(name, data)
            atts.extend(got)
            skipped.extend(why)
        elif suffix in parts.WANTED:
            atts.append(parts.Attachment(name, data))


@contextlib.contextmanager
def mail_attachments(files: Sequence[Path]) -> Iterator[tuple[list[Path], list[Any]]]:
    """``files`` with each mail file replaced by its attachments (in a temporary folder, in place in the
    order), and an ingest Outcome for each mail file that gives nothing."""
    from nianbao.campaign.ingest import Outcome
    from nianbao.campaign.ledger import REFUSED

    if not any(f.suffix.lower() in MAIL_SUFFIXES for f in files):
        yield list(files), []
        return
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-mail-"))
    out: list[Path] = []
    refused: list[Any] = []
    try:
        for i, f in enumerate(files):
            if f.suffix.lower() not in MAIL_SUFFIXES:
                out.append(f)
                continue
            try:
                found = read_mail_file(f)
            except UnusableInput as exc:
                refused.append(Outcome(f, REFUSED, message("INGEST-UNUSABLE", path=f.name, reason=str(exc))))
                continue
            refused.extend(Outcome(f, REFUSED, message("INGEST-UNUSABLE", path=f.name, reason=why))
                           for why in found.skipped)  # a zip over the safety limits, a damaged zip
            if not found.attachments:
                if not found.skipped:
                    refused.append(Outcome(f, REFUSED, message("INGEST-MAIL-EMPTY", path=f.name)))
                continue
            stamp = f.stat().st_mtime
            for j, att in enumerate(found.attachments):
                target = tmp / f"{i}-{j}" / att.name
                target.parent.mkdir(parents=True)
                target.write_bytes(att.data)
                os.utime(target, (stamp, stamp))
                out.append(target)
        yield out, refused
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
