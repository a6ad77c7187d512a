"""One row of a class list, checked cell by cell: every wrong cell is reported, not only the first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from esis_shared.national_id import Sex

from education.domain.errors import DomainError, Invalid, invalid
from education.domain.guardians import Relationship
from education.domain.imports import ImportRow, RowError
from education.domain.people import check_name, check_phone, check_register_number

REQUIRED = ("class_name", "register_number", "family_name", "given_name", "birth_date", "sex")
GUARDIAN_REQUIRED = ("guardian_family_name", "guardian_given_name", "guardian_relationship", "guardian_phone")
GUARDIAN_ALL = (*GUARDIAN_REQUIRED, "guardian_register_number", "guardian_email")
DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d")
_LATIN_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
SEXES = {"эрэгтэй": Sex.MALE, "эр": Sex.MALE, "male": Sex.MALE, "m": Sex.MALE,
         "эмэгтэй": Sex.FEMALE, "эм": Sex.FEMALE, "female": Sex.FEMALE, "f": Sex.FEMALE}
YES = {"тийм", "yes", "1", "true", "x", "х"}
NO = {"", "үгүй", "no", "0", "false"}
RELATIONSHIPS = {
    "эх": Relationship.MOTHER, "ээж": Relationship.MOTHER, "mother": Relationship.MOTHER,
    "эцэг": Relationship.FATHER, "аав": Relationship.FATHER, "father": Relationship.FATHER,
    "эмээ": Relationship.GRANDPARENT, "өвөө": Relationship.GRANDPARENT, "grandparent": Relationship.GRANDPARENT,
    "ах": Relationship.SIBLING, "эгч": Relationship.SIBLING, "ах, эгч": Relationship.SIBLING,
    "sibling": Relationship.SIBLING, "асран хамгаалагч": Relationship.LEGAL_GUARDIAN,
    "legal guardian": Relationship.LEGAL_GUARDIAN, "legal_guardian": Relationship.LEGAL_GUARDIAN,
    "бусад": Relationship.OTHER, "other": Relationship.OTHER,
}


@dataclass(frozen=True)
class GuardianRow:
    family_name: str
    given_name: str
    relationship: Relationship
    phone: str
    register_number: str | None = None
    email: str = ""


@dataclass(frozen=True)
class LearnerRow:
    row: int
    class_name: str
    register_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex
    address: str = ""
    area_code: str = ""
    special_needs: bool = False
    guardian: GuardianRow | None = None

    @property
    def class_key(self) -> str:
        return class_key(self.class_name)


class RowProblems(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def class_key(name: str) -> str:
    """'5А', '5 а', '5-A' (Latin) and '5А' are the same class; 'бэлтгэл А' likewise."""
    return "".join(ch for ch in name.upper().translate(_LATIN_LOOKALIKES) if ch.isalnum())


class _Cells:
    """Reads the cells of one row, collecting a RowError for each one that is wrong."""

    def __init__(self, row: ImportRow) -> None:
        self.row, self.errors = row, [RowError(row.row, name, "import_cell_required", "Энэ нүдийг заавал бөглөнө.",
                                               "This cell is required.") for name in _missing(row)]

    def read(self, name: str, parse: Callable[[str, str], Any]) -> Any:
        text = self.row.get(name)
        if not text and name in REQUIRED + GUARDIAN_REQUIRED:
            return None
        try:
            return parse(name, text)
        except DomainError as exc:
            self.errors.append(RowError.of(self.row.row, name, exc))
            return None


def _missing(row: ImportRow) -> list[str]:
    missing = [name for name in REQUIRED if not row.get(name)]
    if any(row.get(name) for name in GUARDIAN_ALL):
        missing += [name for name in GUARDIAN_REQUIRED if not row.get(name)]
    return missing


def parse_row(row: ImportRow, today: date) -> LearnerRow:
    """The typed row, or ``RowProblems`` naming every wrong cell."""
    cells = _Cells(row)
    born, sex = cells.read("birth_date", parse_date), cells.read("sex", parse_sex)
    number = cells.read("register_number", lambda name, text: check_register_number(
        name, text, birth_date=born, sex=sex, today=today).value)
    names = [cells.read(name, check_name) for name in ("family_name", "given_name")]
    special = cells.read("special_needs", parse_yes_no)
    guardian = _guardian(cells) if any(row.get(name) for name in GUARDIAN_ALL) else None
    if cells.errors:
        raise RowProblems(cells.errors)
    return LearnerRow(row.row, row.get("class_name"), number, names[0], names[1], born, sex, row.get("address"),
                      row.get("area_code"), bool(special), guardian)


def _guardian(cells: _Cells) -> GuardianRow | None:
    family = cells.read("guardian_family_name", lambda name, text: check_name("guardian.family_name", text))
    given = cells.read("guardian_given_name", lambda name, text: check_name("guardian.given_name", text))
    relationship = cells.read("guardian_relationship", parse_relationship)
    phone = cells.read("guardian_phone", check_phone)
    number = cells.read("guardian_register_number",
                        lambda name, text: check_register_number(name, text).value if text else None)
    return GuardianRow(family, given, relationship, phone, number, cells.row.get("guardian_email"))


def parse_date(name: str, text: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise invalid(name, "import_date_format", f"'{text}' огноо биш: ОООО-СС-ӨӨ хэлбэрээр бичнэ үү (2016-03-15).",
                  f"'{text}' is not a date: write YYYY-MM-DD (2016-03-15).")


def parse_sex(name: str, text: str) -> Sex:
    found = SEXES.get(text.strip().lower())
    if found is None:
        raise invalid(name, "import_sex", f"'{text}' хүйс биш: эрэгтэй эсвэл эмэгтэй гэж бичнэ үү.",
                      f"'{text}' is not a sex: write male or female.")
    return found


def parse_yes_no(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value in YES | NO:
        return value in YES
    raise invalid(name, "import_yes_no", f"'{text}': тийм эсвэл үгүй гэж бичнэ үү.", f"'{text}': write yes or no.")


def parse_relationship(name: str, text: str) -> Relationship:
    found = RELATIONSHIPS.get(" ".join(text.lower().split()))
    if found is None:
        raise Invalid(f"'{text}' хамаарал биш: эх, эцэг, эмээ, өвөө, ах, эгч, асран хамгаалагч эсвэл бусад.",
                      f"'{text}' is not a relationship: mother, father, grandparent, sibling, legal guardian or "
                      "other.", code="import_relationship", field=name)
    return found
