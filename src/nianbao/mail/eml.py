"""Mail saved as files (``.eml``, Outlook ``.msg``) dropped into inbox/: their attachments are ingested.

The attachments are taken out into ingest's temporary folder for the run only, as the members of a zip
are (the ledger keeps each one byte for byte under originals/), so the inbox holds just what the clerk
put there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nianbao.campaign.items import Item, Skipped
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


def unpack_mail(path: Path, unpack: Path) -> tuple[list[Any], list[Any]]:
    """The returns attached to a mail file, written under numbered folders of ``unpack`` (as the members
    of a zip are), and what was not taken (a damaged file, a zip over the limits, no workbook at all)."""
    from nianbao.display import file_name
    from nianbao.files import safe_file_name

    shown_mail = file_name(path)

    def skip(reason: str) -> Skipped:
        return Skipped(path, message("INGEST-SKIPPED", path=shown_mail, reason=reason))

    try:
        found = read_mail_file(path)
    except UnusableInput as exc:
        return [], [skip(str(exc))]
    skipped = [skip(why) for why in found.skipped]
    if not found.attachments:
        return [], skipped or [skip(message("INGEST-MAIL-EMPTY"))]
    mtime = path.stat().st_mtime
    items = []
    for att in found.attachments:
        folder = unpack / f"{len(list(unpack.iterdir())):05d}"
        folder.mkdir(parents=True)
        target = folder / safe_file_name(Path(att.name).stem, Path(att.name).suffix.lower())
        target.write_bytes(att.data)
        name = f"{shown_mail}/{att.within + '/' if att.within else ''}{att.name}"
        items.append(Item(target, name, None, (mtime, name), path / att.name))
    return items, skipped
