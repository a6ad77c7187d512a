from __future__ import annotations

import json

from notify.adapters.providers import FileProvider, HttpGatewayProvider, SmtpProvider, build_providers


def test_the_file_provider_appends_one_json_line_per_message(tmp_path) -> None:
    out = tmp_path / "outbox.jsonl"
    provider = FileProvider(out, "sms")

    provider.send("99112233", "Сайн уу", key="k1")
    provider.send("99112233", "Баяртай", key="k2")

    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(x["channel"], x["to"], x["text"], x["key"]) for x in lines] == [
        ("sms", "99112233", "Сайн уу", "k1"), ("sms", "99112233", "Баяртай", "k2")]


def test_file_mode_serves_every_channel_and_gateway_mode_only_configured_ones(tmp_path) -> None:
    assert sorted(build_providers(mode="file", outbox_file=str(tmp_path / "o"))) == ["email", "push", "sms"]
    found = build_providers(mode="gateways", outbox_file="", sms_url="http://sms.example/send",
                            smtp_url="smtps://u:p%40ss@mail.example:465?from=esis@example.mn")
    assert sorted(found) == ["email", "sms"]
    assert isinstance(found["sms"], HttpGatewayProvider)
    smtp = found["email"]
    assert isinstance(smtp, SmtpProvider)
    assert (smtp.host, smtp.port, smtp.password, smtp.sender, smtp.ssl) == ("mail.example", 465, "p@ss",
                                                                          "esis@example.mn", True)
