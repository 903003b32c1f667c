"""The one value normaliser (datapoints.md; statutory-format.md rules 5 and 10)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.layout import Kind
from nianbao.values import normalise, show

C, S, A = Kind.COUNT, Kind.SIGNED, Kind.AMOUNT


@pytest.mark.parametrize(
    ("raw", "kind", "value", "issue"),
    [
        (3, C, 3, None),
        (3.0, C, 3, None),
        ("12", C, 12, None),
        (" 12 ", C, 12, None),
        ("1,234", C, 1234, None),
        ("1，234", C, 1234, None),
        ("１２", C, 12, None),
        ("\u3000７\u3000", C, 7, None),
        ("22（其中修订16件）", C, 22, "VALUE-NOTE"),
        ("55(含自然失效29件)", C, 55, "VALUE-NOTE"),
        ("3件", C, 3, "VALUE-NOTE"),
        ("12.5万元", A, Decimal("12.5"), "VALUE-AMOUNT-WAN"),
        (None, C, 0, "VALUE-BLANK"),
        ("", C, 0, "VALUE-BLANK"),
        ("  ", C, 0, "VALUE-BLANK"),
        ("/", C, 0, "VALUE-BLANK"),
        ("-", C, 0, "VALUE-BLANK"),
        ("—", C, 0, "VALUE-BLANK"),
        ("－", C, 0, "VALUE-BLANK"),
        ("无", C, 0, "VALUE-BLANK"),
        ("-3", S, -3, None),
        ("－3", S, -3, None),
        (-3, S, -3, None),
        (0.12, A, Decimal("0.12"), None),
        ("7730.28", A, Decimal("7730.28"), None),
        (5, A, Decimal(5), None),
        (-3, C, -3, "VALUE-NEGATIVE"),
        ("-1", C, -1, "VALUE-NEGATIVE"),
        (-0.5, A, Decimal("-0.5"), "VALUE-NEGATIVE"),
        (2.5, C, Decimal("2.5"), "VALUE-NOT-INTEGER"),
        ("2.5", S, Decimal("2.5"), "VALUE-NOT-INTEGER"),
        ("abc", C, None, "VALUE-NOT-NUMBER"),
        ("约20", C, None, "VALUE-NOT-NUMBER"),
        ("20-30", C, None, "VALUE-NOT-NUMBER"),
        ("1.2.3", C, None, "VALUE-NOT-NUMBER"),
        ("1,23", C, None, "VALUE-NOT-NUMBER"),
        (True, C, None, "VALUE-NOT-NUMBER"),
        (float("nan"), C, None, "VALUE-NOT-NUMBER"),
        (float("inf"), A, None, "VALUE-NOT-NUMBER"),
    ],
)
def test_normalise(raw: object, kind: Kind, value: object, issue: str | None) -> None:
    n = normalise(raw, kind)
    assert (n.value, n.issue) == (value, issue)
    if value is not None:
        assert type(n.value) is type(value)


def test_errors_and_warnings_are_told_apart() -> None:
    assert normalise("abc", C).is_error
    assert normalise(-1, C).is_error
    assert not normalise("/", C).is_error
    assert not normalise("22（注）", C).is_error


@given(st.integers(min_value=0, max_value=10**9))
def test_counts_round_trip_through_every_text_form(n: int) -> None:
    full_width = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for form in (n, float(n), str(n), f"{n:,}", f" {n} ", full_width):
        assert normalise(form, C).value == n
        assert normalise(form, C).issue is None


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False))
def test_amounts_keep_their_decimals(d: Decimal) -> None:
    assert normalise(str(d), A).value == d
    assert normalise(float(d), A).value == d


def test_show_writes_numbers_as_a_clerk_does() -> None:
    assert show(Decimal("12.50")) == "12.5"
    assert show(Decimal("10")) == "10"
    assert show(3) == "3"
    assert show(None) == ""
