"""Every text of education's pages has a Mongolian translation (Mongolian is what people see by default)."""

from __future__ import annotations

from pathlib import Path

import education
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PACKAGE = Path(education.__file__).parent
METHODS = [("**/templates/**.html", "jinja2"), ("**/pages/**.py", "python")]
OPTIONS = {"**/templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}


def _source_texts() -> set[str]:
    found = extract_from_dir(str(PACKAGE), METHODS, options_map=OPTIONS, keywords={"_": None, "gettext": None,
                                                                                    "ngettext": (1, 2), "N_": None})
    return {message[0] if isinstance(message, tuple) else message for _, _, message, *_ in found}


def test_every_page_text_has_a_mongolian_translation() -> None:
    with open(PACKAGE / "locale" / "mn" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue
                  if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))}
    texts = _source_texts()
    assert len(texts) > 150
    assert sorted(texts - translated) == []
