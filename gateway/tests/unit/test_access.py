import pytest
from gateway.domain.access import DEFAULT_ROLE_RULES, AccessPolicy, parse_rules

ACCOUNTS = "/api/identity/v1/accounts"


@pytest.fixture
def policy() -> AccessPolicy:
    return AccessPolicy(DEFAULT_ROLE_RULES)


@pytest.mark.parametrize("role", ["ministry", "aimag_officer", "district_officer", "school_admin"])
def test_staff_administrators_may_manage_accounts(policy: AccessPolicy, role: str) -> None:
    assert policy.allows(role, "GET", ACCOUNTS)
    assert policy.allows(role, "POST", ACCOUNTS + "/acc-1/lock")
    assert policy.allows(role, "POST", ACCOUNTS + ":bulk")


@pytest.mark.parametrize("role", ["parent", "teacher", "service", None])
def test_parents_and_teachers_may_not_call_account_management(policy: AccessPolicy, role: str | None) -> None:
    assert not policy.allows(role, "GET", ACCOUNTS + "/acc-1")
    assert not policy.allows(role, "POST", ACCOUNTS + ":bulk")


def test_paths_without_a_rule_are_open_to_any_signed_in_role(policy: AccessPolicy) -> None:
    assert policy.allows("parent", "GET", "/api/identity/v1/me")
    assert policy.allows("parent", "GET", "/api/identity/v1/accountsettings")


def test_longest_prefix_wins() -> None:
    policy = AccessPolicy({"/api/stats/v1": ["ministry"], "/api/stats/v1/schools": ["ministry", "school_admin"]})
    assert policy.allows("school_admin", "GET", "/api/stats/v1/schools/12")
    assert not policy.allows("school_admin", "GET", "/api/stats/v1/national")


def test_a_rule_naming_the_method_beats_one_that_does_not() -> None:
    policy = AccessPolicy({"/api/education/v1/transfers": ["school_admin", "teacher"],
                           "POST /api/education/v1/transfers": ["school_admin"]})
    assert policy.allows("teacher", "GET", "/api/education/v1/transfers")
    assert not policy.allows("teacher", "POST", "/api/education/v1/transfers")
    assert policy.allows("school_admin", "post", "/api/education/v1/transfers")


def test_a_rule_key_must_be_a_path() -> None:
    with pytest.raises(ValueError):
        parse_rules({"GET api/x": ["ministry"]})


HR = "/api/hr/v1"


@pytest.mark.parametrize("role", ["teacher", "school_admin", "aimag_officer", "ministry"])
def test_staff_and_officers_may_read_hr(policy: AccessPolicy, role: str) -> None:
    assert policy.allows(role, "GET", HR + "/staff/me" if role == "teacher" else HR + "/staff")


def test_parents_have_no_business_in_hr(policy: AccessPolicy) -> None:
    assert not policy.allows("parent", "GET", HR + "/staff/me")
    assert not policy.allows("parent", "GET", HR + "/vacancies")


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/staff"), ("POST", "/staff/stf-1/exits"), ("PUT", "/staff/stf-1/account"), ("POST", "/positions"),
    ("POST", "/vacancies/vac-1/cancel"), ("POST", "/assignments"), ("POST", "/imports/staff")])
def test_only_school_admins_change_staff(policy: AccessPolicy, method: str, path: str) -> None:
    assert policy.allows("school_admin", method, HR + path)
    for role in ("teacher", "ministry", "aimag_officer"):
        assert not policy.allows(role, method, HR + path)


def test_the_hr_directory_is_written_by_the_ministry_and_services(policy: AccessPolicy) -> None:
    assert policy.allows("service", "PUT", HR + "/directory/classes/cls-1")
    assert policy.allows("ministry", "PUT", HR + "/directory/orgs/org-1")
    assert not policy.allows("school_admin", "PUT", HR + "/directory/orgs/org-1")
