"""Real LibreOffice for tests: fill workbooks the way a clerk does, read back
LibreOffice's own computed values, convert documents to PDF, render PDF pages.

Runs in the project's Python; the UNO work happens in ``uno_driver.py`` under
Debian's ``/usr/bin/python3`` (the only Python with the ``uno`` module).  Each
:func:`run_job` starts and stops its own headless soffice with a throw-away
profile that recalculates every xlsx on load (``OOXMLRecalcMode`` = 0).

Typical use::

    from .harness import requires_soffice, fill_workbook, read_cells   # inside tests/lo

    @requires_soffice
    def test_totals(tmp_path):
        fill_workbook(src, tmp_path / "filled.xlsx",
                      [("表三", "D4", 3), ("基本信息", "B5", "张三")])
        [j4] = read_cells(tmp_path / "filled.xlsx", [("表三", "J4")])
        assert j4["value"] == 3

Several actions in one job share one soffice start (about 1–1.5 s): prefer
:func:`run_job` with a list of actions over many single calls.

In CI (``CI`` = true/1/yes) LibreOffice must be present: :data:`requires_soffice`
then does not skip, and the harness functions raise :class:`SofficeUnavailable`,
so a broken install fails the tests instead of hiding behind skips.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

DEBIAN_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).resolve().with_name("uno_driver.py")
XLSX_FILTER = "Calc MS Excel 2007 XML"

_WRITER_EXT = {".docx", ".doc", ".odt", ".rtf", ".txt", ".html", ".htm"}
_CALC_EXT = {".xlsx", ".xls", ".xlsm", ".ods", ".csv", ".et"}

#: Timing of the most recent job as reported by the driver
#: (``startup_seconds``, ``total_seconds``, plus ``wall_seconds`` measured here).
last_job_timing: dict[str, float] = {}


class LibreOfficeError(RuntimeError):
    """The driver failed (bad job, load/store error, timeout)."""


class SofficeUnavailable(RuntimeError):
    """soffice or Debian's python3-uno is not installed."""


# ---------------------------------------------------------------------------
# availability
# ---------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@functools.cache
def _unavailable_reason() -> str | None:
    if shutil.which("soffice") is None:
        return "soffice (LibreOffice) not found on PATH"
    if not os.access(DEBIAN_PYTHON, os.X_OK):
        return f"{DEBIAN_PYTHON} not found"
    try:
        r = subprocess.run([DEBIAN_PYTHON, "-c", "import uno"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"{DEBIAN_PYTHON} failed: {e}"
    if r.returncode != 0:
        return f"{DEBIAN_PYTHON} has no 'uno' module (install python3-uno)"
    return None


def soffice_available() -> bool:
    """True when soffice and Debian's python3 with ``uno`` are installed."""
    return _unavailable_reason() is None


def _require() -> None:
    reason = _unavailable_reason()
    if reason is not None:
        extra = " (CI=true: LibreOffice must be installed in CI)" if in_ci() else ""
        raise SofficeUnavailable(reason + extra)


#: Skip a test when LibreOffice is missing, except in CI where it must fail.
requires_soffice = pytest.mark.skipif(
    not in_ci() and not soffice_available(),
    reason=f"LibreOffice not available: {_unavailable_reason()}",
)

#: Same check for the poppler tools (pdftoppm, pdfinfo).
requires_poppler = pytest.mark.skipif(
    not in_ci() and not (shutil.which("pdftoppm") and shutil.which("pdfinfo")),
    reason="poppler-utils (pdftoppm/pdfinfo) not installed",
)


# ---------------------------------------------------------------------------
# jobs
# ---------------------------------------------------------------------------


def _abs(p: str | os.PathLike[str]) -> str:
    return str(Path(p).expanduser().resolve())


def _normalise(action: dict[str, Any]) -> dict[str, Any]:
    out = dict(action)
    for key in ("src", "dst"):
        if key in out and out[key] is not None:
            out[key] = _abs(out[key])
    return out


def _kill_group(pgid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.5)


def _last_resort_cleanup(pgid_file: str) -> None:
    """The driver was killed before its own cleanup: kill its soffice group and
    remove its profile, as recorded in ``pgid_file``."""
    try:
        info = json.loads(Path(pgid_file).read_text())
        pgid, profile = int(info["pgid"]), Path(info["profile"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    _kill_group(pgid)
    if profile.name.startswith("nianbao-lo-profile-"):
        shutil.rmtree(profile, ignore_errors=True)


def run_job(actions: list[dict[str, Any]], timeout: float = 180) -> list[dict[str, Any]]:
    """Run actions in one fresh headless LibreOffice; return one result per action.

    Actions (paths may be ``Path`` objects; they are made absolute):

    * ``{"op": "fill", "src", "dst", "cells": [{"sheet", "cell", "value"|"string"|
      "formula"|"clear"}], "recalc": True}`` → ``{"op", "dst", "cells_written"}``
    * ``{"op": "read", "src", "cells": [{"sheet", "cell"}]}`` → ``{"op", "src",
      "cells": [{"sheet", "cell", "value", "string", "formula", "type", "error"}]}``
    * ``{"op": "convert", "src", "dst", "filter"}`` → ``{"op", "dst", "filter", "size"}``
    * ``{"op": "sheet_protection", "src"}`` → ``{"op", "src", "sheets": [{"name",
      "protected"}]}``

    Raises :class:`LibreOfficeError` with the driver's message on failure.
    """
    _require()
    job_timeout = max(5.0, float(timeout) - 15.0)  # driver gives up first
    fd, pgid_file = tempfile.mkstemp(prefix="nianbao-lo-pgid-")
    os.close(fd)
    os.unlink(pgid_file)  # the driver creates it once soffice runs
    job = {
        "timeout": job_timeout,
        "pgid_file": pgid_file,
        "actions": [_normalise(a) for a in actions],
    }
    payload = json.dumps(job, ensure_ascii=False).encode("utf-8")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [DEBIAN_PYTHON, str(DRIVER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # Debian's python must not pick up the project's venv/pyenv settings.
        env={k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}},
    )
    try:
        out, err = proc.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()  # driver's SIGTERM handler kills soffice
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        _last_resort_cleanup(pgid_file)
        raise LibreOfficeError(
            f"LibreOffice job timed out after {timeout} s: {err.decode('utf-8', 'replace').strip()}"
        ) from None
    finally:
        try:
            os.unlink(pgid_file)
        except OSError:
            pass
    wall = time.monotonic() - t0
    stderr = err.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise LibreOfficeError(f"uno_driver exit {proc.returncode}: {stderr}")
    try:
        result = json.loads(out.decode("utf-8"))
    except ValueError as e:
        raise LibreOfficeError(f"bad driver output {out[:500]!r}; stderr: {stderr}") from e
    last_job_timing.clear()
    last_job_timing.update(
        startup_seconds=result.get("startup_seconds", 0.0),
        total_seconds=result.get("total_seconds", 0.0),
        wall_seconds=round(wall, 3),
    )
    results = result["results"]
    if len(results) != len(actions):
        raise LibreOfficeError(f"expected {len(actions)} results, got {len(results)}")
    return results


# ---------------------------------------------------------------------------
# convenience wrappers
# ---------------------------------------------------------------------------

CellSpec = dict[str, Any] | Sequence[Any]


def cell_spec(spec: CellSpec) -> dict[str, Any]:
    """Normalise ``("Sheet", "D4", 3)`` / ``("Sheet", "B5", "text")`` / ``("Sheet", "J4")``
    / ``("Sheet", "C3", None)`` (clear) or an already-formed dict into the job format.
    A string starting with ``=`` is still written as a string; use
    ``{"formula": "=..."}`` for formulas."""
    if isinstance(spec, dict):
        return dict(spec)
    spec = tuple(spec)
    if len(spec) == 2:
        return {"sheet": spec[0], "cell": spec[1]}
    if len(spec) != 3:
        raise ValueError(f"cell spec must be (sheet, cell[, value]): {spec!r}")
    sheet, cell, value = spec
    d: dict[str, Any] = {"sheet": sheet, "cell": cell}
    if value is None:
        d["clear"] = True
    elif isinstance(value, str):
        d["string"] = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        d["value"] = value
    else:
        raise TypeError(f"cell value must be a number, str or None: {spec!r}")
    return d


def fill_workbook(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], cells: Iterable[CellSpec], recalc: bool = True
) -> dict[str, Any]:
    """Type values into ``src`` through LibreOffice (ignores sheet protection,
    like a clerk overwriting a locked cell) and save as xlsx at ``dst``."""
    [res] = run_job(
        [{"op": "fill", "src": src, "dst": dst, "cells": [cell_spec(c) for c in cells], "recalc": recalc}]
    )
    return res


def read_cells(src: str | os.PathLike[str], cells: Iterable[CellSpec]) -> list[dict[str, Any]]:
    """LibreOffice's own (recalculated) view of cells: one dict per cell with
    ``value`` (float), ``string``, ``formula``, ``type`` (EMPTY/VALUE/TEXT/FORMULA)
    and ``error`` (0 = none)."""
    [res] = run_job([{"op": "read", "src": src, "cells": [cell_spec(c) for c in cells]}])
    return res["cells"]


def sheet_protection(src: str | os.PathLike[str]) -> dict[str, bool]:
    """``{sheet name: protected}`` in sheet order, as LibreOffice sees it."""
    [res] = run_job([{"op": "sheet_protection", "src": src}])
    return {s["name"]: s["protected"] for s in res["sheets"]}


def convert(src: str | os.PathLike[str], dst: str | os.PathLike[str], filter: str) -> Path:
    """Load ``src`` and store it at ``dst`` with LibreOffice filter ``filter``."""
    run_job([{"op": "convert", "src": src, "dst": dst, "filter": filter}])
    return Path(_abs(dst))


def pdf_filter_for(src: str | os.PathLike[str]) -> str:
    ext = Path(src).suffix.lower()
    if ext in _WRITER_EXT:
        return "writer_pdf_Export"
    if ext in _CALC_EXT:
        return "calc_pdf_Export"
    raise ValueError(f"no PDF filter known for {ext!r}")


def convert_to_pdf(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> Path:
    """.docx/.odt → writer_pdf_Export, .xlsx/.ods → calc_pdf_Export."""
    return convert(src, dst, pdf_filter_for(src))


# ---------------------------------------------------------------------------
# poppler
# ---------------------------------------------------------------------------


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise SofficeUnavailable(f"{tool} not found (install poppler-utils)")
    return path


def pdf_page_count(pdf: str | os.PathLike[str]) -> int:
    out = subprocess.run(
        [_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    if not m:
        raise ValueError(f"pdfinfo gave no page count for {pdf}")
    return int(m.group(1))


def pdf_page_sizes(pdf: str | os.PathLike[str]) -> list[tuple[float, float]]:
    """(width, height) in points for every page (A4 ≈ 595.3 × 841.9)."""
    n = pdf_page_count(pdf)
    out = subprocess.run(
        [_poppler("pdfinfo"), "-f", "1", "-l", str(n), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    sizes = [
        (float(w), float(h))
        for w, h in re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", out, re.M)
    ]
    if len(sizes) != n:
        raise ValueError(f"pdfinfo listed {len(sizes)} page sizes for {n} pages")
    return sizes


def pdf_to_pngs(pdf: str | os.PathLike[str], outdir: str | os.PathLike[str], dpi: int = 80) -> list[Path]:
    """Render every page with ``pdftoppm -png -r dpi``; returns the PNGs in page order."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / Path(pdf).stem
    subprocess.run(
        [_poppler("pdftoppm"), "-png", "-r", str(dpi), str(pdf), str(prefix)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    pat = re.compile(re.escape(prefix.name) + r"-(\d+)\.png$")
    pages = [(int(m.group(1)), p) for p in outdir.iterdir() if (m := pat.match(p.name))]
    return [p for _, p in sorted(pages)]
