"""The consistency rules (勾稽关系) of statutory-format.md, as small checks that yield findings.

Each check takes a ``Context`` and yields ``Finding`` objects; checks never print. The sums come
from the layout's equations, so no rule here names a cell or a label of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from nianbao.findings import CheckResult, Finding, error, warning
from nianbao.layout import T3_COLUMNS, T4_GROUPS, Equation, Layout, normalise_label
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
    for column, label in T3_COLUMNS:
        this_key, prev_key = f"t3.carried_in.{column}", f"t3.carried_out.{column}"
        if this_key in ctx.values and prev_key in prev and ctx.values[this_key] != prev[prev_key]:
            yield warning("T3-CARRY-OVER", keys=(this_key,), cells=(ctx.layout.cell(this_key),),
                          expected=prev[prev_key], actual=ctx.values[this_key], column=label,
                          cell=ctx.layout.cell(this_key))


def check_in_force(ctx: Context) -> Iterator[Finding]:
    """Rule 7 (layout 2021 both years): 现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y)."""
    prev_report = ctx.previous
    if prev_report is None or ctx.layout.id != "2021" or prev_report.layout.id != "2021":
        return
    prev = prev_report.full_values()
    for row in ("rules", "normative"):
        keys = [f"t2.{row}.{m}" for m in ("in_force", "issued", "repealed")]
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


def check_headings(ctx: Context) -> Iterator[Finding]:
    """A local variant of a section heading is allowed but reported."""
    for section in ctx.layout.sections:
        given = ctx.report.headings.get(section.id)
        if given and normalise_label(given) != normalise_label(section.heading):
            yield warning("HEADING-VARIANT", expected=section.heading, actual=given,
                          section_no=section.heading[0])


CHECKS: list[Check] = [
    check_equations,
    check_carry_over,
    check_in_force,
    check_previous_year,
    check_similar_to_previous,
    check_headings,
    check_narrative,
]


def check_report(report: Report, previous: Report | None = None,
                 findings: Iterable[Finding] = ()) -> CheckResult:
    """Apply every rule to a report. ``findings`` are those already made while reading it."""
    result = CheckResult(list(findings))
    ctx = Context(report, report.full_values(), previous)
    for check in CHECKS:
        result.findings.extend(check(ctx))
    return result
