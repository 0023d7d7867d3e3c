"""What every page view shares: a signed-in agent, passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from anju.org.models import Agent
from anju.org.scoping import agent_of


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
