"""The ledger: content-addressed originals, supersession, and one transaction per file."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.campaign.ingest import ingest
from nianbao.campaign.ledger import ERRORS, PASSED, REFUSED, Ledger, Received
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.workspace import Workspace, init_workspace
from nianbao.findings import error, warning
from nianbao.layout import get_layout
from nianbao.model import Report, Unit, save_report
from nianbao.synth import random_report

UNITS = [RosterUnit("A01", "甲局", "部门"), RosterUnit("B01", "乙街道办事处", "乡镇街道")]


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger.create(tmp_path / "ledger.sqlite", tmp_path / "originals", UNITS)


def _received(data: bytes, unit: str | None = "A01", status: str = PASSED, **kw: object) -> Received:
    report = random_report("2021", 2025, Unit("甲局", unit or ""), random.Random(len(data)))
    return Received(data=data, original_name="甲局年报.xlsx", received_at="2026-01-20T10:00:00", status=status,
                    unit_code=unit, report=report if status != REFUSED else None, **kw)  # type: ignore[arg-type]


def test_original_kept_byte_for_byte_by_hash(ledger: Ledger) -> None:
    data = b"PK\x03\x04 some workbook bytes \x00\xff"
    sub = ledger.record(_received(data))
    sha = hashlib.sha256(data).hexdigest()
    assert sub.sha256 == sha
    assert sub.stored_path == f"{sha[:2]}/{sha}.xlsx"
    assert ledger.original_path(sub).read_bytes() == data


def test_same_file_twice_recorded_once(ledger: Ledger) -> None:
    first = ledger.record(_received(b"one"))
    again = ledger.record(_received(b"one"))
    assert again.id == first.id
    assert len(ledger.submissions()) == 1


def test_newer_supersedes_older_which_stays_retrievable(ledger: Ledger) -> None:
    old = ledger.record(_received(b"old", status=ERRORS, findings=[error("T4-TOTAL", group="行政复议")]))
    new = ledger.record(_received(b"new"))
    assert ledger.current("A01") == new
    old_now = ledger.get(old.id)
    assert old_now is not None and old_now.superseded_by == new.id
    assert ledger.original_path(old_now).read_bytes() == b"old"
    assert [f.rule for f in ledger.findings(old.id)] == ["T4-TOTAL"]
    assert old_now.error_count == 1 and new.error_count == 0


def test_refused_file_does_not_supersede(ledger: Ledger) -> None:
    good = ledger.record(_received(b"good"))
    ledger.record(_received(b"other year", status=REFUSED, reason="INGEST-YEAR", message="拒收"))
    assert ledger.current("A01") == good
    assert [s.status for s in ledger.submissions("A01")] == [PASSED, REFUSED]


def test_values_round_trip_exactly(ledger: Ledger) -> None:
    layout = get_layout("2021")
    values = {k: 0 for k in layout.inputs}
    values["t2.fees.amount"] = Decimal("0.12")
    values["t3.new.natural"] = 3
    values["t3.granted.natural"] = 3
    report = Report(layout, 2025, Unit("甲局", "A01"), values)
    sub = ledger.record(Received(b"x", "a.json", "2026-01-20T10:00:00", PASSED, "A01", report,
                                 [warning("VALUE-BLANK", where="w", cell="c", raw="")]))
    got = ledger.values(sub.id)
    assert got["t2.fees.amount"] == Decimal("0.12")
    assert got["t3.total.total"] == 3  # computed totals stored too …
    assert "t3.total.total" not in ledger.values(sub.id, include_computed=False)  # … and marked so
    assert ledger.report(sub.id).resolved().values == report.resolved().values


def test_failed_write_leaves_ledger_and_originals_unchanged(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = ledger.record(_received(b"first"))
    original = Ledger._insert_values

    def fail_midway(self: Ledger, sub_id: int, rows: object) -> None:
        original(self, sub_id, list(rows)[:5])  # type: ignore[call-overload]
        raise OSError("disk full")

    monkeypatch.setattr(Ledger, "_insert_values", fail_midway)
    with pytest.raises(OSError, match="disk full"):
        ledger.record(_received(b"second"))
    assert [s.id for s in ledger.submissions()] == [kept.id]
    assert ledger.current("A01") == kept
    count = ledger.conn.execute("SELECT COUNT(*) FROM submission_values").fetchone()[0]
    assert count == len(ledger.values(kept.id))
    sha = hashlib.sha256(b"second").hexdigest()
    assert not (ledger.originals / sha[:2] / f"{sha}.xlsx").exists()


# --- the acceptance test: an ingest killed in the middle of recording one file -------------------


def _workspace(tmp_path: Path) -> Workspace:
    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称,类别\nA01,甲局,部门\nB01,乙街道办事处,乡镇街道\nC01,丙镇人民政府,乡镇街道\n",
                      encoding="utf-8")
    return init_workspace(tmp_path / "ws", year=2025, roster=roster, office="某区政府办公室")


def _snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("units", "submissions", "submission_values", "findings")}
    finally:
        conn.close()


def test_ingest_killed_midway_keeps_ledger_consistent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    ws = _workspace(tmp_path)
    rng = random.Random(5)
    files = []
    for i, (code, name) in enumerate([("A01", "甲局"), ("B01", "乙街道办事处"), ("C01", "丙镇人民政府")]):
        p = ws.inbox / f"{code}.json"
        save_report(random_report("2021", 2025, Unit(name, code), rng), p)
        os.utime(p, (1_700_000_000 + i, 1_700_000_000 + i))  # arrival order A, B, C
        files.append(p)

    calls = {"n": 0}
    original = Ledger._insert_values

    def crash_on_second_file(self: Ledger, sub_id: int, rows: object) -> None:
        calls["n"] += 1
        rows = list(rows)  # type: ignore[call-overload]
        if calls["n"] == 2:
            original(self, sub_id, rows[:40])  # some rows written, then the process "dies"
            raise KeyboardInterrupt
        original(self, sub_id, rows)

    monkeypatch.setattr(Ledger, "_insert_values", crash_on_second_file)
    with pytest.raises(KeyboardInterrupt):
        ingest(ws, feedback=False)
    after_crash = _snapshot(ws.ledger_path)
    # the first file is recorded in full, the second left no trace, the third was never reached
    assert [(s[7], s[6]) for s in after_crash["submissions"]] == [(PASSED, "A01")]
    (sub_id,) = [s[0] for s in after_crash["submissions"]]
    assert {r[0] for r in after_crash["submission_values"]} == {sub_id}
    assert len(after_crash["submission_values"]) == len(get_layout("2021").fields)
    stored = [p for p in ws.originals.rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in stored] == [files[0].read_bytes()]

    # running again records the other two and leaves the first as it was
    monkeypatch.setattr(Ledger, "_insert_values", original)
    result = ingest(ws, feedback=False)
    assert [o.action for o in result.outcomes] == ["duplicate", "recorded", "recorded"]
    final = _snapshot(ws.ledger_path)
    assert final["submissions"][0] == after_crash["submissions"][0]
    assert sorted(s[6] for s in final["submissions"]) == ["A01", "B01", "C01"]
