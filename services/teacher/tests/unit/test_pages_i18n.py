"""Every string the pages show has a Mongolian translation (Mongolian is what a visitor sees by default)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "teacher"
METHODS = [("entrypoints/api/pages/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}


def shown_strings() -> set[str]:
    found = extract_from_dir(str(PACKAGE), METHODS, OPTIONS, keywords={"_": None, "gettext": None,
                                                                      "ngettext": (1, 2), "N_": None})
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def catalogue(lang: str) -> dict[str, object]:
    with (PACKAGE / "locale" / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(po, locale=lang) if m.id}


def test_every_page_string_is_translated_to_mongolian() -> None:
    mongolian = catalogue("mn")
    strings = shown_strings()
    assert len(strings) > 100
    missing = sorted(s for s in strings if not mongolian.get(s) or not all(mongolian[s] if isinstance(
        mongolian[s], tuple) else [mongolian[s]]))
    assert missing == [], f"add these to locale/mn/LC_MESSAGES/messages.po: {missing}"


def test_the_english_catalogue_knows_the_same_strings() -> None:
    assert shown_strings() <= set(catalogue("en"))
