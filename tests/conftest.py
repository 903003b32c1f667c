"""Shared test set-up: make ``tests/`` importable for helper modules such as ``spec_tables``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

TESTS = Path(__file__).parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))

ROSTER = "单位编码,单位名称,类别,联系人,邮箱\nA,甲局,部门,张三,a@x.cn\nB,乙镇人民政府,乡镇街道,,\n"


def run(*args: object) -> tuple[int, str]:
    """Run the ``nianbao`` CLI in-process: (exit code, stdout and stderr)."""
    from nianbao.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    """A small roster CSV: 甲局 (部门) and 乙镇人民政府 (乡镇街道)."""
    p = tmp_path / "名单.csv"
    p.write_text(ROSTER, encoding="utf-8")
    return p
