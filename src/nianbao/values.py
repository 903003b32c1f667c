"""The one value normaliser: every number read from a workbook cell or a JSON data file goes here.

Rules (datapoints.md, statutory-format.md rules 5 and 10):
- numbers are taken as they are; numeric text is read after NFKC (full-width digits and commas),
  with thousands separators and surrounding white space removed;
- blank, ``/``, ``-``, ``—``, ``－``, ``无`` read as 0 with a warning (``VALUE-BLANK``);
- a number followed by a note (``22（其中修订16件）``, ``12万元``) reads as the number with a warning
  (``VALUE-NOTE``);
- anything else is an error (``VALUE-NOT-NUMBER``);
- an amount (unit 万元) written with a unit is an error: ``20300元`` reads as 2.03 (converted,
  ``VALUE-AMOUNT-YUAN``), ``12万元`` as 12 (``VALUE-AMOUNT-WAN``): a clerk who writes the unit may
  have counted in 元, a 10,000-fold error;
- a count must be a whole number ≥ 0 (``VALUE-NOT-INTEGER``, ``VALUE-NEGATIVE``), a signed count
  (``本年增/减``) any whole number, an amount any decimal ≥ 0. Such a value is still returned, so the
  totals around it can be checked too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from nianbao.layout import Kind

Number = int | Decimal

BLANK_MARKERS = frozenset({"", "/", "-", "—", "－", "无", "——", "--", "–", "∕", "\\"})

_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
# What may follow a number for the rest to count as a note: not part of a number or a range.
_NOT_A_NOTE_START = re.compile(r"^[\d.,+\-/eE]")


@dataclass(frozen=True)
class Normalised:
    value: Number | None  # None only when the raw value is unreadable
    issue: str | None = None  # rule code of the problem, if any
    raw: str = ""

    @property
    def is_error(self) -> bool:
        return self.issue in ERROR_ISSUES


ERROR_ISSUES = frozenset({"VALUE-NOT-NUMBER", "VALUE-NEGATIVE", "VALUE-NOT-INTEGER", "VALUE-AMOUNT-YUAN",
                          "VALUE-AMOUNT-WAN"})
_YUAN = frozenset({"元", "元整", "圆"})
_WAN = frozenset({"万元", "万", "万圆"})

EXPECT_TEXT = {
    Kind.COUNT: "不小于 0 的整数",
    Kind.SIGNED: "整数（减少时填负数）",
    Kind.AMOUNT: "不小于 0 的数字（可有小数）",
}


def normalise(raw: object, kind: Kind) -> Normalised:
    """Read one cell or JSON value as a number of the given kind."""
    if raw is None:
        return Normalised(0, "VALUE-BLANK", "")
    if type(raw) is int:  # the usual cell: what the general path below gives an int, without Decimal
        value: Number = Decimal(raw) if kind is Kind.AMOUNT else raw
        return Normalised(value, "VALUE-NEGATIVE" if raw < 0 and kind is not Kind.SIGNED else None, str(raw))
    if isinstance(raw, bool) or isinstance(raw, (datetime, date, time)):
        return Normalised(None, "VALUE-NOT-NUMBER", _show_date(raw))
    if isinstance(raw, (int, float, Decimal)):
        try:
            number = _to_decimal(raw)
        except (InvalidOperation, ValueError):
            return Normalised(None, "VALUE-NOT-NUMBER", str(raw))
        return _check_kind(number, kind, _show(raw), None)
    if isinstance(raw, str):
        return _from_text(raw, kind)
    return Normalised(None, "VALUE-NOT-NUMBER", str(raw))


def _from_text(raw: str, kind: Kind) -> Normalised:
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"\s+", "", text)
    if text in BLANK_MARKERS:
        return Normalised(0, "VALUE-BLANK", raw)
    m = _NUMBER.match(text)
    if not m:
        return Normalised(None, "VALUE-NOT-NUMBER", raw)
    sign, digits, frac = m.groups()
    rest = text[m.end():]
    if rest and _NOT_A_NOTE_START.match(rest):
        return Normalised(None, "VALUE-NOT-NUMBER", raw)
    number = Decimal(sign + digits.replace(",", "") + (frac or ""))
    if kind is Kind.AMOUNT and rest in _YUAN:
        return _check_kind(number / 10000, kind, raw, "VALUE-AMOUNT-YUAN")
    if kind is Kind.AMOUNT and rest in _WAN:
        return _check_kind(number, kind, raw, "VALUE-AMOUNT-WAN")
    return _check_kind(number, kind, raw, "VALUE-NOTE" if rest else None)


def _check_kind(number: Decimal, kind: Kind, raw: str, issue: str | None) -> Normalised:
    if not number.is_finite():
        return Normalised(None, "VALUE-NOT-NUMBER", raw)
    whole = number == number.to_integral_value()
    value: Number = int(number) if whole and kind is not Kind.AMOUNT else number
    if kind is Kind.AMOUNT and whole:
        value = Decimal(int(number))
    if kind is not Kind.AMOUNT and not whole:
        return Normalised(value, "VALUE-NOT-INTEGER", raw)
    if kind is not Kind.SIGNED and number < 0:
        return Normalised(value, "VALUE-NEGATIVE", raw)
    return Normalised(value, issue, raw)


def _to_decimal(raw: int | float | Decimal) -> Decimal:
    if isinstance(raw, float):
        # repr gives the shortest text that round-trips: 0.1 → "0.1", not 0.1000000000000000055…
        return Decimal(repr(raw))
    return Decimal(raw)


def _show_date(raw: object) -> str:
    """A date typed into a number cell as the clerk typed it: ``2023-01-05``, not ``… 00:00:00``."""
    if isinstance(raw, datetime) and raw.time() == time(0, 0):
        return raw.date().isoformat()
    return str(raw)


def _show(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def to_json_number(value: Number) -> int | float:
    """A value as a JSON number: whole numbers as int, decimals as the shortest float."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    return value


def show(value: Number | None) -> str:
    """A number as a clerk writes it: ``3``, ``0.12``, never ``3.0`` or ``1E+1``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)
