"""The report data model and the JSON data file (``schema: nianbao/1``, datapoints.md)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.errors import DataFileError, OutputError, json_reason, os_reason
from nianbao.findings import Finding, Severity, make
from nianbao.layout import LAYOUTS, Kind, Layout, get_layout, is_report_year, normalise_label
from nianbao.messages import MESSAGES, message
from nianbao.values import EXPECT_TEXT, Number, normalise, to_json_number

SCHEMA = "nianbao/1"
SECTION_IDS = ("s1", "s2", "s3", "s4", "s5", "s6")
# ``text`` may also hold a preface: the paragraphs before 一、总体情况 (编制依据、统计期限、联系方式),
# which many published reports have. It has no heading.
TEXT_IDS = ("preface", *SECTION_IDS)
# What one cell of a spreadsheet holds: a longer text would be cut in the workbook (silently, by
# Excel and LibreOffice), so it is refused wherever text enters.
MAX_TEXT_LENGTH = 32_767
TOP_LEVEL = ("schema", "layout", "year", "unit", "title", "date", "values", "text", "headings", "members")


@dataclass(frozen=True)
class Unit:
    name: str
    code: str = ""

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


def unit_key(name: str) -> str:
    """What unit names (and codes) are matched by, everywhere (ingest, last year's data, a workbook's
    expected unit): ``layout.normalise_label`` — NFKC (full-width → half-width), no white space,
    curly quotes as straight."""
    return normalise_label(name)


@dataclass
class Report:
    """One unit's figures and text for one year.

    ``values`` holds every input and those totals that were stated (in a data file, or as a constant
    where a workbook's formula was overwritten). Totals that were not stated are computed.
    """

    layout: Layout
    year: int
    unit: Unit
    values: dict[str, Number] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    date: str | None = None
    # A roll-up's members (``members`` block of the data file): the units summed, those that sent
    # nothing usable, and those left out because their return had errors or was sent back.
    members: list[Unit] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)
    excluded: list[Unit] = field(default_factory=list)
    # What a cell or JSON value said where it could not be read as a number (``"若干"``): kept so an
    # exported data file says the same and is checked the same way, instead of losing the key.
    unreadable: dict[str, str] = field(default_factory=dict)
    # Keys whose cell (or JSON value) was empty as read: nothing typed there (see ``is_untouched``).
    blank: set[str] = field(default_factory=set, compare=False, repr=False)

    @property
    def display_title(self) -> str:
        return self.title or f"{self.unit.name}{self.year}年政府信息公开工作年度报告"

    def computed_totals(self) -> dict[str, Number]:
        """Every total recomputed from the inputs alone (never from stated totals)."""
        return compute_totals(self.layout, self.values)

    def full_values(self) -> dict[str, Number]:
        """Inputs, stated totals, and computed values for totals that were not stated."""
        out = dict(self.values)
        for key, value in self.computed_totals().items():
            out.setdefault(key, value)
        return out

    def resolved(self) -> Report:
        """A copy whose totals are all recomputed from the inputs (what a correct table shows)."""
        values = {k: v for k, v in self.values.items() if self.layout.fields[k].is_input}
        values.update(compute_totals(self.layout, values))
        return Report(self.layout, self.year, self.unit, values, dict(self.text), dict(self.headings),
                      self.title, self.date, list(self.members), list(self.missing), list(self.excluded),
                      dict(self.unreadable))

    @property
    def left_out(self) -> list[Unit]:
        """The units a roll-up does not include (missing or excluded): it is incomplete when any."""
        return [*self.missing, *self.excluded]

    def heading(self, section_id: str) -> str:
        return self.headings.get(section_id) or self.layout.section_by_id[section_id].heading

    def to_json(self, *, with_totals: bool = True) -> dict[str, Any]:
        values = self.full_values() if with_totals else dict(self.values)
        ordered: dict[str, int | float | str] = {}
        for k in self.layout.fields:
            if k in values:
                ordered[k] = to_json_number(values[k])
            elif k in self.unreadable:
                ordered[k] = self.unreadable[k]
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "layout": self.layout.id,
            "year": self.year,
            "unit": self.unit.to_json(),
        }
        if self.title:
            out["title"] = self.title
        if self.date:
            out["date"] = self.date
        out["values"] = ordered
        out["text"] = {k: self.text[k] for k in TEXT_IDS if self.text.get(k)}
        if self.headings:
            out["headings"] = dict(self.headings)
        if self.members or self.left_out:
            out["members"] = {"included": [m.to_json() for m in self.members],
                              "missing": [m.to_json() for m in self.missing],
                              "excluded": [m.to_json() for m in self.excluded]}
        return out


def compute_totals(layout: Layout, values: Mapping[str, Number]) -> dict[str, Number]:
    """Totals from the inputs, in dependency order; a total with an unreadable part is left out."""
    out: dict[str, Number] = {}
    for key, parts in _total_parts(layout):
        numbers = [out.get(p, values.get(p)) if is_total else values.get(p) for p, is_total in parts]
        if None in numbers:
            continue
        out[key] = sum(numbers)  # type: ignore[arg-type]
    return out


_TOTAL_PARTS: dict[int, tuple[Layout, tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]]] = {}


def _total_parts(layout: Layout) -> tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]:
    """``((total, ((part, part is a total), …)), …)`` in dependency order, made once per layout."""
    hit = _TOTAL_PARTS.get(id(layout))
    if hit is None or hit[0] is not layout:
        if len(_TOTAL_PARTS) > 64:  # layouts made on the fly (a test's): start again
            _TOTAL_PARTS.clear()
        plan = tuple((key, tuple((p, layout.fields[p].is_total) for p in layout.fields[key].parts))
                     for key in layout.totals)
        hit = _TOTAL_PARTS[id(layout)] = (layout, plan)
    return hit[1]


# ------------------------------------------------------------------------------------------
# JSON data file
# ------------------------------------------------------------------------------------------


@dataclass
class Loaded:
    """A report read from a file, with the findings made while reading its values."""

    report: Report
    findings: list[Finding]
    source: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # a workbook's hidden identity, when read from one


def load_report(path: str | os.PathLike[str]) -> Loaded:
    from nianbao.files import require_regular_file

    p = Path(path)
    require_regular_file(p)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataFileError("E-FILE-READ", path=str(p), reason=os_reason(exc)) from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DataFileError("E-JSON", path=str(p), line=1, col=1, reason=message("E-JSON-NOT-UTF8")) from None
    except json.JSONDecodeError as exc:
        raise DataFileError("E-JSON", path=str(p), line=exc.lineno, col=exc.colno, reason=json_reason(exc.msg)) from None
    except RecursionError:
        raise DataFileError("E-JSON-DEPTH", path=str(p)) from None
    return report_from_json(doc, str(p))


def report_from_json(doc: Any, path: str = "<数据>") -> Loaded:
    """Validate a parsed data file and build the report; raises ``DataFileError`` (exit 2)."""
    if not isinstance(doc, dict):
        raise DataFileError("E-JSON-TOP", path=path)
    _check_strings(doc, path)
    for name in doc:
        if name not in TOP_LEVEL:
            raise DataFileError("E-UNKNOWN-FIELD", path=path, name=name, allowed="、".join(TOP_LEVEL))
    if doc.get("schema") != SCHEMA:
        raise DataFileError("E-SCHEMA", path=path, actual=doc.get("schema", "（缺失）"))
    for name in ("layout", "year", "unit", "values"):
        if name not in doc:
            raise DataFileError("E-MISSING-FIELD", path=path, name=name)
    layout_id = doc["layout"]
    if str(layout_id) not in LAYOUTS or not isinstance(layout_id, (str, int)) or isinstance(layout_id, bool):
        raise DataFileError("E-LAYOUT", path=path, actual=layout_id)
    layout = get_layout(str(layout_id))
    year = doc["year"]
    if not is_report_year(year):
        raise DataFileError("E-TYPE", path=path, name="year", expected=message("TYPE-YEAR"), actual=_type(year))
    unit = _unit(doc["unit"], path, "unit")
    title = _optional_str(doc, "title", path)
    date = _optional_str(doc, "date", path)
    text = _sections(doc.get("text", {}), path, "text", TEXT_IDS)
    headings = _sections(doc.get("headings", {}), path, "headings", SECTION_IDS)
    members, missing_units, excluded = _members(doc.get("members", []), path)

    raw_values = doc["values"]
    if not isinstance(raw_values, dict):
        raise DataFileError("E-TYPE", path=path, name="values", expected=message("TYPE-dict"), actual=_type(raw_values))
    for key, value in raw_values.items():
        if key not in layout.fields:
            other = next((lid for lid, lay in LAYOUTS.items() if key in lay.fields), None)
            if other:
                raise DataFileError("E-OTHER-LAYOUT-KEY", path=path, key=key, other=other, layout=layout.id)
            raise DataFileError("E-UNKNOWN-KEY", path=path, key=key, hint=_suggest(key, layout))
        if (value is not None and not isinstance(value, (int, float, str))) or isinstance(value, bool):
            raise DataFileError("E-VALUE-TYPE", path=path, key=key, actual=_type(value))
    missing = [k for k in layout.inputs if k not in raw_values]
    if missing:
        raise DataFileError("E-MISSING-INPUT", path=path, count=len(missing), keys="、".join(missing[:5]))

    report = Report(layout, year, unit, {}, text, headings, title, date, members, missing_units, excluded)
    check_text_lengths(report, path)
    findings = read_values(report, raw_values.items())
    if report.left_out:  # the level above sees whom the roll-up lacks
        findings.insert(0, make("ROLLUP-INCOMPLETE", Severity.WARNING,
                                units="、".join(u.name for u in report.left_out)))
    return Loaded(report, findings, path)


def check_text_lengths(report: Report, where: str) -> None:
    """Refuse (exit 2) a text longer than a spreadsheet cell holds, naming the section and the limit."""
    pieces = [(report.layout.section_by_id[k].heading if k in report.layout.section_by_id else "前言", v)
              for k, v in report.text.items()]
    pieces += [("标题", report.title or ""), ("单位名称", report.unit.name)]
    for section, value in pieces:
        if len(value) > MAX_TEXT_LENGTH:
            raise DataFileError("E-TEXT-TOO-LONG", where=where, section=section, length=len(value),
                                limit=MAX_TEXT_LENGTH)


def _check_strings(doc: Any, path: str, name: str = "") -> None:
    """A lone surrogate (``"\\ud800"``) parses as JSON but is no text: refuse it naming the key."""
    stack: list[tuple[str, Any]] = [(name, doc)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if not _is_text(value):
                raise DataFileError("E-JSON-SURROGATE", path=path, name=where or "?")
        elif isinstance(value, dict):
            for k, v in value.items():
                key = f"{where}.{k}" if where else str(k)
                if not _is_text(str(k)):
                    raise DataFileError("E-JSON-SURROGATE", path=path, name=where or "?")
                stack.append((key, v))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


MEMBER_GROUPS = ("included", "missing", "excluded")


def _members(raw: Any, path: str) -> tuple[list[Unit], list[Unit], list[Unit]]:
    """The ``members`` block: ``{"included": [...], "missing": [...], "excluded": [...]}``; a plain list
    (files of earlier versions) is the included units."""
    if isinstance(raw, list):
        raw = {"included": raw}
    if not isinstance(raw, dict):
        raise DataFileError("E-TYPE", path=path, name="members", expected=message("TYPE-dict"), actual=_type(raw))
    for name in raw:
        if name not in MEMBER_GROUPS:
            raise DataFileError("E-UNKNOWN-FIELD", path=path, name=f"members.{name}", allowed="、".join(MEMBER_GROUPS))
    groups: list[list[Unit]] = []
    for name in MEMBER_GROUPS:
        items = raw.get(name, [])
        if not isinstance(items, list):
            raise DataFileError("E-TYPE", path=path, name=f"members.{name}", expected=message("TYPE-list"), actual=_type(items))
        groups.append([_unit(m, path, f"members.{name}[{i}]") for i, m in enumerate(items)])
    return groups[0], groups[1], groups[2]


def read_values(report: Report, items: Any) -> list[Finding]:
    """Normalise raw values into ``report.values``; return the value findings (rules 5 and 10)."""
    layout = report.layout
    findings: list[Finding] = []
    for key, raw in items:
        f = layout.fields[key]
        if type(raw) is int and f.kind is not Kind.AMOUNT and (raw >= 0 or f.kind is Kind.SIGNED):
            report.values[key] = raw  # the usual cell: what ``normalise`` says of it, without a finding
            continue
        n = normalise(raw, f.kind)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            report.blank.add(key)
        if n.value is not None:
            report.values[key] = n.value
        else:
            report.unreadable[key] = n.raw
        if n.issue:
            sev = Severity.ERROR if n.is_error else Severity.WARNING
            findings.append(make(
                n.issue, sev, keys=(key,), cells=(layout.cell(key),),
                expected=None, actual=n.value,
                where=layout.describe(key), cell=layout.cell(key), raw=n.raw,
                raw_note=message("RAW-NOTE", raw=n.raw) if n.raw.strip() else "",
                expect_text=EXPECT_TEXT[f.kind],
            ))
    return findings


def is_untouched(report: Report, prefill: Report | None = None) -> bool:
    """Nothing was filled in: every input is empty (or still holds what the template was prefilled
    with, such as 二、上年结转) and there is no text."""
    if any((report.text.get(k) or "").strip() for k in TEXT_IDS):
        return False
    given = prefill.values if prefill is not None else {}
    return all(key in report.blank or (key in given and report.values.get(key) == given[key])
               for key in report.layout.inputs)


def save_report(report: Report, path: str | os.PathLike[str], *, with_totals: bool = True) -> None:
    """Write the data file atomically (a temporary file renamed into place)."""
    text = json.dumps(report.to_json(with_totals=with_totals), ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(path), text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes so that ``path`` holds either its old content or all of the new, never part."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the temporary name is short: a final name near the file system's limit must still work
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; results are ordinary files
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError("E-WRITE", path=str(path), reason=os_reason(exc)) from None


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import, before any thread could be writing files


def _unit(raw: Any, path: str, name: str) -> Unit:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise DataFileError("E-TYPE", path=path, name=name, expected=message("TYPE-UNIT"),
                            actual=_type(raw))
    code = raw.get("code", "")
    if not isinstance(code, (str, int)) or isinstance(code, bool):
        raise DataFileError("E-TYPE", path=path, name=f"{name}.code", expected=message("TYPE-str"), actual=_type(code))
    extra = set(raw) - {"name", "code"}
    if extra:
        raise DataFileError("E-UNKNOWN-FIELD", path=path, name=f"{name}.{sorted(extra)[0]}", allowed="code、name")
    return Unit(raw["name"].strip(), str(code))


def _optional_str(doc: dict[str, Any], name: str, path: str) -> str | None:
    value = doc.get(name)
    if value is not None and not isinstance(value, str):
        raise DataFileError("E-TYPE", path=path, name=name, expected=message("TYPE-str"), actual=_type(value))
    return value or None


def _sections(raw: Any, path: str, name: str, allowed: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise DataFileError("E-TYPE", path=path, name=name, expected=message("TYPE-dict"), actual=_type(raw))
    for key, value in raw.items():
        if key not in allowed:
            raise DataFileError("E-TEXT-KEY", path=path, name=name, key=key, allowed="、".join(allowed))
        if not isinstance(value, str):
            raise DataFileError("E-TYPE", path=path, name=f"{name}.{key}", expected=message("TYPE-str"), actual=_type(value))
    return dict(raw)


def _type(value: Any) -> str:
    """A JSON value's type as a clerk reads it (真假值, 整数, 文字 …)."""
    name = type(value).__name__
    return message(f"TYPE-{name}") if f"TYPE-{name}" in MESSAGES else name


def _suggest(key: str, layout: Layout) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(layout.fields), n=1)
    return message("KEY-SUGGEST", key=close[0]) if close else ""

