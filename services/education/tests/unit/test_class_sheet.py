"""Reading class lists: CSV or XLSX, Mongolian or English headers, row numbers as the spreadsheet shows them."""

from __future__ import annotations

import io
from datetime import datetime

from education.entrypoints.class_sheet import column_label, read_sheet, template_csv
from openpyxl import Workbook

HEADER_MN = "Бүлэг,Регистрийн дугаар,Овог,Нэр,Төрсөн огноо,Хүйс,Хамаарал,Асран хамгаалагчийн утас"
ROW = "5А,УБ14250212,Бат,Сарнай,2014-05-02,эмэгтэй,эх,00110001"


def test_a_csv_with_mongolian_headers_gives_rows_numbered_like_the_spreadsheet() -> None:
    sheet = read_sheet("5a.csv", f"\ufeff{HEADER_MN}\r\n{ROW}\r\n,,,,,,,\r\n{ROW}\r\n".encode())
    assert sheet.errors == ()
    assert [r.row for r in sheet.rows] == [2, 4], "the blank row 3 is skipped but keeps its number"
    assert sheet.rows[0].values["register_number"] == "УБ14250212"
    assert sheet.rows[0].values["guardian_phone"] == "00110001"
    assert sheet.headers["guardian_relationship"] == "Хамаарал"


def test_english_headers_and_semicolons_are_understood() -> None:
    header = "Class;Register number;Family name;Given name;Birth date;Sex"
    sheet = read_sheet("list.csv", f"{header}\n5А;УБ14250212;Бат;Сарнай;2014-05-02;female\n".encode())
    assert sheet.errors == () and sheet.rows[0].values["sex"] == "female"


def test_missing_required_columns_are_named_in_both_languages() -> None:
    sheet = read_sheet("x.csv", "Бүлэг,Нэр\n5А,Сарнай\n".encode())
    (error,) = sheet.errors
    assert error.row == 1 and error.code == "import_missing_columns"
    assert "Регистрийн дугаар" in error.message_mn and "Register number" in error.message_en


def test_a_file_that_is_not_utf8_csv_or_xlsx_is_refused_with_its_name() -> None:
    sheet = read_sheet("list.xlsx", b"not a workbook")
    (error,) = sheet.errors
    assert error.code == "import_unreadable_file" and "list.xlsx" in error.message_mn
    assert read_sheet("cp1251.csv", "Овог,Нэр\nБат,Сарнай".encode("cp1251")).errors[0].code == "import_unreadable_file"


def test_xlsx_dates_and_numbers_become_the_text_a_person_typed() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER_MN.split(","))
    sheet.append(["5А", "УБ14250212", "Бат", "Сарнай", datetime(2014, 5, 2), "эмэгтэй", "эх", 99110001])
    content = io.BytesIO()
    book.save(content)

    read = read_sheet("5a.xlsx", content.getvalue())

    assert read.errors == ()
    assert read.rows[0].values["birth_date"] == "2014-05-02" and read.rows[0].values["guardian_phone"] == "99110001"


def test_the_template_has_every_column_in_the_chosen_language() -> None:
    assert template_csv("mn").startswith("\ufeffБүлэг,Регистрийн дугаар,Овог,Нэр")
    assert "Guardian phone" in template_csv("en")
    assert read_sheet("t.csv", template_csv("en").encode()).errors == ()


def test_a_column_is_shown_as_written_in_the_file_else_in_the_page_language() -> None:
    assert column_label("sex", "en", {"sex": "ХҮЙС"}) == "ХҮЙС"
    assert (column_label("sex", "mn"), column_label("sex", "en")) == ("Хүйс", "Sex")
