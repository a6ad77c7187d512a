"""Small-cell suppression of a two-way count table published with its row, column and grand totals.

Primary: every count below the threshold (5) is suppressed, totals included. Complementary: while any
suppressed cell can still be computed exactly from what is published — the linear equations "cells of a row
add up to its total", "cells of a column add up to its total", "totals add up to the grand total", and
non-negativity — the cheapest rectangle of cells around it is suppressed (inner, non-zero, small cells
first). Exactness is decided on the reduced row-echelon form of those equations over the suppressed cells:
a cell is derivable exactly when some row of that form names it alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

Cell = tuple[int, int]  # (row, column); row == len(rows) is the totals row, column == len(columns) the totals column


@dataclass(frozen=True)
class PublishedTable:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: dict[Cell, int | None]  # None: suppressed
    reasons: dict[Cell, str]  # suppressed cell -> "primary" | "complementary"

    def value(self, row: int, column: int) -> int | None:
        return self.values[(row, column)]

    @property
    def suppressed(self) -> set[Cell]:
        return {cell for cell, value in self.values.items() if value is None}


def with_totals(cells: Sequence[Sequence[int]]) -> dict[Cell, int]:
    n, m = len(cells), len(cells[0]) if cells else 0
    grid = {(i, j): cells[i][j] for i in range(n) for j in range(m)}
    for i in range(n):
        grid[(i, m)] = sum(cells[i])
    for j in range(m):
        grid[(n, j)] = sum(cells[i][j] for i in range(n))
    grid[(n, m)] = sum(grid[(i, m)] for i in range(n))
    return grid


def equations(n: int, m: int) -> list[list[Cell]]:
    """Each equation as its cells; the last cell is the total the others add up to."""
    rows = [[*((i, j) for j in range(m)), (i, m)] for i in range(n + 1)]
    columns = [[*((i, j) for i in range(n)), (n, j)] for j in range(m + 1)]
    return rows + columns


def derivable(n: int, m: int, hidden: set[Cell], grid: dict[Cell, int] | None = None) -> set[Cell]:
    """Suppressed cells whose value follows exactly from the published cells.

    With ``grid`` (the true values) it also finds cells forced to 0 because counts are never negative: the
    hidden cells of an equation whose published part leaves nothing for them.
    """
    return _linear(n, m, hidden) | (_forced_zero(n, m, hidden, grid) if grid is not None else set())


def _forced_zero(n: int, m: int, hidden: set[Cell], grid: dict[Cell, int]) -> set[Cell]:
    forced: set[Cell] = set()
    for cells in equations(n, m):
        parts, total = [c for c in cells[:-1] if c in hidden], cells[-1]
        if parts and total not in hidden and sum(grid[c] for c in parts) == 0:
            forced.update(parts)
    return forced


def _linear(n: int, m: int, hidden: set[Cell]) -> set[Cell]:
    order = sorted(hidden)
    index = {cell: k for k, cell in enumerate(order)}
    matrix = []
    for cells in equations(n, m):
        row = [Fraction(0)] * len(order)
        for position, cell in enumerate(cells):
            if cell in index:
                row[index[cell]] += -1 if position == len(cells) - 1 else 1
        if any(row):
            matrix.append(row)
    return {order[col] for col in _unit_rows(_rref(matrix))}


def _rref(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    rows = [r[:] for r in matrix]
    pivot_row = 0
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col]:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    return rows[:pivot_row]


def _unit_rows(rows: list[list[Fraction]]) -> list[int]:
    found = []
    for row in rows:
        nonzero = [k for k, v in enumerate(row) if v]
        if len(nonzero) == 1:
            found.append(nonzero[0])
    return found


def _rectangle(cell: Cell, grid: dict[Cell, int], hidden: set[Cell], n: int, m: int) -> set[Cell]:
    """The cheapest cells to suppress so that ``cell`` sits in a fully suppressed rectangle.

    Adding t to two opposite corners of a rectangle and taking it from the other two keeps every total (the
    totals row and column included), so no equation can pin a corner. Cheapest: fewest new cells, then fewest
    totals, then fewest zeros (a zero corner blocks one direction of t), then the smallest sum.
    """
    i, j = cell

    def cost(new: frozenset[Cell]) -> tuple[int, int, int, int, list[Cell]]:
        return (len(new), sum(1 for c in new if c[0] == n or c[1] == m), sum(1 for c in new if grid[c] == 0),
                sum(grid[c] for c in new), sorted(new))

    options = [frozenset({(i, b), (a, j), (a, b)} - hidden) for a in range(n + 1) for b in range(m + 1)
               if a != i and b != j]
    # A cell forced to 0 may already sit in suppressed rectangles: then any cell not yet suppressed helps.
    options = [o for o in options if o] or [frozenset({c}) for c in grid if c not in hidden]
    return set(min(options, key=cost))


def suppress(rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[int]], *, threshold: int = 5,
             suppress_zeros: bool = False) -> PublishedTable:
    """Publishable version of ``cells`` with totals: no count below ``threshold`` can be seen or derived."""
    n, m = len(rows), len(columns)
    grid = with_totals(cells)
    reasons = {c: "primary" for c, v in grid.items() if v < threshold and (v > 0 or suppress_zeros)}
    hidden = set(reasons)
    while exposed := derivable(n, m, hidden, grid):
        for extra in _rectangle(min(exposed), grid, hidden, n, m):
            hidden.add(extra)
            reasons[extra] = "complementary"
    values = {c: (None if c in hidden else v) for c, v in grid.items()}
    return PublishedTable(tuple(rows), tuple(columns), values, reasons)
