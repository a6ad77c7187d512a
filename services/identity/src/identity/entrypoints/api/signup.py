"""Guardian self sign-up: ``POST /api/identity/v1/signup``, ``/signup/resend``, ``/signup/verify``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from identity.domain import signup as rules
from identity.entrypoints.api.auth import PREFIX, _token
from identity.entrypoints.api.deps import ContainerDep, client_ip
from identity.entrypoints.api.schemas import TokenRead
from identity.service_layer.commands import ResendSignupCode, StartSignup, VerifySignup

router = APIRouter(tags=["signup"])
_ERRORS = {422: {"description": "A field is invalid (details.fields), or the code is wrong or expired"},
           423: {"description": "5 wrong codes locked this sign-up; Retry-After"},
           429: {"description": "Too many code requests for this phone or from this address; Retry-After"}}


class SignupRequest(BaseModel):
    display_name: str = Field(max_length=400)
    phone: str = Field(max_length=32, description="Mongolian mobile number, 8 digits; it becomes the username")
    password: str = Field(max_length=256)
    lang: Literal["mn", "en"] = "mn"


class ResendRequest(BaseModel):
    phone: str = Field(max_length=32)


class VerifyRequest(BaseModel):
    phone: str = Field(max_length=32)
    code: str = Field(max_length=16)


def _accepted() -> JSONResponse:
    """The same answer whether or not the phone has an account: only its owner learns that, from the SMS."""
    return JSONResponse({"status": "code_sent_if_possible", "code_ttl_s": int(rules.CODE_TTL.total_seconds()),
                         "resend_after_s": int(rules.RESEND_COOLDOWN.total_seconds())}, status_code=202)


@router.post(f"{PREFIX}/signup", status_code=202, responses=_ERRORS)
def signup(body: SignupRequest, request: Request, container: ContainerDep) -> JSONResponse:
    """Start a guardian's sign-up: a 6-digit code goes to the phone by SMS (valid 10 minutes)."""
    container.handle(StartSignup(body.display_name, body.phone, body.password, body.lang, client_ip(request)))
    return _accepted()


@router.post(f"{PREFIX}/signup/resend", status_code=202, responses=_ERRORS)
def resend(body: ResendRequest, request: Request, container: ContainerDep) -> JSONResponse:
    """A new code for a waiting sign-up (60 s apart, at most 5 an hour); the previous code stops working."""
    container.handle(ResendSignupCode(body.phone, client_ip(request)))
    return _accepted()


@router.post(f"{PREFIX}/signup/verify", response_model=TokenRead, responses=_ERRORS)
def verify(body: VerifyRequest, request: Request, container: ContainerDep) -> TokenRead:
    """Confirm the phone with the code: the parent account is created and signed in (same answer as login)."""
    return _token(container.handle(VerifySignup(body.phone, body.code, client_ip(request))))
