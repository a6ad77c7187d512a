"""Sign-in, token refresh, sign-out, the signing keys (JWKS) and the caller's own account."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from identity.entrypoints.api.deps import ContainerDep, PrincipalDep, client_ip
from identity.entrypoints.api.schemas import (
    AccountRead,
    ActivateRequest,
    LoginRequest,
    PasswordChange,
    RefreshRequest,
    TokenRead,
)
from identity.service_layer import queries
from identity.service_layer.commands import ActivateAccount, ChangePassword, Logout, Refresh
from identity.service_layer.sessions import TokenPair

PREFIX = "/api/identity/v1"
router = APIRouter(tags=["auth"])
_ERRORS = {401: {"description": "Wrong credentials or an unusable refresh token"},
           423: {"description": "Locked after repeated failed sign-ins; details.message_mn, Retry-After"}}


def _token(pair: TokenPair) -> TokenRead:
    return TokenRead(access_token=pair.access_token, refresh_token=pair.refresh_token, token_type=pair.token_type,
                     expires_in=pair.expires_in, refresh_expires_in=pair.refresh_expires_in)


@router.post(f"{PREFIX}/auth/login", response_model=TokenRead, responses=_ERRORS)
def login(body: LoginRequest, request: Request, container: ContainerDep) -> TokenRead:
    """Exchange username and password for a short-lived access token and a refresh token."""
    return _token(container.login(body.username, body.password, client_ip(request)))


@router.post(f"{PREFIX}/auth/activate", response_model=TokenRead, responses=_ERRORS)
def activate(body: ActivateRequest, request: Request, container: ContainerDep) -> TokenRead:
    """Set the first password of an account created without one, with its one-time activation code; signs in."""
    return _token(container.handle(ActivateAccount(body.username, body.activation_code, body.new_password,
                                                   client_ip(request))))


@router.post(f"{PREFIX}/auth/refresh", response_model=TokenRead, responses=_ERRORS)
def refresh(body: RefreshRequest, container: ContainerDep) -> TokenRead:
    """Rotate the refresh token: the old one is used up; presenting it again signs that session out."""
    return _token(container.handle(Refresh(body.refresh_token)))


@router.post(f"{PREFIX}/auth/logout", status_code=204)
def logout(body: RefreshRequest, container: ContainerDep) -> Response:
    """Revoke the session of this refresh token. Access tokens already issued expire by themselves."""
    container.handle(Logout(body.refresh_token))
    return Response(status_code=204)


def _jwks(container: ContainerDep) -> JSONResponse:
    return JSONResponse(container.jwks(), headers={"Cache-Control": "public, max-age=300"})


router.add_api_route(f"{PREFIX}/jwks", _jwks, methods=["GET"], summary="Public keys that verify access tokens")
router.add_api_route("/.well-known/jwks.json", _jwks, methods=["GET"], include_in_schema=False)


@router.get(f"{PREFIX}/me", response_model=AccountRead)
def me(principal: PrincipalDep, container: ContainerDep) -> AccountRead:
    """The signed-in account as identity knows it now (roles and scopes may be newer than the token's)."""
    return AccountRead.of(queries.me(principal.subject, container.deps), container.deps.clock())


@router.post(f"{PREFIX}/me/password", status_code=204)
def change_password(body: PasswordChange, principal: PrincipalDep, container: ContainerDep) -> Response:
    """Change one's own password; every other session of the account is signed out."""
    container.handle(ChangePassword(principal.subject, body.current_password, body.new_password))
    return Response(status_code=204)
