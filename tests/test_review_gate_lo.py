"""The acceptance gate on files a clerk makes in a real LibreOffice (through its UNO API, tests/lo/):
numbers typed as text (``'74``, full-width ``１５１``), text ``=74``, ``20300元`` in the fee cell, and a
template opened and saved back untouched. Everything is checked through the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from lo.harness import XLSX_FILTER, requires_soffice, run_job
from nianbao.model import Unit, save_report
from nianbao.synth import CLERK_INFO, CLERK_TEXT, random_report
from nianbao.workbook.writer import write_template

ROSTER = "单位编码,单位名称,类别\nA,甲局,部门\nB,乙镇人民政府,乡镇街道\n"


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    """甲局's template with a clerk's typing in LibreOffice, and LibreOffice's own view of the cells."""
    tmp = tmp_path_factory.mktemp("typed")
    blank = tmp / "模板.xlsx"
    code, out = run("template", "-o", blank, "--year", 2025, "--unit-name", "甲局", "--unit-code", "A")
    assert code == 0, out
    typed = tmp / "甲局年报.xlsx"
    cells = [
        {"sheet": "表三", "cell": "D4", "formula": "'74"},  # typed as '74: text
        {"sheet": "表三", "cell": "E4", "formula": "１５１"},  # typed with a Chinese input method
        {"sheet": "表三", "cell": "F4", "string": "=74"},  # text that starts with "="
        {"sheet": "表三", "cell": "D7", "value": 74.0},  # the same figure as a number, so 表三 balances
        {"sheet": "表三", "cell": "E7", "value": 151.0},
        {"sheet": "表二", "cell": "B14", "formula": "20300元"},
    ]
    res = run_job([
        {"op": "fill", "src": blank, "dst": typed, "cells": cells, "recalc": True},
        {"op": "read", "src": typed, "cells": [{"sheet": "表三", "cell": c} for c in ("D4", "E4", "F4", "J4")]},
    ])
    return typed, res[1]["cells"]


def _findings(path: Path) -> list[dict[str, object]]:
    code, out = run("check", path, "--json")
    assert code in (0, 1), out
    return [f for f in json.loads(out)["findings"] if f["rule"] != "VALUE-BLANK"]


@requires_soffice
def test_numbers_typed_as_text_are_read_with_a_warning_on_that_cell(typed: tuple[Path, list]) -> None:  # type: ignore[type-arg]
    path, lo_view = typed
    d4, e4, _f4, j4 = lo_view
    # what LibreOffice itself holds: text cells, which its own total (a SUM formula) leaves out
    assert (d4["type"], d4["string"], e4["type"], e4["string"]) == ("TEXT", "74", "TEXT", "１５１")
    assert j4["type"] == "FORMULA" and j4["value"] == 0.0
    found = _findings(path)
    as_text = [f for f in found if f["rule"] == "NUMBER-AS-TEXT"]
    assert [(f["severity"], f["cells"], f["actual"]) for f in as_text] == [
        ("warning", ["表三!D4"], 74), ("warning", ["表三!E4"], 151)]
    assert "合计和校验没有计入它" in str(as_text[0]["message"]) and "表三!D4" in str(as_text[0]["message"])
    # read as numbers: the figures nianbao uses are the ones the clerk meant
    code, out = run("export", path, "-o", path.with_suffix(".json"))
    assert code == 1, out  # exported, with the errors of 表二 and F4 reported
    values = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["values"]
    assert (values["t3.new.natural"], values["t3.new.business"]) == (74, 151)
    assert not [f for f in found if f["rule"] == "T3-BALANCE" and f["cells"][0] in ("表三!D4", "表三!E4")]


@requires_soffice
def test_text_that_starts_with_an_equals_sign_is_text_not_a_formula(typed: tuple[Path, list]) -> None:  # type: ignore[type-arg]
    path, lo_view = typed
    assert (lo_view[2]["type"], lo_view[2]["string"]) == ("TEXT", "=74")
    found = _findings(path)
    assert not [f for f in found if f["rule"] == "INPUT-FORMULA"]
    [f] = [f for f in found if "表三!F4" in f["cells"] and f["rule"].startswith("VALUE-")]
    assert f["rule"] == "VALUE-NOT-NUMBER" and "“=74”不是数字" in str(f["message"])


@requires_soffice
def test_yuan_typed_in_the_fee_cell_is_an_error_giving_wan_yuan(typed: tuple[Path, list]) -> None:  # type: ignore[type-arg]
    path, _ = typed
    [f] = [f for f in _findings(path) if f["cells"] == ["表二!B14"]]
    assert (f["rule"], f["severity"]) == ("VALUE-AMOUNT-YUAN", "error")
    assert "“20300元”" in str(f["message"]) and "应为 2.03 万元" in str(f["message"])
    code, _ = run("check", path)
    assert code == 1


@requires_soffice
def test_an_untouched_template_saved_by_libreoffice_is_untouched(tmp_path: Path) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    # last year's figures: the templates come prefilled with 二、上年结转, which an untouched return still holds
    last = random_report("2021", 2024, Unit("甲局", "A"), random.Random(5))
    save_report(last, tmp_path / "2024甲局.json")
    ws = tmp_path / "ws"
    code, out = run("init", ws, "-y", 2025, "-r", roster, "--office", "某区政府办公室", "--previous",
                    tmp_path / "2024甲局.json")
    assert code == 0, out
    assert run("templates", "-w", ws)[0] == 0
    template = ws / "outbox" / "2025年政府信息公开工作年度报告_甲局.xlsx"
    assert openpyxl.load_workbook(template)["表三"]["D5"].value is not None  # prefilled
    # the clerk opens the template in LibreOffice and saves it back as .xlsx without typing anything
    run_job([{"op": "convert", "src": template, "dst": ws / "inbox" / "甲局年报.xlsx", "filter": XLSX_FILTER}])
    # 乙镇 returns a real one
    campaign = json.loads((ws / "nianbao.json").read_text(encoding="utf-8"))["campaign"]
    b = random_report("2021", 2025, Unit("乙镇人民政府", "B"), random.Random(2), with_totals=False)
    b.text = dict(CLERK_TEXT)
    write_template(ws / "inbox" / "乙镇.xlsx", layout_id="2021", year=2025, unit=Unit("乙镇人民政府", "B"),
                   report=b, campaign=campaign, info=CLERK_INFO)

    code, out = run("ingest", "-w", ws)
    assert code == 1, out
    assert "甲局：收到的 甲局年报.xlsx 是未填写的模板（没有填写任何数字和文字），已保存，但不计为已报送。" in out
    assert "提示" not in out.split("甲局：收到的")[1].split("\n")[0]  # one line, not 166 hints
    assert not (ws / "feedback" / "2025年政府信息公开工作年度报告_甲局_反馈.xlsx").exists()
    code, out = run("status", "-w", ws, "--json")
    units = {u["code"]: u for u in json.loads(out)["units"]}
    assert (units["A"]["status"], units["A"]["status_text"]) == ("untouched", "未填写")
    assert units["B"]["status"] == "passed"
    code, out = run("status", "-w", ws)
    assert "合计 2 个单位：已通过 1，仅有提示 0，有错误 0，未填写 1，未报送 0。" in out
    code, out = run("status", "A", "-w", ws, "--json")
    [sub] = json.loads(out)["submissions"]
    assert [f["rule"] for f in sub["findings"]] == ["RETURN-UNTOUCHED"]

    code, out = run("aggregate", "-w", ws)
    assert code == 1 and "1 个单位未报送（甲局）" in out
    code, out = run("aggregate", "-w", ws, "--allow-incomplete")
    assert code == 0, out
    doc = json.loads(next((ws / "reports").glob("*.json")).read_text(encoding="utf-8"))
    assert doc["members"]["missing"] == [{"code": "A", "name": "甲局"}]
    assert [m["code"] for m in doc["members"]["included"]] == ["B"]
    code, out = run("accept", "A", "--reason", "x", "-w", ws)
    assert code == 1 and "未填写的模板，不能接受" in out
