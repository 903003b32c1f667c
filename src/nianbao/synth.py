"""Consistent random reports, for the demo, property tests and benchmarks."""

from __future__ import annotations

import random
from decimal import Decimal

from nianbao.layout import CARRY_PAIRS, T3_APPLICANTS, Kind, get_layout
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
    for column, in_key, out_key in CARRY_PAIRS:
        if column not in T3_APPLICANTS:
            continue
        outcome = sum(int(values[f"t3.{r}.{column}"]) for r in outcome_rows)
        carried_out = int(values[out_key])
        carried_in = min(int(values[in_key]), outcome + carried_out)
        values[in_key] = carried_in
        values[f"t3.new.{column}"] = outcome + carried_out - carried_in
    report = Report(layout, year, unit, values)
    return report.resolved() if with_totals else report


# What a clerk who fills the whole template also writes: the sections a report must have (一、五、六)
# and 基本信息's contact cells. A return without them draws TEXT-EMPTY / INFO-EMPTY warnings.
CLERK_TEXT = {"s1": "（一）主动公开\n本年度按照政府信息公开条例要求主动公开政府信息。",
              "s5": "存在的主要问题：公开内容更新不够及时。改进情况：加强培训和督促检查。",
              "s6": "本年度未收取信息处理费。"}
CLERK_INFO = {"filler": "张三", "phone": "023-67800000"}
