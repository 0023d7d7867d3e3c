"""A referral on a phone: a friend opens the listing link an old client forwarded (carrying the old
client's referral code), leaves name and mobile, and the agent finds the friend among the old
client's referrals on the client's page; both pages fit a 375 px screen. On the agent's card page
the friend sees the photo the agent took with her phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from anju.referrals.services import referral_code_issue
from anju.showings.shares import share_issue
from tests.e2e.conftest import PHONE, assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, ListingFactory
from tests.web.test_agent_photo import jpeg

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_friend_through_a_referral_link_shows_on_the_old_clients_page(phone, browser, live_server):
    # given an old client's referral code on the agent's link to a listing
    agent = AgentFactory(name="张伟", user__username="zhangwei", mobile="13800001111")
    old_client = ClientFactory(owner=agent, name="老客户刘女士")
    share = share_issue(listing=ListingFactory(agent=agent, property__community__name="东湖花园"), by=agent)
    code = referral_code_issue(client=old_client).code

    # when the friend opens it on their phone and leaves name and mobile
    friend = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN").new_page()
    friend.goto(f"{live_server.url}/s/{share.slug}/?ref={code}")
    contact = friend.get_by_test_id("contact")
    contact.get_by_label("您的称呼").fill("新朋友孙先生")
    contact.get_by_label("手机号").fill("13900008888")
    contact.get_by_role("button", name="提交").click()
    # then they are thanked on a page that fits the phone
    expect(friend.locator("body")).to_contain_text("经纪人会尽快与您联系")
    assert_fits_phone(friend)
    friend.context.close()

    # when the agent opens the old client's page
    sign_in(phone, "zhangwei", PASSWORD)
    phone.goto(f"/clients/{old_client.pk}/")
    # then the friend is among the referrals they made
    expect(phone.get_by_test_id("referral-made")).to_contain_text("新朋友孙先生")
    expect(phone.get_by_test_id("referral-code")).to_contain_text(code)
    assert_fits_phone(phone)


def test_a_friend_through_the_agents_card_page_is_the_old_clients_referral(phone, browser, live_server):
    # given the agent made their card page, and an old client has a referral code
    agent = AgentFactory(name="王芳", user__username="wangfang", mobile="13800002222")
    old_client = ClientFactory(owner=agent, name="老客户周先生")
    code = referral_code_issue(client=old_client).code
    sign_in(phone, "wangfang", PASSWORD)
    # and she put a photo from her phone's camera on her settings page
    phone.goto("/settings/")
    phone.get_by_label("上传照片").set_input_files(
        files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": jpeg((300, 400))}]
    )
    phone.get_by_test_id("agent-photo").get_by_role("button", name="上传", exact=True).click()
    expect(phone.locator("main")).to_contain_text("照片已更新")
    # its new picture loaded (the page shows the message before the browser has fetched the image)
    uploaded = phone.get_by_test_id("agent-photo").locator("img")
    uploaded.evaluate("img => img.decode()")
    assert uploaded.evaluate("img => img.naturalWidth") > 0
    phone.goto("/care/referrals/")
    phone.get_by_role("button", name="生成我的名片页").click()
    expect(phone.get_by_test_id("card-qr")).to_be_visible()
    assert_fits_phone(phone)
    # and the old client's page offers the card link carrying the client's code
    phone.goto(f"/clients/{old_client.pk}/")
    link = phone.get_by_test_id("referral-card-link").get_by_role("link").get_attribute("href")
    assert link is not None and link.endswith(f"?ref={code}")
    assert_fits_phone(phone)

    # when a friend opens that link on their phone
    friend = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN").new_page()
    friend.goto(link)
    # then they see the agent's card with the mobile masked, on a page that fits the phone
    expect(friend.get_by_test_id("agent-card")).to_contain_text("王芳")
    expect(friend.get_by_test_id("masked-mobile")).to_have_text("138****2222")
    # and her photo, loaded (served to a visitor without an account), square on the phone
    photo = friend.get_by_test_id("agent-photo")
    expect(photo).to_be_visible()
    photo.evaluate("img => img.decode()")
    assert photo.evaluate("img => img.naturalWidth") > 0
    box = photo.bounding_box()
    assert box is not None and box["width"] == box["height"] >= 64
    assert_fits_phone(friend)
    # when they leave name and mobile
    contact = friend.get_by_test_id("contact")
    contact.get_by_label("您的称呼").fill("新朋友吴女士")
    contact.get_by_label("手机号").fill("13900006666")
    contact.get_by_role("button", name="提交").click()
    expect(friend.locator("body")).to_contain_text("经纪人会尽快与您联系")
    assert_fits_phone(friend)
    friend.context.close()

    # then the agent finds the friend among the old client's referrals
    phone.goto(f"/clients/{old_client.pk}/")
    expect(phone.get_by_test_id("referral-made")).to_contain_text("新朋友吴女士")
