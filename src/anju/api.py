"""The JSON API at /api/v1/: mounts each app's Router and maps errors to HTTP in one place."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from anju.core.errors import ApplicationError
from anju.org.services import token_authenticate
from anju.web.views.errors import csrf_message


class BearerToken(HttpBearer):
    """``Authorization: Bearer anju_...`` — a personal token (``anju token create USERNAME``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="安居 Anju API",
    version="1",
    description=(
        "经纪业务的 JSON 接口。认证：浏览器会话（需 CSRF 令牌）或个人令牌 `Authorization: Bearer <token>`。"
    ),
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, **({"details": exc.extra} if exc.extra else {}))


@api.exception_handler(OverflowError)
def overflow_error(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An id or number beyond what the database can hold (SQLite raises this in the driver).
    return _error(request, 400, "out_of_range", _("参数超出允许范围。"))


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # The same on PostgreSQL ("value out of range for type bigint"), and text the column can't hold.
    return _error(request, 400, "out_of_range", _("参数超出允许范围。"))


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("请先登录，或在请求头中提供有效的令牌。"))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or _("您没有权限进行此操作。"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or _("没有找到。"))


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = _plain(exc.errors)
    # A field the schema does not name (``InputSchema`` forbids them): say which, by its path in the
    # body (``loc`` is "body", the parameter, then the path).
    unknown = [".".join(e["loc"][2:]) for e in errors if e["type"] == "extra_forbidden"]
    if unknown:
        message = _("请求中有无法识别的字段：%(fields)s。") % {"fields": "、".join(unknown)}
        return _error(request, 422, "field_unknown", message, errors=errors)
    if any(len(e["loc"]) == 2 and e["type"] in ("model_attributes_type", "model_type") for e in errors):
        # The whole body is a list, a string, a number or null where an object was expected.
        return _error(request, 422, "body_not_object", _("请求内容应为一个 JSON 对象。"), errors=errors)
    return _error(request, 422, "validation_error", _("提交的数据不正确。"), errors=errors)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja's own refusals arrive in English; give them our codes and Chinese words.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _error(request, 400, "body_invalid", _("请求内容不是有效的 JSON。"))
    if exc.status_code == 403 and str(exc).startswith("CSRF"):
        return _error(request, 403, "csrf_failed", csrf_message())
    return _error(
        request,
        exc.status_code,
        "http_error",
        _("请求无法处理（HTTP %(status)s）。") % {"status": exc.status_code},
    )


def _plain(errors: list[Any]) -> list[dict[str, Any]]:
    """Validation details without the objects Pydantic puts in ``ctx`` (not JSON-serialisable)."""
    return [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


def _mount() -> None:
    from anju.archive.api import router as archive_router
    from anju.clients.api import router as clients_router
    from anju.complaints.api import router as complaints_router
    from anju.deals.api import router as deals_router
    from anju.finance.api import router as finance_router
    from anju.geo.api import router as geo_router
    from anju.listings.api import router as listings_router
    from anju.market.api import router as market_router
    from anju.matching.api import router as matching_router
    from anju.messaging.api import router as messaging_router
    from anju.needs.api import router as needs_router
    from anju.org.api import router as org_router
    from anju.outreach.api import router as outreach_router
    from anju.processing.api import router as processing_router
    from anju.referrals.api import router as referrals_router
    from anju.reports.api import router as reports_router
    from anju.showings.api import router as showings_router
    from anju.showings.seller_api import router as showings_seller_router

    api.add_router("/", org_router)
    api.add_router("/", clients_router)
    api.add_router("/needs", needs_router)
    api.add_router("/listings", listings_router)
    api.add_router("/", geo_router)
    api.add_router("/", matching_router)
    api.add_router("/finance", finance_router)
    api.add_router("/market", market_router)
    api.add_router("/deals", deals_router)
    # The seller side first: its /showings/open-days would otherwise be read as /showings/{showing_id}.
    api.add_router("/", showings_seller_router)
    api.add_router("/showings", showings_router)
    api.add_router("/deals", archive_router)
    api.add_router("/deals", processing_router)
    api.add_router("/care", outreach_router)
    api.add_router("/care/outbox", messaging_router)
    api.add_router("/", complaints_router)
    api.add_router("/", referrals_router)
    api.add_router("/reports", reports_router)


_mount()
