from datetime import date

import pytest
from education import reference
from education.adapters.memory import MemoryUnitOfWork
from education.domain.errors import Conflict, Forbidden, Invalid
from education.domain.events import OrgUnitClosed, OrgUnitMoved
from education.domain.org import Hierarchy, OrgKind
from education.service_layer import commands, views
from education.service_layer.reference import load_hierarchy


def _hierarchy(world):
    return Hierarchy(MemoryUnitOfWork(world.store).org_units.all())


def test_reference_data_has_22_first_level_units_and_9_ub_districts(world):
    h = _hierarchy(world)
    first = h.children(world.ministry, date(2024, 1, 1))
    assert len(first) == 22
    assert len(h.children(world.ub, date(2024, 1, 1))) == 9


def test_loading_reference_data_twice_creates_nothing_new(world):
    assert load_hierarchy(MemoryUnitOfWork(world.store), with_demo_soums=True) == 0


def test_school_move_keeps_the_old_parent_for_earlier_dates(world):
    world.do(commands.MoveOrgUnit(world.school_a, world.battsengel, date(2024, 9, 1)))
    h = _hierarchy(world)
    assert h.get(world.school_a).parent_id(date(2024, 8, 31)) == world.erdenebulgan
    assert h.get(world.school_a).parent_id(date(2024, 9, 1)) == world.battsengel
    assert [e.to_parent_id for e in world.events(OrgUnitMoved)] == [world.battsengel]


def test_school_moved_to_another_aimag_counts_there_only_from_the_move(world):
    zuunmod = reference.org_id("4101")
    world.do(commands.MoveOrgUnit(world.school_a, zuunmod, date(2024, 9, 1)))
    h = _hierarchy(world)
    assert h.first_level(world.school_a, date(2024, 8, 1)).code == "65"
    assert h.first_level(world.school_a, date(2024, 9, 1)).code == "41"
    assert world.school_a not in [u.id for u in h.institutions_within(world.arkhangai, date(2024, 9, 2))]


def test_merging_soums_moves_their_schools_and_closes_the_source(world):
    world.do(commands.MergeOrgUnits(world.battsengel, world.erdenebulgan, date(2025, 1, 1)))
    h = _hierarchy(world)
    assert h.get(world.school_b).parent_id(date(2025, 1, 1)) == world.erdenebulgan
    assert h.get(world.school_b).parent_id(date(2024, 12, 31)) == world.battsengel
    assert not h.get(world.battsengel).is_open(date(2025, 1, 1))
    assert world.events(OrgUnitClosed)[0].merged_into_id == world.erdenebulgan


def test_closed_school_is_gone_from_queries_after_but_not_before_closure(world):
    world.do(commands.CloseOrgUnit(world.school_b, date(2025, 6, 30)))
    h = _hierarchy(world)
    before = [u.id for u in h.institutions_within(world.arkhangai, date(2025, 6, 29))]
    after = [u.id for u in h.institutions_within(world.arkhangai, date(2025, 6, 30))]
    assert world.school_b in before and world.school_b not in after


def test_soum_with_open_schools_cannot_be_closed(world):
    with pytest.raises(Conflict) as info:
        world.do(commands.CloseOrgUnit(world.battsengel, date(2025, 1, 1)))
    assert info.value.code == "org_has_children"


def test_school_cannot_sit_directly_under_an_aimag(world):
    with pytest.raises(Invalid) as info:
        world.do(commands.CreateOrgUnit(OrgKind.SCHOOL, "S-X", "Сургууль", world.arkhangai, date(2020, 1, 1)))
    assert info.value.field == "parent_id"


def test_move_cannot_predate_the_current_link(world):
    with pytest.raises(Invalid) as info:
        world.do(commands.MoveOrgUnit(world.school_a, world.battsengel, date(2000, 9, 1)))
    assert info.value.code == "org_move_before_link"


def test_unit_codes_are_unique(world):
    with pytest.raises(Conflict):
        world.do(commands.CreateOrgUnit(OrgKind.SCHOOL, "S-6501-1", "Давхар", world.erdenebulgan, date(2020, 1, 1)))


def test_only_the_ministry_changes_the_hierarchy(world):
    with pytest.raises(Forbidden):
        world.do(commands.MoveOrgUnit(world.school_a, world.battsengel, date(2024, 9, 1)),
                 world.officer(world.arkhangai))


def test_org_children_as_of_a_past_date_shows_that_days_tree(world):
    world.do(commands.MoveOrgUnit(world.school_a, world.battsengel, date(2024, 9, 1)))
    _, past = views.org_children(world.ctx(world.ministry_actor), world.battsengel, date(2024, 1, 1))
    _, now = views.org_children(world.ctx(world.ministry_actor), world.battsengel)
    assert [u.id for u in past] == [world.school_b]
    assert {u.id for u in now} == {world.school_a, world.school_b}


def test_officer_sets_catchment_of_a_school_in_the_area(world):
    world.do(commands.SetCatchment(world.school_a, ("6501", "6505")), world.officer(world.arkhangai))
    assert world.store.tables["org_units"][world.school_a].catchment == ["6501", "6505"]
    with pytest.raises(Forbidden):
        world.do(commands.SetCatchment(world.school_ub, ("1110",)), world.officer(world.arkhangai))


def test_an_aimag_code_longer_than_an_nso_code_is_refused_by_name(world):
    # consumers keep a first-level code as every event's aimag (parent: 8 characters), so it may not be 40 long
    with pytest.raises(Invalid) as info:
        world.do(commands.CreateOrgUnit(OrgKind.AIMAG, "AIMAG-WITH-A-LONG-CODE", "Шинэ аймаг", world.ministry,
                                        date(2020, 1, 1)))
    assert (info.value.field, info.value.code) == ("code", "org_first_level_code_length")
    assert "AIMAG-WITH-A-LONG-CODE" not in _codes(world)


def test_an_aimag_code_of_eight_characters_and_a_school_code_of_forty_are_accepted(world):
    world.do(commands.CreateOrgUnit(OrgKind.AIMAG, "65-NEW-1", "Шинэ аймаг", world.ministry, date(2020, 1, 1)))
    world.do(commands.CreateOrgUnit(OrgKind.SCHOOL, "MN-65-ARKHANGAI-ERDENEBULGAN-SCHOOL-0141", "Сургууль",
                                    world.erdenebulgan, date(2020, 1, 1)))
    assert {"65-NEW-1", "MN-65-ARKHANGAI-ERDENEBULGAN-SCHOOL-0141"} <= _codes(world)


def _codes(world) -> set[str]:
    with MemoryUnitOfWork(world.store) as uow:
        return {u.code for u in uow.org_units.all()}
