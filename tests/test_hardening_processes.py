"""Issue 11, items 9 and 10: a killed ``aggregate`` and two ``ingest`` processes at once.

Both run the real command line in separate processes; the kill and the pause are deterministic
(a patched function in the child process), not timers.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from nianbao.campaign.aggregate import output_stem
from nianbao.campaign.workspace import Workspace, init_workspace
from nianbao.model import Unit
from nianbao.synth import random_report
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.writer import write_template

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
ROSTER = "单位编码,单位名称,类别,联系人,邮箱\nA,甲局,部门,,\nB,乙局,部门,,\nC,丙局,部门,,\n"


def _ws(tmp_path: Path) -> Workspace:
    (tmp_path / "名单.csv").write_text(ROSTER, encoding="utf-8")
    return init_workspace(tmp_path / "ws", year=2025, roster=tmp_path / "名单.csv", office="某区政府办公室")


def _return(ws: Workspace, code: str, name: str, file_name: str, seed: int, mtime: int) -> None:
    r = random_report(ws.layout_id, ws.year, Unit(name, code), random.Random(seed), with_totals=False)
    path = ws.inbox / file_name
    write_template(path, layout_id=ws.layout_id, year=ws.year, unit=Unit(name, code), report=r, campaign=ws.campaign)
    os.utime(path, (mtime, mtime))


def _cli(*args: object, prelude: str = "", wait: bool = True) -> subprocess.Popen[str] | subprocess.CompletedProcess[str]:
    code = prelude + "\nimport sys\nfrom nianbao.cli import main\nsys.argv = ['nianbao', *sys.argv[1:]]\nmain()\n"
    argv = [sys.executable, "-c", code, *map(str, args)]
    if wait:
        return subprocess.run(argv, capture_output=True, text=True, timeout=300, env=ENV)
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


# ------------------------------------------------------------------------------------------
# 9. aggregate killed between its renames
# ------------------------------------------------------------------------------------------

_KILL_AFTER_FIRST_OUTPUT = """
import os
real_replace = os.replace
moved = []
def replace(src, dst, *a, **k):
    dst = os.fspath(dst)
    if os.sep + "reports" + os.sep in dst and os.path.basename(os.path.dirname(dst)) == "reports" \\
            and not os.path.basename(dst).startswith("."):
        if moved:
            os._exit(137)  # SIGKILL between the first and the second output
        moved.append(dst)
    return real_replace(src, dst, *a, **k)
os.replace = replace
"""


def test_09_aggregate_killed_between_its_renames_never_leaves_a_mixed_set(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", 1, 1_700_000_000)
    assert _cli("ingest", "-w", ws.root).returncode == 0
    first = _cli("aggregate", "-w", ws.root, "--allow-incomplete")
    assert first.returncode == 0, first.stderr
    stem = output_stem(ws)
    old_docx = (ws.reports / f"{stem}.docx").read_bytes()

    _return(ws, "B", "乙局", "乙局.xlsx", 2, 1_700_000_100)
    assert _cli("ingest", "-w", ws.root).returncode == 0
    killed = _cli("aggregate", "-w", ws.root, "--allow-incomplete", prelude=_KILL_AFTER_FIRST_OUTPUT)
    assert killed.returncode == 137

    # the next run (refused here: without --allow-incomplete) first completes the interrupted switch
    again = _cli("aggregate", "-w", ws.root)
    assert again.returncode == 1 and "尚不能汇总" in again.stderr, again.stderr
    assert sorted(p.name for p in ws.reports.iterdir()) == [f"{stem}.docx", f"{stem}.json", f"{stem}.xlsx"]
    import json

    data = json.loads((ws.reports / f"{stem}.json").read_text("utf-8"))
    members = data["members"]["included"] if isinstance(data["members"], dict) else data["members"]
    assert [m["code"] for m in members] == ["A", "B"]
    assert read_workbook(ws.reports / f"{stem}.xlsx").meta["members"] == "A|B"
    assert (ws.reports / f"{stem}.docx").read_bytes() != old_docx


_KILL_BEFORE_SWITCH = """
import pathlib
def rename(self, target):
    import os
    os._exit(137)
pathlib.Path.rename = rename
"""


def test_09_aggregate_killed_before_the_switch_keeps_the_old_set_and_the_staging_is_cleaned(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", 1, 1_700_000_000)
    assert _cli("ingest", "-w", ws.root).returncode == 0
    assert _cli("aggregate", "-w", ws.root, "--allow-incomplete").returncode == 0
    stem = output_stem(ws)
    before = {p.name: p.read_bytes() for p in ws.reports.iterdir()}
    _return(ws, "B", "乙局", "乙局.xlsx", 2, 1_700_000_100)
    assert _cli("ingest", "-w", ws.root).returncode == 0
    assert _cli("aggregate", "-w", ws.root, "--allow-incomplete", prelude=_KILL_BEFORE_SWITCH).returncode == 137
    assert {p.name: p.read_bytes() for p in ws.reports.iterdir() if not p.name.startswith(".")} == before
    assert _cli("aggregate", "-w", ws.root).returncode == 1
    assert sorted(p.name for p in ws.reports.iterdir()) == sorted(before) == [
        f"{stem}.docx", f"{stem}.json", f"{stem}.xlsx"]


# ------------------------------------------------------------------------------------------
# 10. two ingest processes at once
# ------------------------------------------------------------------------------------------

_PAUSE_AFTER_SCAN = """
import pathlib, time
import nianbao.campaign.ingest as ingest_module
real = ingest_module._examine_all
def examine_all(*args, **kwargs):
    pathlib.Path({paused!r}).touch()  # the batch is scanned for duplicates: now wait
    while not pathlib.Path({go!r}).exists():
        time.sleep(0.05)
    yield from real(*args, **kwargs)
ingest_module._examine_all = examine_all
"""


def test_10_a_second_ingest_waits_for_the_first_and_the_log_is_true(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    for i, (code, name) in enumerate((("A", "甲局"), ("B", "乙局"), ("C", "丙局"))):
        _return(ws, code, name, f"{name}.xlsx", i, 1_700_000_000 + i)
    paused, go = tmp_path / "paused", tmp_path / "go"
    first = _cli("ingest", "-w", ws.root, prelude=_PAUSE_AFTER_SCAN.format(paused=str(paused), go=str(go)),
                 wait=False)
    assert isinstance(first, subprocess.Popen)
    deadline = time.monotonic() + 120
    while not paused.exists():
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.05)
    second = _cli("ingest", "-w", ws.root, wait=False)
    assert isinstance(second, subprocess.Popen) and second.stderr is not None
    told = second.stderr.readline()  # the second process found the workspace taken (or, unlocked, finished)
    go.touch()
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    err2 = told + err2
    assert first.returncode == 0, out1 + err1
    assert second.returncode == 0, out2 + err2
    assert "接收 3 个，重复 0 个" in out1
    assert "接收 0 个，重复 3 个" in out2  # not a second "接收 3 个"
    assert "取代" not in out1 + out2
    assert "正由另一个 nianbao 进程" in err2 and "等待其完成" in err2


def test_10_the_lock_refuses_clearly_after_its_timeout(tmp_path: Path) -> None:
    from nianbao.campaign.lock import WorkspaceLocked, workspace_lock

    ws = _ws(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom nianbao.campaign.lock import workspace_lock\n"
        "with workspace_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)\n"), str(ws.root)],
        stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        told: list[str] = []
        with pytest.raises(WorkspaceLocked) as info, workspace_lock(ws.root, timeout=0.3, on_wait=told.append):
            pass
        assert f"进程号 {holder.pid}" in told[0]
        assert f"进程号 {holder.pid}" in str(info.value) and "本次未做任何改动" in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    # a killed holder leaves no stale lock
    with workspace_lock(ws.root, timeout=0.3):
        with workspace_lock(ws.root, timeout=0.3):  # re-entrant within a process
            pass
