"""Sections of different units of one campaign that are ≥ 80 % alike (one unit copied another's).

Comparing every pair is quadratic (a province has thousands of units, four sections each), so the
candidates come from MinHash signatures of character shingles and locality-sensitive hashing: a
signature is cut into bands, and only sections that agree on a whole band are compared exactly
(``similarity.ratio``). The MinHash is one-permutation hashing: each shingle is hashed once
(BLAKE2b, stdlib) into one of ``PERMUTATIONS`` bins, keeping the least value per bin; that is a
MinHash signature at the cost of one hash per shingle.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from nianbao.compare.similarity import COMPARED_SECTIONS, PASSAGE_MIN, WARN_AT, clean, quote
from nianbao.model import Report, Unit

SHINGLE = 5  # characters per shingle
PERMUTATIONS = 128  # signature length (bins)
BANDS, ROWS = 32, 4  # 32 bands of 4: sections with shingle Jaccard ≥ ~0.45 become candidates
ESTIMATE_MIN = 0.35  # candidates whose signatures agree on fewer bins are not compared exactly
MIN_CHARS = 50  # shorter sections (本年度未收取信息处理费。) are alike across units by nature
_EMPTY = 1 << 64


@dataclass(frozen=True)
class Copy:
    """Two units whose sections are ≥ 80 % alike."""

    unit_a: Unit
    section_a: str
    unit_b: Unit
    section_b: str
    ratio: float
    passage: str

    @property
    def percent(self) -> int:
        return int(self.ratio * 100 + 0.5)

    def to_json(self) -> dict[str, object]:
        return {"unit_a": self.unit_a.to_json(), "section_a": self.section_a,
                "unit_b": self.unit_b.to_json(), "section_b": self.section_b,
                "similarity": round(self.ratio, 4), "passage": self.passage}


def signature(text: str) -> tuple[int, ...]:
    """One-permutation MinHash of the text's character shingles; an empty bin never matches."""
    mins = [_EMPTY] * PERMUTATIONS
    for i in range(max(1, len(text) - SHINGLE + 1)):
        h = int.from_bytes(hashlib.blake2b(text[i:i + SHINGLE].encode("utf-8"), digest_size=8).digest(), "big")
        b, v = h % PERMUTATIONS, h // PERMUTATIONS
        if v < mins[b]:
            mins[b] = v
    return tuple(mins)


def estimate(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The Jaccard similarity of two shingle sets, estimated from their signatures."""
    both = sum(1 for x, y in zip(a, b, strict=True) if x == y and x != _EMPTY)
    filled = sum(1 for x, y in zip(a, b, strict=True) if x != _EMPTY or y != _EMPTY)
    return both / filled if filled else 0.0


def _bands(sig: tuple[int, ...]) -> Iterable[tuple[int, tuple[int, ...]]]:
    for band in range(BANDS):
        part = sig[band * ROWS:(band + 1) * ROWS]
        if _EMPTY not in part:
            yield band, part


def find_copies(reports: Sequence[Report], *, threshold: float = WARN_AT,
                sections: Sequence[str] = COMPARED_SECTIONS) -> list[Copy]:
    """Every pair of sections of *different* units at least ``threshold`` alike, best first."""
    entries: list[tuple[int, str, str, str]] = []  # (report index, section, original, cleaned)
    signatures: list[tuple[int, ...]] = []
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for r_index, report in enumerate(reports):
        for section in sections:
            original = (report.text.get(section) or "").strip()
            cleaned = clean(original).text
            if len(cleaned) < MIN_CHARS:
                continue
            e_index = len(entries)
            entries.append((r_index, section, original, cleaned))
            sig = signature(cleaned)
            signatures.append(sig)
            for key in _bands(sig):
                buckets[key].append(e_index)
    candidates: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > 1:
            candidates.update(combinations(members, 2))
    found: dict[tuple[int, int], Copy] = {}
    for i, j in sorted(candidates):
        ri, si, oi, ci = entries[i]
        rj, sj, _, cj = entries[j]
        if ri == rj or _same_unit(reports[ri].unit, reports[rj].unit):
            continue
        if estimate(signatures[i], signatures[j]) < ESTIMATE_MIN:
            continue
        matcher = SequenceMatcher(None, ci, cj, autojunk=False)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        r = matcher.ratio()
        if r < threshold:
            continue
        block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
        passage = quote(oi, clean(oi), block.a, block.size) if block.size >= PASSAGE_MIN else ""
        pair = (min(ri, rj), max(ri, rj))
        copy = Copy(reports[ri].unit, si, reports[rj].unit, sj, r, passage)
        if pair not in found or found[pair].ratio < r:
            found[pair] = copy
    return sorted(found.values(), key=lambda c: (-c.ratio, c.unit_a.name, c.unit_b.name))


def _same_unit(a: Unit, b: Unit) -> bool:
    return bool(a.code and a.code == b.code) or a.name == b.name
