"""Events never carry register numbers; reference data is bilingual."""

from __future__ import annotations

import dataclasses
from datetime import date

from hr.reference import load_ranks
from hr.service_layer import commands

FEMALE_1992 = "ТА92112024"


def test_no_event_carries_a_register_number_or_a_name(world):
    world.add_class("class-5a")
    hired = world.hire(FEMALE_1992, patronymic="Дорж", given_name="Сараа")
    world.assign(hired.staff_id, "class-5a", "math", 5)
    world.handle(commands.StartLeave(world.admin, hired.staff_id, "maternity", date(2024, 10, 1)))
    world.handle(commands.ExitStaff(world.admin, hired.staff_id, "org-school-1", date(2024, 12, 31), "resigned"))

    assert len(world.store.outbox) >= 5
    for event in world.store.outbox:
        values = " ".join(str(v) for v in dataclasses.asdict(event).values())
        assert FEMALE_1992 not in values and "Сараа" not in values and "92112024" not in values


def test_ranks_have_mongolian_and_english_names_in_level_order():
    ranks = list(load_ranks())
    assert [r.name_mn for r in ranks] == ["Заах аргач багш", "Тэргүүлэх багш", "Зөвлөх багш"]
    assert ranks[2].name("en") == "Advisor teacher"


def test_a_changed_rank_list_is_read_from_the_csv():
    ranks = load_ranks("code,level,name_mn,name_en\nnew,1,Шинэ,New\n")
    assert ranks.get("new").name() == "Шинэ"
