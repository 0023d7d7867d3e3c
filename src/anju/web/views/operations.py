"""The operator's endpoints: ``/healthz``, ``/readyz`` and ``/metrics`` (docs/operations.md).

They answer machines (a load balancer, an orchestrator, Prometheus), not agents: no sign-in, no
template, and exempt from the HTTPS redirect so a probe on the plain port works.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anju.core.health import readiness
from anju.core.metrics import metrics_allowed, metrics_exposition


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    problems = readiness()
    if problems:
        return JsonResponse({"status": "unavailable", "failing": problems}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("metrics: token required\n", status=403, content_type="text/plain")
    body, content_type = metrics_exposition()
    return HttpResponse(body, content_type=content_type)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
]
