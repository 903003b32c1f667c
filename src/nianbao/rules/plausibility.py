"""Plausibility: figures no unit can have, leaps from last year, required sections left empty or
copied from last year's report (warnings, except a figure beyond any real unit's)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from decimal import Decimal

from nianbao.findings import Finding, error, warning
from nianbao.layout import Kind, Layout
from nianbao.rules.context import Context
from nianbao.values import Number

MAX_COUNT = 10_000_000  # no office handles ten million requests, cases or documents a year
MAX_AMOUNT = Decimal(10) ** 9  # 万元: ten trillion yuan
JUMP_FACTOR = 10
JUMP_MIN = 50
TEXT_REQUIRED = ("s1", "s5")  # 一、总体情况 and 五、存在的主要问题及改进情况


def limit_of(layout: Layout, key: str) -> Number:
    return MAX_AMOUNT if layout.fields[key].kind is Kind.AMOUNT else MAX_COUNT


def implausible(layout: Layout, values: Mapping[str, Number]) -> list[str]:
    """The keys whose value is beyond any real unit's (also used on ledger rows of older versions)."""
    fields = layout.fields
    out = []
    for k, v in values.items():
        if k not in fields:
            continue
        size: Decimal | int = abs(v) if isinstance(v, int) else abs(Decimal(v))  # an int compares as its Decimal
        if size > limit_of(layout, k):
            out.append(k)
    return out


def check_magnitude(ctx: Context) -> Iterator[Finding]:
    """A count above 10,000,000 or an amount above 10^9 万元 is a typing error (error)."""
    layout = ctx.layout
    for key in implausible(layout, ctx.report.values):  # inputs and stated totals, not sums of them
        amount = layout.fields[key].kind is Kind.AMOUNT
        yield error("VALUE-TOO-LARGE", keys=(key,), cells=(layout.cell(key),), actual=ctx.report.values[key],
                    where=layout.describe(key), cell=layout.cell(key), what="金额" if amount else "件数",
                    limit=f"{limit_of(layout, key):,} 万元" if amount else f"{MAX_COUNT:,}")


def check_year_jump(ctx: Context) -> Iterator[Finding]:
    """With last year's figures: an input that grew or shrank more than tenfold and by more than 50."""
    if ctx.previous is None or ctx.previous.layout.id != ctx.layout.id:
        return
    layout, prev = ctx.layout, ctx.previous.full_values()
    for key in layout.inputs:
        if layout.fields[key].kind is Kind.SIGNED or key not in ctx.values or key not in prev:
            continue
        now, before = ctx.values[key], prev[key]
        low, high = sorted((abs(Decimal(now)), abs(Decimal(before))))
        if high > JUMP_FACTOR * low and high - low > JUMP_MIN:
            yield warning("YEAR-JUMP", keys=(key,), cells=(layout.cell(key),), expected=before, actual=now,
                          where=layout.describe(key), cell=layout.cell(key))


def _text_cell(layout: Layout, section: str) -> str:
    from nianbao.workbook import form

    tc = next(c for c in form.text_cells(layout) if c.section == section)
    return f"{form.TEXT_SHEET}!{tc.ref}"


def check_text_required(ctx: Context) -> Iterator[Finding]:
    """一、总体情况 and 五、存在的主要问题及改进情况 of a template workbook must be written (warning).

    Only a template asks for them (its 文字部分); a data file or a retyped table may carry figures only."""
    if ctx.info is None:
        return
    for section in TEXT_REQUIRED:
        if section in ctx.layout.section_by_id and not (ctx.report.text.get(section) or "").strip():
            cell = _text_cell(ctx.layout, section)
            yield warning("TEXT-EMPTY", cells=(cell,), cell=cell, heading=ctx.report.heading(section))


_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）][^。，,；;]{0,20}$")


def check_text_last_year(ctx: Context) -> Iterator[Finding]:
    """一、总体情况 opening with last year as its own (``2024年，我局…`` in a 2025 report): copied text."""
    lines = [line.strip() for line in (ctx.report.text.get("s1") or "").splitlines() if line.strip()]
    first = next((line for line in lines if not _SUBHEADING.match(unicodedata.normalize("NFKC", line))), "")
    previous = ctx.report.year - 1
    if re.match(rf"{previous}\s*年(?!\s*(?:同期|相比|比较|以来))", unicodedata.normalize("NFKC", first)):
        cell = _text_cell(ctx.layout, "s1")
        yield warning("TEXT-LAST-YEAR", cells=(cell,), cell=cell, heading=ctx.report.heading("s1"),
                      quote=first[:12] + ("…" if len(first) > 12 else ""), previous=previous, year=ctx.report.year)


def check_similar_to_previous(ctx: Context) -> Iterator[Finding]:
    """A narrative section ≥ 80 % like last year's (after removing punctuation, spaces and years)."""
    if ctx.previous is None:
        return
    from nianbao.compare.similarity import WARN_AT, WARNING, compare_narrative

    for s in compare_narrative(ctx.report, ctx.previous):
        if s.level == WARNING:
            yield warning("TEXT-SIMILAR-PREVIOUS", expected=None, actual=round(s.ratio, 4), heading=s.heading,
                          percent=s.percent, threshold=int(WARN_AT * 100),
                          passage=s.passages[0] if s.passages else "")
