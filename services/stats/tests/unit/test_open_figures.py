"""Public indicators: a ratio resting on a small count loses its value, and so does a parity index of it."""

from __future__ import annotations

from datetime import date

from stats.domain.indicators import gpi
from stats.domain.lineage import Lineage, figure
from stats.service_layer.open_data import open_figures

LINEAGE = Lineage("uis-2019", date(2024, 10, 1), "x")


def test_a_ratio_of_few_pupils_or_few_missing_children_is_withheld() -> None:
    few = figure("ner", 3, 40, LINEAGE, level="primary", sex="female")  # 3 girls
    almost_all = figure("ner", 38, 40, LINEAGE, level="primary", sex="male")  # only 2 boys out of school
    plenty = figure("ner", 30, 40, LINEAGE, level="primary")
    shown = open_figures([few, almost_all, plenty], threshold=5)
    assert [f["value"] for f in shown] == [None, None, 75.0]
    assert [f["suppressed"] for f in shown] == [True, True, False]


def test_parity_index_of_a_withheld_figure_is_withheld() -> None:
    female = figure("ner", 3, 40, LINEAGE, level="primary", sex="female")
    male = figure("ner", 20, 40, LINEAGE, level="primary", sex="male")
    shown = open_figures([female, male, gpi(female, male)], threshold=5)
    assert shown[2]["indicator"] == "gpi" and shown[2]["value"] is None  # 0.15 × 50 % would give 7.5 % back
    visible = open_figures([figure("ner", 10, 40, LINEAGE, level="primary", sex="female"), male,
                            gpi(figure("ner", 10, 40, LINEAGE, level="primary", sex="female"), male)], threshold=5)
    assert visible[2]["value"] == 0.5
