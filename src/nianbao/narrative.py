"""Narrative against tables (spec rule 8) and the standard sentences offered where a section is silent.

The narrative sections (``report.text``) often state the key figures again: 收到申请 N 件, 上年结转 N 件,
结转下年度 N 件, 行政复议 N 件, 行政诉讼 N 件. Published reports get these wrong often, so each stated
number is compared with the table and a mismatch is a warning (``NARRATIVE-MISMATCH``).

The patterns are deliberately narrow: a number counts only when it is directly tied to one of
these measures (the words between may only be filler such as 案件、数为、共). Counts of other things
(意见 N 条, 网络问政 N 件), per-unit breakdowns, percentages and years are never compared, because a
false alarm teaches clerks to ignore the check. 信息处理费 amounts are not compared: no table cell
holds them (表二's 行政事业性收费 is a different measure).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nianbao.messages import message
from nianbao.model import SECTION_IDS, Report
from nianbao.values import Number, show


@dataclass(frozen=True)
class Measure:
    """A figure the narrative may state, and the table keys whose sum it must equal.

    ``alternatives`` are other readings a report may legitimately mean (收到/受理 is sometimes the
    new requests only, sometimes new plus carried over).
    """

    id: str
    keys: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def what(self) -> str:
        return message(f"NARRATIVE-WHAT-{self.id}")


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("received", ("t3.new.total",), (("t3.new.total", "t3.carried_in.total"),)),
        Measure("carried_in", ("t3.carried_in.total",)),
        Measure("carried_out", ("t3.carried_out.total",)),
        Measure("review", ("t4.review.total",)),
        Measure("suit", ("t4.suit_direct.total", "t4.suit_after_review.total")),
    )
}


@dataclass(frozen=True)
class Claim:
    """A number the narrative states about a measure, with the clause it was read from."""

    measure: str
    number: int
    quote: str
    section: str


# --------------------------------------------------------------------------------------------
# Reading claims
# --------------------------------------------------------------------------------------------

_SEP = r"。，,；;：:！!？?（）()、\n"
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
_GAP = rf"[^{_SEP}\d]"
# Filler allowed between 行政复议/行政诉讼 and its number.
_CASE_FILLER = r"(?:案件|案|申请|数量|总数|数|共计|合计|总计|共|为|有|是|\s)*"
# Words that make a stated number a part, another thing, or another year's figure.
_NOT_THE_MEASURE = ("自然人", "法人", "组织", "复议", "诉讼", "咨询", "留言", "来信", "信访", "意见",
                    "建议", "提案", "问政", "办结", "答复", "其中", "同比", "上年", "去年", "上一年",
                    "前年", "累计")
# For 结转: only words that make the number a part or another kind of case.
_NOT_THE_CARRY = ("自然人", "法人", "组织", "复议", "诉讼", "同比", "累计", "其中")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("received", re.compile(
        rf"(?<![未没])(?:收到|新收|受理|收办|接收|接到)(?P<gap>{_GAP}{{0,20}}?申请{_GAP}{{0,10}}?)\s*{_NUM}\s*件")),
    ("carried_in", re.compile(
        rf"(?:上一?年度?|去年)结转(?P<gap>{_GAP}{{0,20}}?)\s*{_NUM}\s*件")),
    ("carried_out", re.compile(
        rf"(?:结转|转入|转)(?:至|到)?下一?年度?(?P<gap>{_GAP}{{0,12}}?)\s*{_NUM}\s*件")),
    ("review", re.compile(rf"行政复议(?P<gap>{_CASE_FILLER})\s*{_NUM}\s*件")),
    ("suit", re.compile(rf"行政诉讼(?P<gap>{_CASE_FILLER})\s*{_NUM}\s*件")),
)
_NONE_RECEIVED = re.compile(rf"(?:未|没有)(?:收到|受理|接到)(?P<gap>{_GAP}{{0,20}}?)申请")
_OTHER_GROUP = {"review": "诉讼", "suit": "复议"}


def claims(report: Report) -> list[Claim]:
    """Every number the narrative states about a measure, in text order, without repeats."""
    out: list[Claim] = []
    seen: set[tuple[str, int]] = set()
    for sid in SECTION_IDS:
        text = report.text.get(sid) or ""
        for claim in _claims_in(text, sid):
            if (claim.measure, claim.number) not in seen:
                seen.add((claim.measure, claim.number))
                out.append(claim)
    return out


def _claims_in(text: str, sid: str) -> Iterator[Claim]:
    found: list[tuple[int, Claim]] = []
    for measure, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not _plausible(measure, m, text):
                continue
            number = int(m.group("n").replace(",", ""))
            found.append((m.start(), Claim(measure, number, _quote(text, m.start(), m.end()), sid)))
    for m in _NONE_RECEIVED.finditer(text):
        if not _blocked(m.group("gap")):
            found.append((m.start(), Claim("received", 0, _quote(text, m.start(), m.end()), sid)))
    for _, claim in sorted(found, key=lambda item: item[0]):
        yield claim


def _plausible(measure: str, m: re.Match[str], text: str) -> bool:
    if measure == "received" and _blocked(m.group("gap")):
        return False
    if measure in ("carried_in", "carried_out") and _blocked(m.group("gap"), _NOT_THE_CARRY):
        return False
    clause_start = _clause_start(text, m.start())
    before = text[clause_start:m.start()]
    other = _OTHER_GROUP.get(measure)
    if other and other in before:
        return False  # 行政复议、行政诉讼案件共 N 件: a combined count
    return not any(word in before[-8:] for word in ("上年", "去年", "上一年", "同比", "较"))


def _blocked(gap: str, words: tuple[str, ...] = _NOT_THE_MEASURE) -> bool:
    return any(word in gap for word in words)


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in "。，,；;！!？?\n":
        i -= 1
    return i


def _quote(text: str, start: int, end: int) -> str:
    return text[_clause_start(text, start):end].strip()


# --------------------------------------------------------------------------------------------
# The check (registered in rules.CHECKS)
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Standard sentences
# --------------------------------------------------------------------------------------------

# Shipped with the package; templates/sentences.toml in the source tree is a link to it. An office
# edits a copy and passes it with --templates.
TEMPLATES_PATH = Path(__file__).resolve().parent / "resources" / "sentences.toml"

# Figures a template may use besides the layout's keys.
DERIVED: dict[str, tuple[str, ...]] = {
    "t3.received.total": ("t3.new.total", "t3.carried_in.total"),
    "t4.suit.total": ("t4.suit_direct.total", "t4.suit_after_review.total"),
}

# What a section's figures are, for deciding whether the narrative already states them.
SECTION_MEASURES: dict[str, tuple[str, ...]] = {
    "s3": ("received", "carried_in", "carried_out"),
    "s4": ("review", "suit"),
}
_MENTIONS_T2 = re.compile(r"(?:规章|规范性文件)\D{0,12}\d+\s*件")
_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def load_templates(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The office's sentence templates (``templates/sentences.toml`` or ``.json``)."""
    p = Path(path) if path else TEMPLATES_PATH
    if not p.is_file() and p.suffix == ".toml" and p.with_suffix(".json").is_file():
        p = p.with_suffix(".json")
    raw = p.read_bytes().decode("utf-8-sig")
    if p.suffix == ".json":
        doc = json.loads(raw)
    else:
        import tomllib  # Python 3.11+; an office on 3.10 can keep its templates as .json

        doc = tomllib.loads(raw)
    return list(doc.get("sentence", []))


def says_nothing_of_figures(report: Report, section_id: str) -> bool:
    """True when no narrative section states a figure of this section's table."""
    if report.text.get(section_id, "").strip():
        return False
    if section_id == "s2":
        return not any(_MENTIONS_T2.search(report.text.get(s) or "") for s in SECTION_IDS)
    wanted = SECTION_MEASURES.get(section_id, ())
    return not any(c.measure in wanted for c in claims(report))


def standard_sentences(report: Report, templates: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """Section id → a sentence built from the (resolved) numbers, for each table section whose
    narrative says nothing of its figures."""
    entries = load_templates() if templates is None else templates
    values = report.resolved().values
    out: dict[str, str] = {}
    for entry in entries:
        sid = entry.get("section")
        if sid in out or not isinstance(sid, str) or sid not in report.layout.section_by_id:
            continue
        if str(entry.get("layout", report.layout.id)) != report.layout.id:
            continue
        if not says_nothing_of_figures(report, sid):
            continue
        zero_keys = entry.get("zero_when", [])
        all_zero = bool(zero_keys) and all((_figure(values, k) or 0) == 0 for k in zero_keys)
        template = entry.get("zero_text") if all_zero and entry.get("zero_text") else entry.get("text")
        if isinstance(template, str):
            out[sid] = fill(template, values)
    return out


def fill(template: str, values: Mapping[str, Number]) -> str:
    """Replace ``{t3.new.total}`` and the like with the figure as a clerk writes it."""
    return _PLACEHOLDER.sub(lambda m: show(_figure(values, m.group(1))), template)


def sum_of(values: Mapping[str, Number], keys: tuple[str, ...]) -> Number | None:
    """The sum of ``keys``, or None when one of them has no value."""
    if any(k not in values for k in keys):
        return None
    return sum(values[k] for k in keys)


def _figure(values: Mapping[str, Number], name: str) -> Number | None:
    if name in DERIVED:
        return sum_of(values, DERIVED[name])
    return values.get(name)
