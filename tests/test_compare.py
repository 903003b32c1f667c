"""nianbao compare: figures side by side, flags, narrative similarity, copies between units, hierarchy."""

from __future__ import annotations

import copy
import json
import random
import re
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from nianbao.campaign.ingest import ingest
from nianbao.campaign.status import build_board
from nianbao.campaign.workspace import init_workspace
from nianbao.compare import compare_reports
from nianbao.compare.crossunit import find_copies
from nianbao.compare.figures import SCALE, STOCK, ZERO, flags_for
from nianbao.compare.hierarchy import MISMATCH, UNCERTAIN, check_hierarchy
from nianbao.compare.similarity import NOTE, WARNING, clean, compare_texts, level_of, ratio
from nianbao.compare.xlsx import comparison_bytes
from nianbao.model import Report, Unit, load_report, save_report
from nianbao.rules import check_report
from nianbao.synth import random_narrative, random_report

REAL = Path(__file__).parent / "files" / "real"
SECTIONS = ("preface", "s1", "s5", "s6")


def real(name: str) -> Report:
    return load_report(REAL / f"{name}.json").report


def next_year(report: Report) -> Report:
    """The same report one year on: only the years changed (in the text too)."""
    out = copy.deepcopy(report)
    out.year = report.year + 1
    out.text = {k: re.sub(str(report.year), str(report.year + 1), v) for k, v in report.text.items()}
    return out


# --------------------------------------------------------------------------------------------
# Real reports
# --------------------------------------------------------------------------------------------


def test_suqian_2023_to_2024_lists_every_figure_with_its_change() -> None:
    code, output = run("compare", REAL / "010.json", REAL / "009.json", "--json")
    assert code == 0, output
    doc = json.loads(output)
    [unit] = doc["units"]
    this, prev = real("010"), real("009")
    now, before = this.full_values(), prev.full_values()
    assert [f["key"] for f in unit["figures"]] == list(this.layout.fields)
    for f in unit["figures"]:
        assert (f["previous"], f["current"]) == (float(before[f["key"]]) if isinstance(before[f["key"]], Decimal)
                                                 else before[f["key"]],
                                                 float(now[f["key"]]) if isinstance(now[f["key"]], Decimal)
                                                 else now[f["key"]])
    by_key = {f["key"]: f for f in unit["figures"]}
    # README: 结转 121 → 上年结转 121; 规章 11+2−1=12; 规范性文件 597+50−227=420
    assert before["t3.carried_out.total"] == now["t3.carried_in.total"] == 121
    assert (by_key["t2.rules.in_force"]["previous"], by_key["t2.rules.in_force"]["current"]) == (11, 12)
    assert (by_key["t2.normative.in_force"]["previous"], by_key["t2.normative.in_force"]["current"]) == (597, 420)
    assert by_key["t2.normative.in_force"]["change"] == -177
    assert by_key["t2.normative.in_force"]["change_pct"] == -29.6
    assert unit["stock"] == []  # the 现行有效 rule holds for both rows
    assert not any(STOCK in f["flags"] for f in unit["figures"])
    # 表四 复议后起诉 其他结果 67 → 6 is a ÷10 change of more than 50
    assert by_key["t4.suit_after_review.other"]["flags"] == [SCALE]
    assert {s["section"] for s in unit["similarity"]} == {"s1", "s5", "s6"}


def test_suqian_terminal_table_shows_every_figure() -> None:
    code, output = run("compare", REAL / "010.json", REAL / "009.json")
    assert code == 0, output
    assert "宿迁" in output and "2024 年与 2023 年对比" in output
    assert "共 200 个数据项" in output
    line = next(ln for ln in output.splitlines() if "十倍变化" in ln and "67" in ln)
    assert re.search(r"67\s*│\s*6\s*│\s*-61\s*│\s*-91\.0%", line), line  # 表四 复议后起诉 其他结果


def test_hongze_mixed_layout_is_compared_row_by_row() -> None:
    this, prev = real("012"), real("011")
    result = compare_reports(this, prev)
    keys = [r.key for r in result.figures]
    assert keys == list(this.layout.fields)
    rows = {r.key: r for r in result.figures}
    t3 = this.layout.table_by_id["t3"]
    # every row of 表三, the （六） rows of the mixed layout included, each column beside last year's
    for f in t3.fields:
        assert rows[f.key].previous == prev.full_values()[f.key]
        assert rows[f.key].current == this.full_values()[f.key]
    assert rows["t3.other_other.total"].row_label.startswith("（六）")
    # 011 states 表四 行政复议 总计 0 over parts 10+1+0+0: the stated figure is what is compared
    assert rows["t4.review.total"].previous == 0


# --------------------------------------------------------------------------------------------
# Narrative similarity
# --------------------------------------------------------------------------------------------


def test_a_report_against_itself_with_only_the_year_changed() -> None:
    last = real("010")
    this = next_year(last)
    result = compare_reports(this, last)
    assert {s.section for s in result.similarity} == {k for k in SECTIONS if last.text.get(k)}
    assert all(s.percent == 100 and s.level == WARNING for s in result.similarity)
    findings = [f for f in check_report(this, last).findings if f.rule == "TEXT-SIMILAR-PREVIOUS"]
    assert len(findings) == len(result.similarity)
    assert all("内容与上年高度雷同" in f.message and "100%" in f.message for f in findings)


def test_check_previous_shows_the_similarity_warning(tmp_path: Path) -> None:
    last = real("009")
    save_report(next_year(last), tmp_path / "2024.json")
    code, output = run("check", tmp_path / "2024.json", "--previous", REAL / "009.json", "--json")
    doc = json.loads(output)
    rules = [f["rule"] for f in doc["findings"]]
    assert rules.count("TEXT-SIMILAR-PREVIOUS") == 3
    assert code == (1 if doc["errors"] else 0)


def test_cleaning_drops_punctuation_white_space_and_years() -> None:
    assert clean("2023年，本机关 认真落实《条例》。\n二〇二三年也是。").text == "年本机关认真落实条例年也是"
    assert ratio("2023年，我局认真落实条例。", "2024年 我局认真落实条例") == 1.0
    assert ratio("", "我局") == 0.0
    # the 2·M/(len1+len2) ratio: 4 common of 5 + 5 characters
    assert ratio("甲乙丙丁戊", "甲乙丙丁己") == pytest.approx(0.8)


@pytest.mark.parametrize(("value", "level"), [(1.0, WARNING), (0.8, WARNING), (0.7999, NOTE), (0.6, NOTE),
                                              (0.5999, "none"), (0.0, "none")])
def test_similarity_thresholds(value: float, level: str) -> None:
    assert level_of(value) == level


def test_a_60_to_80_percent_section_is_a_note_not_a_finding() -> None:
    last = real("010")
    this = copy.deepcopy(last)
    this.year += 1
    base = last.text["s5"]
    # keep about 70 % of the characters: replace the last 30 % with new text of the same length
    keep = int(len(base) * 0.7)
    this.text = {"s5": base[:keep] + "本年度新增开展了多项专项工作并建立健全长效机制" * ((len(base) - keep) // 22 + 1)}
    [s] = compare_reports(this, last).similarity
    assert 0.6 <= s.ratio < 0.8 and s.level == NOTE
    assert "TEXT-SIMILAR-PREVIOUS" not in check_report(this, last).rules()


def test_shared_passages_are_quoted_from_the_original_text() -> None:
    a = "一、总体情况。本机关认真贯彻落实《政府信息公开条例》，全面推进政务公开工作。另有新内容若干。"
    b = "本机关认真贯彻落实《政府信息公开条例》，全面推进政务公开工作。旧内容。"
    r, passages, short = compare_texts(a, b)
    assert not short and 0 < r < 1
    assert passages[0] == "本机关认真贯彻落实《政府信息公开条例》，全面推进政务公开工作"
    # a year left out of the comparison is kept in the quote; other figures are not pulled in
    _, passages, _ = compare_texts("2023年，我市政府信息公开工作取得了一定成绩，但离上级要求还存在差距。",
                                   "2024年，我市政府信息公开工作取得了一定成绩，但离上级要求还有差距。")
    assert passages == ("2023年，我市政府信息公开工作取得了一定成绩，但离上级要求还",)
    _, passages, _ = compare_texts("2024 年，区政府严格落实《政府信息公开信息处理费管理办法》。",
                                   "2023 年，区政府严格落实《政府信息公开信息处理费管理办法》。")
    assert passages == ("2024 年，区政府严格落实《政府信息公开信息处理费管理办法》",)
    _, passages, _ = compare_texts("共发布信息850条，办理时限全部符合规定，群众满意。",
                                   "共发布信息50条，办理时限全部符合规定，群众满意。")
    assert passages[-1].startswith("50条")


# --------------------------------------------------------------------------------------------
# Figure flags
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("previous", "current", "flags"), [
    (6, 60, [SCALE]),  # ×10 and +54
    (5, 50, []),  # ×10 but only +45
    (100, 10, [SCALE]),  # ÷10 and −90
    (100, 11, []),  # not quite ÷10
    (600, 5999, []),  # ×9.998
    (600, 6000, [SCALE]),
    (20, 0, [ZERO]),  # to 0 from ≥ 20
    (19, 0, []),
    (0, 500, []),  # from 0: no ratio
    (None, 5, []),
    (Decimal("100.5"), Decimal("1005"), [SCALE]),
])
def test_figure_flags(previous: object, current: object, flags: list[str]) -> None:
    assert flags_for(previous, current) == flags  # type: ignore[arg-type]


def test_stock_rule_is_the_existing_rule_shown_beside_the_figure() -> None:
    last, this = real("009"), copy.deepcopy(real("010"))
    this.values["t2.rules.in_force"] = 15  # 11 + 2 − 1 = 12 expected
    result = compare_reports(this, last)
    row = next(r for r in result.figures if r.key == "t2.rules.in_force")
    assert STOCK in row.flags
    expected = [f.message for f in check_report(this, last).findings if f.rule == "T2-IN-FORCE"]
    assert row.notes == expected and len(expected) == 1


def test_zero_flag_on_a_real_report() -> None:
    last, this = real("009"), copy.deepcopy(real("010"))
    this.values["t2.coercion.decisions"] = 0
    row = next(r for r in compare_reports(this, last).figures if r.key == "t2.coercion.decisions")
    assert row.flags == [ZERO] and row.change_pct == -100.0


# --------------------------------------------------------------------------------------------
# Across units
# --------------------------------------------------------------------------------------------


def _unit_report(i: int, rng: random.Random) -> Report:
    u = Unit(f"某某县第{i}局", f"U{i:04d}")
    r = random_report("2021", 2024, u, rng)
    r.text = {s: random_narrative(rng, u.name) for s in SECTIONS}
    return r


def test_two_units_whose_five_differ_only_in_their_names() -> None:
    rng = random.Random(3)
    a, b, c = (_unit_report(i, rng) for i in range(3))
    a.text["s5"] = f"{a.unit.name}存在的主要问题：{a.unit.name}政务公开工作力量不足，信息发布不够及时。" \
        f"改进情况：{a.unit.name}将加强培训，完善制度，提升公开质量，及时回应社会关切。"
    b.text["s5"] = a.text["s5"].replace(a.unit.name, b.unit.name)
    [found] = find_copies([a, b, c])
    assert {found.unit_a.code, found.unit_b.code} == {a.unit.code, b.unit.code}
    assert (found.section_a, found.section_b) == ("s5", "s5") and found.percent >= 80
    assert "政务公开工作力量不足" in found.passage


def test_a_thousand_units_with_ten_copied_pairs() -> None:
    rng = random.Random(1)
    reports = [_unit_report(i, rng) for i in range(1000)]
    pairs = set()
    for k in range(10):
        a, b = reports[k * 49], reports[k * 49 + 500]
        section = SECTIONS[k % 4]
        b.text[section] = a.text[section].replace(a.unit.name, b.unit.name)
        pairs.add(frozenset((a.unit.code, b.unit.code)))
    start = time.perf_counter()
    found = find_copies(reports)
    assert time.perf_counter() - start < 60  # the bound; a sanity bound, not a benchmark
    assert {frozenset((c.unit_a.code, c.unit_b.code)) for c in found} == pairs


def test_short_boilerplate_is_not_a_copy() -> None:
    rng = random.Random(2)
    a, b = _unit_report(1, rng), _unit_report(2, rng)
    a.text["s6"] = b.text["s6"] = "本年度未收取信息处理费。"
    assert find_copies([a, b]) == []


# --------------------------------------------------------------------------------------------
# Hierarchy
# --------------------------------------------------------------------------------------------


def test_consolidated_return_against_its_sub_units() -> None:
    rng = random.Random(8)
    kids = [random_report("2021", 2024, Unit(n, c), rng) for c, n in (("A", "甲局"), ("B", "乙局"), ("C", "丙镇"))]
    from nianbao.campaign.aggregate import aggregate

    parent = aggregate(kids, kids[0].layout, 2024, Unit("某区政府办公室", "X"))
    assert check_hierarchy(parent, kids).rows == []
    # all present, one figure wrong
    parent.values["t2.licensing.decisions"] += 3
    h = check_hierarchy(parent, kids)
    assert [(r.key, r.status, r.stated - r.children_sum) for r in h.rows] == [("t2.licensing.decisions", MISMATCH, 3)]
    # 丙镇 missing: larger than the sum is uncertain, smaller is wrong
    h = check_hierarchy(parent, kids[:2])
    assert [m.name for m in h.missing] == ["丙镇"]
    assert all(r.status == UNCERTAIN for r in h.rows if r.stated > r.children_sum)
    parent.values["t2.penalty.decisions"] = 0
    h = check_hierarchy(parent, kids[:2])
    wrong = [r for r in h.rows if r.status == MISMATCH]
    if sum(k.values["t2.penalty.decisions"] for k in kids[:2]):
        assert [r.key for r in wrong] == ["t2.penalty.decisions"]


# --------------------------------------------------------------------------------------------
# Workspace: ingest findings, status, compare -w, xlsx
# --------------------------------------------------------------------------------------------

ROSTER = "单位编码,单位名称,类别,联系人,邮箱\nA,甲局,部门,,\nB,乙局,部门,,\nC,丙局,部门,,\n"


@pytest.fixture
def campaign(tmp_path: Path) -> tuple[Path, dict[str, Report]]:
    rng = random.Random(11)
    last = tmp_path / "2024"
    last.mkdir()
    prev: dict[str, Report] = {}
    for code, name in (("A", "甲局"), ("B", "乙局"), ("C", "丙局")):
        r = random_report("2021", 2024, Unit(name, code), rng)
        r.text = {s: random_narrative(rng, name) for s in ("s1", "s5", "s6")}
        prev[code] = r
        save_report(r, last / f"{code}.json")
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ws = init_workspace(tmp_path / "ws", year=2025, roster=roster, office="某区政府办公室", previous=last)
    this: dict[str, Report] = {}
    for code in ("A", "B", "C"):
        r = random_report("2021", 2025, prev[code].unit, rng)
        r.text = {s: random_narrative(rng, prev[code].unit.name) for s in ("s1", "s5", "s6")}
        this[code] = r
    this["A"].text["s5"] = prev["A"].text["s5"].replace("2024", "2025")  # 甲局 carried last year's 五 over
    this["C"].text["s1"] = this["B"].text["s1"].replace("乙局", "丙局")  # 丙局 copied 乙局's 一
    for code, r in this.items():
        save_report(r, ws.inbox / f"{code}.json")
    return ws.root, this


def test_ingest_records_the_similarity_warning_and_status_lists_copies(campaign) -> None:  # type: ignore[no-untyped-def]
    root, _ = campaign
    from nianbao.campaign.workspace import open_workspace

    ws = open_workspace(root)
    ingest(ws, feedback=False)
    with ws.open_ledger() as ledger:
        rules = {code: [f.rule for f in ledger.findings(ledger.current(code).id)] for code in "ABC"}  # type: ignore[union-attr]
    assert rules["A"].count("TEXT-SIMILAR-PREVIOUS") == 1
    assert "TEXT-SIMILAR-PREVIOUS" not in rules["B"] + rules["C"]
    board = build_board(ws)
    assert [line.status for line in board.lines] == ["warnings"] * 3
    [c] = board.copies
    assert {c.unit_a.name, c.unit_b.name} == {"乙局", "丙局"}
    code, output = run("status", "-w", root)
    assert code == 0 and "单位之间文字高度雷同（1 处" in output and "乙局" in output and "丙局" in output
    _, output = run("status", "-w", root, "--json", "--xlsx", root / "看板.xlsx")
    assert len(json.loads(output)["copies"]) == 1
    sheet = openpyxl.load_workbook(root / "看板.xlsx")["文字雷同"]
    assert {sheet.cell(2, 1).value, sheet.cell(2, 2).value} == {"乙局", "丙局"}


def test_feedback_carries_the_similarity_warning(campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = campaign
    out = tmp_path / "修改.xlsx"
    _, output = run("feedback", root / "inbox" / "A.json", "-o", out, "--previous", root.parent / "2024" / "A.json")
    assert out.exists(), output
    wb = openpyxl.load_workbook(out)
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("内容与上年高度雷同" in t for t in texts)


def test_compare_workspace_json_and_xlsx(campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = campaign
    from nianbao.campaign.workspace import open_workspace

    ingest(open_workspace(root), feedback=False)
    book = tmp_path / "对比.xlsx"
    code, output = run("compare", "-w", root, "--json", "--xlsx", book)
    assert code == 0, output
    doc = json.loads(output)
    names = [(u["unit"]["name"], u["rollup"]) for u in doc["units"]]
    assert names == [("甲局", False), ("乙局", False), ("丙局", False)]  # last year is per unit: no roll-up
    a = doc["units"][0]
    assert [s["level"] for s in a["similarity"] if s["section"] == "s5"] == ["warning"]
    assert len(doc["copies"]) == 1
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["汇总", "数字对比", "文字相似度", "单位间雷同", "上下级核对"]
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert [c.value for c in wb["数字对比"][1]] == ["单位", "表", "栏目", "列", "上年", "本年", "增减", "增减（%）", "需核对"]
    assert wb["汇总"].cell(2, 1).value == "甲局"
    code, output = run("compare", "-w", root)
    assert code == 0 and "单位之间文字高度雷同（1 处）" in output


def test_untrusted_text_is_escaped_in_the_terminal_and_the_workbook(tmp_path: Path) -> None:
    last = real("009")
    last.unit = Unit("=HYPERLINK(\"http://x\")[red]局[/red]", "Z")
    this = next_year(last)
    save_report(last, tmp_path / "a.json")
    save_report(this, tmp_path / "b.json")
    code, output = run("compare", tmp_path / "b.json", tmp_path / "a.json")
    assert code == 0 and "=HYPERLINK(\"http://x\")[red]局[/red]：2024 年与 2023 年对比" in output  # shown as it is
    from nianbao.compare.run import Comparison

    data = comparison_bytes(Comparison([compare_reports(this, last)]))
    (tmp_path / "c.xlsx").write_bytes(data)
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
    cell = wb["汇总"].cell(2, 1)
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


def test_compare_never_writes_onto_an_input(tmp_path: Path) -> None:
    book = tmp_path / "本年.xlsx"
    from nianbao.workbook.writer import write_template

    write_template(book, layout_id="2021", year=2024, unit=Unit("甲局", "A"), report=real("010"))
    before = book.read_bytes()
    code, output = run("compare", book, REAL / "009.json", "--xlsx", book)
    assert code == 2 and "不能覆盖原文件" in output and book.read_bytes() == before


def test_compare_usage_errors(tmp_path: Path) -> None:
    code, output = run("compare", REAL / "010.json")
    assert code == 2 and "上一年度" in output
    code, output = run("compare", tmp_path / "无.json", REAL / "009.json")
    assert code == 2 and "找不到文件" in output
    code, output = run("compare", "-w", tmp_path)
    assert code == 2 and "不是年报工作区" in output


def test_the_roll_up_is_compared_with_last_years_consolidated_file(campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from nianbao.campaign.aggregate import aggregate
    from nianbao.campaign.workspace import open_workspace

    root, this = campaign
    prev = [load_report(root.parent / "2024" / f"{c}.json").report for c in "ABC"]
    office = aggregate(prev, prev[0].layout, 2024, Unit("某区政府办公室"))
    save_report(office, tmp_path / "2024汇总.json")
    roster = tmp_path / "名单2.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ws = init_workspace(tmp_path / "ws2", year=2025, roster=roster, office="某区政府办公室",
                        previous=tmp_path / "2024汇总.json")
    for code, r in this.items():
        save_report(r, ws.inbox / f"{code}.json")
    ingest(open_workspace(ws.root), feedback=False)
    code, output = run("compare", "-w", ws.root, "--json")
    doc = json.loads(output)
    [u] = doc["units"]
    assert (u["unit"]["name"], u["rollup"]) == ("某区政府办公室", True)
    assert [w["name"] for w in doc["without_previous"]] == ["甲局", "乙局", "丙局"]
    now = aggregate(list(this.values()), prev[0].layout, 2025, Unit("某区政府办公室")).full_values()
    by_key = {f["key"]: f for f in u["figures"]}
    assert by_key["t3.new.total"]["current"] == now["t3.new.total"]
    assert by_key["t3.new.total"]["previous"] == office.full_values()["t3.new.total"]


def test_compare_workspace_checks_a_consolidated_return_against_its_sub_units(tmp_path: Path) -> None:
    from nianbao.campaign.aggregate import aggregate
    from nianbao.campaign.workspace import open_workspace

    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称,类别,联系人,邮箱\nA,甲镇,乡镇街道,,\nB,乙镇,乡镇街道,,\nT,某县汇总,其他,,\n",
                      encoding="utf-8")
    ws = init_workspace(tmp_path / "ws", year=2025, roster=roster, office="某市政府办公室")
    rng = random.Random(21)
    a = random_report("2021", 2025, Unit("甲镇", "A"), rng)
    b = random_report("2021", 2025, Unit("乙镇", "B"), rng)
    total = aggregate([a, b], a.layout, 2025, Unit("某县汇总", "T"))
    total.values["t2.licensing.decisions"] += 7  # stated 7 more than 甲镇 + 乙镇
    save_report(total, ws.inbox / "t.json")
    ingest(open_workspace(ws.root), feedback=False)
    _, output = run("compare", "-w", ws.root, "--json")
    assert json.loads(output)["hierarchy"] == []  # no sub-unit here yet: nothing to compare
    save_report(a, ws.inbox / "a.json")
    ingest(open_workspace(ws.root), feedback=False)
    _, output = run("compare", "-w", ws.root, "--json")
    [h] = json.loads(output)["hierarchy"]
    assert h["parent"]["name"] == "某县汇总" and [m["name"] for m in h["missing"]] == ["乙镇"]
    rows = {r["key"]: r for r in h["rows"]}
    assert rows["t2.licensing.decisions"]["stated"] == total.values["t2.licensing.decisions"]
    assert rows["t2.licensing.decisions"]["children_sum"] == a.values["t2.licensing.decisions"]
    assert {r["status"] for r in h["rows"]} <= {UNCERTAIN, MISMATCH}
    # once 乙镇 has returned, only the 7 too many remain, and they are wrong
    save_report(b, ws.inbox / "b.json")
    ingest(open_workspace(ws.root), feedback=False)
    _, output = run("compare", "-w", ws.root, "--json")
    [h] = json.loads(output)["hierarchy"]
    assert h["missing"] == []
    assert [(r["key"], r["status"], r["stated"] - r["children_sum"]) for r in h["rows"]] == [
        ("t2.licensing.decisions", MISMATCH, 7)]
    code, output = run("compare", "-w", ws.root)
    assert code == 0 and "某县汇总填报的表二“行政许可”" in output and "下级单位报表之和为" in output


@pytest.mark.parametrize(("kept", "reported"), [(0.95, True), (0.85, True), (0.7, False), (0.5, False)])
def test_cross_unit_threshold_is_80_percent(kept: float, reported: bool) -> None:
    rng = random.Random(5)
    a, b, c = (_unit_report(i, rng) for i in range(3))
    text = a.text["s1"]
    cut = int(len(text) * kept)
    other = random.Random(99)  # unrelated characters in place of the rest
    b.text["s1"] = text[:cut] + "".join(chr(other.randint(0x4E00, 0x9FA5)) for _ in range(len(text) - cut))
    found = [x for x in find_copies([a, b, c]) if {x.unit_a.code, x.unit_b.code} == {a.unit.code, b.unit.code}]
    r = ratio(a.text["s1"], b.text["s1"])
    assert (r >= 0.8) == reported  # the case is on the side of the line it is meant to be
    assert bool(found) == reported
