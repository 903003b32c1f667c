"""Putting the comparisons together, for one pair of reports or for a whole workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao.compare.crossunit import Copy, find_copies
from nianbao.compare.figures import FigureRow, compare_figures
from nianbao.compare.hierarchy import Hierarchy, check_hierarchy
from nianbao.compare.similarity import NOTE, WARNING, Similarity, compare_narrative
from nianbao.findings import Finding, _jsonable
from nianbao.model import Report, Unit


@dataclass
class UnitComparison:
    """One unit's report against its own last year."""

    unit: Unit
    year: int
    previous_year: int | None
    figures: list[FigureRow] = field(default_factory=list)
    stock: list[Finding] = field(default_factory=list)
    similarity: list[Similarity] = field(default_factory=list)
    rollup: bool = False

    @property
    def has_previous(self) -> bool:
        return self.previous_year is not None

    @property
    def flagged(self) -> list[FigureRow]:
        return [r for r in self.figures if r.flags]

    @property
    def changed(self) -> list[FigureRow]:
        return [r for r in self.figures if r.change]

    def level(self, level: str) -> list[Similarity]:
        return [s for s in self.similarity if s.level == level]

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit.to_json(), "year": self.year, "previous_year": self.previous_year,
            "rollup": self.rollup,
            "figures": [{"key": r.key, "table": r.table, "row": r.row_label, "column": r.col_label,
                         "previous": _jsonable(r.previous), "current": _jsonable(r.current),
                         "change": _jsonable(r.change), "change_pct": r.change_pct, "flags": list(r.flags)}
                        for r in self.figures],
            "stock": [f.to_json() for f in self.stock],
            "similarity": [{"section": s.section, "heading": s.heading, "similarity": round(s.ratio, 4),
                            "percent": s.percent, "level": s.level, "short": s.short,
                            "passages": list(s.passages)} for s in self.similarity],
        }


@dataclass
class Comparison:
    units: list[UnitComparison] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    hierarchy: list[Hierarchy] = field(default_factory=list)
    without_previous: list[Unit] = field(default_factory=list)  # units with a return but no last year

    def to_json(self) -> dict[str, Any]:
        return {"units": [u.to_json() for u in self.units], "copies": [c.to_json() for c in self.copies],
                "hierarchy": [h.to_json() for h in self.hierarchy],
                "without_previous": [u.to_json() for u in self.without_previous],
                "warnings": sum(len(u.level(WARNING)) for u in self.units) + len(self.copies),
                "notes": sum(len(u.level(NOTE)) for u in self.units)}


def compare_reports(this: Report, previous: Report, *, rollup: bool = False) -> UnitComparison:
    figures, stock = compare_figures(this, previous)
    return UnitComparison(this.unit, this.year, previous.year, figures, stock,
                          compare_narrative(this, previous), rollup)


def compare_workspace(ws: Any) -> Comparison:
    """Every unit's current return against last year's (when the workspace has last year), the
    roll-up against last year's, copies between units, and consolidated returns against sub-units."""
    from nianbao.campaign.aggregate import aggregate
    from nianbao.campaign.ledger import ERRORS
    from nianbao.layout import get_layout

    previous = None
    if ws.config.previous:
        from nianbao.campaign.previous import load_previous

        previous = load_previous(ws.config.previous)
    result = Comparison()
    current: list[Report] = []
    accepted: list[Report] = []
    with ws.open_ledger() as ledger:
        for unit in ledger.units():
            sub = ledger.current(unit.code)
            if sub is None:
                continue
            report = ledger.report(sub.id)
            current.append(report)
            if sub.status != ERRORS:
                accepted.append(report)
    for report in current:
        prev = previous.for_unit(report.unit) if previous is not None else None
        if prev is None:
            result.without_previous.append(report.unit)
            continue
        result.units.append(compare_reports(report, prev))
    if previous is not None and accepted:
        prev_office = previous.for_unit(ws.office)
        if prev_office is None and len(previous.reports) == 1 and previous.reports[0] not in (
                previous.for_unit(r.unit) for r in current):
            prev_office = previous.reports[0]  # a single consolidated file: the office's last year
        if prev_office is not None:
            office = aggregate(accepted, get_layout(ws.layout_id), ws.year, ws.office)
            result.units.append(compare_reports(office, prev_office, rollup=True))
    result.copies = find_copies(current)
    # a consolidated return whose members report one level down (none of them here) has nothing to compare
    result.hierarchy = [h for h in (check_hierarchy(r, current) for r in current if r.members) if h.present]
    return result
