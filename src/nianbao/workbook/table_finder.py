"""Finding the statutory tables in a returned workbook, and what was done to them.

Tables are found by their labels (compared after ``layout.normalise_label``), never by trusting a
position: a table at its declared place matches at once; a table whose rows were inserted or deleted
is followed label by label (each declared row gets the row it moved to); a table on a renamed or
copied sheet is found by searching every sheet. The checks here (labels, formulas, merges,
locks, content outside the tables) compare what was found with ``layout`` and ``form``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from nianbao.findings import Finding, error, warning
from nianbao.layout import Layout, Table, cells_in_range, col_letter, normalise_label, split_ref
from nianbao.messages import message
from nianbao.workbook import form
from nianbao.workbook.xlsx import CellRecord, SheetRecord

Index = dict[str, list[tuple[int, int]]]  # normalised text → positions (row, col)

MIN_VOTES = 0.2  # share of a table's labels at one offset for a sheet to be looked at closely
MIN_SCORE = 0.5  # share of a table's labels found (moved or not) for the table to count as found


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    return normalise_label(str(value))


def sheet_index(ws: SheetRecord) -> Index:
    """Every text cell of a sheet by its normalised text (one pass over the stored cells)."""
    out: Index = {}
    for (row, col), c in ws.cells.items():
        if isinstance(c.value, str) and c.value and not c.value.startswith("="):
            out.setdefault(normalise_label(c.value), []).append((row, col))
    return out


def value_at(ws: SheetRecord, row: int, col: int) -> Any:
    c = ws.cells.get((row, col))
    return None if c is None else c.value


@dataclass
class FoundTable:
    """Where one declared table was found: its sheet and the actual row/column of each declared one."""

    table: Table
    ws: SheetRecord
    rows: dict[int, int]
    cols: dict[int, int]
    score: float
    moves: list[tuple[str, str, str]] = field(default_factory=list)  # (label, expected ref, actual ref)
    altered: list[tuple[str, str, str]] = field(default_factory=list)  # (actual ref, expected, actual)
    deleted: list[tuple[str, str]] = field(default_factory=list)  # (label, declared ref) of deleted rows
    deleted_rows: set[int] = field(default_factory=set)  # declared rows no longer in the sheet
    _refs: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # ref() remembered

    @property
    def sheet(self) -> str:
        return str(self.ws.title)

    def pos(self, ref: str) -> tuple[int, int]:
        if self.in_place:
            return split_ref(ref)
        r, c = split_ref(ref)
        return self.rows.get(r, r), self.cols.get(c, c)

    def ref(self, declared: str) -> str:
        if self.in_place:
            return declared
        try:
            return self._refs[declared]
        except KeyError:
            r, c = self.pos(declared)
            out = self._refs[declared] = f"{col_letter(c)}{r}"
            return out

    def cell_name(self, declared: str) -> str:
        return f"{self.sheet}!{self.ref(declared)}"

    def value(self, declared: str) -> Any:
        return value_at(self.ws, *self.pos(declared))

    def cell(self, declared: str) -> CellRecord | None:
        return self.ws.cells.get(self.pos(declared))

    def pos_any(self, ref: str) -> tuple[int, int]:
        """``pos`` for any cell of the sheet: beyond the table, the shift of its last row/column."""
        r, c = split_ref(ref)
        n_rows, n_cols = self.table.n_rows, self.table.n_cols
        row = self.rows[r] if r in self.rows else r + self.rows.get(n_rows, n_rows) - n_rows
        col = self.cols[c] if c in self.cols else c + self.cols.get(n_cols, n_cols) - n_cols
        return row, col

    def is_deleted(self, declared: str) -> bool:
        return split_ref(declared)[0] in self.deleted_rows

    @property
    def shifted(self) -> bool:
        return bool(self.moves)

    @cached_property
    def in_place(self) -> bool:
        """Every declared row and column where the layout declares it (no row moved or deleted)."""
        return (not self.moves and not self.deleted_rows and all(k == v for k, v in self.rows.items())
                and all(k == v for k, v in self.cols.items()))


@dataclass(frozen=True)
class DeclaredTable:
    """What locating and reading a table needs from its declaration, the same for every workbook:
    made once per process (:func:`declared`)."""

    labels: tuple[tuple[tuple[int, int], str], ...]  # (declared (row, col), normalised text)
    fields: tuple[tuple[Any, tuple[int, int], bool], ...]  # (field, declared (row, col), is an input)
    inputs: dict[tuple[int, int], Any]  # {declared (row, col): input field}
    locked: tuple[tuple[tuple[int, int], str], ...]  # (declared (row, col), ref) of labels and totals
    merges: frozenset[str]  # the declared merged ranges, as ``A1:C3``
    covered: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # merged range → inputs it covers


_DECLARED: dict[int, tuple[Table, DeclaredTable]] = {}


def declared(table: Table) -> DeclaredTable:
    """The :class:`DeclaredTable` of a table (tables are the layout's own constants: remembered by
    identity, checked, so an equal copy made elsewhere is never mistaken for another)."""
    hit = _DECLARED.get(id(table))
    if hit is None or hit[0] is not table:
        if len(_DECLARED) > 256:  # tables made on the fly (never by the layouts): start again
            _DECLARED.clear()
        labels = tuple((split_ref(lb.ref), normalise_label(lb.text)) for lb in table.labels)
        fields = tuple((f, split_ref(f.ref), f.is_input) for f in table.fields)
        inputs = {pos: f for f, pos, is_input in fields if is_input}
        locked = tuple((split_ref(ref), ref) for ref in
                       [lb.ref for lb in table.labels] + [f.ref for f in table.fields if f.is_total])
        merges = frozenset(f"{first}:{last}" for first, _, last in (rng.partition(":") for rng in table.merges))
        hit = _DECLARED[id(table)] = (table, DeclaredTable(labels, fields, inputs, locked, merges))
    return hit[1]


def _found_in_place(table: Table, ws: SheetRecord) -> FoundTable | None:
    """The table where the layout declares it, when every label is there as declared: what
    :func:`best_offset` and :func:`place` find for such a sheet, without indexing it."""
    cells = ws.cells
    for pos, want in declared(table).labels:
        c = cells.get(pos)
        if c is None:
            return None
        v = c.value
        if not isinstance(v, str) or v.startswith("=") or normalise_label(v) != want:
            return None
    rows = {r: r for r in range(1, table.n_rows + 1)}
    cols = {c: c for c in range(1, table.n_cols + 1)}
    return FoundTable(table, ws, rows, cols, 1.0)


def best_offset(table: Table, index: Index) -> tuple[tuple[int, int], float]:
    """The offset at which most of the table's labels are found, and the share found there."""
    votes: Counter[tuple[int, int]] = Counter()
    for lb in table.labels:
        r, c = split_ref(lb.ref)
        for (r2, c2) in index.get(normalise_label(lb.text), ()):
            votes[(r2 - r, c2 - c)] += 1
    if not votes:
        return (0, 0), 0.0
    # prefer the declared position on a tie
    offset, n = max(votes.items(), key=lambda kv: (kv[1], kv[0] == (0, 0)))
    return offset, n / len(table.labels)


def place(table: Table, ws: SheetRecord, index: Index, offset: tuple[int, int], score: float) -> FoundTable:
    """Follow the labels from ``offset``: the actual row of each declared row, moves, altered labels."""
    dr, dc = offset
    rows: dict[int, int] = {}
    cols: dict[int, int] = {c: c + dc for c in range(1, table.n_cols + 1)}
    moves: list[tuple[str, str, str]] = []
    altered: list[tuple[str, str, str]] = []
    deleted: list[tuple[str, str]] = []
    deleted_rows: set[int] = set()
    labels = sorted(table.labels, key=lambda lb: split_ref(lb.ref))
    row_of: dict[int, dict[str, int]] = {}  # declared column → label text → declared row
    for lb in labels:
        r, c = split_ref(lb.ref)
        row_of.setdefault(c, {}).setdefault(normalise_label(lb.text), r)
    last_row = 0
    for lb in labels:
        r, c = split_ref(lb.ref)
        want = normalise_label(lb.text)
        row, col = r + dr, cols[c]
        here = cell_text(value_at(ws, row, col))
        if here != want:
            near = _near(labels, lb, index, want, dr, c, row, col, last_row)
            shifted_to = _inserted_columns(ws, index, want, row, col)
            if near:
                r2, _ = min(near, key=lambda p: abs(p[0] - row))
                if (r2, col) != (r, c):
                    moves.append((lb.text, f"{col_letter(c)}{r}", f"{col_letter(col)}{r2}"))
                dr = r2 - r
                row = r2
            elif shifted_to is not None:  # empty columns inserted before this one
                for k in cols:
                    if k >= c:
                        cols[k] += shifted_to - col
                col = shifted_to
                if (row, col) != (r, c):
                    moves.append((lb.text, f"{col_letter(c)}{r}", f"{col_letter(col)}{row}"))
            elif row_of.get(c, {}).get(here, 0) > r:
                # the cell holds the label of a later row: the rows up to that one were deleted
                later = row_of[c][here]
                deleted_rows.update(range(r, later))
                deleted.append((lb.text, lb.ref))
                dr = row - later
            else:
                altered.append((f"{col_letter(col)}{row}", lb.text, str(value_at(ws, row, col) or "")))
        rows.setdefault(r, row)
        last_row = max(last_row, rows[r])
    _unlabelled_rows(table, rows, offset[0])
    # a move that is just the whole table's offset is reported once, by the first label
    first = labels[0]
    r, c = split_ref(first.ref)
    if not moves and (rows[r], cols[c]) != (r, c):
        moves.append((first.text, first.ref, f"{col_letter(cols[c])}{rows[r]}"))
    return FoundTable(table, ws, rows, cols, score, moves, altered, deleted, deleted_rows)


def _unlabelled_rows(table: Table, rows: dict[int, int], shift: int) -> None:
    """Rows without labels (numbers only) move with the nearest labelled row above them."""
    for r in range(1, table.n_rows + 1):
        if r in rows:
            shift = rows[r] - r
        else:
            rows[r] = r + shift


def _near(labels: list[Any], lb: Any, index: Index, want: str, dr: int, c: int, row: int, col: int,
          last_row: int) -> list[tuple[int, int]]:
    """Where a label not at its place may have moved: its text in the same column, at most 30 rows
    away and below the rows already placed; a label the table repeats (信息内容) is not followed to
    where its next copy belongs."""
    others = {split_ref(x.ref)[0] + dr for x in labels
              if x is not lb and normalise_label(x.text) == want and split_ref(x.ref)[1] == c}
    return [(r2, c2) for (r2, c2) in index.get(want, ())
            if c2 == col and r2 > last_row - 1 and abs(r2 - row) <= 30 and r2 not in others]


def _inserted_columns(ws: SheetRecord, index: Index, want: str, row: int, col: int) -> int | None:
    """The column a label moved to when empty columns were inserted before it (same row, ≤ 5 right)."""
    if value_at(ws, row, col) not in (None, ""):
        return None
    for c2 in sorted(c for r2, c in index.get(want, ()) if r2 == row and col < c <= col + 5):
        if all(value_at(ws, row, k) in (None, "") for k in range(col, c2)):
            return c2
    return None


def find_table(table: Table, sheets: list[SheetRecord], indexes: dict[str, Index],
               prefer: str | None = None) -> FoundTable | None:
    """The table in the preferred sheet if it is there, else the best match in any sheet.

    A sheet is a candidate when a fair share of the labels sit at one offset; its score is then the
    share of labels found at all, moved rows included, so a table with inserted rows still counts.
    """
    best: FoundTable | None = None
    if prefer is not None:  # the usual case: the table at its declared place on its own sheet
        for ws in sheets:
            if ws.title == prefer:
                found = _found_in_place(table, ws)
                if found is not None:
                    return found
    # the preferred sheet first: when the table is there, no other sheet need be read
    for ws in sorted(sheets, key=lambda ws: ws.title != prefer):
        offset, votes = best_offset(table, indexes[ws.title])
        if votes < MIN_VOTES:
            continue
        p = place(table, ws, indexes[ws.title], offset, 0.0)
        p.score = 1 - len(p.altered) / len(table.labels)
        if p.score < MIN_SCORE:
            continue
        if ws.title == prefer:
            return p
        if best is None or p.score > best.score:
            best = p
    return best


# ------------------------------------------------------------------------------------------------
# Checks on a placed table
# ------------------------------------------------------------------------------------------------


def label_findings(p: FoundTable, *, strict: bool) -> list[Finding]:
    """Altered labels: in a template an error; in a table typed without it (copied from a published
    report, typos and older names included) a variant, warned about, its row read by position."""
    make, code = (error, "LABEL-ALTERED") if strict else (warning, "LABEL-VARIANT")
    out = [make(code, cells=(f"{p.sheet}!{ref}",), expected=exp, actual=" ".join(act.split()),
                cell=f"{p.sheet}!{ref}")
           for ref, exp, act in p.altered]
    if p.moves and strict:
        label, exp, act = p.moves[0]
        out.append(error("TABLE-MOVED", cells=(f"{p.sheet}!{act}",), expected=exp, actual=act,
                         sheet=p.sheet, label=label))
    for label, ref in p.deleted:
        row = split_ref(ref)[0]
        keys = tuple(f.key for f in p.table.fields if split_ref(f.ref)[0] == row)
        out.append(error("ROW-DELETED", keys=keys, cells=(f"{p.sheet}!{ref}",), sheet=p.sheet, label=label,
                         cell=f"{p.sheet}!{ref}", expected=ref, actual=""))
    return out


def merged_input_findings(p: FoundTable) -> list[Finding]:
    """Input cells covered by a merge (not its top-left cell): their numbers cannot be read.

    LibreOffice keeps a covered cell's number hidden in the file, Excel deletes it; either way the
    clerk no longer sees it, so it is an error, never a silent 0.
    """
    out = []
    d = declared(p.table)
    if p.in_place:  # the declared positions: the same for every workbook
        inputs = d.inputs
    else:
        inputs = {p.pos(f.ref): f for f in p.table.fields if f.is_input and not p.is_deleted(f.ref)}
    for rng in p.ws.merged:
        known = d.covered.get(rng) if p.in_place else None  # the same merges in every workbook: once each
        covered = known if known is not None else _covered_inputs(inputs, rng)
        if p.in_place and known is None and len(d.covered) < 1024:
            d.covered[rng] = covered
        if covered:
            refs = [p.ref(f.ref) for f in covered]
            out.append(error("INPUT-MERGED", keys=tuple(f.key for f in covered),
                             cells=tuple(f"{p.sheet}!{r}" for r in refs), sheet=p.sheet,
                             cell_list="、".join(refs), range=str(rng)))
    return out


def _covered_inputs(inputs: dict[tuple[int, int], Any], rng: str) -> tuple[Any, ...]:
    """The input fields a merged range covers (all its cells but the top-left one), in sheet order."""
    first, _, last = rng.partition(":")
    (r1, c1), (r2, c2) = split_ref(first), split_ref(last or first)
    if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(inputs):  # a small range: its own cells
        return tuple(inputs[r, c] for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                     if (r, c) in inputs and (r, c) != (r1, c1))
    return tuple(f for (r, c), f in sorted(inputs.items())
                 if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1))


_TOKEN = re.compile(r"\s*(SUM\(|\(|\)|[,;+]|(?:'?[^'!]+'?!)?[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)", re.I)


def formula_cells(formula: str) -> list[str] | None:
    """The cells a plain sum formula adds up (``=SUM(D4:I4)``, ``=D6+D7``), or None for anything else."""
    text = formula.lstrip("=").replace("$", "").upper()
    cells: list[str] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            return None
        tok = m.group(1)
        pos = m.end()
        if tok in {"SUM(", "(", ")", ",", ";", "+"}:
            continue
        ref = tok.split("!")[-1]
        cells.extend(cells_in_range(ref))
    return cells


def formula_text(value: Any) -> str | None:
    """A cell's formula, whether stored as text or as an array formula (``xlsx.ArrayFormula``)."""
    if isinstance(value, str) and value.startswith("="):
        return value
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text if text.startswith("=") else "=" + text
    return None


def merge_findings(p: FoundTable) -> list[Finding]:
    actual = set(p.ws.merged)
    if p.in_place:
        expected = set(declared(p.table).merges)
    else:
        expected = set()
        for rng in p.table.merges:
            first, _, last = rng.partition(":")
            expected.add(f"{p.ref(first)}:{p.ref(last)}")
    top, left = p.pos("A1")
    bottom, right = p.pos(f"{col_letter(p.table.n_cols)}{p.table.n_rows}")
    inside = set()
    for rng in actual:
        r, c = split_ref(rng.split(":")[0])
        if top <= r <= bottom and left <= c <= right:
            inside.add(rng)
    missing, extra = sorted(expected - actual), sorted(inside - expected)
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append(message("MERGE-MISSING", cells="、".join(missing[:5])))
    if extra:
        parts.append(message("MERGE-EXTRA", cells="、".join(extra[:5])))
    return [warning("MERGE-ALTERED", cells=tuple(f"{p.sheet}!{r}" for r in missing + extra),
                    sheet=p.sheet, detail="；".join(parts))]


def lock_findings(p: FoundTable, layout: Layout) -> list[Finding]:
    """Label and total cells must stay locked (an unlocked one invites overwriting)."""
    cells = p.ws.cells
    unlocked = []
    for pos, ref in declared(p.table).locked:
        c = cells.get(pos if p.in_place else p.pos(ref))
        if c is not None and not c.locked:
            unlocked.append(p.ref(ref))
    if not unlocked:
        return []
    return [warning("CELL-UNLOCKED", cells=tuple(f"{p.sheet}!{r}" for r in unlocked), sheet=p.sheet,
                    cell_list=_cell_list(unlocked, 8))]


def outside_findings(p: FoundTable, layout: Layout) -> list[Finding]:
    """Text or numbers on a table's sheet outside the table and the form's own check cells."""
    top, left = p.pos("A1")
    bottom, right = p.pos(f"{col_letter(p.table.n_cols)}{p.table.n_rows}")
    allowed: set[tuple[int, int]] | frozenset[tuple[int, int]] = set()
    if layout.table_by_id.get(p.table.id) is p.table:
        refs = _form_cells(layout, p.table)
        allowed = _declared_positions(refs) if p.in_place else {p.pos_any(r) for r in refs}
    found = []
    for (row, col), c in p.ws.cells.items():
        if top <= row <= bottom and left <= col <= right:
            continue
        if (row, col) in allowed or c.value is None or (isinstance(c.value, str) and not c.value.strip()):
            continue
        found.append((row, col))
    if not found:
        return []
    outside = [f"{col_letter(col)}{row}" for row, col in sorted(found)]
    return [warning("CONTENT-OUTSIDE", cells=tuple(f"{p.sheet}!{r}" for r in outside), sheet=p.sheet,
                    cell_list=_cell_list(outside, 5))]



def _cell_list(refs: list[str], shown: int) -> str:
    """The first ``shown`` cells, joined the way a message lists them (``D4、E4等``)."""
    listed = message("CELL-LIST-SEPARATOR").join(refs[:shown])
    return message("CELL-LIST-MORE", cells=listed) if len(refs) > shown else listed


_FORM_CELLS: dict[tuple[int, int], tuple[Layout, Table, tuple[str, ...]]] = {}


def _form_cells(layout: Layout, table: Table) -> tuple[str, ...]:
    """The cells the form writes beside a table on its sheet (checks, status, the unit mark), as
    declared; made once per layout and table."""
    hit = _FORM_CELLS.get((id(layout), id(table)))
    if hit is None or hit[0] is not layout or hit[1] is not table:
        if len(_FORM_CELLS) > 256:
            _FORM_CELLS.clear()
        placement = form.table_placement(layout, table.sheet)
        refs = [c.ref for c in placement.checks] + [r for r, _ in placement.below_labels]
        refs += [placement.status_label_ref, placement.status_ref, placement.unit_mark_ref]
        if placement.beside_header_ref:
            refs.append(placement.beside_header_ref)
        hit = _FORM_CELLS[(id(layout), id(table))] = (layout, table, tuple(refs))
    return hit[2]


@lru_cache(maxsize=64)
def _declared_positions(refs: tuple[str, ...]) -> frozenset[tuple[int, int]]:
    return frozenset(split_ref(r) for r in refs)
