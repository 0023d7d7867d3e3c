"""设置: the agent's profile, language, API tokens and recent sign-ins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.org import selectors, services
from anju.org.models import Agent
from anju.web.forms.account import PasswordChangeForm, TokenCreateForm
from anju.web.views.base import HtmxRequest, agent_required


def _settings_context(agent: Agent, **extra: object) -> dict:
    return {
        "tokens": selectors.tokens_of(agent),
        "logins": selectors.logins_recent(agent),
        "token_form": TokenCreateForm(),
        "password_form": PasswordChangeForm(),
        **extra,
    }


@agent_required
def settings_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    return render(request, "web/settings.html", _settings_context(agent))


@agent_required
@require_POST
def token_create(request: HtmxRequest, agent: Agent) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    new_token = None
    if form.is_valid():
        try:
            _token, new_token = services.token_create(user=agent.user, name=form.cleaned_data["name"])
        except ApplicationError as exc:
            form.add_error("name", exc.message)
    context = _settings_context(agent, new_token=new_token)
    if not form.is_valid() or new_token is None:
        context["token_form"] = form
    if request.htmx:
        return render(request, "web/settings.html#tokens", context)
    return render(request, "web/settings.html", context)


@agent_required
@require_POST
def token_revoke(request: HtmxRequest, agent: Agent, token_id: int) -> HttpResponse:
    token = selectors.access_token(agent, token_id)
    services.token_revoke(token=token)
    if request.htmx:
        return render(request, "web/settings.html#tokens", _settings_context(agent))
    messages.success(request, _("令牌“%(name)s”已吊销。") % {"name": token.name})
    return redirect("web:settings")


@agent_required
@require_POST
def password_change(request: HtmxRequest, agent: Agent) -> HttpResponse:
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            services.agent_change_own_password(agent=agent, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error("current" if exc.code == "password_wrong" else "new", exc.message)
    if form.is_valid():
        update_session_auth_hash(request, agent.user)  # this session stays signed in; others end
        messages.success(request, _("密码已修改。"))
        return redirect("web:settings")
    return render(request, "web/settings.html", _settings_context(agent, password_form=form))
