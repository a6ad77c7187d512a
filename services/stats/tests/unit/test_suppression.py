"""Small-cell suppression: an attacker with the published totals must not recover any suppressed count.

The attacker here is independent of the code under test: it enumerates every table of non-negative integers
that agrees with what is published and checks that each suppressed cell could have at least two values.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from stats.domain.suppression import Cell, PublishedTable, derivable, equations, suppress


def consistent_tables(table: PublishedTable) -> Iterator[dict[Cell, int]]:
    """Every assignment of the suppressed cells that satisfies all published row/column/grand totals."""
    checks = equations(len(table.rows), len(table.columns))

    def propagate(assign: dict[Cell, int]) -> bool:
        changed = True
        while changed:
            changed = False
            for cells in checks:
                values = [assign.get(c, table.values[c]) for c in cells]
                unknown = [k for k, v in enumerate(values) if v is None]
                parts = sum(v for v in values[:-1] if v is not None)
                if not unknown:
                    if parts != values[-1]:
                        return False
                elif len(unknown) == 1:
                    k = unknown[0]
                    value = parts if k == len(cells) - 1 else values[-1] - parts
                    if value < 0:
                        return False
                    assign[cells[k]], changed = value, True
                elif values[-1] is not None and parts > values[-1]:
                    return False
        return True

    def bound(cell: Cell) -> int:
        totals = [table.values[cells[-1]] for cells in checks if cell in cells[:-1]]
        known = [t for t in totals if t is not None]
        return min(known) if known else max(v for v in table.values.values() if v is not None)

    def walk(assign: dict[Cell, int]) -> Iterator[dict[Cell, int]]:
        if not propagate(assign):
            return
        open_cells = sorted(table.suppressed - assign.keys(), key=bound)
        if not open_cells:
            yield assign
            return
        for value in range(bound(open_cells[0]) + 1):
            yield from walk({**assign, open_cells[0]: value})

    yield from walk({})


def possible_values(table: PublishedTable) -> dict[Cell, set[int]]:
    seen: dict[Cell, set[int]] = {c: set() for c in table.suppressed}
    for solution in consistent_tables(table):
        for cell, value in solution.items():
            seen[cell].add(value)
    return seen


CELLS = [[2, 6, 7], [5, 8, 6], [9, 6, 5]]  # row totals 15, 19, 20; column totals 16, 20, 18; grand total 54


def test_primary_suppression_alone_would_leak_through_the_totals() -> None:
    # Hiding only the 2 lets anyone compute it: 15 − 6 − 7 = 2. This is what complementary suppression prevents.
    assert derivable(3, 3, {(0, 0)}) == {(0, 0)}
    leaky = PublishedTable(("a", "b", "c"), ("x", "y", "z"), {
        **{(i, j): v for i, row in enumerate(CELLS) for j, v in enumerate(row)}, (0, 0): None,
        (0, 3): 15, (1, 3): 19, (2, 3): 20, (3, 0): 16, (3, 1): 20, (3, 2): 18, (3, 3): 54}, {})
    assert possible_values(leaky) == {(0, 0): {2}}


def test_counts_under_five_are_hidden_and_cannot_be_recovered_from_totals() -> None:
    table = suppress(("a", "b", "c"), ("x", "y", "z"), CELLS)
    assert table.value(0, 0) is None and table.reasons[(0, 0)] == "primary"
    assert table.value(3, 3) == 54  # the grand total stays published
    assert len(table.suppressed) >= 4  # the 2 and its complements in its row, its column and a fourth corner
    assert all(len(values) >= 2 for values in possible_values(table).values())


def test_totals_under_five_are_suppressed_too() -> None:
    table = suppress(("a", "b"), ("x", "y"), [[1, 2], [10, 12]])
    # row a total 3 < 5: hidden as well as its cells; column x total 11 stays
    assert table.value(0, 2) is None and table.reasons[(0, 2)] == "primary"
    assert all(len(values) >= 2 for values in possible_values(table).values())


def test_zero_partners_are_avoided_so_non_negativity_reveals_nothing() -> None:
    table = suppress(("a", "b"), ("x", "y", "z"), [[0, 9, 8], [6, 7, 0]])
    assert all(len(values) >= 2 for values in possible_values(table).values())


def test_random_tables_never_leak_a_suppressed_count() -> None:
    generator = random.Random(20241001)
    for _ in range(12):
        cells = [[generator.choice([0, 1, 3, 4, 6, 7, 9]) for _ in range(3)] for _ in range(2)]
        table = suppress(("a", "b"), ("x", "y", "z"), cells)
        leaks = {c: v for c, v in possible_values(table).items() if len(v) < 2}
        assert leaks == {}, f"{cells} leaks {leaks}"


def test_a_table_without_small_counts_is_published_whole() -> None:
    table = suppress(("a", "b"), ("x", "y"), [[5, 6], [7, 8]])
    assert table.suppressed == set()
    assert table.value(2, 2) == 26
