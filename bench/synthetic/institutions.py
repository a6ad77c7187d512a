"""One school or kindergarten at a time: classes (бүлэг), staff, teaching assignments, timetable, children."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from esis_shared.national_id import Sex

from bench.synthetic.allocate import largest_remainder, new_id
from bench.synthetic.households import Households
from bench.synthetic.people import People, Person, male_share
from bench.synthetic.plan import Institution
from bench.synthetic.reference import KINDERGARTEN_LEVELS, Reference
from bench.synthetic.timetable import ClassWeek, Grid, SchoolTimetable
from bench.synthetic.writer import DatasetWriter

LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"
KINDERGARTEN_LABELS = {"baga": "бага", "dund": "дунд", "akhlakh": "ахлах", "beltgel": "бэлтгэл"}
PRIMARY_TAUGHT = frozenset({"primary", "mongolian", "mathematics"})  # by the class teacher in grades 1-5


@dataclass
class Section:
    """A class of a school or a group of a kindergarten."""

    id: str
    level: str
    letter: str
    size: int
    shift: int = 1
    room: str = ""
    teacher_id: str = ""

    @property
    def name(self) -> str:
        if self.level in KINDERGARTEN_LABELS:
            return f"{KINDERGARTEN_LABELS[self.level]} {self.letter}"
        return f"{self.level}{self.letter}"


@dataclass
class Teacher:
    person: Person
    specialty: str
    hours: int = 0
    homerooms: int = 0
    subjects: set[str] = field(default_factory=set)


@dataclass
class Context:
    ref: Reference
    writer: DatasetWriter
    people: People
    households: Households
    grid: Grid
    unplaced_lessons: int = 0


def build_school(ctx: Context, inst: Institution) -> None:
    sections = _school_sections(ctx, inst)
    staffing = _Staffing(ctx, inst)
    lessons = {s.id: staffing.lessons_for(s) for s in sections}
    staffing.choose_homeroom_teachers(sections)
    _write_staff(ctx, inst, staffing.teachers, "teacher")
    _write_leaders(ctx, inst, ("director", "training_manager"))
    timetable = SchoolTimetable(ctx.grid)
    for section in sections:
        _write_section(ctx, inst, section)
        for subject, teacher, hours in lessons[section.id]:
            ctx.writer.write("assignments", {"teacher_id": teacher, "class_id": section.id, "subject_code": subject,
                                             "weekly_hours": hours})
        for row in timetable.schedule(ClassWeek(section.id, section.shift, section.room, lessons[section.id])):
            ctx.writer.write("timetable", row)
        _write_children(ctx, inst, section)
    ctx.unplaced_lessons += timetable.unplaced


def build_kindergarten(ctx: Context, inst: Institution) -> None:
    shares = ctx.ref.shaping["kindergarten_level_shares"]
    per_level = largest_remainder(inst.children, [shares[level] for level in KINDERGARTEN_LEVELS])
    target = ctx.ref.shaping["kindergarten_group_size"] * ctx.ref.shaping["class_split_factor"]
    sections = [s for level, n in zip(KINDERGARTEN_LEVELS, per_level, strict=True) if n
                for s in _split(ctx, level, n, target)]
    teachers = [Teacher(_staff_person(ctx), "kindergarten") for _ in sections]
    for room, (section, teacher) in enumerate(zip(sections, teachers, strict=True), start=1):
        section.teacher_id, section.room = teacher.person.id, f"{room}"
    _write_staff(ctx, inst, teachers, "kindergarten_teacher")
    _write_leaders(ctx, inst, ("director",))
    for section in sections:
        _write_section(ctx, inst, section)
        _write_children(ctx, inst, section)


def _school_sections(ctx: Context, inst: Institution) -> list[Section]:
    per_grade = largest_remainder(inst.children, ctx.ref.shaping["pupils_by_grade"])
    target = ctx.ref.shaping["class_size"][inst.profile] * ctx.ref.shaping["class_split_factor"]
    sections = [s for grade, n in enumerate(per_grade, start=1) if n for s in _split(ctx, str(grade), n, target)]
    shifts = next(s for limit, s in ctx.ref.shaping["staff"]["shifts_by_classes"] if len(sections) <= limit)
    rooms: dict[int, int] = {}
    for section in sections:
        section.shift = _shift(int(section.level), shifts)
        rooms[section.shift] = rooms.get(section.shift, 0) + 1
        section.room = f"{100 + rooms[section.shift]}"
    return sections


def _split(ctx: Context, level: str, n: int, target: float) -> list[Section]:
    sizes = largest_remainder(n, [1] * max(1, math.ceil(n / target)))
    return [Section(new_id(ctx.people.rng), level, LETTERS[i % len(LETTERS)], size) for i, size in enumerate(sizes)]


def _shift(grade: int, shifts: int) -> int:
    if shifts == 1:
        return 1
    if shifts == 2:
        return 2 if grade <= 5 else 1
    return 3 if grade <= 3 else 2 if grade <= 7 else 1


class _Staffing:
    """Hires teachers as the classes need them: a class teacher per primary class, specialists by load."""

    def __init__(self, ctx: Context, inst: Institution) -> None:
        self.ctx = ctx
        self.max_hours = ctx.ref.shaping["staff"]["max_weekly_hours"]
        self.teachers: list[Teacher] = []
        self.current: dict[str, Teacher] = {}

    def lessons_for(self, section: Section) -> list[tuple[str, str, int]]:
        grade = int(section.level)
        homeroom = self._hire("primary") if grade <= 5 else None
        if homeroom is not None:
            section.teacher_id, homeroom.homerooms = homeroom.person.id, 1
        lessons = []
        for subject in self.ctx.ref.subjects:
            hours = subject.hours_in(grade)
            if not hours:
                continue
            by_homeroom = homeroom is not None and subject.specialty in PRIMARY_TAUGHT
            teacher = homeroom if by_homeroom else self._specialist(subject.specialty, hours)
            teacher.hours += hours if by_homeroom else 0
            teacher.subjects.add(subject.code)
            lessons.append((subject.code, teacher.person.id, hours))
        return lessons

    def choose_homeroom_teachers(self, sections: list[Section]) -> None:
        specialists = [t for t in self.teachers if t.specialty != "primary"]
        for section in (s for s in sections if not s.teacher_id and specialists):
            chosen = min(specialists, key=lambda t: t.homerooms)
            chosen.homerooms += 1
            section.teacher_id = chosen.person.id

    def _specialist(self, specialty: str, hours: int) -> Teacher:
        teacher = self.current.get(specialty)
        if teacher is None or teacher.hours + hours > self.max_hours:
            teacher = self.current[specialty] = self._hire(specialty)
        teacher.hours += hours
        return teacher

    def _hire(self, specialty: str) -> Teacher:
        teacher = Teacher(_staff_person(self.ctx), specialty)
        self.teachers.append(teacher)
        return teacher


def _staff_person(ctx: Context) -> Person:
    cfg = ctx.ref.shaping["staff"]
    sex = Sex.FEMALE if ctx.people.rng.random() < cfg["female_teacher_share"] else Sex.MALE
    return ctx.people.person(sex, ctx.people.adult_birth(*cfg["teacher_age"]))


def _write_staff(ctx: Context, inst: Institution, teachers: list[Teacher], role: str) -> None:
    for teacher in teachers:
        ctx.writer.write("staff", {**teacher.person.row(), "institution_id": inst.id, "role": role,
                                   "subjects": ";".join(sorted(teacher.subjects)), "aimag_code": inst.aimag_code,
                                   "synthetic": True})


def _write_leaders(ctx: Context, inst: Institution, roles: tuple[str, ...]) -> None:
    for role in roles:
        ctx.writer.write("staff", {**_staff_person(ctx).row(), "institution_id": inst.id, "role": role,
                                   "subjects": "", "aimag_code": inst.aimag_code, "synthetic": True})


def _write_section(ctx: Context, inst: Institution, section: Section) -> None:
    ctx.writer.write("classes", {"id": section.id, "institution_id": inst.id, "school_year": ctx.ref.school_year,
                                 "level": section.level, "letter": section.letter, "name": section.name,
                                 "shift": section.shift, "room": section.room, "capacity": max(section.size, 25),
                                 "size": section.size, "class_teacher_id": section.teacher_id or None})


def _write_children(ctx: Context, inst: Institution, section: Section) -> None:
    people, share = ctx.people, male_share(ctx.ref, section.level)
    special = ctx.ref.shaping["special_needs_share"]
    for _ in range(section.size):
        born = people.date_in_year(people.birth_year(section.level))
        household = ctx.households.household_for(born, inst.id)
        child = people.person(people.sex_for(share), born, household.surname_source)
        ctx.writer.write("learners", {**child.row(), "institution_id": inst.id, "class_id": section.id,
                                      "level": section.level, "aimag_code": inst.aimag_code,
                                      "area_code": inst.area.code, "special_needs": people.rng.random() < special,
                                      "household_id": household.id, "synthetic": True})
        for guardian, relationship in household.guardians:
            ctx.writer.write("guardian_links", {"learner_id": child.id, "guardian_id": guardian.id,
                                                "relationship": relationship})
