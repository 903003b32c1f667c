"""The consistency rules (勾稽关系) of statutory-format.md, as small checks that yield findings.

Each check takes a ``Context`` and yields ``Finding`` objects; checks never print. The sums come
from the layout's equations, so no rule here names a cell or a label of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from nianbao.findings import CheckResult, Finding, error, warning
from nianbao.layout import (
    CARRY_PAIRS,
    IN_FORCE_ROWS,
    LAYOUT_2021,
    T3_COLUMNS,
    T4_GROUPS,
    Equation,
    Kind,
    Layout,
    in_force_keys,
    normalise_label,
)
from nianbao.model import Report
from nianbao.narrative import check_narrative
from nianbao.values import Number

_COLUMN_LABEL = dict(T3_COLUMNS)
_GROUP_LABEL = dict(T4_GROUPS)


@dataclass
class Context:
    report: Report
    values: dict[str, Number]  # inputs, stated totals and computed totals
    previous: Report | None = None
    info: Mapping[str, str] | None = None  # a template workbook's 基本信息 as read (None: not a template)

    @property
    def layout(self) -> Layout:
        return self.report.layout


Check = Callable[[Context], Iterable[Finding]]


def check_equations(ctx: Context) -> Iterator[Finding]:
    """Rules 1–4: every total equals the sum of its parts; 表三 balances per column."""
    layout, values = ctx.layout, ctx.values
    for eq in layout.equations:
        if any(k not in values for k in eq.keys):
            continue  # an unreadable value was already reported; do not pile up findings on it
        lhs = sum(values[k] for k in eq.lhs)
        rhs = sum(values[k] for k in eq.rhs)
        if lhs != rhs:
            yield _equation_finding(layout, eq, values, lhs, rhs)


def _equation_finding(layout: Layout, eq: Equation, values: dict[str, Number], lhs: Number,
                      rhs: Number) -> Finding:
    cells = tuple(layout.cell(k) for k in eq.keys)
    total = eq.lhs[0]
    if eq.rule == "T3-BALANCE":
        column = total.split(".")[2]
        new, carried_in = (values[k] for k in eq.lhs)
        tot, carried_out = (values[k] for k in eq.rhs)
        return error(eq.rule, keys=eq.keys, cells=cells, expected=lhs, actual=rhs,
                     column=_COLUMN_LABEL[column], new=new, carried_in=carried_in, total=tot,
                     carried_out=carried_out, cell_list="、".join(cells))
    common = {"keys": eq.keys, "cells": cells, "expected": rhs, "actual": lhs, "cell": layout.cell(total)}
    if eq.rule == "T3-ROW-TOTAL":
        f = layout.fields[total]
        return error(eq.rule, where=f"{layout.table_by_id[f.table].sheet}“{f.row_label}”行", **common)
    if eq.rule == "T3-OUTCOME-TOTAL":
        return error(eq.rule, column=_COLUMN_LABEL[total.split(".")[2]], **common)
    return error(eq.rule, group=_GROUP_LABEL[total.split(".")[1]], **common)


def check_carry_over(ctx: Context) -> Iterator[Finding]:
    """Rule 6: this year's 二、上年结转 equals last year's 四、结转下年度继续办理, per column."""
    if ctx.previous is None:
        return
    prev = ctx.previous.full_values()
    for column, this_key, prev_key in CARRY_PAIRS:
        if this_key in ctx.values and prev_key in prev and ctx.values[this_key] != prev[prev_key]:
            yield warning("T3-CARRY-OVER", keys=(this_key,), cells=(ctx.layout.cell(this_key),),
                          expected=prev[prev_key], actual=ctx.values[this_key], column=_COLUMN_LABEL[column],
                          cell=ctx.layout.cell(this_key))


def check_in_force(ctx: Context) -> Iterator[Finding]:
    """Rule 7 (layout 2021 both years): 现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y)."""
    prev_report = ctx.previous
    if prev_report is None or ctx.layout.id != LAYOUT_2021 or prev_report.layout.id != LAYOUT_2021:
        return
    prev = prev_report.full_values()
    for row in IN_FORCE_ROWS:
        keys = in_force_keys(row)
        if not all(k in ctx.values for k in keys) or keys[0] not in prev:
            continue
        in_force, issued, repealed = (ctx.values[k] for k in keys)
        expected = prev[keys[0]] + issued - repealed
        if in_force != expected:
            yield warning("T2-IN-FORCE", keys=tuple(keys), cells=tuple(ctx.layout.cell(k) for k in keys),
                          expected=expected, actual=in_force, previous=prev[keys[0]], issued=issued,
                          repealed=repealed, row=ctx.layout.fields[keys[0]].row_label,
                          cell=ctx.layout.cell(keys[0]))


def check_previous_year(ctx: Context) -> Iterator[Finding]:
    if ctx.previous is not None and ctx.previous.year != ctx.report.year - 1:
        yield warning("PREVIOUS-YEAR", expected=ctx.report.year - 1, actual=ctx.previous.year,
                      year=ctx.report.year)


def check_headings(ctx: Context) -> Iterator[Finding]:
    """A local variant of a section heading is allowed but reported."""
    for section in ctx.layout.sections:
        given = ctx.report.headings.get(section.id)
        if given and normalise_label(given) != normalise_label(section.heading):
            yield warning("HEADING-VARIANT", expected=section.heading, actual=given,
                          section_no=section.heading[0])


# ------------------------------------------------------------------------------------------
# Plausibility: figures no unit can have, leaps from last year, sections and contacts left empty
# ------------------------------------------------------------------------------------------

MAX_COUNT = 10_000_000  # no office handles ten million requests, cases or documents a year
MAX_AMOUNT = Decimal(10) ** 9  # 万元: ten trillion yuan
JUMP_FACTOR = 10
JUMP_MIN = 50
TEXT_REQUIRED = ("s1", "s5")  # 一、总体情况 and 五、存在的主要问题及改进情况
CONTACT_CELLS = ("filler", "phone")  # 基本信息: 填报人, 联系电话


def limit_of(layout: Layout, key: str) -> Number:
    return MAX_AMOUNT if layout.fields[key].kind is Kind.AMOUNT else MAX_COUNT


def implausible(layout: Layout, values: Mapping[str, Number]) -> list[str]:
    """The keys whose value is beyond any real unit's (also used on ledger rows of older versions)."""
    return [k for k, v in values.items() if k in layout.fields and abs(Decimal(v)) > limit_of(layout, k)]


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


def check_contact(ctx: Context) -> Iterator[Finding]:
    """填报人 and 联系电话 of a template workbook's 基本信息, left empty (warning)."""
    if ctx.info is None:
        return
    from nianbao.workbook import form

    for name in CONTACT_CELLS:
        if not (ctx.info.get(name) or "").strip():
            ic = form.info_cell(name)
            cell = f"{form.INFO_SHEET}!{ic.ref}"
            yield warning("INFO-EMPTY", cells=(cell,), cell=cell, label=ic.label)


CHECKS: list[Check] = [
    check_equations,
    check_carry_over,
    check_in_force,
    check_previous_year,
    check_headings,
    check_narrative,
    check_magnitude,
    check_year_jump,
    check_text_required,
    check_text_last_year,
    check_contact,
]


def check_report(report: Report, previous: Report | None = None,
                 findings: Iterable[Finding] = (), info: Mapping[str, str] | None = None) -> CheckResult:
    """Apply every rule to a report. ``findings`` are those already made while reading it; ``info``:
    what a template workbook's 基本信息 holds (see ``nianbao.api.check_loaded``)."""
    result = CheckResult(list(findings))
    ctx = Context(report, report.full_values(), previous, info)
    for check in CHECKS:
        result.findings.extend(check(ctx))
    return result
