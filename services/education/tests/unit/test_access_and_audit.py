from datetime import date, timedelta

import pytest
from education import reference
from education.adapters.memory import MemoryUnitOfWork
from education.domain import access
from education.domain.access import Actor, Role
from education.domain.errors import Forbidden, Invalid
from education.domain.org import Hierarchy, OrgKind
from education.service_layer import commands, views
from esis_shared.national_id import Sex

TODAY = date(2024, 10, 1)


@pytest.fixture
def h(world):
    return Hierarchy(MemoryUnitOfWork(world.store).org_units.all())


def test_ministry_reads_every_school(world, h):
    assert access.reads_org(world.ministry_actor, world.school_ub, h, TODAY)


def test_aimag_officer_reads_schools_of_the_aimag_only(world, h):
    officer = world.officer(world.arkhangai)
    assert access.reads_org(officer, world.school_b, h, TODAY)
    assert not access.reads_org(officer, world.school_ub, h, TODAY)


def test_officer_area_follows_todays_hierarchy(world):
    zuunmod = reference.org_id("4101")
    school = world.do(commands.CreateOrgUnit(OrgKind.SCHOOL, "S-4101-1", "Зуунмодын сургууль", zuunmod,
                                             date(2000, 9, 1)))
    world.do(commands.MoveOrgUnit(school, world.erdenebulgan, TODAY))
    fresh = Hierarchy(MemoryUnitOfWork(world.store).org_units.all())
    officer = world.officer(world.arkhangai)
    assert access.reads_org(officer, school, fresh, TODAY)
    assert not access.reads_org(officer, school, fresh, TODAY - timedelta(days=1))
    assert not access.reads_org(world.officer(world.tov), school, fresh, TODAY)


def test_district_officer_reads_own_district_not_the_neighbours(world, h):
    officer = world.officer(world.bayanzurkh, Role.DISTRICT_OFFICER)
    assert access.reads_org(officer, world.school_ub, h, TODAY)
    assert not access.reads_org(officer, world.school_a, h, TODAY)


def test_school_admin_reads_own_school_only(world, h):
    admin = world.admin(world.school_a)
    assert access.reads_org(admin, world.school_a, h, TODAY)
    assert not access.reads_org(admin, world.school_b, h, TODAY)


def test_officer_does_not_manage_schools(world):
    assert not access.manages_school(world.officer(world.arkhangai), world.school_a)


def test_teacher_reads_own_class_roster_only(world):
    mine, other = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б")
    world.enrolled(world.school_a, mine)
    _, members = views.class_roster(world.ctx(world.teacher(mine)), mine, as_of=None, purpose="Ирц бүртгэх")
    assert len(members) == 1
    with pytest.raises(Forbidden):
        views.class_roster(world.ctx(world.teacher(mine)), other, as_of=None, purpose="Ирц бүртгэх")


def test_roster_as_of_a_past_date_shows_who_was_in_the_class_then(world):
    a, b = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б")
    learner_id = world.enrolled(world.school_a, a)
    world.do(commands.MoveLearnerToClass(learner_id, b, date(2024, 11, 1)), world.admin(world.school_a))
    ctx = world.ctx(world.admin(world.school_a))
    _, before = views.class_roster(ctx, a, as_of=date(2024, 10, 15), purpose="Тайлан")
    _, after = views.class_roster(world.ctx(world.admin(world.school_a)), a, as_of=date(2024, 11, 1),
                                  purpose="Тайлан")
    assert [x.id for x in before] == [learner_id] and after == []


def test_every_staff_read_of_a_learner_is_in_the_access_log(world):
    learner_id = world.enrolled(world.school_a, world.open_class(world.school_a))
    views.learner_record(world.ctx(world.admin(world.school_a)), learner_id, purpose="Эцэг эхийн хүсэлт")
    world.clock.advance(timedelta(minutes=5))
    views.learner_record(world.ctx(world.officer(world.arkhangai)), learner_id, purpose="Шилжүүлгийн гомдол")
    log = views.access_log(world.ctx(world.admin(world.school_a)), learner_id)
    assert [(e.actor_role, e.what, e.purpose) for e in log] == [
        ("aimag_officer", "profile", "Шилжүүлгийн гомдол"), ("school_admin", "profile", "Эцэг эхийн хүсэлт")]


def test_reading_a_learner_needs_a_purpose(world):
    learner_id = world.enrolled(world.school_a, world.open_class(world.school_a))
    with pytest.raises(Invalid) as info:
        views.learner_record(world.ctx(world.admin(world.school_a)), learner_id, purpose=" ")
    assert info.value.field == "purpose"
    assert views.access_log(world.ctx(world.admin(world.school_a)), learner_id) == []


def test_refused_read_leaves_no_record_and_no_access(world):
    learner_id = world.enrolled(world.school_a, world.open_class(world.school_a))
    with pytest.raises(Forbidden):
        views.learner_record(world.ctx(world.admin(world.school_b)), learner_id, purpose="Сонирхол")
    assert views.access_log(world.ctx(world.admin(world.school_a)), learner_id) == []


def test_roster_read_logs_each_learner(world):
    class_id = world.open_class(world.school_a)
    ids = {world.enrolled(world.school_a, class_id) for _ in range(2)}
    views.class_roster(world.ctx(world.teacher(class_id)), class_id, as_of=None, purpose="Ирц")
    logged = {lid for lid in ids for e in views.access_log(world.ctx(world.admin(world.school_a)), lid)
              if e.what == "roster"}
    assert logged == ids


def test_guardian_sees_own_childs_access_log(world):
    learner_id = world.enrolled(world.school_a, world.open_class(world.school_a))
    views.learner_record(world.ctx(world.admin(world.school_a)), learner_id, purpose="Гэрчилгээ")
    parent = Actor("parent-1", Role.PARENT, child_ids=frozenset({learner_id}))
    assert len(views.access_log(world.ctx(parent), learner_id)) == 1
    stranger = Actor("parent-2", Role.PARENT, child_ids=frozenset({"someone-else"}))
    with pytest.raises(Forbidden):
        views.access_log(world.ctx(stranger), learner_id)


def test_census_counts_enrolled_learners_by_level_and_sex_in_the_area(world):
    a = world.open_class(world.school_a)
    b = world.open_class(world.school_b, level="5")
    world.enrolled(world.school_a, a)
    world.enrolled(world.school_a, a, sex=Sex.FEMALE)
    world.enrolled(world.school_b, b, birth=date(2013, 5, 2))
    world.enrolled(world.school_ub, world.open_class(world.school_ub))
    census = views.enrolment_census(world.ctx(world.officer(world.arkhangai)), world.arkhangai)
    assert census.total == 3
    assert census.by_level == {"1": 2, "5": 1}
    assert census.by_sex == {"male": 2, "female": 1}
    past = views.enrolment_census(world.ctx(world.ministry_actor), world.ministry, date(2024, 9, 30))
    assert past.total == 0
