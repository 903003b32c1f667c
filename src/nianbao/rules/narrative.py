"""Rule 8: each number the narrative states about a measure (``narrative.claims``) equals the table."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.findings import Finding, warning
from nianbao.layout import Layout
from nianbao.messages import message
from nianbao.narrative import MEASURES, claims, sum_of
from nianbao.rules.context import Context


def check_narrative(ctx: Context) -> Iterator[Finding]:
    """Rule 8: each number the narrative states about a measure equals the table (warning)."""
    layout, values = ctx.layout, ctx.values
    for claim in claims(ctx.report):
        measure = MEASURES[claim.measure]
        if any(k not in layout.fields for k in measure.keys):
            continue
        readings = [measure.keys, *measure.alternatives]
        sums = [sum_of(values, keys) for keys in readings]
        if sums[0] is None or claim.number in [s for s in sums if s is not None]:
            continue
        yield warning(
            "NARRATIVE-MISMATCH",
            keys=measure.keys,
            cells=tuple(layout.cell(k) for k in measure.keys),
            expected=sums[0],
            actual=claim.number,
            what=measure.what,
            quote=claim.quote,
            section_no=layout.section_by_id[claim.section].heading[0],
            where=_where(layout, measure.keys),
            cell="、".join(layout.cell(k) for k in measure.keys),
        )


def _where(layout: Layout, keys: tuple[str, ...]) -> str:
    described = "、".join(layout.describe(k) for k in keys)
    return message("NARRATIVE-SUM", items=described) if len(keys) > 1 else described
