"""Header rules for forwarding one request upstream and its answer back (RFC 9110 hop-by-hop handling)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                        "te", "trailer", "trailers", "transfer-encoding", "upgrade"})
# Set by the gateway itself, never passed through from the client.
REPLACED = frozenset({"x-request-id", "traceparent", "tracestate", "expect", "x-forwarded-for",
                      "x-forwarded-proto", "x-forwarded-host", "forwarded"})
RawHeaders = Iterable[tuple[bytes, bytes]]
Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class ForwardContext:
    """What the gateway knows about the connection: peer address, scheme, and how far to trust proxies."""

    peer: str | None
    scheme: str
    request_id: str | None = None
    trusted_proxies: int = 0
    preserve_host: bool = True


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The client's IP: the peer, or with N trusted proxies in front the N-th X-Forwarded-For entry from the right."""
    if trusted_proxies <= 0 or not forwarded_for:
        return peer or "unknown"
    chain = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()] + [peer or "unknown"]
    return chain[max(0, len(chain) - 1 - trusted_proxies)]


def request_headers(raw: RawHeaders, ctx: ForwardContext) -> Headers:
    """Headers for the upstream request: hop-by-hop removed, request id and X-Forwarded-* set."""
    incoming = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in raw]
    dropped = HOP_BY_HOP | REPLACED | _connection_tokens(incoming)
    if not ctx.preserve_host:
        dropped |= {"host"}
    headers = [(name, value) for name, value in incoming if name not in dropped]
    if ctx.request_id:
        headers.append(("x-request-id", ctx.request_id))
    return headers + _forwarded(dict(incoming), ctx)


def response_headers(raw: RawHeaders) -> list[tuple[bytes, bytes]]:
    """Upstream response headers to pass back; the gateway sets its own ``x-request-id``."""
    items = list(raw)
    tokens = _connection_tokens([(n.decode("latin-1").lower(), v.decode("latin-1")) for n, v in items])
    dropped = HOP_BY_HOP | tokens | {"x-request-id"}
    return [(name.lower(), value) for name, value in items if name.decode("latin-1").lower() not in dropped]


def _forwarded(incoming: dict[str, str], ctx: ForwardContext) -> Headers:
    trusted = ctx.trusted_proxies > 0
    chain = incoming.get("x-forwarded-for") if trusted else None
    peer = ctx.peer or "unknown"
    proto = incoming.get("x-forwarded-proto") if trusted else None
    host = (incoming.get("x-forwarded-host") if trusted else None) or incoming.get("host")
    headers = [("x-forwarded-for", f"{chain}, {peer}" if chain else peer),
               ("x-forwarded-proto", proto or ctx.scheme)]
    return headers + ([("x-forwarded-host", host)] if host else [])


def _connection_tokens(headers: Iterable[tuple[str, str]]) -> frozenset[str]:
    return frozenset(token.strip().lower() for name, value in headers if name == "connection"
                     for token in value.split(",") if token.strip())
