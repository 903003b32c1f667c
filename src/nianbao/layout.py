"""The statutory layouts, declared once as data.

Everything else in nianbao (the workbook writer and reader, the rules, the aggregator and the Word
renderer) reads this module; none of them hard-codes a label, a cell address or a key. The source
is the specification kept in the repository as ``tests/files/spec/statutory-format.md`` (labels,
merges, rules) and ``tests/files/spec/datapoints.md`` (keys), copies of the shared spec that
``tests/test_layout.py`` checks against it. Cell references are those of the spec: each statutory
table starts at A1 of its own sheet, so ``表三!D4`` is ``t3.new.natural`` in both the workbook and
the findings.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property, lru_cache


class Kind(StrEnum):
    """What a number cell may hold (rule 5)."""

    COUNT = "count"  # non-negative whole number
    SIGNED = "signed"  # any whole number (本年增/减)
    AMOUNT = "amount"  # non-negative decimal (万元, 采购总金额)


@dataclass(frozen=True)
class Label:
    """A fixed text cell of a table; ``ref`` is its top-left cell."""

    ref: str
    text: str


@dataclass(frozen=True)
class Field:
    """One number of a statutory table, with its stable key."""

    key: str
    table: str  # "t2", "t3", "t4"
    ref: str  # top-left cell of the number, e.g. "D4"
    kind: Kind
    row_label: str
    col_label: str
    parts: tuple[str, ...] = ()  # keys summed, when this is a total
    total_rule: str | None = None  # rule code that governs this total

    @property
    def is_total(self) -> bool:
        return bool(self.parts)

    @property
    def is_input(self) -> bool:
        return not self.parts


@dataclass(frozen=True)
class Equation:
    """A consistency rule instance: ``sum(lhs) == sum(rhs)``."""

    rule: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Table:
    id: str  # "t2"
    sheet: str  # "表二"
    title: str  # "主动公开政府信息情况"
    section: str  # "s2"
    n_cols: int
    n_rows: int
    header_rows: int  # leading rows that repeat on a new page
    labels: tuple[Label, ...]
    merges: tuple[str, ...]
    fields: tuple[Field, ...]

    @cached_property
    def field_by_ref(self) -> dict[str, Field]:
        return {f.ref: f for f in self.fields}

    @cached_property
    def label_by_ref(self) -> dict[str, Label]:
        return {lb.ref: lb for lb in self.labels}

    def merge_of(self, ref: str) -> str | None:
        """The merged range whose top-left cell is ``ref``, if any."""
        for rng in self.merges:
            if rng.split(":")[0] == ref:
                return rng
        return None

    @cached_property
    def covered(self) -> frozenset[str]:
        """Cells hidden under a merge (not the top-left one)."""
        out: set[str] = set()
        for rng in self.merges:
            for i, ref in enumerate(cells_in_range(rng)):
                if i:
                    out.add(ref)
        return frozenset(out)


@dataclass(frozen=True)
class Section:
    id: str  # "s1" … "s6"
    heading: str
    variants: tuple[str, ...] = ()
    table: str | None = None
    guidance: str = ""


@dataclass(frozen=True)
class Layout:
    id: str  # "2019" or "2021"
    notice: str
    tables: tuple[Table, ...]
    sections: tuple[Section, ...]
    extra_equations: tuple[Equation, ...] = field(default=())

    @cached_property
    def fields(self) -> dict[str, Field]:
        return {f.key: f for t in self.tables for f in t.fields}

    @cached_property
    def inputs(self) -> tuple[str, ...]:
        return tuple(k for k, f in self.fields.items() if f.is_input)

    @cached_property
    def totals(self) -> tuple[str, ...]:
        """Total keys in an order where every total comes after the totals it sums."""
        done: list[str] = []
        pending = [k for k, f in self.fields.items() if f.is_total]
        while pending:
            for key in list(pending):
                if all(p not in pending for p in self.fields[key].parts):
                    done.append(key)
                    pending.remove(key)
        return tuple(done)

    @cached_property
    def equations(self) -> tuple[Equation, ...]:
        """Every consistency equation: each total's own definition, then the extra ones."""
        own = tuple(
            Equation(self.fields[k].total_rule or "", (k,), self.fields[k].parts) for k in self.totals
        )
        return own + self.extra_equations

    @cached_property
    def table_by_id(self) -> dict[str, Table]:
        return {t.id: t for t in self.tables}

    @cached_property
    def table_by_sheet(self) -> dict[str, Table]:
        return {t.sheet: t for t in self.tables}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    def cell(self, key: str) -> str:
        """Workbook address of a key, e.g. ``表三!D4``."""
        f = self.fields[key]
        return f"{self.table_by_id[f.table].sheet}!{f.ref}"

    def describe(self, key: str) -> str:
        """Human description of a key for messages, e.g. ``表三“一、本年新收……”行“自然人”列``."""
        f = self.fields[key]
        sheet = self.table_by_id[f.table].sheet
        if f.col_label:
            return f"{sheet}“{f.row_label}”行“{f.col_label}”列"
        return f"{sheet}“{f.row_label}”"

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything a returned workbook must keep unchanged."""
        payload = {
            "id": self.id,
            "tables": [
                {
                    "id": t.id,
                    "sheet": t.sheet,
                    "size": [t.n_cols, t.n_rows],
                    "labels": [[lb.ref, lb.text] for lb in t.labels],
                    "merges": list(t.merges),
                    "fields": [[f.key, f.ref, f.kind.value, list(f.parts)] for f in t.fields],
                }
                for t in self.tables
            ],
        }
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# Cell helpers
# --------------------------------------------------------------------------------------------

_REF = re.compile(r"^([A-Z]+)(\d+)$")


@lru_cache(maxsize=1024)
def col_letter(index: int) -> str:
    """1 → A, 15 → O."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@lru_cache(maxsize=8192)  # the same few hundred refs in every workbook read
def split_ref(ref: str) -> tuple[int, int]:
    """``"D4"`` → (row 4, column 4), both 1-based."""
    m = _REF.match(ref)
    if not m:
        raise ValueError(ref)
    letters, digits = m.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits), col


def cells_in_range(rng: str) -> list[str]:
    first, _, last = rng.partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last or first)
    return [f"{col_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'"})


def normalise_label(text: str) -> str:
    """The form labels are compared in: NFKC, no white space at all (spec: reading labels).

    Curly and straight quotes are folded too: copies of “三安全一稳定” mix them the way they mix widths.
    """
    # the same labels in every workbook read: short texts are remembered (long ones would fill memory)
    return _normalise_short(text) if len(text) <= 200 else _normalise(text)


def _normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


_SPACE = re.compile(r"\s+")
_normalise_short = lru_cache(maxsize=8192)(_normalise)


# --------------------------------------------------------------------------------------------
# Sections of the report
# --------------------------------------------------------------------------------------------


def _sections() -> tuple[Section, ...]:
    return (
        Section(
            "s1",
            "一、总体情况",
            guidance=(
                "概述本年度政府信息公开工作总体情况，一般分为（一）主动公开、（二）依申请公开、"
                "（三）政府信息管理、（四）政府信息公开平台建设、（五）监督保障五个方面；"
                "各级人民政府还应说明工作考核、社会评议和责任追究结果情况。"
                "以“（一）”等开头的短段落作为小标题。"
            ),
        ),
        Section("s2", "二、主动公开政府信息情况", table="t2", guidance="（选填）表二上方的说明文字。"),
        Section("s3", "三、收到和处理政府信息公开申请情况", table="t3", guidance="（选填）表三上方的说明文字。"),
        Section(
            "s4",
            "四、政府信息公开行政复议、行政诉讼情况",
            variants=("四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况",),
            table="t4",
            guidance="（选填）表四上方的说明文字。",
        ),
        Section(
            "s5",
            "五、存在的主要问题及改进情况",
            variants=("五、政府信息公开工作存在的主要问题及改进情况", "五、存在的主要问题及整改措施"),
            guidance="说明本年度工作存在的主要问题，以及上一年度报告所列问题的改进落实情况。",
        ),
        Section(
            "s6",
            "六、其他需要报告的事项",
            guidance=(
                "说明依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费的情况"
                "（收费金额，或未收取）；适用时说明年度政务公开工作要点落实、人大代表建议和政协提案"
                "办理结果公开、政务公开工作创新等情况。"
            ),
        ),
    )


# --------------------------------------------------------------------------------------------
# 表二 主动公开政府信息情况
# --------------------------------------------------------------------------------------------


def _t2(rows: list[tuple], merges: tuple[str, ...]) -> Table:
    """Build 表二 from rows of ``(row_no, [cell texts or field specs for A–D])``.

    A cell spec is a label string, ``None`` (empty or under a merge) or a tuple
    ``(key, kind, col_label)`` for a number.
    """
    labels: list[Label] = []
    fields: list[Field] = []
    for row_no, cells in rows:
        row_label = cells[0] if isinstance(cells[0], str) else ""
        for col, spec in enumerate(cells, start=1):
            ref = f"{col_letter(col)}{row_no}"
            if isinstance(spec, str):
                labels.append(Label(ref, spec))
            elif isinstance(spec, tuple):
                key, kind, col_label = spec
                fields.append(Field(key, "t2", ref, kind, row_label, col_label))
    return Table("t2", "表二", "主动公开政府信息情况", "s2", 4, max(r for r, _ in rows), 0,
                 tuple(labels), merges, tuple(fields))


C, S, A = Kind.COUNT, Kind.SIGNED, Kind.AMOUNT


# The first column's heading of every block of 表二 (the writer tells header rows by it).
T2_HEADER_LABEL = "信息内容"


def _t2_2021() -> Table:
    h1 = ("本年制发件数", "本年废止件数", "现行有效件数")
    dec = "本年处理决定数量"
    fee = "本年收费金额（单位：万元）"
    rows: list[tuple] = [
        (1, ["第二十条第（一）项"]),
        (2, [T2_HEADER_LABEL, *h1]),
        (3, ["规章", ("t2.rules.issued", C, h1[0]), ("t2.rules.repealed", C, h1[1]),
             ("t2.rules.in_force", C, h1[2])]),
        (4, ["行政规范性文件", ("t2.normative.issued", C, h1[0]), ("t2.normative.repealed", C, h1[1]),
             ("t2.normative.in_force", C, h1[2])]),
        (5, ["第二十条第（五）项"]),
        (6, [T2_HEADER_LABEL, dec]),
        (7, ["行政许可", ("t2.licensing.decisions", C, dec)]),
        (8, ["第二十条第（六）项"]),
        (9, [T2_HEADER_LABEL, dec]),
        (10, ["行政处罚", ("t2.penalty.decisions", C, dec)]),
        (11, ["行政强制", ("t2.coercion.decisions", C, dec)]),
        (12, ["第二十条第（八）项"]),
        (13, [T2_HEADER_LABEL, fee]),
        (14, ["行政事业性收费", ("t2.fees.amount", A, fee)]),
    ]
    merges = ("A1:D1", "A5:D5", "B6:D6", "B7:D7", "A8:D8", "B9:D9", "B10:D10", "B11:D11",
              "A12:D12", "B13:D13", "B14:D14")
    return _t2(rows, merges)


def _t2_2019() -> Table:
    h1 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
    h2 = ("上一年项目数量", "本年增/减", "处理决定数量")

    def items(name: str, key: str, decisions: bool = True) -> list:
        out: list = [name, (f"t2.{key}.prev_items", C, h2[0]), (f"t2.{key}.change", S, h2[1])]
        if decisions:
            out.append((f"t2.{key}.decisions", C, h2[2]))
        return out

    rows: list[tuple] = [
        (1, ["第二十条第（一）项"]),
        (2, [T2_HEADER_LABEL, *h1]),
        (3, ["规章", ("t2.rules.made", C, h1[0]), ("t2.rules.published", C, h1[1]),
             ("t2.rules.total", C, h1[2])]),
        (4, ["规范性文件", ("t2.normative.made", C, h1[0]), ("t2.normative.published", C, h1[1]),
             ("t2.normative.total", C, h1[2])]),
        (5, ["第二十条第（五）项"]),
        (6, [T2_HEADER_LABEL, *h2]),
        (7, items("行政许可", "licensing")),
        (8, items("其他对外管理服务事项", "other_services")),
        (9, ["第二十条第（六）项"]),
        (10, [T2_HEADER_LABEL, *h2]),
        (11, items("行政处罚", "penalty")),
        (12, items("行政强制", "coercion")),
        (13, ["第二十条第（八）项"]),
        (14, [T2_HEADER_LABEL, h2[0], h2[1]]),
        (15, items("行政事业性收费", "fees", decisions=False)),
        (16, ["第二十条第（九）项"]),
        (17, [T2_HEADER_LABEL, "采购项目数量", "采购总金额"]),
        (18, ["政府集中采购", ("t2.procurement.items", C, "采购项目数量"),
              ("t2.procurement.amount", A, "采购总金额")]),
    ]
    merges = ("A1:D1", "A5:D5", "A9:D9", "A13:D13", "C14:D14", "C15:D15", "A16:D16", "C17:D17",
              "C18:D18")
    return _t2(rows, merges)


# --------------------------------------------------------------------------------------------
# 表三 收到和处理政府信息公开申请情况
# --------------------------------------------------------------------------------------------

T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
T3_APPLICANTS = tuple(c for c, _ in T3_COLUMNS[:-1])
T3_FIRST_COL = 4  # D

# (group label spanning column B, [(row key, label in C or B)])
_DENIED = ("（三）不予公开", [
    ("denied_secret", "1.属于国家秘密"),
    ("denied_law", "2.其他法律行政法规禁止公开"),
    ("denied_security", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal", "5.属于三类内部事务信息"),
    ("denied_process", "6.属于四类过程性信息"),
    ("denied_enforcement", "7.属于行政执法案卷"),
    ("denied_query", "8.属于行政查询事项"),
])
_UNABLE = ("（四）无法提供", [
    ("unable_not_held", "1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "3.补正后申请内容仍不明确"),
])
_DECLINED = ("（五）不予处理", [
    ("declined_petition", "1.信访举报投诉类申请"),
    ("declined_duplicate", "2.重复申请"),
    ("declined_publication", "3.要求提供公开出版物"),
    ("declined_excessive", "4.无正当理由大量反复申请"),
    ("declined_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
])
_OTHER_2021 = ("（六）其他处理", [
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "3.其他"),
])


def _t3(layout_id: str) -> Table:
    labels, merges, body, outcome_rows = _t3_rows(layout_id)
    return Table("t3", "表三", "收到和处理政府信息公开申请情况", "s3", 10, 3 + len(body), 3,
                 tuple(labels), tuple(merges), _t3_fields(body, outcome_rows))


def _t3_rows(layout_id: str) -> tuple[list[Label], list[str], list[tuple[str, str]], list[str]]:
    """表三's label cells, merges and rows (row key, full label for messages) from row 4 down, and
    the keys of the outcome rows that （七）总计 adds up."""
    labels = [
        Label("A1", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        Label("D1", "申请人情况"),
        Label("D2", "自然人"),
        Label("E2", "法人或其他组织"),
        *(Label(f"{col_letter(T3_FIRST_COL + 1 + i)}3", name) for i, (_, name) in enumerate(T3_COLUMNS[1:6])),
        Label("J2", "总计"),
    ]
    merges = ["A1:C3", "D1:J1", "D2:D3", "E2:I2", "J2:J3"]
    body: list[tuple[str, str]] = []  # (row key, full label for messages)

    def add_row(row: int, key: str, full_label: str) -> None:
        body.append((key, full_label))
        assert len(body) + 3 == row

    row = 4
    labels.append(Label("A4", "一、本年新收政府信息公开申请数量"))
    merges.append("A4:C4")
    add_row(row, "new", "一、本年新收政府信息公开申请数量")
    row += 1
    labels.append(Label("A5", "二、上年结转政府信息公开申请数量"))
    merges.append("A5:C5")
    add_row(row, "carried_in", "二、上年结转政府信息公开申请数量")
    row += 1
    outcome_first = row
    labels.append(Label(f"A{row}", "三、本年度办理结果"))
    for key, text in (("granted", "（一）予以公开"),
                      ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")):
        labels.append(Label(f"B{row}", text))
        merges.append(f"B{row}:C{row}")
        add_row(row, key, text)
        row += 1
    groups = [_DENIED, _UNABLE, _DECLINED]
    if layout_id == "2021":
        groups.append(_OTHER_2021)
    for group, items in groups:
        labels.append(Label(f"B{row}", group))
        merges.append(f"B{row}:B{row + len(items) - 1}")
        for key, text in items:
            labels.append(Label(f"C{row}", text))
            add_row(row, key, f"{group[:3]}{text}")
            row += 1
    if layout_id == "2019":
        labels.append(Label(f"B{row}", "（六）其他处理"))
        merges.append(f"B{row}:C{row}")
        add_row(row, "other", "（六）其他处理")
        row += 1
    outcome_rows = [k for k, _ in body[2:]]
    labels.append(Label(f"B{row}", "（七）总计"))
    merges.append(f"B{row}:C{row}")
    add_row(row, "total", "（七）总计")
    merges.append(f"A{outcome_first}:A{row}")
    row += 1
    labels.append(Label(f"A{row}", "四、结转下年度继续办理"))
    merges.append(f"A{row}:C{row}")
    add_row(row, "carried_out", "四、结转下年度继续办理")
    return labels, merges, body, outcome_rows


def _t3_fields(body: list[tuple[str, str]], outcome_rows: list[str]) -> tuple[Field, ...]:
    """One field per row × column of 表三; the 总计 column and row name what they add up."""
    fields: list[Field] = []
    for i, (rkey, rlabel) in enumerate(body):
        r = i + 4
        for j, (ckey, clabel) in enumerate(T3_COLUMNS):
            ref = f"{col_letter(T3_FIRST_COL + j)}{r}"
            key = f"t3.{rkey}.{ckey}"
            parts: tuple[str, ...] = ()
            rule = None
            if ckey == "total":
                parts = tuple(f"t3.{rkey}.{c}" for c in T3_APPLICANTS)
                rule = "T3-ROW-TOTAL"
            elif rkey == "total":
                parts = tuple(f"t3.{o}.{ckey}" for o in outcome_rows)
                rule = "T3-OUTCOME-TOTAL"
            fields.append(Field(key, "t3", ref, C, rlabel, clabel, parts, rule))
    return tuple(fields)


def _t3_equations(t3: Table) -> tuple[Equation, ...]:
    """Rule 1 for every column D–J, and rule 3 for the 总计 column J (a total of totals)."""
    rows = [f.key.split(".")[1] for f in t3.fields if f.key.endswith(".natural")]
    outcomes = rows[2: rows.index("total")]
    eqs = [
        Equation("T3-BALANCE", (f"t3.new.{c}", f"t3.carried_in.{c}"), (f"t3.total.{c}", f"t3.carried_out.{c}"))
        for c, _ in T3_COLUMNS
    ]
    eqs.append(Equation("T3-OUTCOME-TOTAL", ("t3.total.total",), tuple(f"t3.{o}.total" for o in outcomes)))
    return tuple(eqs)


# --------------------------------------------------------------------------------------------
# 表四 政府信息公开行政复议、行政诉讼情况
# --------------------------------------------------------------------------------------------

T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("suit_direct", "行政诉讼·未经复议直接起诉"),
    ("suit_after_review", "行政诉讼·复议后起诉"),
)
T4_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


def _t4() -> Table:
    labels = [Label("A1", "行政复议"), Label("F1", "行政诉讼"),
              Label("F2", "未经复议直接起诉"), Label("K2", "复议后起诉")]
    merges = ["A1:E1", "F1:O1", "F2:J2", "K2:O2"]
    fields: list[Field] = []
    for g, (gkey, glabel) in enumerate(T4_GROUPS):
        for r, (rkey, rlabel) in enumerate(T4_RESULTS):
            col = col_letter(1 + g * 5 + r)
            if g == 0:
                labels.append(Label(f"{col}2", rlabel))
                merges.append(f"{col}2:{col}3")
            else:
                labels.append(Label(f"{col}3", rlabel))
            parts: tuple[str, ...] = ()
            if rkey == "total":
                parts = tuple(f"t4.{gkey}.{x}" for x, _ in T4_RESULTS[:-1])
            fields.append(Field(f"t4.{gkey}.{rkey}", "t4", f"{col}4", C, glabel, rlabel, parts,
                                "T4-TOTAL" if parts else None))
    labels.sort(key=lambda lb: split_ref(lb.ref))
    return Table("t4", "表四", "政府信息公开行政复议、行政诉讼情况", "s4", 15, 4, 3,
                 tuple(labels), tuple(merges), tuple(fields))


# --------------------------------------------------------------------------------------------
# The two layouts
# --------------------------------------------------------------------------------------------


def _layout(layout_id: str, notice: str, t2: Table) -> Layout:
    t3 = _t3(layout_id)
    return Layout(layout_id, notice, (t2, t3, _t4()), _sections(), _t3_equations(t3))


LAYOUTS: dict[str, Layout] = {
    "2021": _layout("2021", "国办公开办函〔2021〕30号", _t2_2021()),
    "2019": _layout("2019", "国办公开办函〔2019〕60号", _t2_2019()),
}


LAYOUT_2019, LAYOUT_2021 = "2019", "2021"
LAYOUT_IDS: tuple[str, ...] = (LAYOUT_2021, LAYOUT_2019)  # newest first: the order a source is tried in


def other_layout_id(layout_id: str) -> str:
    """The other of the two layouts (a mixed report: one layout's table in the other's report)."""
    return LAYOUT_2019 if layout_id == LAYOUT_2021 else LAYOUT_2021


def default_layout_id(year: int) -> str:
    """The layout a report year uses by default (≤2020: 2019; otherwise 2021)."""
    return LAYOUT_2019 if year <= 2020 else LAYOUT_2021


# The report-year rules, declared once (data file, workspace, template, a returned workbook's 报告年度).
# A report year nianbao accepts anywhere: a four-digit year in range.
REPORT_YEARS = range(1990, 2201)
# The 条例 took effect on 1 May 2008: the first annual reports are for 2008, and no template is made
# for an earlier year (E-TEMPLATE-YEAR-EARLY).
FIRST_REPORT_YEAR = 2008


def is_report_year(value: object) -> bool:
    """An ``int`` (not a ``bool``) in :data:`REPORT_YEARS`."""
    return isinstance(value, int) and not isinstance(value, bool) and value in REPORT_YEARS


def unusual_year(year: int, today: datetime | None = None) -> bool:
    """A report year other than this year or the previous one: most likely a typing error (a warning)."""
    now = today or datetime.now()
    return year not in (now.year, now.year - 1)


# Rule 6: this year's 二、上年结转 is last year's 四、结转下年度继续办理, per 表三 column:
# (column, this year's key, last year's key).
CARRY_PAIRS: tuple[tuple[str, str, str], ...] = tuple(
    (c, f"t3.carried_in.{c}", f"t3.carried_out.{c}") for c, _ in T3_COLUMNS)

# Rule 7 (layout 2021): 现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y), for these 表二 rows.
IN_FORCE_ROWS = ("rules", "normative")


def in_force_keys(row: str) -> tuple[str, str, str]:
    """The (现行有效, 本年制发, 本年废止) keys of a 表二 row of rule 7."""
    return f"t2.{row}.in_force", f"t2.{row}.issued", f"t2.{row}.repealed"


# 表三 （六）其他处理: one row in 2019, three in 2021 (row key prefixes); 3.其他 takes a 2019 （六）.
SIXTH_ROW_2019 = "t3.other"
SIXTH_ROWS_2021: tuple[str, ...] = tuple(f"t3.{key}" for key, _ in _OTHER_2021[1])
SIXTH_OTHER_2021 = SIXTH_ROWS_2021[-1]


def get_layout(layout_id: str) -> Layout:
    try:
        return LAYOUTS[str(layout_id)]
    except KeyError:
        raise KeyError(layout_id) from None
