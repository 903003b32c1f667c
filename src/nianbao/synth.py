"""Consistent random reports, for the demo, property tests and benchmarks."""

from __future__ import annotations

import random
from decimal import Decimal

from nianbao.layout import T3_APPLICANTS, Kind, get_layout
from nianbao.model import Report, Unit
from nianbao.values import Number


def random_report(layout_id: str, year: int, unit: Unit, rng: random.Random, *, scale: int = 20,
                  with_totals: bool = True) -> Report:
    """A report whose every rule holds: 表三 balances per column, every total is its sum."""
    layout = get_layout(layout_id)
    values: dict[str, Number] = {}
    for key in layout.inputs:
        f = layout.fields[key]
        if f.kind is Kind.AMOUNT:
            values[key] = Decimal(rng.randint(0, 100 * scale)) / 100
        elif f.kind is Kind.SIGNED:
            values[key] = rng.randint(-scale, scale)
        else:
            values[key] = rng.randint(0, scale) if rng.random() < 0.6 else 0
    # Rule 1 per applicant column: choose 二 and 四, then 一 = （七）+ 四 − 二 (≥ 0).
    outcome_rows = [f.key.split(".")[1] for f in layout.table_by_id["t3"].fields
                    if f.key.endswith(".natural") and layout.fields[f.key].is_input][2:-1]
    for column in T3_APPLICANTS:
        outcome = sum(int(values[f"t3.{r}.{column}"]) for r in outcome_rows)
        carried_out = int(values[f"t3.carried_out.{column}"])
        carried_in = min(int(values[f"t3.carried_in.{column}"]), outcome + carried_out)
        values[f"t3.carried_in.{column}"] = carried_in
        values[f"t3.new.{column}"] = outcome + carried_out - carried_in
    report = Report(layout, year, unit, values)
    return report.resolved() if with_totals else report
