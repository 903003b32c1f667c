"""The consistency rules (勾稽关系) of statutory-format.md on the tables: every total its sum, 表三's
balance, the carry-over from last year (rule 6), 现行有效 (rule 7), and the section headings.

The sums come from the layout's equations, so no rule here names a cell or a label of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.findings import Finding, error, warning
from nianbao.layout import (
    CARRY_PAIRS,
    IN_FORCE_ROWS,
    LAYOUT_2021,
    T3_COLUMNS,
    T4_GROUPS,
    Equation,
    Layout,
    in_force_keys,
    normalise_label,
)
from nianbao.rules.context import Context
from nianbao.values import Number

_COLUMN_LABEL = dict(T3_COLUMNS)
_GROUP_LABEL = dict(T4_GROUPS)


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
