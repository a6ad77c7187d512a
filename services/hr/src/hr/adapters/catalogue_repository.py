"""SQL repositories of positions, vacancies and the read audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from hr.adapters.orm import personal_data_reads, positions, vacancies
from hr.adapters.repository import AuditRepository, PositionRepository, VacancyRepository
from hr.adapters.sync import Row, centi, from_centi
from hr.domain.audit import PersonalDataRead
from hr.domain.kinds import PositionKind
from hr.domain.positions import Position, Vacancy, VacancyStatus


class SqlPositionRepository(PositionRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, position: Position) -> None:
        self.session.execute(insert(positions).values(
            id=position.id, org_id=position.org_id, kind=position.kind.value, fte_centi=centi(position.fte),
            subject_code=position.subject_code, title=position.title))

    def get(self, position_id: str) -> Position | None:
        row = self.session.execute(select(positions).where(positions.c.id == position_id)).first()
        return _position(row) if row else None

    def list_for_org(self, org_id: str) -> list[Position]:
        stmt = select(positions).where(positions.c.org_id == org_id).order_by(positions.c.kind, positions.c.id)
        return [_position(r) for r in self.session.execute(stmt)]


def _position(r: Any) -> Position:
    return Position(r.id, r.org_id, PositionKind(r.kind), from_centi(r.fte_centi), r.subject_code, r.title)


def _vacancy_row(v: Vacancy) -> Row:
    return {"id": v.id, "org_id": v.org_id, "position_id": v.position_id, "kind": v.kind.value,
            "subject_code": v.subject_code, "fte_centi": centi(v.fte), "opened_on": v.opened_on,
            "status": v.status.value, "filled_by": v.filled_by, "closed_on": v.closed_on}


def _vacancy(r: Any) -> Vacancy:
    return Vacancy(r.id, r.org_id, r.position_id, PositionKind(r.kind), r.subject_code, from_centi(r.fte_centi),
                   r.opened_on, VacancyStatus(r.status), r.filled_by, r.closed_on)


class SqlVacancyRepository(VacancyRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._loaded: dict[str, tuple[Vacancy, Row | None]] = {}

    def _add(self, vacancy: Vacancy) -> None:
        self._loaded[vacancy.id] = (vacancy, None)

    def _get(self, vacancy_id: str) -> Vacancy | None:
        return self._one(select(vacancies).where(vacancies.c.id == vacancy_id))

    def _oldest_open(self, position_id: str) -> Vacancy | None:
        return self._one(select(vacancies).where(vacancies.c.position_id == position_id,
                                                 vacancies.c.status == VacancyStatus.OPEN.value)
                         .order_by(vacancies.c.opened_on, vacancies.c.id).limit(1))

    def list_for_org(self, org_id: str, status: VacancyStatus | None = None) -> list[Vacancy]:
        stmt = select(vacancies).where(vacancies.c.org_id == org_id)
        if status is not None:
            stmt = stmt.where(vacancies.c.status == status.value)
        return [_vacancy(r) for r in self.session.execute(stmt.order_by(vacancies.c.opened_on))]

    def flush(self) -> None:
        for vacancy, before in list(self._loaded.values()):
            after = _vacancy_row(vacancy)
            if before is None:
                self.session.execute(insert(vacancies).values(**after))
            elif after != before:
                self.session.execute(update(vacancies).where(vacancies.c.id == vacancy.id).values(**after))
            self._loaded[vacancy.id] = (vacancy, after)

    def _one(self, stmt: Any) -> Vacancy | None:
        row = self.session.execute(stmt).first()
        if row is None:
            return None
        if row.id not in self._loaded:
            vacancy = _vacancy(row)
            self._loaded[row.id] = (vacancy, _vacancy_row(vacancy))
        return self._loaded[row.id][0]


class SqlAuditRepository(AuditRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, read: PersonalDataRead) -> None:
        self.session.execute(insert(personal_data_reads).values(
            id=read.id, staff_id=read.staff_id, reader_account_id=read.reader_account_id,
            reader_role=read.reader_role, purpose=read.purpose, read_at=read.read_at))

    def for_staff(self, staff_id: str) -> list[PersonalDataRead]:
        stmt = select(personal_data_reads).where(personal_data_reads.c.staff_id == staff_id)
        return [PersonalDataRead(r.id, r.staff_id, r.reader_account_id, r.reader_role, r.purpose, r.read_at)
                for r in self.session.execute(stmt.order_by(personal_data_reads.c.read_at.desc()))]
