from datetime import date

import pytest
from esis_shared.national_id import (
    InvalidRegisterNumber,
    Part,
    Sex,
    parse,
    problems_of,
    validate,
)

TODAY = date(2025, 3, 1)


def _problem(raw: str, **kwargs):
    with pytest.raises(InvalidRegisterNumber) as info:
        validate(raw, today=TODAY, **kwargs)
    return info.value.problems[0]


def test_birth_before_2000_reads_month_as_is():
    number = parse("УБ99010112", today=TODAY)
    assert number.birth_date == date(1999, 1, 1)


def test_birth_from_2000_stores_month_plus_20():
    number = parse("УБ00210112", today=TODAY)
    assert number.birth_date == date(2000, 1, 1)


def test_1999_and_2000_births_with_same_digits_differ_only_by_month_offset():
    assert parse("АА99121512", today=TODAY).birth_date == date(1999, 12, 15)
    assert parse("АА00321512", today=TODAY).birth_date == date(2000, 12, 15)


def test_odd_sex_character_is_male_even_is_female():
    assert parse("УБ15250318", today=TODAY).sex is Sex.MALE
    assert parse("УБ15250328", today=TODAY).sex is Sex.FEMALE
    assert parse("УБ15250308", today=TODAY).sex is Sex.FEMALE


def test_check_digit_never_rejects():
    for last in "0123456789":
        assert parse(f"УБ1525031{last}", today=TODAY).check_digit == int(last)


def test_lowercase_cyrillic_is_accepted_and_normalized():
    number = parse("  уб15250314 ", today=TODAY)
    assert number.value == "УБ15250314"


def test_mongolian_specific_letters_are_accepted():
    assert parse("ӨҮ15250314", today=TODAY).letters == "ӨҮ"
    assert parse("ЁЮ15250314", today=TODAY).letters == "ЁЮ"


def test_one_latin_lookalike_letter_is_refused_with_cyrillic_suggestion():
    problem = _problem("УB15250314")  # second letter is Latin B
    assert problem.code == "register_number_latin_letters"
    assert problem.part is Part.LETTERS
    assert problem.details["suggestion"] == "УВ"
    assert "кирилл" in problem.message_mn


def test_all_latin_lookalike_letters_are_refused():
    problem = _problem("AB15250314")
    assert problem.code == "register_number_latin_letters"
    assert problem.details["suggestion"] == "АВ"


def test_latin_letters_without_cyrillic_twin_are_wrong_letters():
    problem = _problem("UB15250314")
    assert problem.code == "register_number_letters"
    assert problem.part is Part.LETTERS


@pytest.mark.parametrize("raw", ["", "УБ1525031", "УБ152503144", "У15250314", "УБ 15250314", "УБ1525031А",
                                 "УБ١٥٢٥٠٣١٤"])
def test_wrong_shape_is_a_format_error(raw):
    problem = _problem(raw)
    assert problem.code == "register_number_format"
    assert problem.part is Part.WHOLE


@pytest.mark.parametrize("month", ["13", "33", "00", "20", "19"])
def test_impossible_month_names_the_month_characters(month):
    problem = _problem(f"УБ15{month}0314")
    assert problem.code == "register_number_birth_month"
    assert problem.part is Part.BIRTH_MONTH
    assert month in problem.message_mn and month in problem.message_en


def test_feb_29_in_leap_year_is_valid():
    assert parse("УБ08222914", today=TODAY).birth_date == date(2008, 2, 29)
    assert parse("УБ96022914", today=TODAY).birth_date == date(1996, 2, 29)


def test_feb_29_in_common_year_names_the_day():
    problem = _problem("УБ09222914")
    assert problem.code == "register_number_birth_day"
    assert problem.part is Part.BIRTH_DAY
    assert "February 2009" in problem.message_en


def test_day_31_of_april_is_refused():
    assert _problem("УБ15243114").code == "register_number_birth_day"


def test_birth_in_the_future_is_refused():
    problem = _problem("УБ25250314")
    assert problem.code == "register_number_birth_in_future"


def test_matching_recorded_birth_date_and_sex_pass():
    number = validate("УБ15250314", birth_date=date(2015, 5, 3), sex="male", today=TODAY)
    assert number.sex is Sex.MALE


def test_recorded_birth_date_mismatch_names_the_differing_part():
    day = _problem("УБ15250314", birth_date=date(2015, 5, 4))
    month = _problem("УБ15250314", birth_date=date(2015, 6, 3))
    year = _problem("УБ15250314", birth_date=date(2014, 5, 3))
    assert day.code == month.code == year.code == "register_number_birth_date_mismatch"
    assert (day.part, month.part, year.part) == (Part.BIRTH_DAY, Part.BIRTH_MONTH, Part.BIRTH_YEAR)
    assert "2015-05-03" in day.message_mn and "2015-05-04" in day.message_mn


def test_recorded_sex_mismatch_names_the_sex_character():
    problem = _problem("УБ15250324", sex=Sex.MALE)
    assert problem.code == "register_number_sex_mismatch"
    assert problem.part is Part.SEX_DIGIT
    assert "эмэгтэй" in problem.message_mn


def test_both_mismatches_are_reported_together():
    problems = problems_of("УБ15250324", birth_date=date(2015, 5, 4), sex=Sex.MALE, today=TODAY)
    assert [p.code for p in problems] == ["register_number_birth_date_mismatch", "register_number_sex_mismatch"]


def test_problem_messages_in_both_languages_and_as_field_errors():
    with pytest.raises(InvalidRegisterNumber) as info:
        validate("УБ15130314", today=TODAY)
    [mn] = info.value.field_errors("learner.register_number")
    [en] = info.value.field_errors("learner.register_number", lang="en")
    assert mn["field"] == "learner.register_number" and mn["part"] == "birth_month"
    assert mn["message"] != en["message"] and en["message"].startswith("Characters 5–6")


def test_repr_masks_the_number():
    number = parse("УБ15250314", today=TODAY)
    assert "152503" not in repr(number)
    assert repr(number) == "RegisterNumber(УБ******14)"
