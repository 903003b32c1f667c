"""Findings as people read them: one line per cause, findings of one kind grouped.

A check may find the same thing in 166 cells (a blank template), or find one cause with several
consequences (an overwritten total breaks its row total and its column's balance). What a clerk
reads is built here, once, for ``check``, ``ingest`` and the feedback workbook:

- :func:`consequences`: a finding that is the cause (an altered formula) and the equation findings
  that follow from it, listed under the cause instead of beside it;
- :func:`present`: the items to show, findings of one rule about single cells grouped into one
  line ("166 个单元格未填写（表三 D4:J28 …）") unless ``expand``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao.findings import CheckResult, Finding, Severity, rule_name, severity_text
from nianbao.layout import Layout, cells_in_range, split_ref
from nianbao.messages import message

__all__ = ["GROUP_MIN", "Item", "cell_summary", "consequences", "present"]

GROUP_MIN = 3  # findings of one rule about single cells, from which they become one line
SHOWN_RANGES = 4  # cells outside any table named in a group line before "……"
CAUSE_RULES = frozenset({"FORMULA-ALTERED"})
EQUATION_RULES = frozenset({"T3-BALANCE", "T3-ROW-TOTAL", "T3-OUTCOME-TOTAL", "T4-TOTAL"})


@dataclass
class Item:
    """One line of output: a finding, or a group of findings of one kind, with consequences."""

    severity: Severity
    rule: str
    message: str
    findings: list[Finding]
    consequences: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return rule_name(self.rule)

    @property
    def grouped(self) -> bool:
        return len(self.findings) > 1

    @property
    def cells(self) -> list[str]:
        return [c for f in self.findings for c in f.cells]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "count": len(self.findings),
            "cells": self.cells,
            "message": self.message,
            "consequences": [f.to_json() for f in self.consequences],
        }

    def lines(self) -> list[str]:
        """The text lines of this item: the line itself, then its consequences indented."""
        out = [f"{severity_text(self.severity)}【{self.name}】{self.message}"]
        if self.consequences:
            out.append("    " + message("CONSEQUENCE"))
            out += [f"    · {severity_text(f.severity)}【{rule_name(f.rule)}】{f.message}" for f in self.consequences]
        return out


def _closure(layout: Layout | None, keys: tuple[str, ...]) -> set[str]:
    """``keys`` and every total that depends on one of them."""
    found = set(keys)
    if layout is None:
        return found
    grew = True
    while grew:
        grew = False
        for k, f in layout.fields.items():
            if k not in found and f.is_total and any(p in found for p in f.parts):
                found.add(k)
                grew = True
    return found


def consequences(findings: list[Finding], layout: Layout | None = None) -> dict[int, list[int]]:
    """For each cause (by index), the indexes of the findings that follow from it.

    A cause is an altered total formula; its consequences are the equation findings about that
    total or about a total that depends on it. Each consequence is listed under one cause only.
    """
    out: dict[int, list[int]] = {}
    taken: set[int] = set()
    for i, cause in enumerate(findings):
        if cause.rule not in CAUSE_RULES or not cause.keys:
            continue
        reach = _closure(layout, cause.keys)
        for j, f in enumerate(findings):
            if j != i and j not in taken and f.rule in EQUATION_RULES and reach & set(f.keys):
                out.setdefault(i, []).append(j)
                taken.add(j)
    return out


def cell_summary(cells: list[str]) -> str:
    """``['表三!D4', '表三!E4', …]`` by sheet, each sheet's largest rectangle and its count:
    ``表二 B3:D4 等 12 格、表三 D4:I25 等 133 格``."""
    from nianbao.workbook.writer import rectangles

    by_sheet: dict[str, list[str]] = {}
    loose: list[str] = []
    for cell in cells:
        sheet, _, ref = cell.rpartition("!")
        try:
            split_ref(ref)
        except (ValueError, KeyError, AttributeError, TypeError):
            loose.append(cell)
            continue
        by_sheet.setdefault(sheet, []).append(ref)
    parts: list[str] = []
    for sheet, refs in by_sheet.items():
        unique = sorted(set(refs), key=split_ref)
        rects = rectangles(unique)
        biggest = max(rects, key=lambda r: len(cells_in_range(r)) if ":" in r else 1)
        name = f"{sheet} {biggest}".strip()
        parts.append(name if len(rects) == 1 else message("GROUP-CELLS", first=name, count=len(unique)))
    parts += loose[:SHOWN_RANGES]
    return "、".join(parts) + (message("GROUP-MORE") if len(loose) > SHOWN_RANGES else "")


def _group_message(rule: str, group: list[Finding]) -> str:
    cells = cell_summary([c for f in group for c in f.cells])
    code = f"GROUP-{rule}"
    from nianbao.messages import MESSAGES

    if code in MESSAGES:
        return message(code, count=len(group), cells=cells)
    return message("GROUP-LINE", count=len(group), name=rule_name(rule), cells=cells)


def present(result: CheckResult | list[Finding], layout: Layout | None = None, *,
            expand: bool = False) -> list[Item]:
    """The items to show, in the order of their first finding."""
    findings = result.findings if isinstance(result, CheckResult) else list(result)
    under = consequences(findings, layout)
    hidden = {j for js in under.values() for j in js}
    groupable: dict[tuple[str, Severity], list[int]] = {}
    if not expand:
        for i, f in enumerate(findings):
            if i not in hidden and i not in under and len(f.cells) == 1 and f.rule not in EQUATION_RULES:
                groupable.setdefault((f.rule, f.severity), []).append(i)
    groups = {key: idx for key, idx in groupable.items() if len(idx) >= GROUP_MIN}
    first_of = {idx[0]: key for key, idx in groups.items()}
    in_group = {i for idx in groups.values() for i in idx}
    items: list[Item] = []
    for i, f in enumerate(findings):
        if i in hidden:
            continue
        if i in first_of:
            key = first_of[i]
            members = [findings[j] for j in groups[key]]
            items.append(Item(f.severity, f.rule, _group_message(f.rule, members), members))
        elif i not in in_group:
            after = [findings[j] for j in under.get(i, [])]
            worst = Severity.ERROR if any(x.severity is Severity.ERROR for x in [f, *after]) else f.severity
            items.append(Item(worst, f.rule, f.message, [f], after))
    return items
