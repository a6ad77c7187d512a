"""Delivery providers behind one interface (``notify.service_layer.ports.Provider``).

* ``FileProvider`` — development (``make run``): one JSON line per message in a file, nothing leaves the machine.
* ``HttpGatewayProvider`` — an SMS (or push) gateway reached by HTTP POST of JSON ``{"to", "text", "reference"}``.
* ``SmtpProvider`` — e-mail through an SMTP server given as ``smtp://user:password@host:port?from=addr&starttls=1``.

Every provider raises ``TemporaryFailure`` when trying later may work and ``PermanentFailure`` when it never will.
"""

from __future__ import annotations

import json
import smtplib
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from notify.service_layer.ports import PermanentFailure, Provider, TemporaryFailure

RETRYABLE_HTTP = {408, 425, 429}


class FileProvider:
    def __init__(self, path: str | Path, channel: str) -> None:
        self.path = Path(path)
        self.channel = channel
        self._lock = threading.Lock()

    def send(self, address: str, text: str, *, key: str) -> str:
        line = json.dumps({"at": datetime.now(UTC).isoformat(), "channel": self.channel, "to": address,
                           "text": text, "key": key}, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        return f"file:{key}"


class HttpGatewayProvider:
    def __init__(self, url: str, timeout_s: float = 10.0) -> None:
        self.url = url
        self.timeout_s = timeout_s

    def send(self, address: str, text: str, *, key: str) -> str:
        body = json.dumps({"to": address, "text": text, "reference": key}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json", "Idempotency-Key": key})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                answer = response.read()
        except urllib.error.HTTPError as exc:
            retry = exc.code >= 500 or exc.code in RETRYABLE_HTTP
            raise (TemporaryFailure if retry else PermanentFailure)(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise TemporaryFailure(f"gateway unreachable: {exc}") from exc
        return _reference(answer, key)


def _reference(answer: bytes, key: str) -> str:
    try:
        return str(json.loads(answer or b"{}").get("id") or key)
    except (ValueError, AttributeError):
        return key


class SmtpProvider:
    def __init__(self, url: str, timeout_s: float = 20.0, subject: str = "ESIS") -> None:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 25
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.sender = query.get("from", ["noreply@esis.mn"])[0]
        self.starttls = query.get("starttls", ["0"])[0] in ("1", "true")
        self.ssl = parts.scheme == "smtps"
        self.timeout_s, self.subject = timeout_s, subject

    def send(self, address: str, text: str, *, key: str) -> str:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, address, self.subject
        message["Message-ID"] = f"<{key.replace(':', '.')}@esis>"
        message.set_content(text)
        try:
            with self._connect() as server:
                server.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise PermanentFailure(f"address refused: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP failed: {exc}") from exc
        return message["Message-ID"]

    def _connect(self) -> smtplib.SMTP:
        cls = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        server = cls(self.host, self.port, timeout=self.timeout_s)
        if self.starttls and not self.ssl:
            server.starttls()
        if self.user:
            server.login(self.user, self.password)
        return server


def build_providers(*, mode: str, outbox_file: str, sms_url: str = "", push_url: str = "",
                    smtp_url: str = "") -> dict[str, Provider]:
    """``mode="file"``: every channel into ``outbox_file``; ``"gateways"``: the configured URLs only."""
    if mode == "file":
        return {channel: FileProvider(outbox_file, channel) for channel in ("push", "sms", "email")}
    found: dict[str, Provider] = {}
    if sms_url:
        found["sms"] = HttpGatewayProvider(sms_url)
    if push_url:
        found["push"] = HttpGatewayProvider(push_url)
    if smtp_url:
        found["email"] = SmtpProvider(smtp_url)
    return found
