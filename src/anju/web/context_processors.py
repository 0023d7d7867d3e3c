from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from anju.web.navigation import NAVIGATION


def navigation(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    agent = getattr(user, "agent", None) if user is not None and user.is_authenticated else None
    return {"navigation": NAVIGATION, "nav_current": match.url_name if match else "", "current_agent": agent}
