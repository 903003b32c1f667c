"""Issue 16 (ingest): outcomes kept out of memory, and recording in batches of commits.

The outcomes of a run are an ``Outcomes`` sequence spilled to a temporary file past a few hundred
bytes here; read back they equal what the run did. ``Ledger.batch`` commits every few files, and a
file is still all or nothing inside a batch.
"""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

import nianbao.campaign.ingest as ingest_module
from nianbao.campaign.ingest import Outcomes, ingest
from nianbao.campaign.ledger import Ledger, LedgerError
from nianbao.campaign.workspace import Workspace, init_workspace
from nianbao.model import Unit
from nianbao.synth import random_report
from nianbao.workbook.writer import write_template


def _ws(tmp_path: Path) -> Workspace:
    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称,类别\nA,甲局,部门\nB,乙局,部门\nC,丙镇人民政府,乡镇街道\n", encoding="utf-8")
    return init_workspace(tmp_path / "ws", year=2025, roster=roster, office="某区政府办公室")


def _return(ws: Workspace, code: str, name: str, file_name: str, *, seed: int, mtime: int,
            broken: bool = False) -> None:
    """A return as the unit's own template filled in (XlsxWriter, as nianbao writes templates)."""
    r = random_report(ws.layout_id, ws.year, Unit(name, code), random.Random(seed), with_totals=False)
    if broken:
        r.values["t3.granted.natural"] += 2
    path = ws.inbox / file_name
    write_template(path, layout_id=ws.layout_id, year=ws.year, unit=Unit(name, code), report=r, campaign=ws.campaign)
    os.utime(path, (mtime, mtime))


def test_outcomes_spilled_to_disk_read_back_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "SPOOL_BYTES", 200)  # every outcome past the first on disk
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "1-甲局.xlsx", seed=1, mtime=1_700_000_000)
    _return(ws, "B", "乙局", "2-乙局.xlsx", seed=2, mtime=1_700_000_100, broken=True)
    (ws.inbox / "3-甲局副本.xlsx").write_bytes((ws.inbox / "1-甲局.xlsx").read_bytes())
    os.utime(ws.inbox / "3-甲局副本.xlsx", (1_700_000_200, 1_700_000_200))
    result = ingest(ws, progress=False, feedback=False)
    outcomes = result.outcomes
    assert isinstance(outcomes, Outcomes) and outcomes._file._rolled  # type: ignore[attr-defined]
    assert len(outcomes) == 3
    assert [(o.path.name, o.action) for o in outcomes] == [
        ("1-甲局.xlsx", "recorded"), ("2-乙局.xlsx", "recorded"), ("3-甲局副本.xlsx", "duplicate")]
    assert outcomes[-1].message == outcomes[2].message and "1-甲局.xlsx" in outcomes[2].message
    assert [o.unit.code for o in outcomes[:2] if o.unit] == ["A", "B"]
    b = outcomes[1].submission
    assert b is not None and b.status == "errors" and b.error_count >= 1
    assert (result.count("recorded"), result.count("duplicate"), result.exit_code) == (2, 1, 1)
    with ws.open_ledger() as ledger:
        assert ledger.get(b.id) == b


def test_a_batch_commits_every_few_files_and_keeps_each_file_whole(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    for i, (code, name) in enumerate((("A", "甲局"), ("B", "乙局"), ("C", "丙镇人民政府"))):
        _return(ws, code, name, f"{i}.xlsx", seed=i, mtime=1_700_000_000 + i)
    result = ingest(ws, progress=False, feedback=False)
    shas = [o.submission.sha256 for o in result.outcomes if o.submission]
    with ws.open_ledger() as ledger:
        ledger.conn.execute("DELETE FROM findings")
        ledger.conn.execute("DELETE FROM submission_values")
        ledger.conn.execute("DELETE FROM submissions")
        other = sqlite3.connect(ws.ledger_path)  # what another process sees meanwhile
        seen = []
        with ledger.batch(files=2, seconds=60) as batch:
            for sha in shas:
                ledger.conn.execute("SAVEPOINT tx")
                ledger.conn.execute("INSERT INTO submissions (sha256, original_name, stored_path, size, "
                                    "received_at, status) VALUES (?, 'x.xlsx', 'x', 1, 't', 'refused')", (sha,))
                ledger.conn.execute("RELEASE tx")
                committed = batch.tick()
                seen.append((committed, other.execute("SELECT count(*) FROM submissions").fetchone()[0]))
        assert seen == [(False, 0), (True, 2), (False, 2)]
        assert other.execute("SELECT count(*) FROM submissions").fetchone()[0] == 3
        other.close()


def test_a_failing_file_inside_a_batch_leaves_no_trace_and_the_others_stay(tmp_path: Path) -> None:
    ledger = Ledger.create(tmp_path / "l.sqlite", tmp_path / "originals", [])
    with pytest.raises(LedgerError, match="UNIQUE"), ledger.batch() as batch:
        for sha in ("a", "b", "a"):  # the third breaks the unique hash, inside its savepoint
            with ledger.transaction():
                ledger.conn.execute("INSERT INTO submissions (sha256, original_name, stored_path, size, "
                                    "received_at, status) VALUES (?, 'x', 'x', 1, 't', 'refused')", (sha,))
            batch.tick()
    assert [r[0] for r in ledger.conn.execute("SELECT sha256 FROM submissions ORDER BY id")] == ["a", "b"]
    assert not ledger.conn.in_transaction
    ledger.close()
