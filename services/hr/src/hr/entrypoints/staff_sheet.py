"""Staff lists as spreadsheets (CSV or XLSX): columns in Mongolian or English, one person and post per row.

Reading turns a file into rows of raw text keyed by field name, with the row number a person sees in the
spreadsheet (the header is row 1). Problems with the file itself (unreadable, missing columns) are reported as
row 1 errors naming the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hr.service_layer.staff_import import ImportRow, RowError

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


COLUMNS = (
    Column("register_number", "Регистрийн дугаар", "Register number", True, ("регистр",)),
    Column("patronymic", "Эцэг/эхийн нэр", "Patronymic", True, ("овог", "эцгийн нэр")),
    Column("given_name", "Нэр", "Given name", True, ("first name",)),
    Column("clan_name", "Ургийн овог", "Clan name"),
    Column("birth_date", "Төрсөн огноо", "Birth date", True),
    Column("sex", "Хүйс", "Sex", True),
    Column("phone", "Утас", "Phone"),
    Column("email", "И-мэйл", "E-mail", aliases=("имэйл", "email")),
    Column("position", "Албан тушаал", "Position", True, ("position_kind",)),
    Column("fte", "Орон тоо", "FTE"),
    Column("subject_code", "Хичээл", "Subject", aliases=("subject",)),
    Column("start_date", "Ажилд орсон огноо", "Start date", True, ("эхэлсэн огноо",)),
    Column("rank", "Мэргэжлийн зэрэг", "Rank", aliases=("rank_code",)),
    Column("subjects", "Заах хичээлүүд", "Qualified subjects", aliases=("subject_codes",)),
)
BY_FIELD = {c.field: c for c in COLUMNS}


@dataclass(frozen=True)
class Sheet:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    headers: dict[str, str]  # field -> the header as written in the file


def template_csv(lang: str = "mn") -> str:
    """An empty list with the expected header row (UTF-8 with BOM so Excel shows Cyrillic)."""
    return "\ufeff" + ",".join(c.en if lang == "en" else c.mn for c in COLUMNS) + "\r\n"


def read_sheet(filename: str, content: bytes) -> Sheet:
    try:
        table = _xlsx(content) if filename.lower().endswith(".xlsx") else _csv(content)
    except Exception as exc:  # any parser failure means the file is not what we can read
        return Sheet((), (_file_error(filename, exc),), {})
    return _to_rows(table)


def _csv(content: bytes) -> list[list[Any]]:
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


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
    missing = [c for c in COLUMNS if c.required and c.field not in positions]
    headers = {field: str(table[0][i]).strip() for field, i in positions.items()}
    if missing:
        return Sheet((), (_missing(missing),), headers)
    rows = tuple(ImportRow(n, {f: _text(r[i] if i < len(r) else None) for f, i in positions.items()})
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
    return RowError(1, "", "missing_columns", f"Заавал байх багана алга: {mn}.", f"Required columns missing: {en}.")


def _too_many(count: int) -> RowError:
    return RowError(1, "", "too_many_rows", f"Нэг файлд {MAX_ROWS}-аас олон мөр ({count}) байна; хуваана уу.",
                    f"The file has {count} rows, more than {MAX_ROWS}; split it.")


def _file_error(filename: str, exc: Exception) -> RowError:
    return RowError(1, "", "unreadable_file", f"\"{filename}\" файлыг уншиж чадсангүй: CSV (UTF-8) эсвэл XLSX байх "
                    "ёстой.", f"Cannot read \"{filename}\": it must be CSV (UTF-8) or XLSX ({type(exc).__name__}).")
