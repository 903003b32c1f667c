"""Comparison with last year and across units: figures, narrative similarity, copies, hierarchy.

``compare_reports(this, previous)`` compares one report with last year's; ``compare_workspace(ws)``
does it for every unit of a campaign and for the roll-up, finds sections copied between units and
checks consolidated returns against their sub-units.
"""

from nianbao.compare.run import Comparison, UnitComparison, compare_reports, compare_workspace

__all__ = ["Comparison", "UnitComparison", "compare_reports", "compare_workspace"]
