"""How alike two narrative sections are: character level, after removing punctuation, white space
and the years, as ``2·common/(len1+len2)`` (``difflib.SequenceMatcher.ratio`` on the cleaned text).

The shared passages are quoted from the original text (with its punctuation), so a reader sees the
sentence that was carried over, not the cleaned characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from nianbao.model import Report

# The narrative parts compared: the preface, 一、总体情况, 五、问题及改进, 六、其他事项.
COMPARED_SECTIONS = ("preface", "s1", "s5", "s6")
WARN_AT = 0.80  # ≥ 80 %: a warning ("内容与上年高度雷同")
NOTE_AT = 0.60  # 60–80 %: a note
MIN_CHARS = 20  # a section shorter than this (cleaned) is too short to call copied
PASSAGE_MIN = 10  # shortest shared run (cleaned characters) worth quoting
PASSAGES = 3  # longest shared passages quoted per section
MAX_CHARS = 30_000  # longer sections are compared on their first 30,000 characters (time grows ~ n²)

WARNING, NOTE, NONE = "warning", "note", "none"

_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年|\D|$)|[一二〇○零][〇○零一二三四五六七八九]{3}(?=\s*年)")


@dataclass(frozen=True)
class Cleaned:
    """The cleaned characters and, for each, its index in the original text."""

    text: str
    origin: tuple[int, ...]


def clean(text: str) -> Cleaned:
    """Drop punctuation, symbols, white space and years; fold widths (NFKC per character)."""
    drop = [False] * len(text)
    for m in _YEAR.finditer(text):
        for i in range(m.start(), m.end()):
            drop[i] = True
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if drop[i]:
            continue
        folded = unicodedata.normalize("NFKC", ch)
        for c in folded:
            cat = unicodedata.category(c)
            if c.isspace() or cat[0] in "PSZC":
                continue
            chars.append(c)
            origin.append(i)
    return Cleaned("".join(chars), tuple(origin))


def ratio(a: str, b: str) -> float:
    """``2·M/(len(a)+len(b))`` of the cleaned texts; 0 when either is empty."""
    ca, cb = clean(a).text[:MAX_CHARS], clean(b).text[:MAX_CHARS]
    if not ca or not cb:
        return 0.0
    return SequenceMatcher(None, ca, cb, autojunk=False).ratio()


@dataclass(frozen=True)
class Similarity:
    section: str  # preface / s1 / s5 / s6
    heading: str
    ratio: float
    level: str  # warning / note / none
    passages: tuple[str, ...] = field(default=())
    short: bool = False  # too short to judge

    @property
    def percent(self) -> int:
        return int(self.ratio * 100 + 0.5)


def level_of(r: float, short: bool = False) -> str:
    if short:
        return NONE
    return WARNING if r >= WARN_AT else NOTE if r >= NOTE_AT else NONE


def compare_texts(this: str, previous: str) -> tuple[float, tuple[str, ...], bool]:
    """(ratio, longest shared passages quoted from ``this``, too short to judge)."""
    ca, cb = clean(this), clean(previous)
    if not ca.text or not cb.text:
        return 0.0, (), True
    matcher = SequenceMatcher(None, ca.text[:MAX_CHARS], cb.text[:MAX_CHARS], autojunk=False)
    r = matcher.ratio()
    blocks = sorted((b for b in matcher.get_matching_blocks() if b.size >= PASSAGE_MIN),
                    key=lambda b: (-b.size, b.a))[:PASSAGES]
    passages = tuple(quote(this, ca, b.a, b.size) for b in sorted(blocks, key=lambda b: b.a))
    return r, passages, min(len(ca.text), len(cb.text)) < MIN_CHARS


def quote(original: str, cleaned: Cleaned, start: int, size: int, limit: int = 60) -> str:
    """The original text of cleaned characters ``start … start+size``, cut to ``limit`` characters."""
    lo = cleaned.origin[start]
    hi = cleaned.origin[start + size - 1] + 1
    while hi < len(original) and original[hi] in "》”’）」』】)\"'":
        hi += 1  # the closing mark of a quoted title belongs to it
    end = lo
    while end > 0 and original[end - 1].isspace():
        end -= 1
    year = _YEAR.search(original, max(0, end - 4), end)
    if year and year.end() == end:
        lo = year.start()  # a year removed before comparing belongs to the quoted sentence
    text = " ".join(original[lo:hi].split())
    return text if len(text) <= limit else text[:limit] + "……"


def section_heading(report: Report, section: str) -> str:
    return "前言" if section == "preface" else report.heading(section)


def compare_narrative(this: Report, previous: Report) -> list[Similarity]:
    """Each compared section that both reports have, with its similarity to last year's."""
    out: list[Similarity] = []
    for section in COMPARED_SECTIONS:
        a, b = (this.text.get(section) or "").strip(), (previous.text.get(section) or "").strip()
        if not a or not b:
            continue
        r, passages, short = compare_texts(a, b)
        out.append(Similarity(section, section_heading(this, section), r, level_of(r, short), passages, short))
    return out
