"""Error pages in the user's language, never Django's English defaults."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    """Under /api/ every error has the API's shape (decision 0002), whichever handler answers it."""
    return JsonResponse(
        {"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def csrf_message() -> str:
    return _("安全校验（CSRF）未通过：请刷新页面后重试，或使用个人令牌调用接口。")


def _for_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django answers 400 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE and other suspicious requests.
    if _for_api(request):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(400, "body_too_large", _("提交的内容太大。"))
        return _api_error(400, "bad_request", _("请求无法处理，请检查后重试。"))
    return render(request, "web/error.html", {"status": 400}, status=400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    if _for_api(request):
        return _api_error(403, "forbidden", message or _("您没有权限进行此操作。"))
    return render(request, "web/error.html", {"status": 403, "message": message}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _for_api(request):
        return _api_error(404, "not_found", _("没有这个接口。"))
    return render(request, "web/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be in a context processor or the database.
    if _for_api(request):
        return _api_error(500, "server_error", _("服务器出错了，请稍后重试；问题已记录。"))
    return render(request, "web/error_500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _for_api(request):
        return _api_error(403, "csrf_failed", csrf_message())
    return render(request, "web/error.html", {"status": 403, "csrf": True}, status=403)
