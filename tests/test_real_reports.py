"""Eight real published reports with known faults: what a correct tool says about each.

The expectations (tests/files/real/expected.json) were derived from shared/real-reports/README.md
and recomputed by hand; they are compared as a multiset of (rule, keys).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from nianbao.model import load_report
from nianbao.rules import check_report

REAL = Path(__file__).parent / "files" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text("utf-8"))["files"]
SINGLE_FILE_RULES = {"T3-BALANCE", "T3-ROW-TOTAL", "T3-OUTCOME-TOTAL", "T4-TOTAL", "VALUE-BLANK",
                     "VALUE-NOTE", "VALUE-NOT-NUMBER", "VALUE-NEGATIVE", "VALUE-NOT-INTEGER"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_single_file_findings(name: str) -> None:
    loaded = load_report(REAL / f"{name}.json")
    result = check_report(loaded.report, findings=loaded.findings)
    got = Counter((f.rule, tuple(f.keys)) for f in result.findings if f.rule in SINGLE_FILE_RULES)
    want = Counter((f["rule"], tuple(f["keys"])) for f in EXPECTED[name]["findings"])
    assert got == want
    for f in result.findings:
        match = [e for e in EXPECTED[name]["findings"] if e["rule"] == f.rule and e["keys"] == list(f.keys)]
        if match and "expected" in match[0]:
            assert (f.expected, f.actual) == (match[0]["expected"], match[0]["actual"])


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if "cross_year" in EXPECTED[n]])
def test_cross_year(name: str) -> None:
    spec = EXPECTED[name]["cross_year"]
    this = load_report(REAL / f"{name}.json").report
    prev = load_report(REAL / f"{spec['previous']}.json").report
    got = [(f.rule, list(f.keys)) for f in check_report(this, prev).findings
           if f.rule in ("T3-CARRY-OVER", "T2-IN-FORCE")]
    assert got == [(f["rule"], f["keys"]) for f in spec["findings"]]


def test_known_faults_are_reported_in_chinese_with_cells() -> None:
    """011: 行政复议 10+1+0+0 with 总计 0; 复议后起诉 结果维持 5 with 总计 0."""
    loaded = load_report(REAL / "011.json")
    errors = check_report(loaded.report, findings=loaded.findings).errors
    assert [(f.rule, f.cells[0], f.expected, f.actual) for f in errors] == [
        ("T4-TOTAL", "表四!E4", 11, 0), ("T4-TOTAL", "表四!O4", 5, 0)]
    assert "行政复议" in errors[0].message and "复议后起诉" in errors[1].message
