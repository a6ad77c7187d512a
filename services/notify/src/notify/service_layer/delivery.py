"""Accepting requests and delivering what is due: the logic the nameko entrypoints call."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from notify.domain.model import Delivery, RetryPolicy, digest_text, from_direct, from_request
from notify.service_layer.ports import PermanentFailure, Provider, Store, TemporaryFailure

log = logging.getLogger(__name__)
Providers = Mapping[str, Provider]


def accept(payload: dict[str, Any], store: Store, now: datetime, *, direct: bool = False) -> Delivery | None:
    """Store a new delivery; None when this key was seen before (the repeat changes nothing).

    ``direct``: a one-off message (``domain.model.from_direct``) rather than a guardian's notification request.
    """
    delivery = from_direct(payload, now) if direct else from_request(payload, now)
    if not store.add(delivery):
        log.info("notification %s already accepted; ignoring the repeat", delivery.key)
        return None
    return delivery


def deliver_due(store: Store, providers: Providers, now: datetime,
                policy: RetryPolicy | None = None) -> list[Delivery]:
    """Send every due delivery once (digests grouped per guardian and channel); returns those that changed."""
    policy = policy or RetryPolicy()
    due = store.claim_due(now)
    groups: dict[tuple[str, str, str], list[Delivery]] = {}
    for delivery in due:
        if delivery.digest:
            groups.setdefault((delivery.account_id, *delivery.channel), []).append(delivery)
        else:
            _attempt([delivery], delivery.text, providers, now, policy)
    for batch in groups.values():
        text = batch[0].text if len(batch) == 1 else digest_text(batch)
        _attempt(batch, text, providers, now, policy)
    for delivery in due:
        store.save(delivery)
    return due


def _attempt(batch: list[Delivery], text: str, providers: Providers, now: datetime, policy: RetryPolicy) -> None:
    channel, address = batch[0].channel
    provider = providers.get(channel)
    try:
        if provider is None:
            raise PermanentFailure(f"no provider configured for {channel}")
        reference = provider.send(address, text, key=batch[0].key if len(batch) == 1 else _digest_key(batch))
    except (TemporaryFailure, PermanentFailure) as exc:
        permanent = isinstance(exc, PermanentFailure)
        log.warning("sending %s over %s failed (%s): %s", batch[0].key, channel,
                    "permanent" if permanent else "temporary", exc)
        for delivery in batch:
            delivery.failed(now, str(exc), permanent=permanent, policy=policy)
        return
    for delivery in batch:
        delivery.sent(now, reference)


def _digest_key(batch: list[Delivery]) -> str:
    return "digest:" + ",".join(sorted(d.key for d in batch))
