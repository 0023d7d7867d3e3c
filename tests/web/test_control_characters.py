"""A control character typed (or pasted) into a page's form is refused there, in Chinese, and nothing is
saved: one such client name used to make the company's client export fail for everyone."""

from __future__ import annotations

from anju.clients.models import Client
from tests.factories import ListingFactory
from tests.listings.test_pages import entry_form
from tests.web.test_client_pages import INTAKE

CONTROL = "\x01"


def test_a_client_name_with_a_control_character_is_refused_on_the_intake_form(web, agent):
    # when
    response = web.post("/clients/new/", {**INTAKE, "name": f"王{CONTROL}芳"})
    # then: the form comes back saying why, and no client was recorded
    assert response.status_code == 200
    assert "客户姓名含有无法显示的控制字符，请删除后再保存。" in response.content.decode()
    assert not Client.objects.exists()
    # when: the same form with the name typed clean
    response = web.post("/clients/new/", {**INTAKE, "name": "王芳"})
    # then: it is saved
    client = Client.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/clients/{client.pk}/"
    assert client.name == "王芳"


def test_a_listing_title_with_a_control_character_is_refused_on_the_edit_form(web, agent):
    # given
    listing = ListingFactory(agent=agent, title="南北通透三房")
    form = entry_form(listing.community)
    for name in ("community", "building", "unit", "room_number", "kind", "price_wan"):
        form.pop(name)  # not on the edit form
    # when
    response = web.post(f"/listings/{listing.pk}/edit/", {**form, "title": f"满五{CONTROL}唯一"})
    # then: the form comes back saying why, and the title is as it was
    assert response.status_code == 200
    assert "标题含有无法显示的控制字符，请删除后再保存。" in response.content.decode()
    listing.refresh_from_db()
    assert listing.title == "南北通透三房"
    # when: the same form with the title typed clean
    response = web.post(f"/listings/{listing.pk}/edit/", {**form, "title": "满五唯一"})
    # then: it is saved
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.title == "满五唯一"
