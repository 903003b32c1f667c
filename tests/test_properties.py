"""Property tests, both layouts: consistent reports pass; any single changed number is caught."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.layout import get_layout
from nianbao.model import Unit, report_from_json
from nianbao.rules import check_report
from nianbao.synth import random_report

LAYOUTS = st.sampled_from(["2019", "2021"])
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@given(LAYOUTS, SEEDS, st.integers(min_value=1, max_value=500))
@settings(max_examples=60, deadline=None)
def test_consistent_reports_have_no_errors(layout_id: str, seed: int, scale: int) -> None:
    report = random_report(layout_id, 2024, Unit("单位"), random.Random(seed), scale=scale)
    loaded = report_from_json(report.to_json())  # through the data file, totals included
    result = check_report(loaded.report, findings=loaded.findings)
    assert result.errors == []


@given(LAYOUTS, SEEDS, st.data())
@settings(max_examples=150, deadline=None)
def test_any_single_change_is_caught_with_its_key(layout_id: str, seed: int, data: st.DataObject) -> None:
    layout = get_layout(layout_id)
    doc = random_report(layout_id, 2024, Unit("单位"), random.Random(seed)).to_json()
    keys = [k for k in layout.fields if k.startswith(("t3.", "t4."))]
    key = data.draw(st.sampled_from(keys), label="key")
    delta = data.draw(st.integers(min_value=1, max_value=50), label="delta")
    doc["values"][key] = doc["values"][key] + delta  # upwards: a count stays ≥ 0
    loaded = report_from_json(doc)
    result = check_report(loaded.report, findings=loaded.findings)
    assert any(key in f.keys for f in result.errors), (key, result.rules())


@given(LAYOUTS, SEEDS, st.data())
@settings(max_examples=100, deadline=None)
def test_a_decrease_is_caught_too(layout_id: str, seed: int, data: st.DataObject) -> None:
    layout = get_layout(layout_id)
    doc = random_report(layout_id, 2024, Unit("单位"), random.Random(seed)).to_json()
    candidates = [k for k in layout.fields if k.startswith(("t3.", "t4.")) and doc["values"][k] > 0]
    if not candidates:
        return
    key = data.draw(st.sampled_from(candidates), label="key")
    doc["values"][key] -= data.draw(st.integers(min_value=1, max_value=doc["values"][key]), label="delta")
    loaded = report_from_json(doc)
    assert any(key in f.keys for f in check_report(loaded.report, findings=loaded.findings).errors)
