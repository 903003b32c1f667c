"""Record what the workbook reader finds in every workbook under tests/files (the differential test's
expectations, ``tests/test_xlsx_differential.py``).

    PYTHONPATH=src python tests/files/snapshot/reader_snapshot.py      # from the repository root

``reader-findings.json`` was written by the reader as it was before the streaming reader, with
``openpyxl.load_workbook`` (first at commit 6e8beb4; again with main's reader at 4e6b9e9, when issue
10's numbers stored as text changed three files' findings on purpose), by running this script with
that checkout's ``src`` first on ``PYTHONPATH``; the streaming reader must find the same. Re-run it
only when findings change on purpose, and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
FOLDERS = ("returned", "review", "retyped", "unsafe")
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
OUT = Path(__file__).with_name("reader-findings.json")


def workbook_files() -> list[Path]:
    base = ROOT / "tests" / "files"
    return sorted(p for folder in FOLDERS for p in (base / folder).iterdir() if p.suffix.lower() in SUFFIXES)


def snapshot(path: Path) -> dict[str, Any]:
    """The reader's result for one file: refusal code, or findings, values, text and identity."""
    from nianbao.errors import NianbaoError
    from nianbao.workbook.reader import read_workbook

    rel = path.relative_to(ROOT).as_posix()
    try:
        loaded = read_workbook(rel)
    except NianbaoError as exc:
        return {"refused": exc.code, "message": str(exc).replace(rel, "{path}")}
    report = loaded.report.to_json()
    return {
        "findings": [{**f.to_json(), "message": f.message.replace(rel, "{path}")} for f in loaded.findings],
        "layout": report["layout"], "year": report["year"], "unit": report["unit"],
        "values": report["values"], "text": report.get("text", {}),
        "meta": dict(sorted(loaded.meta.items())),
    }


def main() -> None:
    import os

    os.chdir(ROOT)
    data = {p.relative_to(ROOT).as_posix(): snapshot(p) for p in workbook_files()}
    lines = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
             for k, v in sorted(data.items())]  # one file a line: a diff names the file
    OUT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"{len(data)} files → {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
