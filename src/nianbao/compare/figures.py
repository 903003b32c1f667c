"""Every statutory figure side by side with last year's, with the flags a reviewer looks at.

Flags: a figure ten times (or a tenth of) last year's and by more than 50 (a slipped digit or a
unit mix-up); a figure that went to 0 from 20 or more (a row left blank); a 现行有效 stock that does
not follow from last year's stock and this year's flows (the rule of ``rules.check_in_force``, shown
here too). Rows are compared key by key in this year's layout order, so a 2019 and a 2021 table, or a
mixed one, are compared row by row where they share a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from nianbao.findings import Finding
from nianbao.model import Report
from nianbao.values import Number

SCALE_FACTOR = 10  # ×10 or ÷10 …
SCALE_MIN_CHANGE = 50  # … and by more than 50
ZERO_FROM = 20  # went to 0 from ≥ 20

SCALE, ZERO, STOCK = "scale", "zero", "stock"


@dataclass
class FigureRow:
    key: str
    table: str  # 表二 / 表三 / 表四
    row_label: str
    col_label: str
    previous: Number | None
    current: Number | None
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # messages of the flags (stock rule)

    @property
    def change(self) -> Number | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self) -> float | None:
        """Change in per cent of last year's figure; ``None`` when last year's was 0 or missing."""
        if self.change is None or not self.previous:
            return None
        return round(float(Decimal(str(self.change)) / Decimal(str(self.previous)) * 100), 1)


def flags_for(previous: Number | None, current: Number | None) -> list[str]:
    """The scale and zero flags of one figure."""
    if previous is None or current is None:
        return []
    out: list[str] = []
    before, now = Decimal(str(previous)), Decimal(str(current))
    if before > 0 and now > 0 and abs(now - before) > SCALE_MIN_CHANGE and (
            now >= before * SCALE_FACTOR or now * SCALE_FACTOR <= before):
        out.append(SCALE)
    if now == 0 and before >= ZERO_FROM:
        out.append(ZERO)
    return out


def compare_figures(this: Report, previous: Report) -> tuple[list[FigureRow], list[Finding]]:
    """All figures of this year's layout, last year's beside them; and the stock-rule findings."""
    from nianbao.rules import Context, check_in_force

    now, before = this.full_values(), previous.full_values()
    layout = this.layout
    rows: list[FigureRow] = []
    by_key: dict[str, FigureRow] = {}
    for key, f in layout.fields.items():
        prev = before.get(key) if key in previous.layout.fields else None
        row = FigureRow(key, layout.table_by_id[f.table].sheet, f.row_label, f.col_label, prev, now.get(key),
                        flags_for(prev, now.get(key)))
        rows.append(row)
        by_key[key] = row
    stock = list(check_in_force(Context(this, now, previous)))
    for finding in stock:
        row = by_key[finding.keys[0]]
        row.flags.append(STOCK)
        row.notes.append(finding.message)
    return rows, stock
