"""Sign in and out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from anju.web.forms.account import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
