"""设置: the agent's profile and photo, language, API tokens and recent sign-ins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.core.images import image_content_type, thumbnail
from anju.org import selectors, services
from anju.org.models import Agent
from anju.web.forms.account import PasswordChangeForm, TokenCreateForm
from anju.web.views.base import HtmxRequest, agent_required, image_viewer


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


# --- the agent's photo (名片页) --------------------------------------------------------------


def photo_upload(request: HttpRequest, person: Agent) -> None:
    """Set ``person``'s photo from the form's file; a refused file is a Chinese message and changes nothing."""
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("请选择要上传的照片。"))
        return
    try:
        services.agent_photo_set(agent=person, file=upload)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("照片已更新。"))


def photo_remove(request: HttpRequest, person: Agent) -> None:
    services.agent_photo_remove(agent=person)
    messages.success(request, _("照片已删除，名片页将显示姓名首字。"))


@agent_required
@require_POST
def own_photo_upload(request: HtmxRequest, agent: Agent) -> HttpResponse:
    photo_upload(request, agent)
    return redirect(reverse("web:settings") + "#photo")


@agent_required
@require_POST
def own_photo_remove(request: HtmxRequest, agent: Agent) -> HttpResponse:
    photo_remove(request, agent)
    return redirect(reverse("web:settings") + "#photo")


def agent_photo_file(request: HttpRequest, agent_id: int) -> FileResponse:
    """A colleague's photo for the signed-in (browser session or API token); ``?thumb=1`` for the
    small copy. Not under /media/: the public sees it only through a card page (名片页)."""
    person = selectors.access_agent_photo(image_viewer(request), agent_id)
    storage, name = person.photo.storage, str(person.photo.name)
    if request.GET.get("thumb"):
        name = thumbnail(storage, name)
    response = FileResponse(storage.open(name, "rb"), content_type=image_content_type(name))
    response["Cache-Control"] = "private, max-age=86400"
    return response
