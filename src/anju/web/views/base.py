"""What every page view shares: a signed-in agent, passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from anju.org.models import Agent
from anju.org.scoping import agent_of
from anju.org.services import token_authenticate


class HtmxRequest(HttpRequest):
    """A request as django-htmx leaves it (for type checking)."""

    htmx: HtmxDetails


AgentView = Callable[..., HttpResponse]


def agent_required(view: AgentView) -> Callable[..., HttpResponse]:
    """Sign-in required; the view receives the agent profile as its second argument."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        agent: Agent = agent_of(request.user)
        return view(request, agent, *args, **kwargs)

    return wrapper


def image_viewer(request: HttpRequest) -> Agent:
    """Who asks for a stored image (a listing's photo, a colleague's photo): a signed-in agent by
    browser session or API token, since the API hands out these URLs. Anyone else finds nothing."""
    user: Any = request.user
    if not user.is_authenticated:
        header = request.headers.get("Authorization", "")
        user = (
            token_authenticate(header.removeprefix("Bearer ").strip())
            if header.startswith("Bearer ")
            else None
        )
        if user is None:
            raise Http404(_("没有找到该图片。"))
    return agent_of(user)
