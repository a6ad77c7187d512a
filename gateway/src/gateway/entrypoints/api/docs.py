"""The merged OpenAPI document and Swagger UI, with the UI's assets served from the installed package."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from gateway.entrypoints.api import gateway_of

ASSETS = "/docs/assets"
router = APIRouter()


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request) -> dict[str, Any]:
    _, catalog = gateway_of(request).running()
    return await catalog.document()


@router.get("/docs", include_in_schema=False)
async def swagger_ui() -> HTMLResponse:
    # validatorUrl null: Swagger UI would otherwise ask an online validator about the document.
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="open ESIS API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
    )


def mount_assets(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui-assets")
