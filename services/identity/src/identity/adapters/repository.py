"""SQL repositories: accounts (with their scope rows), refresh-token sessions, sign-in audit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from esis_shared.db import insert_rows
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    and_,
    any_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from identity.adapters.orm import account_activations, account_scopes, accounts, login_attempts, refresh_tokens
from identity.domain.activation import Activation
from identity.domain.model import Account, LockReason, RefreshSession, Role, Scopes

_KINDS = (("org", "org_ids"), ("class", "class_ids"), ("child", "child_ids"))
_IN_CHUNK = 1000  # bound parameters per IN list (SQLite allows 32,766 in all)
_ROW_FIELDS = ("username", "display_name", "role", "password_hash", "created_at", "created_by", "failed_attempts",
               "last_failed_at", "locked_until", "lock_reason", "disabled_at", "last_login_at")

def matching(session: Session, column: Any, ids: Iterable[str]) -> Iterator[ColumnElement[bool]]:
    """Conditions that together match ``column`` to ``ids``: one ``= ANY(array)`` on PostgreSQL (one parameter,
    so the statement is the same whatever the number of ids), IN lists of 1,000 elsewhere; none for no ids."""
    wanted = sorted(set(ids))
    if wanted and session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam("ids", wanted, type_=ARRAY(column.type), unique=True))
        return
    for start in range(0, len(wanted), _IN_CHUNK):
        yield column.in_(wanted[start:start + _IN_CHUNK])


_DELETE_SCOPE = delete(account_scopes).where(account_scopes.c.account_id == bindparam("b_account"),
                                             account_scopes.c.kind == bindparam("b_kind"),
                                             account_scopes.c.scope_id == bindparam("b_scope"))

_DELETE_SCOPES_POSTGRESQL = text(
    "DELETE FROM account_scopes WHERE (account_id, kind, scope_id) IN (SELECT * FROM unnest("
    "CAST(:accounts AS varchar[]), CAST(:kinds AS varchar[]), CAST(:scopes AS varchar[])))")


@dataclass(frozen=True)
class AccountQuery:
    """A page of accounts. ``within_orgs`` limits to accounts whose orgs all lie in that set."""

    roles: frozenset[Role] | None = None
    within_orgs: frozenset[str] | None = None
    org_id: str | None = None
    text: str | None = None
    limit: int = 50
    offset: int = 0


def _row(account: Account) -> dict[str, Any]:
    row = {name: getattr(account, name) for name in _ROW_FIELDS}
    row["role"] = account.role.value
    row["lock_reason"] = account.lock_reason.value if account.lock_reason else None
    return row


def _scope_rows(account: Account) -> list[dict[str, str]]:
    return [{"account_id": account.id, "kind": kind, "scope_id": value}
            for kind, attr in _KINDS for value in sorted(getattr(account.scopes, attr))]


class SqlAccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._seen: dict[str, tuple[Account, dict[str, Any], Scopes]] = {}

    @property
    def seen(self) -> list[Account]:
        return [entry[0] for entry in self._seen.values()]

    def add(self, account: Account) -> None:
        self.session.execute(insert(accounts).values(id=account.id, **_row(account)))
        self._write_scopes(account)
        self._track(account)

    def add_many(self, new: Sequence[Account]) -> None:
        """Insert many new accounts and their scopes (COPY on PostgreSQL, one statement per table elsewhere)."""
        if not new:
            return
        rows = [_row(account) for account in new]
        insert_rows(self.session, accounts, [{"id": account.id, **row} for account, row in zip(new, rows, strict=True)])
        insert_rows(self.session, account_scopes, [row for account in new for row in _scope_rows(account)])
        for account, row in zip(new, rows, strict=True):
            self._seen[account.id] = (account, row, account.scopes)

    def existing_usernames(self, usernames: Iterable[str]) -> set[str]:
        """Which of ``usernames`` are taken (queried in chunks, so any number can be asked at once)."""
        wanted, found = sorted(set(usernames)), set()
        if wanted and self.session.get_bind().dialect.name == "postgresql":  # one array parameter
            names = bindparam("names", wanted, type_=ARRAY(accounts.c.username.type))
            return set(self.session.execute(select(accounts.c.username)
                                            .where(accounts.c.username == any_(names))).scalars())
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start:start + _IN_CHUNK]
            found.update(self.session.execute(select(accounts.c.username)
                                              .where(accounts.c.username.in_(chunk))).scalars())
        return found

    def get(self, account_id: str, *, for_update: bool = False) -> Account | None:
        return self._one(select(accounts).where(accounts.c.id == account_id), for_update)

    def read(self, account_id: str) -> Account | None:
        """The account with its scopes in one statement (one round trip), for read-only use such as ``/me``."""
        stmt = (select(accounts, account_scopes.c.kind, account_scopes.c.scope_id)
                .outerjoin(account_scopes, account_scopes.c.account_id == accounts.c.id)
                .where(accounts.c.id == account_id))
        rows = self.session.execute(stmt).mappings().all()
        if not rows:
            return None
        found: dict[str, set[str]] = {kind: set() for kind, _ in _KINDS}
        for row in rows:
            if row["kind"] is not None:
                found[row["kind"]].add(row["scope_id"])
        account = _account(rows[0], Scopes(frozenset(found["org"]), frozenset(found["class"]),
                                           frozenset(found["child"])))
        self._track(account)
        return account

    def get_by_username(self, username: str, *, for_update: bool = False) -> Account | None:
        return self._one(select(accounts).where(accounts.c.username == username), for_update)

    def username_exists(self, username: str) -> bool:
        return self.session.execute(select(exists().where(accounts.c.username == username))).scalar_one()

    def list(self, query: AccountQuery) -> tuple[list[Account], int]:
        where = _conditions(query)
        total = self.session.execute(select(func.count()).select_from(accounts).where(*where)).scalar_one()
        stmt = (select(accounts).where(*where).order_by(accounts.c.username)
                .limit(query.limit).offset(query.offset))
        return self._load(self.session.execute(stmt).mappings().all()), total

    def get_many(self, account_ids: Iterable[str], *, for_update: bool = False) -> dict[str, Account]:
        """The accounts among ``account_ids`` that exist, by id, with their scopes (two statements per 1,000)."""
        found: dict[str, Account] = {}
        for condition in matching(self.session, accounts.c.id, account_ids):
            stmt = select(accounts).where(condition).order_by(accounts.c.id)
            if for_update:
                stmt = stmt.with_for_update()
            found.update((account.id, account) for account in self._load(self.session.execute(stmt).mappings().all()))
        return found

    def flush(self) -> None:
        """Write every tracked account that changed since it was loaded. Scopes: only the rows that went or came,
        for all the accounts at once (on PostgreSQL one DELETE with array parameters and one COPY), so a teacher
        given one more class costs one row however many they hold."""
        gone: list[dict[str, str]] = []
        came: list[dict[str, str]] = []
        for account, row, scopes in self._seen.values():
            current = _row(account)
            if current != row:
                self.session.execute(update(accounts).where(accounts.c.id == account.id).values(**current))
            if account.scopes != scopes:
                for kind, attr in _KINDS:
                    before, after = getattr(scopes, attr), getattr(account.scopes, attr)
                    gone += ({"b_account": account.id, "b_kind": kind, "b_scope": value}
                             for value in sorted(before - after))
                    came += ({"account_id": account.id, "kind": kind, "scope_id": value}
                             for value in sorted(after - before))
            self._track(account)
        if gone and self.session.get_bind().dialect.name == "postgresql":  # one statement, three array parameters
            self.session.execute(_DELETE_SCOPES_POSTGRESQL, {
                "accounts": [row["b_account"] for row in gone], "kinds": [row["b_kind"] for row in gone],
                "scopes": [row["b_scope"] for row in gone]})
        elif gone:
            self.session.execute(_DELETE_SCOPE, gone)
        insert_rows(self.session, account_scopes, came)

    def _one(self, stmt: Select[Any], for_update: bool) -> Account | None:
        if for_update:
            stmt = stmt.with_for_update()  # serialises concurrent sign-ins of one account on PostgreSQL
        loaded = self._load(self.session.execute(stmt).mappings().all())
        return loaded[0] if loaded else None

    def _load(self, rows: Iterable[Any]) -> list[Account]:
        rows = list(rows)
        scopes = self._scopes_of([r["id"] for r in rows])
        result = []
        for row in rows:
            if row["id"] in self._seen:
                result.append(self._seen[row["id"]][0])
                continue
            account = _account(row, scopes.get(row["id"], Scopes()))
            self._track(account)
            result.append(account)
        return result

    def _scopes_of(self, ids: list[str]) -> dict[str, Scopes]:
        if not ids:
            return {}
        found: dict[str, dict[str, set[str]]] = {}
        for condition in matching(self.session, account_scopes.c.account_id, ids):
            for row in self.session.execute(select(account_scopes).where(condition)).mappings():
                found.setdefault(row["account_id"], {k: set() for k, _ in _KINDS})[row["kind"]].add(row["scope_id"])
        return {i: Scopes(frozenset(s["org"]), frozenset(s["class"]), frozenset(s["child"]))
                for i, s in found.items()}

    def _write_scopes(self, account: Account) -> None:
        rows = _scope_rows(account)
        if rows:
            self.session.execute(insert(account_scopes), rows)

    def _track(self, account: Account) -> None:
        self._seen[account.id] = (account, _row(account), account.scopes)


def _account(row: Any, scopes: Scopes) -> Account:
    return Account(
        id=row["id"], username=row["username"], role=Role(row["role"]), password_hash=row["password_hash"],
        scopes=scopes, created_at=row["created_at"], display_name=row["display_name"],
        created_by=row["created_by"], failed_attempts=row["failed_attempts"],
        last_failed_at=row["last_failed_at"], locked_until=row["locked_until"],
        lock_reason=LockReason(row["lock_reason"]) if row["lock_reason"] else None,
        disabled_at=row["disabled_at"], last_login_at=row["last_login_at"],
    )


def _orgs_of_account() -> ColumnElement[bool]:
    return and_(account_scopes.c.account_id == accounts.c.id, account_scopes.c.kind == "org")


def _conditions(query: AccountQuery) -> list[Any]:
    where: list[Any] = []
    if query.roles is not None:
        where.append(accounts.c.role.in_(sorted(r.value for r in query.roles)))
    if query.within_orgs is not None:
        orgs = sorted(query.within_orgs)
        where.append(exists().where(_orgs_of_account(), account_scopes.c.scope_id.in_(orgs)))
        where.append(~exists().where(_orgs_of_account(), account_scopes.c.scope_id.not_in(orgs)))
    if query.org_id:
        where.append(exists().where(_orgs_of_account(), account_scopes.c.scope_id == query.org_id))
    if query.text:
        text = query.text.lower()
        where.append(or_(accounts.c.username.contains(text, autoescape=True),
                         func.lower(accounts.c.display_name).contains(text, autoescape=True)))
    return where


class SqlRefreshSessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token: RefreshSession) -> None:
        self.session.execute(insert(refresh_tokens).values(
            id=token.id, account_id=token.account_id, family_id=token.family_id, token_hash=token.token_hash,
            issued_at=token.issued_at, expires_at=token.expires_at, used_at=None, revoked_at=None))

    def get_by_hash(self, token_hash: str) -> RefreshSession | None:
        row = self.session.execute(
            select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)).mappings().first()
        return RefreshSession(**row) if row else None

    def mark_used(self, token_id: str, now: datetime) -> bool:
        """Claim a token for rotation; False if someone else used or revoked it first."""
        result = self.session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id, refresh_tokens.c.used_at.is_(None),
                   refresh_tokens.c.revoked_at.is_(None))
            .values(used_at=now))
        return result.rowcount == 1  # type: ignore[attr-defined]

    def revoke_family(self, family_id: str, now: datetime) -> None:
        self.session.execute(update(refresh_tokens).where(
            refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=now))

    def revoke_account(self, account_id: str, now: datetime) -> None:
        self.session.execute(update(refresh_tokens).where(
            refresh_tokens.c.account_id == account_id, refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=now))


class SqlActivations:
    """Pending activations (``domain/activation.py``): at most one per account."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, new: Sequence[Activation]) -> None:
        insert_rows(self.session, account_activations, [vars(activation) for activation in new])

    def get(self, account_id: str) -> Activation | None:
        row = self.session.execute(select(account_activations)
                                   .where(account_activations.c.account_id == account_id)).mappings().first()
        return Activation(**row) if row else None

    def replace(self, activation: Activation) -> None:
        self.remove(activation.account_id)
        self.add_many([activation])

    def remove(self, account_id: str) -> None:
        self.session.execute(delete(account_activations).where(account_activations.c.account_id == account_id))


class SqlLoginAttemptLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, username: str, account_id: str | None, client_ip: str | None, at: datetime,
            outcome: str) -> None:
        self.session.execute(insert(login_attempts).values(
            username=username[:64], account_id=account_id, client_ip=client_ip, attempted_at=at,
            succeeded=outcome == "ok", outcome=outcome))
