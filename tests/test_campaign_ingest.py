"""Ingest: identification by metadata, refusals, duplicates, supersession, jobs, carry-forward."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from nianbao.campaign.distribute import DISTRIBUTION_LIST, make_templates
from nianbao.campaign.ingest import ingest
from nianbao.campaign.ledger import ERRORS, PASSED, REFUSED, WARNINGS
from nianbao.campaign.status import build_board
from nianbao.campaign.workspace import Workspace, init_workspace
from nianbao.errors import UnusableInput
from nianbao.layout import T3_APPLICANTS
from nianbao.model import Report, Unit
from nianbao.synth import CLERK_INFO, CLERK_TEXT, random_report
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.writer import write_template

ROSTER = "单位编码,单位名称,类别,联系人,邮箱\nA,甲局,部门,张三,a@x.cn\nB,乙局,部门,,\nC,丙镇人民政府,乡镇街道,,\n"


def _ws(tmp_path: Path, name: str = "ws", year: int = 2025, **kw: object) -> Workspace:
    roster = tmp_path / f"{name}-名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return init_workspace(tmp_path / name, year=year, roster=roster, office="某区政府办公室", **kw)  # type: ignore[arg-type]


def _return(ws: Workspace, code: str, name: str, file_name: str, *, seed: int, year: int | None = None,
            campaign: str | None = None, mtime: int | None = None, broken: bool = False) -> Report:
    """A returned workbook, as the unit's own template filled in."""
    year = year or ws.year
    r = random_report(ws.layout_id, year, Unit(name, code), random.Random(seed), with_totals=False)
    r.text = dict(CLERK_TEXT)
    if broken:
        r.values["t3.granted.natural"] += 2
    path = ws.inbox / file_name
    write_template(path, layout_id=ws.layout_id, year=year, unit=Unit(name, code), report=r,
                   campaign=ws.campaign if campaign is None else campaign, info=CLERK_INFO)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return r


def test_identified_by_metadata_whatever_the_name(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "B", "乙局", "新建 Microsoft Excel 工作表.xlsx", seed=1)
    _return(ws, "A", "甲局", "乙局年报（终稿）.xlsx", seed=2)  # named after another unit on purpose
    result = ingest(ws, feedback=False)
    got = {o.path.name: (o.unit.code if o.unit else None, o.action) for o in result.outcomes}
    assert got == {"新建 Microsoft Excel 工作表.xlsx": ("B", "recorded"), "乙局年报（终稿）.xlsx": ("A", "recorded")}
    assert result.exit_code == 0
    with ws.open_ledger() as ledger:
        assert ledger.current("A").original_name == "乙局年报（终稿）.xlsx"  # type: ignore[union-attr]
        assert ledger.current("A").status == PASSED  # type: ignore[union-attr]


def test_refusals_are_explained_and_recorded(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    other = _ws(tmp_path, "other")
    _return(ws, "A", "甲局", "甲局2024.xlsx", seed=1, year=2024)
    _return(ws, "B", "乙局", "乙局.xlsx", seed=2, campaign=other.campaign)
    _return(ws, "Z", "丁局", "丁局.xlsx", seed=3)
    (ws.inbox / "损坏.xlsx").write_bytes(b"PK\x03\x04broken")
    result = ingest(ws, feedback=False)
    msgs = {o.path.name: o.message for o in result.outcomes}
    assert all(o.action == REFUSED for o in result.outcomes)
    assert result.exit_code == 1
    assert msgs["甲局2024.xlsx"] == ("文件 甲局2024.xlsx 是 2024 年度的报表，而本工作区收集的是 2025 年度，已拒收。"
                                   "请让报送单位使用本年度下发的模板。")
    assert f"来自另一个工作区（编号 {other.campaign[:8]}），不是本工作区（编号 {ws.campaign[:8]}）" in msgs["乙局.xlsx"]
    assert "报送单位“丁局”不在本工作区的单位名单中，已拒收" in msgs["丁局.xlsx"]
    assert msgs["损坏.xlsx"].startswith("文件 损坏.xlsx 无法使用，已拒收：")
    board = build_board(ws)
    assert [line.status for line in board.lines] == ["missing"] * 3  # refusals are not submissions
    assert sorted(s.original_name for s in board.refused) == sorted(msgs)
    with ws.open_ledger() as ledger:
        reasons = {s.original_name: (s.reason, s.unit_code) for s in ledger.submissions()}
    assert reasons["甲局2024.xlsx"] == ("INGEST-YEAR", "A")
    assert reasons["乙局.xlsx"] == ("INGEST-CAMPAIGN", "B")
    assert reasons["丁局.xlsx"] == ("INGEST-UNIT", None)


def test_twice_and_corrected(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "甲局.xlsx", seed=1, broken=True, mtime=1_700_000_000)
    (ws.inbox / "甲局(1).xlsx").write_bytes((ws.inbox / "甲局.xlsx").read_bytes())  # the same mail saved twice
    os.utime(ws.inbox / "甲局(1).xlsx", (1_700_000_100, 1_700_000_100))
    first = ingest(ws, feedback=False)
    assert [(o.path.name, o.action) for o in first.outcomes] == [("甲局.xlsx", "recorded"), ("甲局(1).xlsx", "duplicate")]
    assert first.outcomes[1].message == "文件 甲局(1).xlsx 与已接收的文件 甲局.xlsx 内容完全相同，不重复记录。"
    assert first.exit_code == 1
    corrected = _return(ws, "A", "甲局", "甲局-更正.xlsx", seed=1, mtime=1_700_000_200)
    second = ingest(ws, feedback=False)
    assert [o.action for o in second.outcomes] == ["duplicate", "duplicate", "recorded"]
    assert "取代此前报送的 甲局.xlsx" in second.outcomes[2].message
    with ws.open_ledger() as ledger:
        subs = ledger.submissions("A")
        assert [(s.original_name, s.status) for s in subs] == [("甲局.xlsx", ERRORS), ("甲局-更正.xlsx", PASSED)]
        assert subs[0].superseded_by == subs[1].id
        assert ledger.original_path(subs[0]).read_bytes() == (ws.inbox / "甲局.xlsx").read_bytes()
        assert ledger.values(subs[1].id) == corrected.full_values()
    line = build_board(ws).lines[0]
    assert (line.status, line.file_name, line.submissions) == (PASSED, "甲局-更正.xlsx", 2)


def test_parallel_jobs_give_the_same_ledger(tmp_path: Path) -> None:
    results = []
    for jobs in (1, 2):
        ws = _ws(tmp_path, f"ws{jobs}")
        for i, (code, name) in enumerate([("A", "甲局"), ("B", "乙局"), ("C", "丙镇人民政府")]):
            _return(ws, code, name, f"{code}.xlsx", seed=i, broken=code == "B", mtime=1_700_000_000 + i)
        ingest(ws, jobs=jobs, feedback=False)
        with ws.open_ledger() as ledger:
            results.append([(s.unit_code, s.status, s.original_name, ledger.values(s.id),
                             [f.rule for f in ledger.findings(s.id)]) for s in ledger.submissions()])
    assert results[0] == results[1]
    assert [r[1] for r in results[0]] == [PASSED, ERRORS, PASSED]


def test_nothing_to_ingest_and_bad_jobs(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    with pytest.raises(UnusableInput, match="中没有可接收的文件"):
        ingest(ws)
    with pytest.raises(UnusableInput, match="找不到要接收的文件或目录"):
        ingest(ws, [tmp_path / "nowhere"])
    with pytest.raises(UnusableInput, match="--jobs 应为 1 到 64 之间的整数"):
        ingest(ws, jobs=0)


def test_templates_and_carry_forward_from_last_years_workspace(tmp_path: Path) -> None:
    last = _ws(tmp_path, "ws2024", year=2024)
    prev_a = _return(last, "A", "甲局", "甲.xlsx", seed=7)
    ingest(last, feedback=False)
    ws = _ws(tmp_path, "ws2025", previous=last.root, deadline="2026-01-31")
    done, listing = make_templates(ws)
    assert [d.path.name for d in done] == [f"2025年政府信息公开工作年度报告_{n}.xlsx" for n in ("甲局", "乙局", "丙镇人民政府")]
    assert [d.carried_forward for d in done] == [True, False, False]
    assert listing.name == DISTRIBUTION_LIST
    lines = listing.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "单位编码,单位名称,文件,邮箱,联系人,上年结转已预填"
    assert lines[1] == "A,甲局,2025年政府信息公开工作年度报告_甲局.xlsx,a@x.cn,张三,是"
    loaded = read_workbook(done[0].path)
    assert loaded.meta["campaign"] == ws.campaign
    for c in T3_APPLICANTS:
        assert loaded.report.values[f"t3.carried_in.{c}"] == prev_a.full_values()[f"t3.carried_out.{c}"]

    # a return whose 上年结转 differs from last year's 结转下年度 gets the cross-year warning
    r = random_report("2021", 2025, Unit("甲局", "A"), random.Random(99), with_totals=False)
    r.values["t3.carried_in.natural"] = prev_a.full_values()["t3.carried_out.natural"] + 1
    r.values["t3.new.natural"] = max(0, r.values["t3.new.natural"] - 1)
    r.text = dict(CLERK_TEXT)
    write_template(ws.inbox / "甲.xlsx", layout_id="2021", year=2025, unit=Unit("甲局", "A"), report=r,
                   campaign=ws.campaign, info=CLERK_INFO)
    result = ingest(ws, feedback=False)
    sub = result.outcomes[0].submission
    assert sub is not None
    with ws.open_ledger() as ledger:
        rules = [f.rule for f in ledger.findings(sub.id)]
    assert "T3-CARRY-OVER" in rules
    assert sub.status in (WARNINGS, ERRORS)


def test_previous_as_a_folder_of_data_files_and_as_a_single_workbook(tmp_path: Path) -> None:
    from nianbao.campaign.previous import load_previous
    from nianbao.model import save_report

    folder = tmp_path / "2024数据"
    folder.mkdir()
    rng = random.Random(4)
    prev = {code: random_report("2021", 2024, Unit(name, code), rng) for code, name in [("A", "甲局"), ("C", "丙镇人民政府")]}
    for code, r in prev.items():
        save_report(r, folder / f"{code}.json")
    ws = _ws(tmp_path, previous=folder)
    done, _ = make_templates(ws)
    assert [d.carried_forward for d in done] == [True, False, True]
    c = read_workbook(done[2].path).report
    assert all(c.values[f"t3.carried_in.{col}"] == prev["C"].full_values()[f"t3.carried_out.{col}"]
               for col in T3_APPLICANTS)

    book = tmp_path / "汇总.xlsx"
    write_template(book, layout_id="2021", year=2024, unit=Unit("甲局", "A"), report=prev["A"])
    loaded = load_previous(book)
    assert loaded.for_unit(Unit("甲局", "")) is not None and loaded.for_unit(Unit("乙局", "B")) is None

    (tmp_path / "空").mkdir()
    with pytest.raises(UnusableInput, match="该目录中没有数据文件或工作簿"):
        load_previous(tmp_path / "空")
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(UnusableInput, match=r"上年数据 .*坏\.json 无法使用"):
        load_previous(bad)


def test_progress_bar_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "a.xlsx", seed=1)
    ingest(ws, progress=False, feedback=False)
    assert capsys.readouterr().err == ""
    _return(ws, "B", "乙局", "b.xlsx", seed=2)
    ingest(ws, progress=True, feedback=False)
    err = capsys.readouterr().err
    assert "接收中" in err and "1/1" in err


def test_a_file_removed_while_ingesting_stops_with_a_message_and_keeps_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are hashed first and read again when recorded: one gone by then is named, not a crash."""
    import nianbao.campaign.ingest as ingest_module

    ws = _ws(tmp_path)
    _return(ws, "A", "甲局", "1-甲局.xlsx", seed=1, mtime=1_700_000_000)
    _return(ws, "B", "乙局", "2-乙局.xlsx", seed=2, mtime=1_700_000_100)
    examine = ingest_module.examine

    def examine_then_lose_b(path: str, ctx: ingest_module.IngestContext) -> ingest_module.Examined:
        out = examine(path, ctx)
        if path.endswith("2-乙局.xlsx"):
            Path(path).unlink()  # e.g. a clerk's mail client moved it away meanwhile
        return out

    monkeypatch.setattr(ingest_module, "examine", examine_then_lose_b)
    with pytest.raises(UnusableInput) as info:
        ingest(ws, feedback=False)
    assert info.value.code == "E-FILE-READ" and "2-乙局.xlsx" in str(info.value)
    with ws.open_ledger() as ledger:
        assert ledger.current("A").status == PASSED  # type: ignore[union-attr]
        assert ledger.current("B") is None
