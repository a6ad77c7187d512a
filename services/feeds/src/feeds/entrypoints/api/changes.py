"""The HTTP change feed of one aimag: ``GET /api/feeds/v1/aimags/{code}/changes?since=&limit=&snapshot=``.

Read from ``since=0`` to replay from the beginning. The first page pins ``snapshot`` (the feed's head then);
send it back with every following page so a long read sees one consistent state, then continue with
``since=<next_since>`` and no snapshot to follow new changes.
"""

from __future__ import annotations

from typing import Annotated, Any

from esis_shared.auth import Principal, current_principal
from esis_shared.errors import Forbidden, NotFound
from esis_shared.registry import RegistryError, message_class
from fastapi import APIRouter, Depends, Query, Request

from feeds.bootstrap import Container
from feeds.domain.feed import PageRequest, codes, may_read, topic_for
from feeds.service_layer.feeds import entry_json, read_page

router = APIRouter(prefix="/api/feeds/v1/aimags", tags=["feeds"])
PrincipalDep = Annotated[Principal, Depends(current_principal())]


def _container(request: Request) -> Container:
    return request.app.state.container


def _check(principal: Principal, code: str) -> None:
    if code not in codes():
        raise NotFound(f"No aimag or district with NSO code {code!r}", details={"code": code})
    if not may_read(principal.role, principal.org_ids, code):
        raise Forbidden(f"Your account may not read the feed of {code}", details={"code": code})


def _class_of(event_type: str) -> Any:
    try:
        return message_class(event_type)
    except RegistryError:
        return None


@router.get("/{code}/changes")
def changes(code: str, request: Request, principal: PrincipalDep, since: Annotated[int, Query(ge=0)] = 0,
            limit: Annotated[int, Query(ge=1)] = 100, snapshot: Annotated[int | None, Query(ge=0)] = None,
            ) -> dict[str, Any]:
    _check(principal, code)
    container = _container(request)
    size = min(limit, container.settings.max_page_size)
    with container.transaction() as session:
        page = read_page(session, code, PageRequest(since, size, snapshot))
    return {"aimag": code, "topic": topic_for(code), "snapshot": page.snapshot, "next_since": page.next_since,
            "has_more": page.has_more, "events": [entry_json(e, _class_of(e.event_type)) for e in page.entries]}


@router.get("/{code}")
def head(code: str, request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """The feed's head version (a snapshot id to read up to) and its Kafka topic."""
    _check(principal, code)
    with _container(request).transaction() as session:
        page = read_page(session, code, PageRequest(0, 1))
    return {"aimag": code, "topic": topic_for(code), "head": page.snapshot}
