"""Bulk import of a staff list: every row is checked, and either all rows are recorded or none.

A row is one person and one post at the importing organisation: the post is created and the person hired into
it (a person already on record, or appearing on two rows, keeps one record). Problems are reported per row and
field, in Mongolian and English, so the spreadsheet can be fixed and sent again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from hr.domain.access import require_manage_org
from hr.domain.errors import HrError, InvalidInput
from hr.domain.kinds import PositionKind
from hr.domain.positions import Position
from hr.domain.ranks import RankCatalogue
from hr.domain.staff import Qualifications, check_subject_codes, parse_sex
from hr.domain.values import fte
from hr.service_layer import commands
from hr.service_layer.handlers.common import Context
from hr.service_layer.handlers.staff import hire_into
from hr.service_layer.unit_of_work import AbstractUnitOfWork

DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d")
REQUIRED = ("register_number", "patronymic", "given_name", "birth_date", "sex", "position", "start_date")
_SPLIT = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class ImportRow:
    row: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    message_mn: str
    message_en: str

    @classmethod
    def of(cls, row: int, exc: HrError) -> RowError:
        return cls(row, exc.field or "", exc.code, exc.message_mn, exc.message_en)

    def message(self, lang: str = "mn") -> str:
        return self.message_en if lang == "en" else self.message_mn


@dataclass(frozen=True)
class ImportReport:
    imported: bool
    rows: int
    new_staff: int = 0
    existing_staff: int = 0
    errors: tuple[RowError, ...] = ()


@dataclass(frozen=True)
class ImportStaff(commands.Command):
    org_id: str
    rows: tuple[ImportRow, ...] = ()


@dataclass
class ParsedRow:
    person: commands.PersonDetails
    kind: PositionKind
    fte: Decimal
    subject_code: str
    start: date
    rank_code: str
    subject_codes: frozenset[str]


class RowProblems(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def import_staff(cmd: ImportStaff, uow: AbstractUnitOfWork, ctx: Context) -> ImportReport:
    require_manage_org(cmd.actor, cmd.org_id)
    errors: list[RowError] = []
    created: list[bool] = []
    with uow:
        for row in cmd.rows:
            try:
                created.append(_import_row(uow, ctx, cmd.org_id, row))
            except RowProblems as problems:
                errors.extend(problems.errors)
            except HrError as exc:
                errors.append(RowError.of(row.row, exc))
        if errors or not cmd.rows:
            return ImportReport(False, len(cmd.rows), errors=tuple(errors) or (_empty(),))
        uow.commit()
    new = len({i for i, fresh in enumerate(created) if fresh})
    return ImportReport(True, len(cmd.rows), new, len(created) - new)


def _import_row(uow: AbstractUnitOfWork, ctx: Context, org_id: str, row: ImportRow) -> bool:
    parsed = parse_row(row, ctx.ranks)
    position = Position(ctx.new_id(), org_id, parsed.kind, parsed.fte, parsed.subject_code)
    uow.positions.add(position)
    hired = hire_into(uow, ctx, parsed.person, position, parsed.fte, parsed.start)
    if parsed.rank_code or parsed.subject_codes:
        staff = uow.staff.get(hired.staff_id)
        assert staff is not None
        q = staff.qualifications
        staff.update_qualifications(Qualifications(q.education, parsed.rank_code or q.rank_code, q.licences,
                                                   q.subject_codes | parsed.subject_codes), ctx.ranks, ctx.today())
    return hired.new_record


def parse_row(row: ImportRow, ranks: RankCatalogue) -> ParsedRow:
    """Typed values of one row, or ``RowProblems`` naming every field that is wrong."""
    errors = [_required(row.row, name) for name in REQUIRED if not row.get(name)]
    values = {name: _attempt(errors, row.row, name, parser, row.get(name), ranks)
              for name, parser in _PARSERS.items() if row.get(name) or name not in REQUIRED}
    if errors:
        raise RowProblems(errors)
    person = commands.PersonDetails(row.get("register_number"), row.get("patronymic"), row.get("given_name"),
                                    values["birth_date"], values["sex"], row.get("clan_name"), row.get("phone"),
                                    row.get("email"))
    return ParsedRow(person, values["position"], values["fte"], values["subject_code"], values["start_date"],
                     values["rank"], values["subjects"])


def _attempt(errors: list[RowError], row: int, name: str, parser, text: str, ranks: RankCatalogue):  # type: ignore[no-untyped-def]
    try:
        return parser(text, name, ranks)
    except HrError as exc:
        errors.append(RowError(row, name, exc.code, exc.message_mn, exc.message_en))
        return None


def parse_date(text: str, name: str, _: RankCatalogue | None = None) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidInput("date_format", f"\"{text}\" зөв огноо биш: ОООО-СС-ӨӨ хэлбэрээр (жишээ нь 1985-03-15) бичнэ үү.",
                       f"\"{text}\" is not a valid date: write YYYY-MM-DD, e.g. 1985-03-15.", field=name)


def parse_position(text: str, name: str, _: RankCatalogue | None = None) -> PositionKind:
    wanted = text.strip().lower()
    for kind in PositionKind:
        if wanted in (kind.value, kind.name_mn, kind.name_en):  # type: ignore[attr-defined]
            return kind
    allowed = ", ".join(k.name_mn for k in PositionKind)  # type: ignore[attr-defined]
    raise InvalidInput("unknown_position", f"Албан тушаал \"{text}\" танигдсангүй (боломжтой: {allowed}).",
                       f"Position \"{text}\" is not known (allowed: {', '.join(k.value for k in PositionKind)}).",
                       field=name)


def parse_rank(text: str, name: str, ranks: RankCatalogue) -> str:
    wanted = text.strip().lower()
    if not wanted:
        return ""
    found = next((r for r in ranks if wanted in (r.code, r.name_mn.lower(), r.name_en.lower())), None)
    return found.code if found else ranks.get(text).code


def parse_subjects(text: str, name: str, _: RankCatalogue | None = None) -> frozenset[str]:
    codes = frozenset(code for code in _SPLIT.split(text) if code)
    check_subject_codes(codes)
    return codes


def parse_subject(text: str, name: str, _: RankCatalogue | None = None) -> str:
    if text:
        check_subject_codes([text])
    return text


_PARSERS = {
    "birth_date": parse_date,
    "start_date": parse_date,
    "sex": lambda text, name, _: parse_sex(text),
    "position": parse_position,
    "fte": lambda text, name, _: fte(text or "1", field=name),
    "subject_code": parse_subject,
    "rank": parse_rank,
    "subjects": parse_subjects,
}


def _required(row: int, name: str) -> RowError:
    return RowError(row, name, "required", "Энэ нүдийг заавал бөглөнө.", "This cell is required.")


def _empty() -> RowError:
    return RowError(1, "", "no_rows", "Файлд ажилтны мөр алга.", "The file has no staff rows.")

