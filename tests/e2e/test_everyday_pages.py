"""An agent's everyday pages on a phone, in Debian's Chromium: what a new user found wrong with them
(the market's running month drawn as whole, no way to change one's own password, numbers that could
not be tapped, marks that said nothing, ㎡ alone on a line, no user guide, a quick note that
unscheduled the next follow-up) — each seen where the agent looks."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from anju.market.services import market_refresh
from anju.matching.records.need_settings import need_match_settings_update
from anju.org.models import Agent
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import (
    PASSWORD,
    AgentFactory,
    BusinessAreaFactory,
    ClientFactory,
    CommunityFactory,
    ListingFactory,
    PriceChangeFactory,
    PropertyFactory,
)
from tests.matching.match_world import buy_need, sale

pytestmark = pytest.mark.browser


def signed_in_agent(page: Page) -> Agent:
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    sign_in(page, "zhangwei", PASSWORD)
    expect(page.get_by_role("heading", name="工作台", level=1)).to_be_visible()
    return agent


def market_with_figures(agent: Agent) -> int:
    """Listings of one district listed this month and in the two before, the figures computed; the
    district's id."""
    today = timezone.localdate()
    community = CommunityFactory(
        company=agent.company, business_area=BusinessAreaFactory(district__name="洪山区")
    )
    for days in (0, 40, 70):
        prop = PropertyFactory(company=agent.company, community=community, area=Decimal("100"))
        ListingFactory(
            agent=agent, property=prop, price=Decimal("2500000"), listed_on=today - dt.timedelta(days=days)
        )
    market_refresh(company=agent.company)
    return community.district_id


def test_the_market_marks_the_running_month_as_counted_only_to_today(phone):
    # given
    agent = signed_in_agent(phone)
    market_with_figures(agent)
    today = timezone.localdate()
    partial = f"（至{today.day}日）"
    # when
    phone.goto("/market/")
    # then: this month's new listings and price cuts say they run only to today
    marks = phone.get_by_test_id("market-numbers").get_by_test_id("partial-month")
    expect(marks).to_have_count(2)
    for mark in marks.all():
        expect(mark).to_be_visible()
        expect(mark).to_have_text(partial)
    # and the chart draws this month's bars faded (new and left: two), every other month's whole
    chart = phone.locator('[data-chart="supply"]')
    expect(chart).to_have_attribute("data-drawn", "1")
    faded = chart.locator('svg path[fill-opacity="0.35"]')
    expect(faded).to_have_count(2)
    # when: the agent taps this month's bar
    faded.first.click()
    # then: the chart names the month as counted to today
    expect(chart).to_contain_text(f"{today.year}年{today.month}月{partial}")


def test_an_agent_changes_their_password_under_settings_and_signs_in_with_it(phone, live_server):
    # given
    agent = signed_in_agent(phone)
    new_password = "Qiuyu-Lake-7731"
    phone.goto("/settings/")
    # when
    phone.get_by_label("当前密码").fill(PASSWORD)
    phone.get_by_label(re.compile(r"^新密码")).fill(new_password)
    phone.get_by_label("再输入一次新密码").fill(new_password)
    phone.get_by_role("button", name="修改密码").click()
    # then: the page says so and this session stays signed in
    expect(phone.get_by_text("密码已修改。")).to_be_visible()
    expect(phone).to_have_url(re.compile(r"/settings/$"))
    agent.user.refresh_from_db()
    assert agent.user.check_password(new_password)
    assert not agent.user.check_password(PASSWORD)
    # when: on a device that was never signed in, the new password is the one that works
    phone.context.clear_cookies()
    sign_in(phone, "zhangwei", new_password)
    # then
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.get_by_role("heading", name="工作台", level=1)).to_be_visible()


def _tappable(link: Locator) -> bool:
    """Whether a tap at the middle of the element lands on it (nothing lies over it)."""
    link.scroll_into_view_if_needed()
    return link.evaluate(
        """a => { const r = a.getBoundingClientRect();
             const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
             return r.width > 0 && r.height > 0 && (hit === a || a.contains(hit)); }"""
    )


def test_a_number_shown_in_full_is_a_tap_to_call_link_and_a_masked_one_is_not(phone):
    # given: a client of the agent's own and one in the company's pool (its number masked)
    agent = signed_in_agent(phone)
    own = ClientFactory(owner=agent, name="王芳", mobile="13900001111")
    pool = ClientFactory(owner=None, store=None, company=agent.company, name="李强", mobile="13900002222")
    # when: the agent opens their own client
    phone.goto(f"/clients/{own.pk}/")
    # then: the number is a link that dials it, and a tap lands on it
    mobile = phone.locator("#reveal-mobile")
    call = mobile.get_by_role("link", name="13900001111")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:13900001111")
    assert _tappable(call)
    # when: the pool client, whose number is masked
    phone.goto(f"/clients/{pool.pk}/")
    # then: the masked number is shown as text, not as a link
    expect(mobile).to_contain_text("139****2222")
    expect(mobile.locator('a[href^="tel:"]')).to_have_count(0)
    # when: the number is revealed, with a reason
    mobile.get_by_label("查看原因").fill("客户来电要求回拨")
    mobile.get_by_role("button", name="显示号码").click()
    # then: in full now, and so a link that dials it
    revealed = mobile.get_by_role("link", name="13900002222")
    expect(revealed).to_be_visible()
    expect(revealed).to_have_attribute("href", "tel:13900002222")
    assert _tappable(revealed)


def test_like_and_recommend_on_a_needs_matches_say_what_they_did_in_the_row_tapped(phone):
    # given: a need, a fitting flat (a match recorded when it was entered) and one over the budget that
    # fits once the need looks 15% past it (no match recorded: 加入推荐 is offered)
    agent = signed_in_agent(phone)
    community = CommunityFactory(company=agent.company, name="光谷天悦府")
    need = buy_need(agent, ClientFactory(owner=agent, name="王先生"), districts=[community.district_id])
    fitting = sale(agent, community, price=Decimal("2000000"))
    wider = sale(agent, community, price=Decimal("2400000"))
    need_match_settings_update(agent=agent, need=need, tolerance=Decimal("0.15"))
    phone.goto(f"/needs/{need.pk}/matches/")
    expect(phone.get_by_test_id("ranked-listing")).to_have_count(2)
    liked = phone.locator(f'[data-listing="{fitting.pk}"]')
    recommended = phone.locator(f'[data-listing="{wider.pk}"]')
    # when: 喜欢 on the fitting flat
    liked.get_by_role("button", name="喜欢").click()
    # then: that row says what the mark does, where the agent tapped; the other row says nothing
    expect(liked.get_by_test_id("mark-done")).to_have_text("已标记为喜欢：相似的房源会排得更靠前。")
    expect(liked.get_by_test_id("mark-done")).to_be_in_viewport()
    expect(recommended.get_by_test_id("mark-done")).to_have_count(0)
    # when: 加入推荐 on the other
    recommended.get_by_role("button", name="加入推荐").click()
    # then: that row says where the recommendation goes next
    expect(recommended.get_by_test_id("mark-done")).to_have_text(
        "已加入推荐：在工作台的“新匹配”里批准后发给客户。"
    )
    expect(recommended.get_by_test_id("mark-done")).to_be_in_viewport()
    assert_fits_phone(phone)


# Every figure in ``main`` that ends in a unit (㎡, 万; 元/㎡ ends in ㎡): its unit and the number's last
# digit (found back over 元, / and spaces, across elements) must be on one line, inside an element that
# never wraps; and every figure the number filters mark (.num) is one box, on one line.
FIGURES_ON_ONE_LINE = """root => {
  const nodes = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest("script, style, svg, template")) nodes.push(n);
  }
  const lastDigitBefore = (i, at) => {
    let skipped = 0;
    for (let k = i; k >= 0; k--) {
      const text = nodes[k].data;
      for (let j = (k === i ? at : text.length) - 1; j >= 0; j--) {
        if (/[0-9]/.test(text[j])) return [nodes[k], j];
        if (!/[\\s元\\/]/.test(text[j]) || ++skipped > 3) return null;
      }
    }
    return null;
  };
  const nowrap = el => {
    const style = getComputedStyle(el);
    return style.textWrapMode === "nowrap" || ["nowrap", "pre"].includes(style.whiteSpace);
  };
  const figures = [];
  nodes.forEach((node, i) => {
    for (const match of node.data.matchAll(/㎡|万/g)) {
      const digit = lastDigitBefore(i, match.index);
      if (digit === null) continue;  // a unit in a heading or a word (万科), not a figure
      const unit = document.createRange();
      unit.setStart(node, match.index); unit.setEnd(node, match.index + 1);
      const u = unit.getBoundingClientRect();
      if (u.width === 0 && u.height === 0) continue;  // not shown at this width
      const last = document.createRange();
      last.setStart(digit[0], digit[1]); last.setEnd(digit[0], digit[1] + 1);
      const d = last.getBoundingClientRect();
      const whole = document.createRange();
      whole.setStart(digit[0], 0); whole.setEnd(node, match.index + 1);
      let common = whole.commonAncestorContainer;
      if (common.nodeType !== Node.ELEMENT_NODE) common = common.parentElement;
      figures.push({
        text: whole.toString().trim().slice(-16),
        sameLine: u.top < d.bottom && d.top < u.bottom,
        noWrap: nowrap(common),
      });
    }
  });
  const split = [...root.querySelectorAll(".num")]
    .filter(el => el.getClientRects().length > 1)
    .map(el => el.textContent);
  return {figures, split};
}"""


def _figures_on_one_line(page: Page) -> list[dict[str, Any]]:
    found = page.locator("main").evaluate(FIGURES_ON_ONE_LINE)
    assert found["split"] == [], found["split"]
    assert [f for f in found["figures"] if not (f["sameLine"] and f["noWrap"])] == [], found["figures"]
    return found["figures"]


def test_figures_keep_their_unit_on_their_line_on_a_phone(phone):
    # given: a flat for sale whose price was cut, and the market's figures
    agent = signed_in_agent(phone)
    listing = ListingFactory(
        agent=agent,
        price=Decimal("3250000"),
        property__area=Decimal("123.45"),
        property__inner_area=Decimal("101.20"),
        title="南北通透三房",
    )
    PriceChangeFactory(listing=listing, by=agent, old_price=Decimal("3400000"), new_price=Decimal("3250000"))
    district_id = market_with_figures(agent)
    # when
    phone.goto(f"/listings/{listing.pk}/")
    # then: price, unit price, areas and the price history each keep their unit on their line
    texts = " ".join(f["text"] for f in _figures_on_one_line(phone))
    for figure in ("325万", "26,326元/㎡", "123.45㎡", "101.20㎡", "340万"):
        assert figure in texts, (figure, texts)
    # when: the market, and the district page
    phone.goto("/market/")
    expect(phone.locator('[data-chart="price"]')).to_have_attribute("data-drawn", "1")
    # then: the asking price per ㎡ and the average price in 万 among them
    texts = " ".join(f["text"] for f in _figures_on_one_line(phone))
    assert re.search(r"\d/㎡", texts) and re.search(r"\d万", texts), texts
    phone.goto(f"/market/districts/{district_id}/")
    expect(phone.get_by_test_id("market-numbers")).to_be_visible()
    texts = " ".join(f["text"] for f in _figures_on_one_line(phone))
    assert re.search(r"\d元/㎡", texts), texts  # the city's asking price per ㎡
    assert_fits_phone(phone)


GUIDE_LINKED_FROM = [
    "/",
    "/clients/",
    "/clients/{client}/",
    "/listings/",
    "/listings/{listing}/",
    "/market/",
    "/calculators/",
    "/settings/",
]


def test_every_page_links_the_user_guide_and_the_link_opens_it(phone):
    # given: the sign-in page links it, before anyone is signed in
    phone.goto("/login/")
    expect(phone.get_by_test_id("guide-link")).to_be_visible()
    agent = signed_in_agent(phone)
    client = ClientFactory(owner=agent)
    listing = ListingFactory(agent=agent)
    # then: so does every page an agent works on
    for path in GUIDE_LINKED_FROM:
        phone.goto(path.format(client=client.pk, listing=listing.pk))
        expect(phone.get_by_test_id("guide-link"), path).to_be_visible()
    # when: the agent follows it
    link = phone.get_by_test_id("guide-link")
    expect(link).to_have_text("使用帮助")
    link.click()
    # then: the guide opens, in Chinese
    expect(phone).to_have_url(re.compile(r"/help/$"))
    guide = phone.get_by_test_id("guide")
    expect(guide.get_by_role("heading", name="安居使用指南")).to_be_visible()
    expect(guide.get_by_role("heading", name="登录", exact=True)).to_be_visible()
    assert_fits_phone(phone)


def test_a_quick_note_keeps_the_next_follow_up_and_only_the_explicit_choice_clears_it(phone):
    # given: a client whose next follow-up is in five days
    agent = signed_in_agent(phone)
    in_five_days = timezone.localdate() + dt.timedelta(days=5)
    client = ClientFactory(owner=agent, name="王芳", next_follow_up_on=in_five_days)
    scheduled = f"{in_five_days.year}年{in_five_days.month}月{in_five_days.day}日"
    phone.goto(f"/clients/{client.pk}/")
    next_follow_up = phone.get_by_test_id("next-follow-up")
    expect(next_follow_up).to_contain_text(scheduled)
    form = phone.locator("#interaction-form")
    # when: a quick note, no next date given
    form.get_by_label("跟进内容").fill("客户说周末再联系")
    form.get_by_role("button", name="保存跟进").click()
    # then: the note is there and the scheduled follow-up is kept
    timeline = phone.locator("#client-timeline")
    expect(timeline).to_contain_text("客户说周末再联系")
    expect(next_follow_up).to_contain_text(scheduled)
    # when: a note that says no more follow-ups, explicitly
    form.get_by_label("跟进内容").fill("客户已在别处买房")
    form.get_by_label("不再安排跟进").check()
    form.get_by_role("button", name="保存跟进").click()
    # then: the follow-up is cleared
    expect(timeline).to_contain_text("客户已在别处买房")
    expect(next_follow_up).to_contain_text("未安排")
    expect(next_follow_up).not_to_contain_text(scheduled)
    client.refresh_from_db()
    assert client.next_follow_up_on is None
