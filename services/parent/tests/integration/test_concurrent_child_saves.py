"""A guardian's claim saves the child's card while the consumer projects the same child: the second writer waits
and updates the row instead of failing on its primary key (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from parent.adapters import orm
from parent.domain.school import Child
from sqlalchemy import select

from .helpers import sql_container

pytestmark = pytest.mark.integration


@pytest.fixture
def container(sql_url):
    built = sql_container(sql_url)
    yield built
    built.close()


def test_two_transactions_saving_a_new_child_both_succeed(container) -> None:
    errors: list[BaseException] = []
    first = container.deps.uow()
    first.__enter__()
    first.children.save(Child("lrn-new", "Тэмүүлэн", "Болд", class_id="cls-5b", level="5"))  # not committed yet

    def claim_saves_the_card() -> None:
        try:
            with container.deps.uow() as second:
                second.children.save(Child("lrn-new", "Тэмүүлэн", "Болд", school_id="sch-1", class_id="cls-5b",
                                           level="5"))
                second.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    racer = threading.Thread(target=claim_saves_the_card)
    racer.start()
    racer.join(timeout=0.5)  # it waits for the first transaction's row
    first.commit()
    first.__exit__(None, None, None)
    racer.join(timeout=30)

    assert not racer.is_alive() and errors == []
    with container.engine.connect() as conn:
        rows = conn.execute(select(orm.children.c.learner_id, orm.children.c.school_id)).all()
    assert [tuple(r) for r in rows] == [("lrn-new", "sch-1")]
