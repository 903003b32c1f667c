"""Untrusted text on its way to a person: file names that are not UTF-8, formula-like cells.

Everything here is data, never markup: the command line's consoles interpret no rich markup and no
emoji codes at all (see ``cli/common.py``), and what goes into a spreadsheet cell that a person opens
is escaped against formula injection (OWASP's advice for CSV exports).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

_SURROGATE = re.compile("[\ud800-\udfff]")

# A spreadsheet program runs a cell that begins with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text: object) -> str:
    """``text`` printable anywhere: a lone surrogate (a byte of a non-UTF-8 file name, or a broken
    JSON escape) becomes the replacement character U+FFFD."""
    return _SURROGATE.sub("\ufffd", str(text))


def file_name(path: str | os.PathLike[str]) -> str:
    """A file's name as shown to a person and recorded as text (GBK bytes shown as U+FFFD)."""
    return clean(Path(path).name)


def raw_name(path: str | os.PathLike[str]) -> bytes:
    """A file's name exactly as the file system holds it (lossless, for the ledger)."""
    return os.fsencode(Path(path).name)


def is_clean(text: str) -> bool:
    return _SURROGATE.search(text) is None


def escape_cell(text: str) -> str:
    """Text as a spreadsheet shows it literally (a leading ``'`` before a formula-like start)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell` (for files nianbao wrote itself, such as roster.csv)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def short_time(iso: str) -> str:
    """``2026-12-01T08:29:20`` as ``12月1日 08:29`` (what a clerk reads; JSON keeps the ISO form)."""
    try:
        t = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{t.month}月{t.day}日 {t:%H:%M}"


# ---------------------------------------------------------------------------------------------
# Text measurement and line breaking (consoles and spreadsheet cells)
# ---------------------------------------------------------------------------------------------

NO_LINE_START = frozenset("，。、；：？！）」』”’》〉】")  # never at the start of a line (CJK line breaking)
_TOKEN = re.compile(r"[A-Za-z0-9_./:'\"<>\[\]|=+-]+ ?|.")


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: float, measure: Callable[[str], float] = display_width, *,
         hang: float = 2) -> list[str]:
    """Lines of ``text`` at most ``width`` wide by ``measure``, breaking anywhere in CJK text and at
    spaces in Latin text. A line is broken ``hang`` early so that a closing mark, which may not start
    a line, can still end it."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for token in _TOKEN.findall(para):
            if line and measure(line + token.rstrip()) > width - hang and token not in NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines
