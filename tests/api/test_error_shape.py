"""Every error under /api/v1/ has the promised shape: ``{"code", "message"}``, the message in Chinese.

Not only the errors our endpoints raise: an unknown path, a body too large or not JSON, a failed
CSRF check and an unexpected failure reach the client through Django's own handlers, which answer
HTML pages elsewhere on the site.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client as HttpClient

from tests.conftest import login

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert body["code"] == code
    assert CHINESE.search(body["message"]), body["message"]
    return body


@pytest.mark.django_db
def test_an_unknown_path_answers_json_not_an_html_page(agent):
    # given a signed-in agent, and a path the site does know as a positive control
    web = login(agent)
    assert web.get("/api/v1/clients").status_code == 200
    # when the agent asks for a path the API does not have
    response = web.get("/api/v1/no-such-thing")
    # then
    assert_error(response, 404, "not_found")


@pytest.mark.django_db
def test_a_page_outside_the_api_still_gets_the_html_error_page(agent):
    response = login(agent).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_body_too_large_answers_json(agent, settings):
    # given a small upload limit
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    web = login(agent)
    # when a larger body is posted
    response = web.post(
        "/api/v1/clients", data='{"name": "' + "张" * 2000 + '"}', content_type="application/json"
    )
    # then
    assert_error(response, 400, "body_too_large")


@pytest.mark.django_db
def test_a_body_that_is_not_json_answers_json(agent):
    response = login(agent).post("/api/v1/clients", data="{name: 张三", content_type="application/json")
    assert_error(response, 400, "body_invalid")


@pytest.mark.django_db
def test_a_failed_csrf_check_answers_json(agent):
    # given a browser session that enforces CSRF
    web = HttpClient(enforce_csrf_checks=True)
    web.force_login(agent.user)
    # when it writes without the token
    response = web.post("/api/v1/clients", data={"name": "张三"}, content_type="application/json")
    # then
    assert_error(response, 403, "csrf_failed")


def test_an_unexpected_failure_answers_json(rf):
    """What Django calls when a view raises something nobody planned for (handler500)."""
    from anju import urls
    from anju.web.views.errors import server_error

    # given the handler the site is wired to
    assert urls.handler500 == "anju.web.views.errors.server_error"
    # when an API request and, as a control, a page request fail
    api_response = server_error(rf.get("/api/v1/clients"))
    page_response = server_error(rf.get("/clients/"))
    # then the API answers in its shape and the page stays a page
    assert_error(api_response, 500, "server_error")
    assert page_response.status_code == 500
    assert page_response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_an_unknown_field_is_refused_naming_it_and_nothing_is_created(agent):
    # given
    from anju.needs.models import Need
    from tests.factories import ClientFactory

    client = ClientFactory(owner=agent)
    api = login(agent)
    # when
    response = api.post(
        "/api/v1/needs",
        {"client_id": client.pk, "kind": "buy", "budget_mx": "3000000", "colour": "red"},
        content_type="application/json",
    )
    known = api.post(
        "/api/v1/needs", {"client_id": client.pk, "kind": "buy"}, content_type="application/json"
    )
    # then
    body = assert_error(response, 422, "field_unknown")
    assert "budget_mx" in body["message"] and "colour" in body["message"]
    assert {tuple(e["loc"][2:]) for e in body["errors"]} == {("budget_mx",), ("colour",)}
    assert known.status_code == 201  # the control: the same body without them is taken
    assert Need.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[1, 2]", '"name"', "3", "null"])
def test_a_patch_whose_body_is_not_an_object_is_refused(agent, body):
    # given
    from anju.clients.models import Client
    from tests.factories import ClientFactory

    client = ClientFactory(owner=agent, name="王芳")
    # when
    response = login(agent).patch(f"/api/v1/clients/{client.pk}", data=body, content_type="application/json")
    # then
    assert_error(response, 422, "body_not_object")
    assert Client.objects.get().name == "王芳"
