"""Reference data shipped with the service (CSV files beside this module)."""

from __future__ import annotations

import csv
from importlib import resources

from hr.domain.ranks import ProfessionalRank, RankCatalogue


def load_ranks(text: str | None = None) -> RankCatalogue:
    """Teacher professional ranks (мэргэжлийн зэрэг) from ``ranks.csv`` (or the given CSV text)."""
    source = text if text is not None else resources.files(__package__).joinpath("ranks.csv").read_text("utf-8")
    rows = csv.DictReader(source.splitlines())
    return RankCatalogue([ProfessionalRank(r["code"], int(r["level"]), r["name_mn"], r["name_en"]) for r in rows])
