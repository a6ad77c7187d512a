"""Coarse role rules as data: which roles may call a path at all. Services enforce the fine rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gateway.domain.routes import path_matches

STAFF_ADMIN_ROLES = frozenset({"ministry", "aimag_officer", "district_officer", "school_admin"})
# Keys are "<path prefix>" or "<METHOD> <path prefix>"; the longest matching prefix decides and a rule
# naming the method beats one that does not. Paths without a rule are open to any authenticated role.
DEFAULT_ROLE_RULES: dict[str, frozenset[str]] = {
    "/api/identity/v1/accounts": STAFF_ADMIN_ROLES,
    "/api/identity/v1/accounts:bulk": STAFF_ADMIN_ROLES,
    "/api/education/v1/admissions": STAFF_ADMIN_ROLES,
    "/api/education/v1/transfers": STAFF_ADMIN_ROLES,
    "/api/education/v1/imports": frozenset({"school_admin"}),
    # hr: staff data is nothing for parents; changes are a school admin's (hr checks it is their school);
    # the directory copy of education's orgs and classes is written by the ministry or a service account.
    "/api/hr/v1": STAFF_ADMIN_ROLES | {"teacher", "service"},
    "POST /api/hr/v1/staff": frozenset({"school_admin"}),
    "PUT /api/hr/v1/staff": frozenset({"school_admin"}),
    "POST /api/hr/v1/positions": frozenset({"school_admin"}),
    "POST /api/hr/v1/vacancies": frozenset({"school_admin"}),
    "POST /api/hr/v1/assignments": frozenset({"school_admin"}),
    "/api/hr/v1/imports": frozenset({"school_admin"}),
    "/api/hr/v1/directory": frozenset({"ministry", "service"}),
    # teacher: the journal is staff work; parents read their child's journal through the parent portal.
    "/api/teacher/v1": STAFF_ADMIN_ROLES | {"teacher"},
    # stats: figures for staff (stats scopes them by area); population figures come from the ministry.
    "/api/stats/v1": STAFF_ADMIN_ROLES | {"teacher"},
    "POST /api/stats/v1/population": frozenset({"ministry"}),
    # parent: guardians; teachers answer messages and consultation requests of their classes' guardians.
    "/api/parent/v1": frozenset({"parent", "teacher"}),
    "/api/parent/v1/teacher": frozenset({"teacher"}),
    "POST /api/parent/v1/consultations": frozenset({"teacher"}),
    # feeds: aimag departments' systems (service accounts) and officers; feeds checks the aimag.
    "/api/feeds/v1": frozenset({"service", "ministry", "aimag_officer", "district_officer"}),
}


@dataclass(frozen=True)
class RoleRule:
    prefix: str
    roles: frozenset[str]
    method: str | None = None

    def applies(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method.upper()) and path_matches(path, self.prefix)

    @property
    def specificity(self) -> tuple[int, int]:
        return len(self.prefix.rstrip("/")), self.method is not None


def parse_rules(rules: Mapping[str, Iterable[str]]) -> tuple[RoleRule, ...]:
    """Turn ``{"[METHOD ]/prefix": [roles]}`` into rules; raises ValueError on a malformed key."""
    parsed = []
    for key, roles in rules.items():
        method, _, prefix = key.strip().rpartition(" ")
        if not prefix.startswith("/"):
            raise ValueError(f"role rule {key!r}: the path must start with '/'")
        parsed.append(RoleRule(prefix, frozenset(roles), method.strip().upper() or None))
    return tuple(parsed)


class AccessPolicy:
    def __init__(self, rules: Mapping[str, Iterable[str]]) -> None:
        self.rules = parse_rules(rules)

    def rule_for(self, method: str, path: str) -> RoleRule | None:
        matching = [rule for rule in self.rules if rule.applies(method, path)]
        return max(matching, key=lambda rule: rule.specificity, default=None)

    def allows(self, role: str | None, method: str, path: str) -> bool:
        rule = self.rule_for(method, path)
        return rule is None or (role is not None and role in rule.roles)
