"""A consolidated return against its sub-units: parent = Σ children, per figure.

A unit's own return that states totals for a roll-up (a consolidated workbook ingested one level
up lists its members) is compared, figure by figure, with the sum of the members' returns that are
present. Members without a return are listed; where some are missing a parent larger than the sum
is uncertain (the missing ones may make up the difference), a parent smaller than it is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nianbao.model import Report, Unit
from nianbao.values import Number

MISMATCH, UNCERTAIN = "mismatch", "uncertain"


@dataclass(frozen=True)
class HierarchyRow:
    key: str
    where: str  # layout.describe(key)
    stated: Number
    children_sum: Number
    status: str  # mismatch / uncertain

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "where": self.where, "stated": _j(self.stated),
                "children_sum": _j(self.children_sum), "status": self.status}


@dataclass
class Hierarchy:
    parent: Unit
    present: list[Unit] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)
    rows: list[HierarchyRow] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"parent": self.parent.to_json(), "present": [u.to_json() for u in self.present],
                "missing": [u.to_json() for u in self.missing], "rows": [r.to_json() for r in self.rows]}


def check_hierarchy(parent: Report, candidates: Sequence[Report]) -> Hierarchy:
    """Compare ``parent`` (which lists ``members``) with the members' reports among ``candidates``."""
    result = Hierarchy(parent.unit)
    children: list[Report] = []
    for member in parent.members:
        child = _find(member, candidates)
        if child is None or child is parent:
            result.missing.append(member)
        else:
            children.append(child)
            result.present.append(member)
    layout = parent.layout
    stated = parent.full_values()
    sums: dict[str, Number] = {}
    for child in children:
        if child.layout.id != layout.id:
            continue
        for key, value in child.full_values().items():
            sums[key] = sums.get(key, 0) + value
    for key in layout.fields:
        if key not in stated:
            continue
        total = sums.get(key, 0)
        if stated[key] == total:
            continue
        status = UNCERTAIN if result.missing and stated[key] > total else MISMATCH
        result.rows.append(HierarchyRow(key, layout.describe(key), stated[key], total, status))
    return result


def _find(member: Unit, reports: Sequence[Report]) -> Report | None:
    if member.code:
        for r in reports:
            if r.unit.code == member.code:
                return r
    for r in reports:
        if r.unit.name == member.name or (member.code and r.unit.name == member.code):
            return r
    return None


def _j(value: Number) -> object:
    from nianbao.findings import _jsonable

    return _jsonable(value)
