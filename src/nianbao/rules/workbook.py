"""What only a template workbook a unit fills in holds: its 基本信息 (填报人, 联系电话)."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.findings import Finding, warning
from nianbao.rules.context import Context
from nianbao.workbook import form

CONTACT_CELLS = ("filler", "phone")  # 基本信息: 填报人, 联系电话


def check_contact(ctx: Context) -> Iterator[Finding]:
    """填报人 and 联系电话 of a template workbook's 基本信息, left empty (warning)."""
    if ctx.info is None:
        return
    for name in CONTACT_CELLS:
        if not (ctx.info.get(name) or "").strip():
            ic = form.info_cell(name)
            cell = f"{form.INFO_SHEET}!{ic.ref}"
            yield warning("INFO-EMPTY", cells=(cell,), cell=cell, label=ic.label)
