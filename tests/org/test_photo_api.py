"""The caller's photo through the API: /me names its URL (for the same session or token), an
upload sets it as the settings page does, with the same checks, and a DELETE removes it."""

from __future__ import annotations

import pytest

from anju.org.models import Agent
from tests.org.test_api_access import as_token
from tests.web.test_agent_photo import jpeg, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_me_shows_the_photo_url_set_and_removed_through_the_api(agent, django_capture_on_commit_callbacks):
    api = as_token(agent)
    # given no photo yet
    assert api.get("/api/v1/me").json()["photo_url"] is None
    # when the agent uploads one
    uploaded = api.post("/api/v1/me/photo", {"file": photo()})
    # then /me names the URL, and the same token fetches the photo and its small copy there
    assert uploaded.status_code == 200
    url = api.get("/api/v1/me").json()["photo_url"]
    agent.refresh_from_db()
    assert url == uploaded.json()["photo_url"] == f"/agents/{agent.pk}/photo/?v={agent.photo_version}"
    assert api.get(url).status_code == 200
    assert api.get(url + "&thumb=1")["Content-Type"] == "image/jpeg"
    # when it is removed
    with django_capture_on_commit_callbacks(execute=True):
        removed = api.delete("/api/v1/me/photo")
    # then /me has none again
    assert removed.status_code == 200 and removed.json()["photo_url"] is None
    assert not Agent.objects.get(pk=agent.pk).photo


def test_a_bad_upload_is_a_400_in_chinese_and_keeps_the_photo(agent):
    api = as_token(agent)
    api.post("/api/v1/me/photo", {"file": photo()})
    before = Agent.objects.get(pk=agent.pk).photo.name
    refused = api.post("/api/v1/me/photo", {"file": photo(jpeg((400, 300))[:300])})
    assert refused.status_code == 400
    assert refused.json()["code"] == "not_an_image" and "不是有效的图片" in refused.json()["message"]
    assert Agent.objects.get(pk=agent.pk).photo.name == before
