"""Bulk paths: organisation units, classes, and learners with their guardians, links and enrolments, many at once.

For a national load or a migration from an old system. Each request is **all or none**: every row goes through the
same domain rules as the per-item path (``OrgUnit.create``, ``SchoolClass.open``, ``Learner.register``,
``Guardian.create``, ``Learner.link_guardian``, ``check_school``, ``SchoolClass.take_seat`` + ``Learner.enrol``),
every problem is reported with its list, row (0-based) and field, and only a request without any problem is
written — one statement per table (COPY on PostgreSQL) with the events those aggregates recorded staged in the
same transaction, so consumers see exactly what the per-item path would have told them.

Re-sending a request that was written is **rejected**, row by row (``id_taken``, ``org_code_taken``,
``learner_register_number_taken`` …): the ids are the caller's, so a retry after a lost answer shows that the
rows are already there and writes nothing twice.

Not checked here, unlike the per-item registration: the "same names and birth date" warning, which asks the person
at the desk to confirm and has no one to ask in a bulk load (the register number stays the identity key).
"""

from __future__ import annotations

import abc
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from education.domain import access
from education.domain.base import new_id
from education.domain.classes import SchoolClass
from education.domain.errors import DomainError, Invalid, invalid, parse_enum
from education.domain.guardians import Guardian
from education.domain.learners import Learner
from education.domain.levels import level
from education.domain.org import OrgKind, OrgUnit, Ownership
from education.service_layer.clock import Clock
from education.service_layer.handlers.common import check_school

BULK_MAX = 5000  # rows of the main list per request (learners: plus their guardians and links)
T = TypeVar("T")


# ---------------------------------------------------------------- commands


@dataclass(frozen=True)
class NewOrgUnit:
    kind: str
    code: str
    name_mn: str
    parent_id: str | None
    opened_on: date
    name_en: str = ""
    ownership: str | None = None
    address: str = ""
    catchment: tuple[str, ...] = ()
    id: str | None = None


@dataclass(frozen=True)
class NewClass:
    school_id: str
    year_id: str
    level: str
    letter: str
    shift: int
    capacity: int
    room: str = ""
    class_teacher_id: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class NewLearner:
    class_id: str
    register_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: str
    address: str = ""
    area_code: str = ""
    special_needs: bool = False
    id: str | None = None


@dataclass(frozen=True)
class NewGuardian:
    family_name: str
    given_name: str
    phone: str
    email: str = ""
    register_number: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class NewLink:
    learner_id: str
    guardian_id: str
    relationship: str


@dataclass(frozen=True)
class LoadOrgUnits:
    units: Sequence[NewOrgUnit]


@dataclass(frozen=True)
class LoadClasses:
    classes: Sequence[NewClass]


@dataclass(frozen=True)
class LoadLearners:
    """Learners enrolled in their class on ``enrol_on`` (default today), guardians and the links between them.

    A link names a learner of this request and a guardian of this request or one already on record (a sibling's,
    loaded earlier). Every guardian of the request is linked to at least one of its learners.
    """

    learners: Sequence[NewLearner]
    guardians: Sequence[NewGuardian] = ()
    links: Sequence[NewLink] = ()
    enrol_on: date | None = None


# ---------------------------------------------------------------- what the store must answer, and the error


class BulkStore(abc.ABC):
    """Reads a bulk request needs (one query per question for the whole request) and the all-at-once write."""

    @abc.abstractmethod
    def existing_ids(self, kind: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` exist already; ``kind`` is org_units, classes, learners or guardians."""

    @abc.abstractmethod
    def existing_org_codes(self, codes: Iterable[str]) -> set[str]: ...

    @abc.abstractmethod
    def org_units(self, ids: Iterable[str]) -> dict[str, OrgUnit]: ...

    @abc.abstractmethod
    def school_year_ids(self) -> set[str]: ...

    @abc.abstractmethod
    def class_names(self, school_ids: Iterable[str]) -> set[tuple[str, str, str]]:
        """(school id, year id, class name) of the classes of these schools."""

    @abc.abstractmethod
    def classes(self, ids: Iterable[str]) -> dict[str, SchoolClass]: ...

    @abc.abstractmethod
    def enrolled_counts(self, class_ids: Iterable[str], on: date) -> dict[str, int]: ...

    @abc.abstractmethod
    def taken_register_numbers(self, numbers: Iterable[str]) -> set[str]: ...

    @abc.abstractmethod
    def guardians(self, ids: Iterable[str]) -> dict[str, Guardian]: ...

    @abc.abstractmethod
    def write(self, *, org_units: Sequence[OrgUnit] = (), classes: Sequence[SchoolClass] = (),
              guardians: Sequence[Guardian] = (), learners: Sequence[Learner] = ()) -> None:
        """Insert the new aggregates (one statement per table) and stage their recorded events, in order."""


class BulkRejected(Invalid):
    """Nothing was written: every problem of the request, each with its list, row and field."""

    code = "bulk_rejected"

    def __init__(self, problems: list[dict[str, Any]], rows: int) -> None:
        super().__init__(f"{len(problems)} алдаатай тул юу ч хадгалагдсангүй.",
                         f"{len(problems)} problem(s) found, so nothing was saved.", details={"rows": rows})
        self.problems = sorted(problems, key=lambda p: (p["list"], p["row"], p["field"]))

    def errors(self, lang: str) -> list[dict[str, Any]]:
        return [{"list": p["list"], "row": p["row"], "field": p["field"], "code": p["code"],
                 "message": p["message_en" if lang == "en" else "message_mn"]} for p in self.problems]


@dataclass
class _Problems:
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, where: str, row: int, exc: DomainError, default_field: str) -> None:
        self.items.append({"list": where, "row": row, "field": exc.field or default_field, "code": exc.code,
                           "message_mn": exc.message_mn, "message_en": exc.message_en})

    def new(self, where: str, row: int, field_name: str, code: str, message_mn: str, message_en: str) -> None:
        self.items.append({"list": where, "row": row, "field": field_name, "code": code, "message_mn": message_mn,
                           "message_en": message_en})

    def attempt(self, where: str, row: int, default_field: str, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except DomainError as exc:
            self.add(where, row, exc, default_field)
            return None

    def raise_if_any(self, rows: int) -> None:
        if self.items:
            raise BulkRejected(self.items, rows)


def _require_bulk_loader(actor: access.Actor) -> None:
    access.require(access.loads_in_bulk(actor), "олон сургуулийн мэдээллийг бөөнөөр ачаалах",
                   "load data of many schools in bulk")


def _check_size(rows: int, what: str) -> None:
    if not 1 <= rows <= BULK_MAX:
        raise invalid(what, "bulk_size", f"1-ээс {BULK_MAX} хүртэлх мөр илгээнэ үү.",
                      f"Send between 1 and {BULK_MAX} rows.", limit=BULK_MAX)


class _Ids:
    """The caller's ids (UUIDs) or new ones; repeated ids in the request and ids on record are row errors."""

    def __init__(self, problems: _Problems, where: str, given: Sequence[str | None], taken: set[str]) -> None:
        self.problems, self.where, self.taken = problems, where, taken
        self.first: dict[str, int] = {}
        self.given = given

    def at(self, row: int) -> str | None:
        raw = self.given[row]
        if raw is None:
            return new_id()
        try:
            ident = _canonical(raw)
        except ValueError:
            self.problems.new(self.where, row, "id", "id_format", f"'{raw}' нь UUID биш.", f"'{raw}' is not a UUID.")
            return None
        if ident in self.taken:
            self.problems.new(self.where, row, "id", "id_taken", "Энэ дугаартай бичлэг бүртгэлтэй байна.",
                              "A record with this id exists already.")
            return None
        if ident in self.first:
            self.problems.new(self.where, row, "id", "id_repeated",
                              f"Энэ дугаар хүсэлтийн {self.first[ident]}-р мөрөнд давхардсан.",
                              f"This id is also in row {self.first[ident]} of this request.")
            return None
        self.first[ident] = row
        return ident


def _valid_uuids(values: Iterable[str | None]) -> list[str]:
    """The well-formed ids among ``values`` (the others are reported where they are used)."""
    found = []
    for value in values:
        if not value:
            continue
        try:
            found.append(_canonical(value))
        except ValueError:
            continue
    return found


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _canonical(raw: str) -> str:
    """``str(uuid.UUID(raw))``, without building the UUID when ``raw`` is already in that form (most are)."""
    return raw if _CANONICAL.fullmatch(raw) else str(uuid.UUID(raw))


# ---------------------------------------------------------------- organisation units


def load_org_units(cmd: LoadOrgUnits, actor: access.Actor, store: BulkStore) -> list[str]:
    """Create every unit or none; a parent is a unit on record or an earlier row of the request."""
    _require_bulk_loader(actor)
    _check_size(len(cmd.units), "units")
    problems = _Problems()
    ids = _Ids(problems, "units", [u.id for u in cmd.units], store.existing_ids("org_units", _valid_uuids(
        u.id for u in cmd.units)))
    taken_codes = store.existing_org_codes(u.code.strip() for u in cmd.units)
    parents = store.org_units(_valid_uuids(u.parent_id for u in cmd.units))
    first_code: dict[str, int] = {}
    created: list[OrgUnit] = []
    for row, new in enumerate(cmd.units):
        ident, code = ids.at(row), new.code.strip()
        if code in taken_codes:
            problems.new("units", row, "code", "org_code_taken", f"'{code}' кодтой нэгж бүртгэлтэй байна.",
                         f"A unit with code '{code}' exists.")
            continue
        if code in first_code:
            problems.new("units", row, "code", "org_code_repeated",
                         f"'{code}' код хүсэлтийн {first_code[code]}-р мөрөнд давхардсан.",
                         f"Code '{code}' is also in row {first_code[code]} of this request.")
            continue
        first_code[code] = row
        parent = parents.get(new.parent_id or "") if new.parent_id else None
        if new.parent_id and parent is None:
            problems.new("units", row, "parent_id", "org_parent_unknown",
                         "Дээд шатны нэгж бүртгэлгүй (эсвэл хүсэлтийн дараагийн мөрөнд байна).",
                         "The parent unit is not on record (nor in an earlier row of this request).")
            continue
        unit = problems.attempt("units", row, "kind", lambda new=new, parent=parent, ident=ident, code=code: _unit(
            new, parent, ident, code))
        if unit is not None and ident is not None:
            created.append(unit)
            parents[unit.id] = unit
    problems.raise_if_any(len(cmd.units))
    store.write(org_units=created)
    return [u.id for u in created]


def _unit(new: NewOrgUnit, parent: OrgUnit | None, ident: str | None, code: str) -> OrgUnit:
    ownership = parse_enum(Ownership, new.ownership, "ownership") if new.ownership else None
    unit = OrgUnit.create(id=ident or new_id(), kind=parse_enum(OrgKind, new.kind, "kind"), code=code,
                          name_mn=new.name_mn, parent=parent, opened_on=new.opened_on, name_en=new.name_en,
                          ownership=ownership, address=new.address)
    if new.catchment:
        unit.set_catchment(new.catchment)
    return unit


# ---------------------------------------------------------------- classes


def load_classes(cmd: LoadClasses, actor: access.Actor, store: BulkStore, clock: Clock) -> list[str]:
    _require_bulk_loader(actor)
    _check_size(len(cmd.classes), "classes")
    problems, today = _Problems(), clock.today()
    ids = _Ids(problems, "classes", [c.id for c in cmd.classes], store.existing_ids("classes", _valid_uuids(
        c.id for c in cmd.classes)))
    schools = store.org_units(_valid_uuids(c.school_id for c in cmd.classes))
    years = store.school_year_ids()
    names = store.class_names(schools)
    first_name: dict[tuple[str, str, str], int] = {}
    opened: list[SchoolClass] = []
    for row, new in enumerate(cmd.classes):
        ident = ids.at(row)
        unit = schools.get(new.school_id)
        if unit is None:
            problems.new("classes", row, "school_id", "organisation_unit_not_found", "Байгууллага олдсонгүй.",
                         "Organisation unit not found.")
            continue
        if problems.attempt("classes", row, "school_id", lambda unit=unit: check_school(unit, today)) is None:
            continue
        if new.year_id not in years:
            problems.new("classes", row, "year_id", "school_year_not_found", "Хичээлийн жил олдсонгүй.",
                         "School year not found.")
            continue
        found = problems.attempt("classes", row, "level", lambda new=new, ident=ident: SchoolClass.open(
            id=ident or new_id(), school_id=new.school_id, year_id=new.year_id, level=level(new.level),
            letter=new.letter, shift=new.shift, capacity=new.capacity, room=new.room,
            class_teacher_id=new.class_teacher_id))
        if found is None or ident is None:
            continue
        key = (found.school_id, found.year_id, found.name)
        if key in names:
            problems.new("classes", row, "letter", "class_exists",
                         f"{found.name} бүлэг энэ хичээлийн жилд аль хэдийн байна.",
                         f"Class {found.name} already exists this school year.")
        elif key in first_name:
            problems.new("classes", row, "letter", "class_repeated",
                         f"{found.name} бүлэг хүсэлтийн {first_name[key]}-р мөрөнд давхардсан.",
                         f"Class {found.name} is also in row {first_name[key]} of this request.")
        else:
            first_name[key] = row
            opened.append(found)
    problems.raise_if_any(len(cmd.classes))
    store.write(classes=opened)
    return [c.id for c in opened]


# ---------------------------------------------------------------- learners, guardians, links, enrolments


@dataclass
class LoadedLearners:
    learners: int
    guardians: int
    links: int
    enrolments: int


def load_learners(cmd: LoadLearners, actor: access.Actor, store: BulkStore, clock: Clock) -> LoadedLearners:
    _require_bulk_loader(actor)
    _check_size(len(cmd.learners), "learners")
    if len(cmd.guardians) > 2 * BULK_MAX or len(cmd.links) > 4 * BULK_MAX:
        raise invalid("guardians", "bulk_size", f"Нэг хүсэлтэд {2 * BULK_MAX} хүртэл асран хамгаалагч, "
                      f"{4 * BULK_MAX} хүртэл холбоос илгээнэ.", f"Send at most {2 * BULK_MAX} guardians and "
                      f"{4 * BULK_MAX} links per request.")
    problems, today = _Problems(), clock.today()
    on = cmd.enrol_on or today
    learners = _learners(cmd.learners, problems, store, today, on)
    guardians = _guardians(cmd, learners, problems, store)
    links = _links(cmd.links, learners, guardians, problems, {x.id for x in cmd.learners})
    problems.raise_if_any(len(cmd.learners))
    new_guardians = [g for g in guardians.values() if g.changed]
    store.write(guardians=new_guardians, learners=list(learners.values()))
    return LoadedLearners(len(learners), len(new_guardians), links, len(learners))


def _learners(rows: Sequence[NewLearner], problems: _Problems, store: BulkStore, today: date,
              on: date) -> dict[str, Learner]:
    ids = _Ids(problems, "learners", [x.id for x in rows], store.existing_ids("learners", _valid_uuids(
        x.id for x in rows)))
    classes = store.classes(_valid_uuids(x.class_id for x in rows))
    schools = store.org_units({c.school_id for c in classes.values()})
    seats = store.enrolled_counts(classes, on)
    taken = store.taken_register_numbers(x.register_number.strip().upper() for x in rows)
    first_number: dict[str, int] = {}
    found: dict[str, Learner] = {}
    for row, new in enumerate(rows):
        ident = ids.at(row)
        target = classes.get(new.class_id)
        if target is None:
            problems.new("learners", row, "class_id", "class_not_found", "Бүлэг олдсонгүй.", "Class not found.")
            continue
        school = schools[target.school_id]
        if problems.attempt("learners", row, "class_id", lambda school=school: check_school(school, on)) is None:
            continue
        learner = problems.attempt("learners", row, "register_number", lambda new=new, target=target, ident=ident: (
            Learner.register(id=ident or new_id(), register_number=new.register_number,
                             family_name=new.family_name, given_name=new.given_name, birth_date=new.birth_date,
                             sex=new.sex,  # type: ignore[arg-type]  # parsed by register, naming the field
                             school_id=target.school_id, today=today, address=new.address,
                             area_code=new.area_code, special_needs=new.special_needs)))
        if learner is None or ident is None:
            continue
        number = learner.register_number
        if number in taken:
            problems.new("learners", row, "register_number", "learner_register_number_taken",
                         "Энэ регистрийн дугаартай суралцагч бүртгэлтэй байна; шилжүүлгийн хүсэлт гаргана уу.",
                         "A learner with this register number is already registered; request a transfer instead.")
            continue
        if number in first_number:
            problems.new("learners", row, "register_number", "learner_register_number_repeated",
                         f"Энэ регистрийн дугаар хүсэлтийн {first_number[number]}-р мөрөнд давхардсан.",
                         f"This register number is also in row {first_number[number]} of this request.")
            continue
        first_number[number] = row
        seated = problems.attempt("learners", row, "class_id", lambda learner=learner, target=target: (
            target.take_seat(seats.get(target.id, 0)), learner.enrol(target, on)))
        if seated is not None:
            seats[target.id] = seats.get(target.id, 0) + 1
            found[learner.id] = learner
    return found


def _guardians(cmd: LoadLearners, learners: dict[str, Learner], problems: _Problems,
               store: BulkStore) -> dict[str, Guardian]:
    """The request's guardians (new, marked changed) and those on record its links name (unchanged)."""
    ids = _Ids(problems, "guardians", [g.id for g in cmd.guardians], store.existing_ids("guardians", _valid_uuids(
        g.id for g in cmd.guardians)))
    school_of: dict[str, str] = {}  # a guardian belongs to the school of the first child linked in the request
    requested: set[str] = set()  # guardians linked to any learner row of the request
    asked = {x.id for x in cmd.learners}
    for link in cmd.links:
        child = learners.get(link.learner_id)
        if child is not None:
            school_of.setdefault(link.guardian_id, child.school_id)
        if link.learner_id in asked:
            requested.add(link.guardian_id)
    guardians: dict[str, Guardian] = {}
    for row, new in enumerate(cmd.guardians):
        ident = ids.at(row)
        if ident is None:
            continue
        school_id = school_of.get(ident)
        if school_id is None and ident in requested:
            continue  # linked only to learners with errors, which are reported on their rows
        if school_id is None:
            problems.new("guardians", row, "id", "guardian_not_linked",
                         "Асран хамгаалагч энэ хүсэлтийн аль ч суралцагчтай холбогдоогүй.",
                         "The guardian is not linked to any learner of this request.")
            continue
        guardian = problems.attempt("guardians", row, "family_name", lambda new=new, ident=ident, school_id=school_id:
                                    Guardian.create(id=ident, family_name=new.family_name, given_name=new.given_name,
                                                    phone=new.phone, school_id=school_id, email=new.email,
                                                    register_number=new.register_number or None))
        if guardian is not None:
            guardians[ident] = guardian
    named = {link.guardian_id for link in cmd.links} - {g.id for g in cmd.guardians if g.id}
    guardians.update(store.guardians(_valid_uuids(named)))
    return guardians


def _links(rows: Sequence[NewLink], learners: dict[str, Learner], guardians: dict[str, Guardian],
           problems: _Problems, asked: set[str | None]) -> int:
    linked = 0
    for row, link in enumerate(rows):
        child, guardian = learners.get(link.learner_id), guardians.get(link.guardian_id)
        if child is None and link.learner_id in asked:
            continue  # the learner's row has its error
        if child is None:
            problems.new("links", row, "learner_id", "link_learner_unknown",
                         "Холбоосын суралцагч энэ хүсэлтэд байхгүй.", "The link's learner is not in this request.")
        elif guardian is None:
            problems.new("links", row, "guardian_id", "link_guardian_unknown",
                         "Холбоосын асран хамгаалагч энэ хүсэлтэд ч, бүртгэлд ч байхгүй.",
                         "The link's guardian is neither in this request nor on record.")
        elif problems.attempt("links", row, "relationship", lambda child=child, guardian=guardian, link=link: (
                child.link_guardian(guardian, link.relationship, child.school_id))) is not None:  # type: ignore[arg-type]
            linked += 1
    return linked
