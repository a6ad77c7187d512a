"""The teacher's menu leads to the parents' messages, which the parent service serves (/parent/teacher/inbox)."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from teacher.entrypoints.api.app import build_app

from ..conftest import MANAGER, TEACHER, sql_container

LINK = '<a href="/parent/teacher/inbox">'


class NoNames:
    def names(self, class_id: str, day: date, on_behalf_of: str) -> dict[str, str]:
        return {}


def test_a_teacher_finds_the_parents_messages_in_the_menu_in_both_languages(tmp_path, tokens, clock) -> None:
    container = sql_container(f"sqlite:///{tmp_path / 'teacher.db'}", tokens, clock, names=NoNames())
    client = TestClient(build_app(container))
    client.cookies.set("esis_session", tokens.token(TEACHER))
    try:
        assert f"{LINK}Эцэг эхийн захидал</a>" in client.get("/teacher/").text
        assert f"{LINK}Parents' messages</a>" in client.get("/teacher/?lang=en").text

        client.cookies.set("esis_session", tokens.token(MANAGER))  # a school manager teaches no class
        assert LINK not in client.get("/teacher/school").text
    finally:
        container.close()
