"""The seed data file in samples/ reproduces every number and sentence of the seed report."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.layout import normalise_label
from nianbao.model import load_report

ROOT = Path(__file__).parents[1]
SEED = Path(__file__).parent / "files" / "seed" / "yubei-2021-zhengwuban.txt"
SAMPLE = ROOT / "samples" / "yubei-2021.json"


def _fold(text: str) -> str:
    """Compare modulo what the scrape lost: widths, white space and the closing 〕 of 〔2021〕."""
    return normalise_label(text).replace("〕", "")


def _seed_lines() -> list[str]:
    lines = [ln.strip() for ln in SEED.read_text("utf-8").splitlines() if ln.strip()]
    return lines[1:-1]  # without the breadcrumb and the trailing QR-code line


def test_title_and_date() -> None:
    report = load_report(SAMPLE).report
    lines = _seed_lines()
    assert report.display_title == lines[0]
    assert lines[1] == "日期:" + report.date


def test_every_sentence_of_the_narrative_in_order() -> None:
    report = load_report(SAMPLE).report
    lines = _seed_lines()
    sections = {"s1": ("一、总体情况", "二、主动公开政府信息情况"),
                "s5": ("五、当前存在的主要问题及下步改进措施", "六、其他需要报告的事项"),
                "s6": ("六、其他需要报告的事项", None)}
    for sid, (start, end) in sections.items():
        i = lines.index(start) + 1
        j = lines.index(end) if end else len(lines)
        paragraphs = [p for p in report.text[sid].split("\n") if p.strip()]
        assert [_fold(p) for p in paragraphs] == [_fold(s) for s in lines[i:j]], sid
    assert report.heading("s5") == "五、当前存在的主要问题及下步改进措施"


def test_scrape_damage_is_mended() -> None:
    text = "".join(load_report(SAMPLE).report.text.values())
    for doc_no in ("〔2021〕42号", "〔2021〕12号", "〔2021〕50号", "〔2021〕30号"):
        assert doc_no in text
    assert "〔202142号" not in text
    assert "," not in text and "(" not in text  # Chinese typography: full-width punctuation


def test_every_number_in_table_order() -> None:
    report = load_report(SAMPLE).report
    lines = _seed_lines()
    body = lines[lines.index("二、主动公开政府信息情况"):lines.index("五、当前存在的主要问题及下步改进措施")]
    seed_numbers = [int(x) for x in body if re.fullmatch(r"\d+", x)]
    full = report.full_values()
    ours = [full[f.key] for t in report.layout.tables for f in sorted(
        t.fields, key=lambda f: (int(f.ref[1:]), f.ref[0]))]
    assert seed_numbers == ours
    assert len(ours) == len(report.layout.fields)


def test_seed_checks_with_no_errors() -> None:
    result = CliRunner().invoke(app, ["check", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "共 0 个错误" in result.output
