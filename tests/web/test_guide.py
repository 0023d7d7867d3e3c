"""使用帮助: the user guide shipped inside the package, shown in the reader's language and linked from every page."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.mark.parametrize(
    ("language", "heading", "link"),
    [("zh-hans", "安居使用指南</h1>", "使用帮助</a>"), ("en", "Anju user guide</h1>", "Help</a>")],
)
def test_the_guide_is_shown_in_the_readers_language(client, language, heading, link):
    # given: the language chosen at the foot of every page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # when
    response = client.get("/help/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert heading in page
    assert 'href="/help/" data-testid="guide-link">' + link in page


def test_every_page_links_the_guide(web):
    # when
    page = web.get("/").content.decode()
    # then
    assert 'href="/help/" data-testid="guide-link">' in page
