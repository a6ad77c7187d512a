"""Pages speak Mongolian unless the visitor picks English; the choice is remembered in the ``lang`` cookie."""

from __future__ import annotations

from pathlib import Path

import esis_shared.web
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from esis_shared.api import create_app
from esis_shared.config import ServiceSettings
from esis_shared.web import render, setup_web, translator
from esis_shared.web.i18n import compile_po, load_translations
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

WEB_DIR = Path(esis_shared.web.__file__).parent


def demo_app(tmp_path: Path, po_text: str | None = None) -> FastAPI:
    """A service "demo" whose page says "Sign out" through the shared (or an overriding) catalogue."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "hello.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="t">{{ _("Sign out") }}</p>'
        '<p id="py">{{ from_python }}</p>{% endblock %}', encoding="utf-8")
    locale = None
    if po_text is not None:
        locale = tmp_path / "locale"
        (locale / "mn" / "LC_MESSAGES").mkdir(parents=True)
        (locale / "mn" / "LC_MESSAGES" / "messages.po").write_text(po_text, encoding="utf-8")
    settings = ServiceSettings(service_name="demo")
    app = create_app(settings, title="demo")
    setup_web(app, service="demo", templates_dir=templates, locale_dir=locale, settings=settings)

    @app.get("/demo/hello")
    def hello(request: Request):  # noqa: ANN202
        return render(request, "hello.html", {"from_python": translator(request).gettext("Home page")})

    return app


def test_mongolian_is_the_default_language(tmp_path: Path) -> None:
    response = TestClient(demo_app(tmp_path)).get("/demo/hello")
    assert response.status_code == 200
    assert '<html lang="mn">' in response.text
    assert '<p id="t">Гарах</p>' in response.text
    assert '<p id="py">Нүүр хуудас</p>' in response.text
    assert "Боловсролын мэдээллийн нэгдсэн систем" in response.text
    assert response.headers["content-language"] == "mn"


def test_lang_query_switches_to_english_and_is_remembered_in_a_cookie(tmp_path: Path) -> None:
    client = TestClient(demo_app(tmp_path))
    response = client.get("/demo/hello?lang=en")
    assert '<html lang="en">' in response.text
    assert '<p id="t">Sign out</p>' in response.text
    assert "Education Information System" in response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=en;") and "SameSite=Lax" in cookie and "Max-Age=" in cookie

    again = client.get("/demo/hello")
    assert '<html lang="en">' in again.text
    assert "set-cookie" not in again.headers or "lang=" not in again.headers["set-cookie"]


def test_switching_back_to_mongolian_replaces_the_cookie(tmp_path: Path) -> None:
    client = TestClient(demo_app(tmp_path))
    client.get("/demo/hello?lang=en")
    response = client.get("/demo/hello?lang=mn")
    assert '<html lang="mn">' in response.text
    assert client.cookies.get("lang") == "mn"


@pytest.mark.parametrize("asked", ["ru", "", "EN'><script>", "zh-CN"])
def test_an_unknown_language_falls_back_to_mongolian_and_sets_no_cookie(tmp_path: Path, asked: str) -> None:
    response = TestClient(demo_app(tmp_path)).get("/demo/hello", params={"lang": asked})
    assert '<html lang="mn">' in response.text
    assert "lang=" not in response.headers.get("set-cookie", "")


def test_language_links_keep_the_rest_of_the_query(tmp_path: Path) -> None:
    response = TestClient(demo_app(tmp_path)).get("/demo/hello?class=5a&lang=mn")
    assert 'href="/demo/hello?class=5a&amp;lang=en"' in response.text
    assert 'href="/demo/hello?class=5a&amp;lang=mn"' in response.text


def test_a_service_catalogue_overrides_the_shared_one(tmp_path: Path) -> None:
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
          'msgid "Sign out"\nmsgstr "Системээс гарах"\n')
    response = TestClient(demo_app(tmp_path, po)).get("/demo/hello")
    assert '<p id="t">Системээс гарах</p>' in response.text
    assert "Боловсролын мэдээллийн нэгдсэн систем" in response.text  # the rest still comes from shared


def test_fuzzy_translations_are_not_shown(tmp_path: Path) -> None:
    po_file = tmp_path / "messages.po"
    po_file.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                       '#, fuzzy\nmsgid "Sign out"\nmsgstr "Буруу орчуулга"\n', encoding="utf-8")
    assert compile_po(po_file, "mn").gettext("Sign out") == "Sign out"


def test_a_missing_catalogue_shows_the_english_source_text(tmp_path: Path) -> None:
    translations = load_translations([tmp_path / "nothing-here"], languages=["mn"])
    assert translations["mn"].gettext("Sign out") == "Sign out"


def test_every_shared_page_string_has_a_mongolian_translation() -> None:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}
    used = {message[2] for message in extract_from_dir(str(WEB_DIR), method_map, options)}
    with (WEB_DIR / "locale" / "mn" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert used, "no strings extracted: the extraction set-up is broken"
    assert sorted(used - translated) == []
