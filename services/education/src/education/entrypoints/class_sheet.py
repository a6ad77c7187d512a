"""Class lists as spreadsheets (CSV or XLSX): column headers in Mongolian or English, one learner per row.

Reading turns a file into rows of raw text keyed by field name, numbered as a person sees them in the
spreadsheet (the header is row 1). Problems with the file itself (unreadable, required columns missing, too many
rows) are row 1 errors and stop the file before any job is created.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from education.domain.imports import ImportRow, RowError

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    field: str
    mn: str
    en: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.mn, self.en, self.field, *self.aliases)}

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.mn


COLUMNS = (
    Column("class_name", "Бүлэг", "Class", True, ("анги", "class name")),
    Column("register_number", "Регистрийн дугаар", "Register number", True, ("регистр",)),
    Column("family_name", "Овог", "Family name", True, ("эцэг/эхийн нэр", "surname")),
    Column("given_name", "Нэр", "Given name", True, ("first name",)),
    Column("birth_date", "Төрсөн огноо", "Birth date", True),
    Column("sex", "Хүйс", "Sex", True),
    Column("address", "Хаяг", "Address"),
    Column("area_code", "Хороо, багийн код", "Area code"),
    Column("special_needs", "Тусгай хэрэгцээ", "Special needs"),
    Column("guardian_family_name", "Асран хамгаалагчийн овог", "Guardian family name"),
    Column("guardian_given_name", "Асран хамгаалагчийн нэр", "Guardian given name"),
    Column("guardian_relationship", "Хамаарал", "Relationship", aliases=("guardian relationship",)),
    Column("guardian_phone", "Асран хамгаалагчийн утас", "Guardian phone", aliases=("утас", "phone")),
    Column("guardian_register_number", "Асран хамгаалагчийн регистр", "Guardian register number"),
    Column("guardian_email", "Асран хамгаалагчийн и-мэйл", "Guardian e-mail", aliases=("guardian email",)),
)
BY_FIELD = {c.field: c for c in COLUMNS}
POSITION = {c.field: i for i, c in enumerate(COLUMNS)}


@dataclass(frozen=True)
class Sheet:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    headers: dict[str, str]  # field -> the header as written in the file


def column_label(field: str, lang: str, headers: dict[str, str] | None = None) -> str:
    """The column as the person wrote it in their file, else its name in ``lang``."""
    if headers and headers.get(field):
        return headers[field]
    column = BY_FIELD.get(field)
    return column.label(lang) if column else ""


def in_reading_order(errors: Iterable[RowError]) -> list[RowError]:
    """Row by row, and within a row left to right as the template lays the columns out."""
    return sorted(errors, key=lambda e: (e.row, POSITION.get(e.field, len(POSITION))))


def template_csv(lang: str = "mn") -> str:
    """An empty list with the expected header row (UTF-8 with BOM so Excel shows Cyrillic)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([c.label(lang) for c in COLUMNS])
    return "\ufeff" + out.getvalue()


def read_sheet(filename: str, content: bytes) -> Sheet:
    try:
        table = _xlsx(content) if filename.lower().endswith(".xlsx") else _csv(content)
    except Exception as exc:  # any parser failure means the file is not one we can read
        return Sheet((), (_file_error(filename, exc),), {})
    return _to_rows(table)


def _csv(content: bytes) -> list[list[Any]]:
    text = content.decode("utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # one column, or nothing to tell by
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _to_rows(table: list[list[Any]]) -> Sheet:
    if not table:
        return Sheet((), (_missing([c for c in COLUMNS if c.required]),), {})
    positions = _header_positions(table[0])
    headers = {name: _text(table[0][i]) for name, i in positions.items()}
    missing = [c for c in COLUMNS if c.required and c.field not in positions]
    if missing:
        return Sheet((), (_missing(missing),), headers)
    rows = tuple(ImportRow(n, {name: _text(r[i] if i < len(r) else None) for name, i in positions.items()})
                 for n, r in enumerate(table[1:], start=2) if any(_text(v) for v in r))
    if len(rows) > MAX_ROWS:
        return Sheet((), (_too_many(len(rows)),), headers)
    return Sheet(rows, (), headers)


def _header_positions(header: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        column = next((c for c in COLUMNS if _norm(_text(value)) in c.names()), None)
        if column is not None and column.field not in found:
            found[column.field] = index
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm(text: str) -> str:
    return " ".join(text.replace("*", "").lower().split())


def _missing(columns: list[Column]) -> RowError:
    mn, en = ", ".join(c.mn for c in columns), ", ".join(c.en for c in columns)
    return RowError(1, "", "import_missing_columns", f"Заавал байх багана алга: {mn}.",
                    f"Required columns are missing: {en}.")


def _too_many(count: int) -> RowError:
    return RowError(1, "", "import_too_many_rows", f"Нэг файлд {MAX_ROWS}-аас олон мөр ({count}) байна; хуваана уу.",
                    f"The file has {count} rows, more than {MAX_ROWS}; split it.")


def _file_error(filename: str, exc: Exception) -> RowError:
    return RowError(1, "", "import_unreadable_file", f"\"{filename}\" файлыг уншиж чадсангүй: CSV (UTF-8) эсвэл XLSX "
                    "байх ёстой.", f"Cannot read \"{filename}\": it must be CSV (UTF-8) or XLSX "
                    f"({type(exc).__name__}).")
