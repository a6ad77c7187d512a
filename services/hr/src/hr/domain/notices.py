"""Notices: things a user should know about an accepted change (not errors; nothing is refused)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Notice:
    code: str
    message_mn: str
    message_en: str
    details: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "mn") -> str:
        return self.message_en if lang == "en" else self.message_mn


def over_norm(hours: int, norm: object) -> Notice:
    return Notice("workload_over_norm", f"Багшийн долоо хоногийн ачаалал {hours} цаг болж, норм ({norm} цаг)-оос "
                  "хэтэрлээ.", f"The teacher's weekly load is now {hours} hours, above the norm of {norm} hours.",
                  {"weekly_hours": hours, "norm_hours": str(norm)})


def not_qualified(subject_code: str) -> Notice:
    return Notice("not_qualified_for_subject", f"Багшийн заах эрхтэй хичээлийн жагсаалтад \"{subject_code}\" алга.",
                  f"\"{subject_code}\" is not among the subjects this teacher is qualified to teach.",
                  {"subject_code": subject_code})


def not_in_curriculum(subject_code: str) -> Notice:
    return Notice("subject_not_in_curriculum", f"\"{subject_code}\" хичээл энэ ангийн сургалтын төлөвлөгөөнд алга.",
                  f"Subject \"{subject_code}\" is not in this class's curriculum.", {"subject_code": subject_code})


def on_leave(kind_mn: str, kind_en: str, since: object) -> Notice:
    return Notice("teacher_on_leave", f"Багш {since}-с хойш {kind_mn}тэй байна.",
                  f"The teacher has been on {kind_en} since {since}.", {"since": str(since)})
