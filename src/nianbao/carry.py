"""Carry-forward: what last year's report fixes in this year's (spec rule 6)."""

from __future__ import annotations

from nianbao.layout import CARRY_PAIRS, T3_APPLICANTS, default_layout_id, get_layout
from nianbao.model import Report, Unit
from nianbao.values import Number


def carry_forward(previous: Report, year: int, unit: Unit, layout_id: str | None = None) -> Report:
    """A partial report for ``year``: last year's ``四、结转下年度继续办理`` as ``二、上年结转``.

    Only inputs are set (the 总计 column is a total); the 表三 rows have the same keys in both
    layouts, so this holds across the 2019→2021 change. ``layout_id`` defaults by year.
    """
    layout = get_layout(layout_id or default_layout_id(year))
    last = previous.full_values()
    values: dict[str, Number] = {}
    for column, target, source in CARRY_PAIRS:
        if column in T3_APPLICANTS and source in last and target in layout.fields and layout.fields[target].is_input:
            values[target] = last[source]
    return Report(layout, year, unit, values)
