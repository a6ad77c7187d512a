from gateway.domain.forwarding import ForwardContext, client_address, request_headers, response_headers


def raw(*pairs: tuple[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.encode(), value.encode()) for name, value in pairs]


def test_hop_by_hop_and_connection_listed_headers_are_not_forwarded() -> None:
    headers = dict(request_headers(raw(("host", "esis.mn"), ("connection", "keep-alive, x-secret"),
                                       ("x-secret", "1"), ("te", "trailers"), ("keep-alive", "timeout=5"),
                                       ("authorization", "Bearer t"), ("cookie", "esis_session=s")),
                                   ForwardContext(peer="10.0.0.5", scheme="https")))
    assert not {"connection", "x-secret", "te", "keep-alive"} & headers.keys()
    assert headers["authorization"] == "Bearer t"
    assert headers["cookie"] == "esis_session=s"
    assert headers["host"] == "esis.mn"


def test_request_id_and_forwarded_headers_are_set_by_the_gateway() -> None:
    headers = dict(request_headers(raw(("host", "esis.mn"), ("x-request-id", "forged"), ("traceparent", "00-x"),
                                       ("x-forwarded-for", "6.6.6.6")),
                                   ForwardContext(peer="10.0.0.5", scheme="https", request_id="rid-1")))
    assert headers["x-request-id"] == "rid-1"
    assert "traceparent" not in headers
    assert headers["x-forwarded-for"] == "10.0.0.5"
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-host"] == "esis.mn"


def test_behind_a_trusted_proxy_the_forwarded_chain_is_extended() -> None:
    ctx = ForwardContext(peer="10.0.0.2", scheme="http", trusted_proxies=1)
    headers = dict(request_headers(raw(("x-forwarded-for", "202.131.1.1"), ("x-forwarded-proto", "https")), ctx))
    assert headers["x-forwarded-for"] == "202.131.1.1, 10.0.0.2"
    assert headers["x-forwarded-proto"] == "https"


def test_host_is_dropped_when_not_preserved() -> None:
    ctx = ForwardContext(peer="10.0.0.2", scheme="http", preserve_host=False)
    assert "host" not in dict(request_headers(raw(("host", "esis.mn")), ctx))


def test_client_address_trusts_only_the_configured_number_of_proxies() -> None:
    assert client_address("10.0.0.2", "6.6.6.6, 202.131.1.1", 0) == "10.0.0.2"
    assert client_address("10.0.0.2", "6.6.6.6, 202.131.1.1", 1) == "202.131.1.1"
    assert client_address("10.0.0.2", "202.131.1.1", 5) == "202.131.1.1"
    assert client_address(None, None, 0) == "unknown"


def test_response_keeps_repeated_set_cookie_and_drops_hop_by_hop() -> None:
    headers = response_headers(raw(("Set-Cookie", "a=1"), ("set-cookie", "b=2"), ("Transfer-Encoding", "chunked"),
                                   ("x-request-id", "upstream"), ("content-type", "text/html")))
    assert headers == [(b"set-cookie", b"a=1"), (b"set-cookie", b"b=2"), (b"content-type", b"text/html")]
