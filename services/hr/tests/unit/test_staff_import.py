"""Bulk import of a staff list: all rows or none, every problem reported with its row and field."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hr.domain.access import Actor, Role
from hr.domain.errors import AccessDenied
from hr.domain.events import StaffHired, StaffQualificationsChanged
from hr.entrypoints.staff_sheet import read_sheet, template_csv
from hr.service_layer.staff_import import ImportStaff
from openpyxl import Workbook

HEADER = "Регистрийн дугаар,Эцэг/эхийн нэр,Нэр,Төрсөн огноо,Хүйс,Албан тушаал,Орон тоо,Хичээл,Ажилд орсон огноо," \
         "Мэргэжлийн зэрэг,Заах хичээлүүд"
BOLD = "УБ85031512,Батын,Болд,1985-03-15,эрэгтэй,багш,1,math,2024-09-01,Тэргүүлэх багш,math physics"
SARAA = "ТА92112024,Доржийн,Сараа,1992.11.20,эмэгтэй,захирал,1,,2024-09-01,,"
SCHOOL = "org-school-1"


def _import(world, *lines: str, actor: Actor | None = None):
    sheet = read_sheet("staff.csv", "\n".join((HEADER, *lines)).encode("utf-8"))
    assert sheet.errors == ()
    return world.handle(ImportStaff(actor or world.admin, SCHOOL, sheet.rows))


def test_a_clean_list_hires_everyone_with_their_rank_and_subjects(world):
    report = _import(world, BOLD, SARAA)

    assert (report.imported, report.rows, report.new_staff) == (True, 2, 2)
    assert len(world.events(StaffHired)) == 2
    bold = next(s for s in world.store.staff.values() if s.name.given_name == "Болд")
    assert bold.qualifications.rank_code == "terguulekh"
    assert bold.qualifications.subject_codes == {"math", "physics"}
    assert [e.staff_id for e in world.events(StaffQualificationsChanged)] == [bold.id]


def test_one_bad_row_rejects_the_whole_file_and_names_row_and_field(world):
    bad_date = "ТА92112024,Доржийн,Сараа,20/11/1992,эмэгтэй,захирал,1,,2024-09-01,,"
    report = _import(world, BOLD, bad_date)

    assert not report.imported
    assert [(e.row, e.field, e.code) for e in report.errors] == [(3, "birth_date", "date_format")]
    assert "1985-03-15" in report.errors[0].message_mn
    assert world.store.staff == {} and world.store.outbox == [] and world.store.positions == {}


def test_every_problem_of_every_row_is_reported_at_once(world):
    report = _import(world, "УБ85131512,Батын,Болд,1985-03-15,эрэгтэй,багш,2,,2024-09-01,,",
                     ",Доржийн,,1992-11-20,x,жижүүр,1,,,,")
    found = {(e.row, e.field) for e in report.errors}
    assert {(3, "register_number"), (3, "given_name"), (3, "sex"), (3, "position"), (3, "start_date")} <= found
    assert (2, "fte") in found
    assert not report.imported


def test_a_register_number_that_disagrees_with_the_birth_date_is_a_row_error(world):
    report = _import(world, "УБ85031512,Батын,Болд,1985-03-16,эрэгтэй,багш,1,,2024-09-01,,")
    [error] = report.errors
    assert (error.row, error.field, error.code) == (2, "register_number", "register_number_birth_date_mismatch")


def test_one_person_on_two_rows_gets_one_record_and_two_posts(world):
    class_teacher = "УБ85031512,Батын,Болд,1985-03-15,эрэгтэй,анги удирдсан багш,0.25,,2024-09-01,,"
    report = _import(world, BOLD, class_teacher)
    assert (report.imported, report.new_staff, report.existing_staff) == (True, 1, 1)
    [bold] = world.store.staff.values()
    assert sorted(a.kind.value for a in bold.history.active_on(date(2024, 10, 1))) == ["class_teacher", "teacher"]


def test_only_the_schools_admin_may_import_its_list(world):
    with pytest.raises(AccessDenied):
        _import(world, BOLD, actor=Actor("x", Role.SCHOOL_ADMIN, frozenset({"org-school-2"})))


def test_a_list_without_rows_is_rejected(world):
    report = _import(world)
    assert not report.imported and report.errors[0].code == "no_rows"


def test_missing_required_columns_are_named_in_both_languages():
    sheet = read_sheet("staff.csv", "Нэр,Хүйс\nБолд,эрэгтэй\n".encode())
    [error] = sheet.errors
    assert error.code == "missing_columns" and error.row == 1
    assert "Регистрийн дугаар" in error.message_mn and "Register number" in error.message_en


def test_english_headers_semicolons_and_a_bom_are_understood():
    text = "\ufeffRegister number;Patronymic;Given name;Birth date;Sex;Position;Start date\n" \
           "УБ85031512;Батын;Болд;1985-03-15;male;teacher;2024-09-01\n"
    sheet = read_sheet("staff.csv", text.encode("utf-8"))
    [row] = sheet.rows
    assert (row.row, row.get("given_name"), row.get("position")) == (2, "Болд", "teacher")


def test_xlsx_dates_and_numbers_are_read_as_a_person_typed_them():
    book = Workbook()
    sheet = book.active
    sheet.append(["Регистрийн дугаар", "Эцэг/эхийн нэр", "Нэр", "Төрсөн огноо", "Хүйс", "Албан тушаал", "Орон тоо",
                  "Ажилд орсон огноо"])
    sheet.append(["УБ85031512", "Батын", "Болд", date(1985, 3, 15), "эрэгтэй", "багш", 1.0, date(2024, 9, 1)])
    sheet.append([None] * 8)
    buffer = io.BytesIO()
    book.save(buffer)

    read = read_sheet("staff.xlsx", buffer.getvalue())
    [row] = read.rows
    assert (row.get("birth_date"), row.get("fte"), row.get("start_date")) == ("1985-03-15", "1", "2024-09-01")


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly():
    sheet = read_sheet("staff.xlsx", b"not a zip file")
    [error] = sheet.errors
    assert error.code == "unreadable_file" and "XLSX" in error.message_mn


def test_the_template_has_every_column_in_mongolian_and_english():
    assert template_csv().startswith("\ufeffРегистрийн дугаар,Эцэг/эхийн нэр,Нэр")
    assert "Register number,Patronymic,Given name" in template_csv("en")
