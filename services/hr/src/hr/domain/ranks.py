"""Teacher professional ranks: reference data, so the list can change without a code change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hr.domain.errors import InvalidInput


@dataclass(frozen=True)
class ProfessionalRank:
    code: str
    level: int
    name_mn: str
    name_en: str

    def name(self, lang: str = "mn") -> str:
        return self.name_en if lang == "en" else self.name_mn


class RankCatalogue:
    def __init__(self, ranks: Iterable[ProfessionalRank]) -> None:
        self._ranks = {rank.code: rank for rank in sorted(ranks, key=lambda r: r.level)}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._ranks.values())

    def get(self, code: str) -> ProfessionalRank:
        try:
            return self._ranks[code]
        except KeyError:
            known = ", ".join(self._ranks)
            raise InvalidInput("unknown_rank", f"Мэргэжлийн зэрэг \"{code}\" бүртгэлд алга (байгаа нь: {known}).",
                               f"Professional rank \"{code}\" is not in the reference list (known: {known}).",
                               field="rank", details={"known": list(self._ranks)}) from None
