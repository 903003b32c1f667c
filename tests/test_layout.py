"""The layout declaration against the spec's own tables, character for character."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.layout import LAYOUTS, Kind, cells_in_range, default_layout_id, get_layout, normalise_label
from spec_tables import DATAPOINTS, SPEC, datapoint_keys, section_headings, spec_table

CASES = [(lid, tid) for lid in ("2021", "2019") for tid in ("t2", "t3", "t4")]


@pytest.mark.parametrize(("layout_id", "table_id"), CASES)
def test_labels_match_spec_exactly(layout_id: str, table_id: str) -> None:
    table = get_layout(layout_id).table_by_id[table_id]
    spec = spec_table(layout_id, table_id)
    assert {lb.ref: lb.text for lb in table.labels} == spec.labels


@pytest.mark.parametrize(("layout_id", "table_id"), CASES)
def test_merges_match_spec(layout_id: str, table_id: str) -> None:
    table = get_layout(layout_id).table_by_id[table_id]
    assert set(table.merges) == spec_table(layout_id, table_id).merges


@pytest.mark.parametrize(("layout_id", "table_id"), CASES)
def test_number_cells_match_spec(layout_id: str, table_id: str) -> None:
    table = get_layout(layout_id).table_by_id[table_id]
    assert {f.ref for f in table.fields} == spec_table(layout_id, table_id).numbers


@pytest.mark.parametrize("layout_id", ["2021", "2019"])
def test_keys_are_those_of_datapoints(layout_id: str) -> None:
    assert set(get_layout(layout_id).fields) == datapoint_keys(layout_id)


@pytest.mark.parametrize("layout_id", ["2021", "2019"])
def test_section_headings_and_variants(layout_id: str) -> None:
    headings, variants = section_headings()
    layout = get_layout(layout_id)
    assert {s.id: s.heading for s in layout.sections} == headings
    assert sorted(v for s in layout.sections for v in s.variants) == sorted(variants)


def test_spec_copy_is_current() -> None:
    """tests/files/spec is a copy of shared/spec; when shared/ is beside the repo, they agree."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "spec"
    if not shared.is_dir():
        pytest.skip("shared/spec is not beside this checkout")
    for copy in (SPEC, DATAPOINTS):
        assert copy.read_text("utf-8") == (shared / copy.name).read_text("utf-8"), copy.name


def test_labels_and_numbers_never_overlap_and_merges_are_disjoint() -> None:
    for layout in LAYOUTS.values():
        for table in layout.tables:
            refs = [lb.ref for lb in table.labels] + [f.ref for f in table.fields]
            assert len(refs) == len(set(refs)), table.id
            assert not set(refs) & table.covered, table.id
            seen: set[str] = set()
            for rng in table.merges:
                cells = set(cells_in_range(rng))
                assert not cells & seen, rng
                seen |= cells


def test_totals_sum_the_right_parts() -> None:
    layout = get_layout("2021")
    assert layout.fields["t3.new.total"].parts == tuple(
        f"t3.new.{c}" for c in ("natural", "business", "research", "nonprofit", "legal", "other"))
    outcome = layout.fields["t3.total.natural"].parts
    assert outcome[0] == "t3.granted.natural" and outcome[-1] == "t3.other_other.natural"
    assert len(outcome) == 2 + 8 + 3 + 5 + 3
    assert len(get_layout("2019").fields["t3.total.natural"].parts) == 2 + 8 + 3 + 5 + 1
    assert layout.fields["t4.review.total"].parts == (
        "t4.review.upheld", "t4.review.corrected", "t4.review.other", "t4.review.pending")
    # a total is computed after every total it sums
    order = layout.totals
    assert order.index("t3.total.total") > order.index("t3.total.natural")


def test_kinds() -> None:
    l19, l21 = get_layout("2019"), get_layout("2021")
    assert l19.fields["t2.licensing.change"].kind is Kind.SIGNED
    assert l19.fields["t2.procurement.amount"].kind is Kind.AMOUNT
    assert l21.fields["t2.fees.amount"].kind is Kind.AMOUNT
    assert {f.kind for k, f in l21.fields.items() if k.startswith(("t3.", "t4."))} == {Kind.COUNT}


def test_cells_and_descriptions() -> None:
    layout = get_layout("2021")
    assert layout.cell("t3.new.natural") == "表三!D4"
    assert layout.cell("t3.carried_out.total") == "表三!J28"
    assert get_layout("2019").cell("t3.carried_out.total") == "表三!J26"
    assert layout.cell("t4.suit_after_review.total") == "表四!O4"
    assert "自然人" in layout.describe("t3.new.natural")


def test_default_layout_by_year() -> None:
    assert default_layout_id(2020) == "2019"
    assert default_layout_id(2021) == "2021"


def test_fingerprints_differ_and_are_stable() -> None:
    assert LAYOUTS["2019"].fingerprint != LAYOUTS["2021"].fingerprint
    assert len(LAYOUTS["2021"].fingerprint) == 16


def test_normalise_label_folds_widths_and_breaks() -> None:
    assert normalise_label("（二）部分 公开\n") == normalise_label("(二)部分公开")
    assert normalise_label("本年增／减") == normalise_label("本年增/减")


def test_normalise_label_folds_curly_and_straight_quotes() -> None:
    assert normalise_label('3.危及"三安全一稳定"') == normalise_label("3.危及“三安全一稳定”")
    assert normalise_label("第二十条第(一)项") == normalise_label("第二十条第（一）项")
