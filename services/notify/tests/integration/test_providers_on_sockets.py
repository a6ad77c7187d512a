"""The production providers against servers on loopback: an HTTP SMS gateway and a minimal SMTP server."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from notify.adapters.providers import HttpGatewayProvider, SmtpProvider
from notify.service_layer.ports import PermanentFailure, TemporaryFailure

pytestmark = pytest.mark.integration


class Gateway(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[dict, str]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((body, self.headers["Idempotency-Key"]))
        status = Gateway.answers.pop(0) if Gateway.answers else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(json.dumps({"id": "gw-1"}).encode())

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def gateway() -> Iterator[str]:
    Gateway.answers, Gateway.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/send"
    finally:
        server.shutdown()


def test_the_sms_gateway_gets_the_message_with_its_idempotency_key(gateway) -> None:
    reference = HttpGatewayProvider(gateway).send("99112233", "Д.Бат: өнөөдөр ирээгүй.", key="absence:1")

    assert reference == "gw-1"
    assert Gateway.received == [({"to": "99112233", "text": "Д.Бат: өнөөдөр ирээгүй.", "reference": "absence:1"},
                                 "absence:1")]


@pytest.mark.parametrize(("status", "failure"), [(503, TemporaryFailure), (429, TemporaryFailure),
                                                 (400, PermanentFailure)])
def test_gateway_answers_decide_retry_or_fallback(gateway, status, failure) -> None:
    Gateway.answers = [status]

    with pytest.raises(failure):
        HttpGatewayProvider(gateway).send("99112233", "x", key="k")


class Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message, or to refuse recipients ending in .invalid."""

    messages: list[str] = []

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        data = False
        body: list[str] = []
        while line := self.rfile.readline().decode():
            if data:
                if line == ".\r\n":
                    Smtp.messages.append("".join(body))
                    data = False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    body.append(line)
                continue
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == "RCPT":
                self.wfile.write(b"550 no such user\r\n" if ".invalid" in line else b"250 ok\r\n")
            elif verb == "DATA":
                data = True
                self.wfile.write(b"354 go\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp() -> Iterator[str]:
    Smtp.messages = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"smtp://127.0.0.1:{server.server_address[1]}?from=esis@example.mn"
    finally:
        server.shutdown()
        server.server_close()


def test_e_mail_goes_out_over_smtp_and_a_refused_address_is_permanent(smtp) -> None:
    provider = SmtpProvider(smtp)

    provider.send("oyun@example.mn", "Сайн байна уу", key="message:1")
    with pytest.raises(PermanentFailure):
        provider.send("nobody@example.invalid", "x", key="message:2")

    [message] = Smtp.messages
    assert "To: oyun@example.mn" in message and "From: esis@example.mn" in message
