"""Unit-test fixtures: a message bus on in-memory fakes with the seeded school."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from teacher.domain.events import Event
from teacher.domain.reference import Reference
from teacher.service_layer.handlers.common import Context
from teacher.service_layer.messagebus import MessageBus

from ..conftest import Clock, apply_school
from .fakes import FakeUnitOfWork, Store


class Journal:
    """The bus plus what a test inspects: the committed store and the events staged in the outbox."""

    def __init__(self, reference: Reference, clock: Clock, ids: Callable[[], str]) -> None:
        self.holder = {"store": Store()}
        self.context = Context(reference, now=clock, new_id=ids)
        self.bus = MessageBus(self.uow, self.context)
        with self.uow() as uow:
            apply_school(uow.rosters)
            uow.commit()

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.holder)

    @property
    def store(self) -> Store:
        return self.holder["store"]

    def handle(self, command: Any) -> Any:
        return self.bus.handle(command)

    def events(self, kind: type | None = None) -> list[Event]:
        return [e for e in self.store.outbox if kind is None or isinstance(e, kind)]


@pytest.fixture
def journal(reference: Reference, clock: Clock, ids: Callable[[], str]) -> Journal:
    return Journal(reference, clock, ids)
