"""Issue 11: an interrupted ingest, run again, ends exactly where an uninterrupted one does.

Random batches of good, erroneous, refused and unreadable files are ingested twice: once straight
through, once in a child process killed (``os._exit``, no clean-up runs, as with SIGKILL) at a
random point of deterministic fault injection (before or after any file is moved into place, or
any ledger transaction ends), then run again. Both must give the same board, the same ledger rows,
the same kept originals and the same feedback files.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.campaign.ingest import ingest
from nianbao.campaign.status import build_board
from nianbao.campaign.workspace import Workspace, init_workspace, open_workspace
from nianbao.model import Unit, save_report
from nianbao.synth import random_report
from nianbao.workbook.writer import write_template

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill runs in a forked child")

ROSTER = "单位编码,单位名称,类别,联系人,邮箱\nA,甲局,部门,,\nB,乙局,部门,,\nC,丙镇人民政府,乡镇街道,,\n"
UNITS = {"A": "甲局", "B": "乙局", "C": "丙镇人民政府"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A fresh workspace to copy, and a pool of files its units might send."""
    root = tmp_path_factory.mktemp("convergence")
    (root / "名单.csv").write_text(ROSTER, encoding="utf-8")
    ws = init_workspace(root / "ws", year=2025, roster=root / "名单.csv", office="某区政府办公室")
    pool: dict[str, bytes] = {}
    made = root / "made"
    made.mkdir()
    for i, (code, name, broken, year) in enumerate((
            ("A", "甲局", False, 2025), ("A", "甲局", True, 2025), ("B", "乙局", False, 2025),
            ("B", "乙局", True, 2025), ("C", "丙镇人民政府", True, 2025), ("C", "丙镇人民政府", False, 2024))):
        r = random_report(ws.layout_id, year, Unit(name, code), random.Random(i), with_totals=False)
        if broken:
            r.values["t3.granted.natural"] += 2
        path = made / f"{i}.xlsx"
        write_template(path, layout_id=ws.layout_id, year=year, unit=Unit(name, code), report=r, campaign=ws.campaign)
        pool[f"{code}{'-错' if broken else ''}{'-上年' if year != 2025 else ''}.xlsx"] = path.read_bytes()
    r = random_report(ws.layout_id, 2025, Unit("丙镇人民政府", "C"), random.Random(9), with_totals=False)
    save_report(r, made / "c.json")
    pool["C.json"] = (made / "c.json").read_bytes()
    pool["坏.xlsx"] = b"PK\x03\x04" + bytes(random.Random(5).randrange(256) for _ in range(300))
    pool["深.json"] = b"[" * 50_000 + b"]" * 50_000
    return ws.root, pool


def _fill(ws: Workspace, batch: list[tuple[int, str]], pool: dict[str, bytes]) -> None:
    for i, (n, key) in enumerate(batch):
        path = ws.inbox / f"{n:02d}-{key}"
        path.write_bytes(pool[key])
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))


def _killed_at(root: Path, k: int) -> None:
    """In a forked child: ingest, dying at the k-th fault-injection point."""
    from nianbao.campaign.ledger import Ledger

    counter = itertools.count(1)

    def point() -> None:
        if next(counter) == k:
            os._exit(137)

    real_replace = os.replace

    def replace(*args: Any, **kwargs: Any) -> None:
        point()
        real_replace(*args, **kwargs)
        point()

    real_exit = Ledger._Tx.__exit__

    def tx_exit(self: Any, *exc: Any) -> None:
        point()
        real_exit(self, *exc)

    os.replace = replace  # type: ignore[assignment]
    Ledger._Tx.__exit__ = tx_exit  # type: ignore[method-assign]
    try:
        ingest(open_workspace(root), progress=False)
    except BaseException:
        os._exit(1)
    os._exit(0)


def _state(ws: Workspace) -> dict[str, Any]:
    board = build_board(ws)
    with sqlite3.connect(ws.ledger_path) as conn:
        rows = conn.execute(
            "SELECT id, sha256, original_name, stored_path, size, unit_code, status, reason, message, error_count, "
            "warning_count, superseded_by FROM submissions ORDER BY id").fetchall()
        has_feedback = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'feedback_files'").fetchone()
        feedback_rows = conn.execute(
            "SELECT s.sha256, f.file_name FROM feedback_files f JOIN submissions s ON s.id = f.submission_id "
            "ORDER BY s.sha256").fetchall() if has_feedback else []
    where = str(ws.root)
    rows = [(*r[:8], r[8].replace(where, "<ws>"), *r[9:]) for r in rows]  # a refusal names the file's path
    return {
        "board": [(ln.unit.code, ln.status, ln.file_name, ln.errors, ln.warnings, ln.submissions) for ln in board.lines],
        "refused": [s.original_name for s in board.refused],
        "ledger": rows,
        "originals": sorted(str(p.relative_to(ws.originals)) for p in ws.originals.rglob("*") if p.is_file()),
        "feedback": sorted(p.name for p in ws.feedback.iterdir()),
        "feedback_rows": feedback_rows,
    }


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_an_interrupted_ingest_converges_on_the_rerun(base: tuple[Path, dict[str, bytes]], tmp_path_factory:
                                                      pytest.TempPathFactory, data: st.DataObject) -> None:
    root, pool = base
    keys = sorted(pool)
    batch = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=6), label="batch")
    numbered = list(enumerate(batch))
    k = data.draw(st.integers(min_value=1, max_value=4 * len(batch) + 6), label="kill point")
    where = tmp_path_factory.mktemp("run")
    straight = open_workspace(shutil.copytree(root, where / "straight"))
    interrupted = open_workspace(shutil.copytree(root, where / "interrupted"))
    _fill(straight, numbered, pool)
    _fill(interrupted, numbered, pool)

    ingest(straight, progress=False)

    child = multiprocessing.get_context("fork").Process(target=_killed_at, args=(interrupted.root, k))
    child.start()
    child.join(120)
    assert child.exitcode in (0, 1, 137)
    ingest(interrupted, progress=False)

    expected, got = _state(straight), _state(interrupted)
    assert got == expected, (k, batch)
    leftovers = [p for p in interrupted.root.rglob(".*") if p.name != ".nianbao.lock"]
    assert leftovers == []
