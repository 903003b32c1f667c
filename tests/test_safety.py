"""Refusing unsafe or unusable files before any parser sees them (tests/files/unsafe/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.errors import UnusableInput
from nianbao.messages import MESSAGES
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.safety import WorkbookRefused, inspect_workbook

FILES = Path(__file__).parent / "files"
UNSAFE = FILES / "unsafe"
EXPECTED: dict[str, str] = json.loads((UNSAFE / "expected.json").read_text(encoding="utf-8"))
runner = CliRunner()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_unsafe_file_is_refused_with_its_own_message(name: str) -> None:
    path = UNSAFE / name
    with pytest.raises(WorkbookRefused) as info:
        read_workbook(path)
    assert info.value.code == EXPECTED[name]
    assert isinstance(info.value, UnusableInput)
    assert info.value.exit_code == 2
    assert str(path) in str(info.value)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_check_exits_2_with_the_chinese_message(name: str) -> None:
    path = UNSAFE / name
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    with pytest.raises(WorkbookRefused) as info:
        inspect_workbook(path)
    assert str(info.value) in result.output.replace("\n", "")
    assert info.value.code in MESSAGES


def test_the_messages_ask_for_what_the_issue_prescribes() -> None:
    with pytest.raises(WorkbookRefused) as enc:
        inspect_workbook(UNSAFE / "password-to-open.xlsx")
    assert "请取消打开密码后重新报送" in str(enc.value)
    for name in ("legacy.xls", "wps.et", "legacy-renamed.xlsx"):
        with pytest.raises(WorkbookRefused) as old:
            inspect_workbook(UNSAFE / name)
        assert "请另存为 Excel 工作簿 (*.xlsx)" in str(old.value)


def test_the_unsafe_corpus_is_reproducible() -> None:
    sys.path.insert(0, str(FILES))
    from make_corpus import unsafe_corpus  # type: ignore[import-not-found]

    corpus = unsafe_corpus()
    assert set(corpus) == set(EXPECTED)
    for name, (data, code) in corpus.items():
        assert (UNSAFE / name).read_bytes() == data, name
        assert EXPECTED[name] == code


def test_openpyxl_parses_through_defusedxml() -> None:
    import openpyxl
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


_MEASURE = """
import re, sys, time, tracemalloc
def status(field):
    return int(re.search(field + r":\\s+(\\d+)", open("/proc/self/status").read()).group(1)) * 1024
try:  # reset the high-water mark first, so it covers the imports and the read
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    hwm = "VmHWM"
except OSError:
    hwm = "VmRSS"
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.safety import WorkbookRefused
tracemalloc.start()
t = time.process_time()  # CPU time: the machine may be busy with other work
try:
    read_workbook(sys.argv[1])
    code = "accepted"
except WorkbookRefused as exc:
    code = exc.code
seconds = time.process_time() - t
peak = tracemalloc.get_traced_memory()[1]
rss = status(hwm)  # peak resident size of the whole process: interpreter, imports and the read
print(code, seconds, peak, rss)
"""


@pytest.mark.parametrize("name", ["zip-bomb-size.xlsx", "zip-bomb-ratio.xlsx", "zip-bomb-members.xlsx",
                                  "billion-laughs.xlsx", "external-entity.xlsx"])
def test_bombs_are_refused_within_2_s_and_200_mb(name: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(UNSAFE / name)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.split()
    code, seconds, peak, rss = out[0], float(out[1]), int(out[2]), int(out[3])
    assert code == EXPECTED[name]
    assert seconds < 2.0
    assert peak < 200 * 1024 * 1024  # allocated while reading
    assert rss < 200 * 1024 * 1024  # peak resident size of the whole process while reading


def test_a_bomb_is_refused_from_the_zip_directory_alone(tmp_path: Path) -> None:
    """The 60 MB member is never inflated: refusing it takes no time."""
    import time

    t = time.perf_counter()
    with pytest.raises(WorkbookRefused):
        inspect_workbook(UNSAFE / "zip-bomb-size.xlsx")
    assert time.perf_counter() - t < 0.2
