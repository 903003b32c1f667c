"""Read the statutory tables out of the spec's own Markdown (a copy in tests/files/spec/).

The tests compare nianbao's layout declaration with what this parser finds in the prose spec, so a
mistyped label or a missing merge in ``layout.py`` cannot be hidden by comparing it with itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SPEC_DIR = Path(__file__).parent / "files" / "spec"
SPEC = SPEC_DIR / "statutory-format.md"
DATAPOINTS = SPEC_DIR / "datapoints.md"

_TICKS = re.compile(r"`([^`]+)`")
_RANGE = re.compile(r"\b([A-O]\d+(?::[A-O]\d+)?)\b")


@dataclass
class SpecTable:
    labels: dict[str, str] = field(default_factory=dict)  # top-left cell → text
    merges: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)  # cells that hold a number


def _section(text: str, start: str, end: str | None) -> str:
    i = text.index(start)
    j = text.index(end, i + len(start)) if end else len(text)
    return text[i:j]


def _rows(block: str) -> list[list[str]]:
    out = []
    for line in block.splitlines():
        if line.startswith("|") and not set(line) <= set("|- "):
            out.append([c.strip() for c in line.strip().strip("|").split("|")])
    return out[1:]  # without the header row


def table2(layout_id: str) -> SpecTable:
    text = SPEC.read_text("utf-8")
    t2 = _section(text, "## 表二", "## 表三")
    block = _section(t2, f"### Layout `{layout_id}`", "### Layout" if layout_id == "2021" else "`本年增/减` may")
    st = SpecTable()
    for row in _rows(block):
        r = row[0]
        for col, cell in zip("ABCD", row[1:5], strict=True):
            ticks = _TICKS.findall(cell)
            if ticks:
                st.labels[f"{col}{r}"] = ticks[0]
            elif cell:
                st.numbers.add(f"{col}{r}")
        st.merges.update(m.strip() for m in row[5].split(",") if m.strip())
    return st


def table3(layout_id: str) -> SpecTable:
    text = SPEC.read_text("utf-8")
    t3 = _section(text, "## 表三", "## 表四")
    st = SpecTable()
    header, body = t3.split("Body rows", 1)
    for ref, content in _rows(header):
        refs = [r.strip() for r in ref.split(",")]
        labels = _TICKS.findall(content)
        if len(refs) == 1:
            st.labels[refs[0].split(":")[0]] = labels[0]
            if ":" in refs[0]:
                st.merges.add(refs[0])
        else:
            st.labels.update(zip(refs, labels, strict=True))
    for row in _rows(body.split("Layout `2019`")[0]):
        first, *last = (int(x) for x in row[0].split("–"))
        rows = list(range(first, (last[0] if last else first) + 1))
        for col, cell in zip("ABC", row[1:4], strict=True):
            labels = _TICKS.findall(cell)
            if not labels:
                continue
            merge = _RANGE.findall(cell.split("`")[-1])
            if len(labels) == 1:
                st.labels[f"{col}{rows[0]}"] = labels[0]
            else:
                st.labels.update({f"{col}{r}": lb for r, lb in zip(rows, labels, strict=True)})
            st.merges.update(merge)
        for r in rows:
            st.numbers.update(f"{c}{r}" for c in "DEFGHIJ")
    if layout_id == "2019":
        st = _t3_2019_from_2021(st, t3.split("Layout `2019`", 1)[1])
    return st


def _t3_2019_from_2021(st: SpecTable, prose: str) -> SpecTable:
    """Apply the spec's sentence on layout 2019: （六） is one row B24:C24, total row 25, 四 row 26."""
    assert "B24:C24" in prose and "row 25" in prose and "row 26" in prose and "A6:A25" in prose
    out = SpecTable()
    for ref, text in st.labels.items():
        row = int(ref[1:])
        if row < 24:
            out.labels[ref] = text
        elif ref == "B24":
            out.labels[ref] = text
        elif row in (27, 28):
            out.labels[f"{ref[0]}{row - 2}"] = text
    for rng in st.merges:
        if rng == "B24:B26":
            out.merges.add("B24:C24")
        elif rng == "A6:A27":
            out.merges.add("A6:A25")
        elif rng in ("B27:C27", "A28:C28"):
            a, b = rng.split(":")
            out.merges.add(f"{a[0]}{int(a[1:]) - 2}:{b[0]}{int(b[1:]) - 2}")
        else:
            out.merges.add(rng)
    out.numbers = {f"{c}{r}" for r in range(4, 27) for c in "DEFGHIJ"}
    return out


def table4() -> SpecTable:
    text = SPEC.read_text("utf-8")
    t4 = _section(text, "## 表四", "Counting convention")
    st = SpecTable()
    for ref, content in _rows(t4):
        labels = _TICKS.findall(content)
        if ref == "A4…O4":
            st.numbers.update(f"{chr(65 + i)}4" for i in range(15))
        elif "…" in ref and "and" in ref:  # F3…J3 and K3…O3
            for start in ("F", "K"):
                for i, lb in enumerate(labels):
                    st.labels[f"{chr(ord(start) + i)}3"] = lb
        elif "…" in ref:  # A2:A3 … E2:E3
            for i, lb in enumerate(labels):
                c = chr(65 + i)
                st.labels[f"{c}2"] = lb
                st.merges.add(f"{c}2:{c}3")
        else:
            st.labels[ref.split(":")[0]] = labels[0]
            st.merges.add(ref)
    return st


def spec_table(layout_id: str, table_id: str) -> SpecTable:
    return {"t2": lambda: table2(layout_id), "t3": lambda: table3(layout_id), "t4": table4}[table_id]()


def section_headings() -> tuple[dict[str, str], list[str]]:
    text = SPEC.read_text("utf-8")
    block = _section(text, "## The six sections", "Statistics period")
    headings = {}
    for row in _rows(block.split("Accept these variants")[0]):
        no = "一二三四五六".index(row[0]) + 1
        headings[f"s{no}"] = _TICKS.findall(row[1])[0]
    variants = _TICKS.findall(block.split("Accept these variants")[1])
    return headings, variants


def datapoint_keys(layout_id: str) -> set[str]:
    """Every key datapoints.md names for a layout, totals included."""
    text = DATAPOINTS.read_text("utf-8")
    keys: set[str] = set()
    t2 = _section(text, "## 表二 keys", "## 表三 keys")
    block = _section(t2, f"Layout `{layout_id}`", "Layout `2019`" if layout_id == "2021" else "`t2.rules.*`")
    for row in _rows(block):
        keys.update(k for k in _TICKS.findall(row[1]) if k.startswith("t2."))
    t3 = _section(text, "## 表三 keys", "## 表四 keys")
    columns = _TICKS.findall(t3.split("\n\n")[1])
    columns = [c for c in columns if c.isidentifier()]
    for row in _rows(t3):
        note = row[1]
        if ("2021 only" in note and layout_id != "2021") or ("2019 only" in note and layout_id != "2019"):
            continue
        rkey = _TICKS.findall(row[0])[0]
        keys.update(f"t3.{rkey}.{c}" for c in columns)
    t4 = _section(text, "## 表四 keys", "## Findings")
    groups = [g for g in _TICKS.findall(t4.split("Results:")[0]) if g.isidentifier()]
    results = [r for r in _TICKS.findall(t4.split("Results:")[1]) if r.isidentifier()]
    keys.update(f"t4.{g}.{r}" for g in groups for r in results)
    return keys
