"""Listing writes: entry, edits, price history, status moves, verification, freshness and photos."""

from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from anju.core import images
from anju.core.errors import ApplicationError, ConflictError, IllegalTransition
from anju.listings import services
from anju.listings.models import Listing, ListingMedia, PriceChange, Property, Verification
from anju.listings.selectors import is_stale, listings_recommendable
from anju.org.models import Notification
from tests.factories import ClientFactory, CommunityFactory, ListingFactory, StoreFactory
from tests.listings.conftest import flat, image_bytes, upload

# --- entry ---------------------------------------------------------------------------------


def test_entry_creates_the_flat_and_its_listing_with_the_unit_price_to_the_fen(agent, community):
    # when
    listing = services.listing_create(agent=agent, community=community, **flat(price=Decimal("3250000")))
    # then
    prop = listing.property
    assert (prop.community, prop.building, prop.unit, prop.room_number) == (community, "3", "1", "1201")
    assert listing.unit_price == Decimal("36312.85")  # 3,250,000 / 89.50 = 36,312.849…
    assert (listing.status, listing.store, listing.district) == ("active", agent.store, community.district)
    assert (listing.rooms, listing.area) == (3, Decimal("89.50"))
    assert listing.listed_on == timezone.localdate()
    assert listing.verified_at is None


def test_the_same_flat_written_differently_is_one_property(agent, community):
    # given
    first = services.listing_create(agent=agent, community=community, **flat(building="3栋", unit="1单元"))
    services.listing_withdraw(listing=first, by=agent)
    # when: full-width digits and the words the address adds back
    second = services.listing_create(
        agent=agent, community=community, **flat(building="３", unit="1", room_number="1201室")
    )
    # then
    assert second.property_id == first.property_id
    assert Property.objects.count() == 1


def test_a_flat_already_on_the_market_is_refused_naming_the_listing(agent, colleague, community):
    # given
    existing = services.listing_create(agent=colleague, community=community, **flat())
    # when
    with pytest.raises(ConflictError) as refused:
        services.listing_create(agent=agent, community=community, **flat(price=Decimal("3100000")))
    # then
    assert f"#{existing.pk}" in refused.value.message
    assert "李娜" in refused.value.message
    assert refused.value.extra == {"listing_id": existing.pk}
    assert Listing.objects.count() == 1


def test_a_reserved_flat_is_on_the_market_too(agent, community):
    existing = services.listing_create(agent=agent, community=community, **flat())
    services.listing_reserve(listing=existing, by=agent)
    with pytest.raises(ConflictError):
        services.listing_create(agent=agent, community=community, **flat())


def test_a_flat_may_be_offered_for_sale_and_for_rent_at_once(agent, community):
    sale = services.listing_create(agent=agent, community=community, **flat())
    rent = services.listing_create(
        agent=agent, community=community, **flat(kind="rent", price=Decimal("4500"))
    )
    assert rent.property_id == sale.property_id
    assert rent.unit_price == Decimal("50.28")  # yuan per ㎡ per month


def test_a_known_flat_off_the_market_is_reused_and_brought_up_to_date(agent, community):
    # given
    old = services.listing_create(agent=agent, community=community, **flat(decoration="simple"))
    services.listing_mark_sold(listing=old, by=agent)
    # when
    new = services.listing_create(agent=agent, community=community, **flat(decoration="luxury"))
    # then
    assert new.property_id == old.property_id
    new.property.refresh_from_db()
    assert new.property.decoration == "luxury"
    old.refresh_from_db()
    assert old.status == "sold"


TOMORROW = object()  # the day after the test runs


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"price": Decimal("0")}, "价格必须大于 0"),
        ({"price": Decimal("-1")}, "价格必须大于 0"),
        ({"floor": 33}, "所在楼层不能高于总楼层"),
        ({"floor": 0}, "所在楼层不能为 0"),
        ({"inner_area": Decimal("95")}, "套内面积不能大于建筑面积"),
        ({"area": Decimal("0")}, "建筑面积必须大于 0"),
        ({"room_number": " "}, "请填写门牌号"),
        ({"orientation": "UP"}, "请选择朝向"),
        ({"kind": "lease"}, "请选择出售或出租"),
        ({"mandate": "exclusive"}, "独家委托须填写委托结束日期"),
        (
            {"mandate_start": dt.date(2025, 3, 1), "mandate_end": dt.date(2025, 2, 1)},
            "委托结束日期不能早于开始日期",
        ),
        ({"certificate_date": TOMORROW}, "产权证日期不能晚于今天"),
        ({"highlights": "好" * 2001}, "房源亮点最多 2000 个字"),
        ({"title": "南北\x00通透"}, "标题含有无法显示的控制字符"),
        ({"highlights": "满五\x1b唯一"}, "房源亮点含有无法显示的控制字符"),
        ({"room_number": "1\x0802"}, "门牌号含有无法显示的控制字符"),
    ],
)
def test_bad_entries_are_refused_in_chinese_and_nothing_is_written(agent, community, overrides, message):
    # "tomorrow" is read when the test runs: collected before midnight in Beijing, run after it,
    # a date fixed at collection would already be today
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    overrides = {key: tomorrow if value is TOMORROW else value for key, value in overrides.items()}
    with pytest.raises(ApplicationError) as refused:
        services.listing_create(agent=agent, community=community, **flat(**overrides))
    assert message in refused.value.message
    assert Property.objects.count() == 0
    assert Listing.objects.count() == 0


def test_another_companys_community_seller_or_store_is_refused(agent, community, stranger):
    foreign_community = CommunityFactory(company=stranger.company)
    with pytest.raises(ApplicationError, match="小区不属于本公司"):
        services.listing_create(agent=agent, community=foreign_community, **flat())
    with pytest.raises(ApplicationError, match="业主不是本公司的客户"):
        services.listing_create(
            agent=agent, community=community, seller=ClientFactory(owner=stranger), **flat()
        )
    with pytest.raises(ApplicationError, match="钥匙所在门店不属于本公司"):
        services.listing_create(agent=agent, community=community, keys_store=stranger.store, **flat())
    assert Listing.objects.count() == 0


def test_an_administrator_without_a_store_names_one(admin_agent, store, community):
    with pytest.raises(ApplicationError, match="请选择房源所属门店"):
        services.listing_create(agent=admin_agent, community=community, **flat())
    listing = services.listing_create(agent=admin_agent, community=community, store=store, **flat())
    assert listing.store == store


def test_the_seller_becomes_the_flats_owner_when_it_had_none(agent, community):
    seller = ClientFactory(owner=agent)
    listing = services.listing_create(agent=agent, community=community, seller=seller, **flat())
    assert listing.seller == seller
    assert listing.property.owner == seller


def test_entry_confirmed_with_the_owner_starts_fresh(agent, community):
    listing = services.listing_create(agent=agent, community=community, verify_method="phone", **flat())
    assert listing.verified_at is not None
    assert Verification.objects.get(listing=listing).by == agent
    assert not is_stale(listing)


# --- edits and price -----------------------------------------------------------------------


def test_an_edit_changes_the_flat_and_terms_and_keeps_the_price(agent, community, other_store):
    # given
    listing = services.listing_create(agent=agent, community=community, **flat())
    # when
    services.listing_update(
        listing=listing,
        by=agent,
        changes={"area": Decimal("100"), "rooms": 4, "highlights": "南北通透", "keys_store": other_store},
    )
    # then
    listing.refresh_from_db()
    assert (listing.price, listing.area, listing.rooms) == (Decimal("3250000.00"), Decimal("100.00"), 4)
    assert listing.unit_price == Decimal("32500.00")
    assert (listing.highlights, listing.keys_store) == ("南北通透", other_store)
    assert listing.property.area == Decimal("100.00")


def test_an_edit_with_a_bad_value_changes_nothing(agent, community):
    listing = services.listing_create(agent=agent, community=community, **flat())
    with pytest.raises(ApplicationError):
        services.listing_update(listing=listing, by=agent, changes={"highlights": "新亮点", "floor": 99})
    listing.refresh_from_db()
    assert listing.highlights == ""
    assert listing.property.floor == 12


def test_a_closed_listing_is_not_edited(agent, community):
    listing = services.listing_create(agent=agent, community=community, **flat())
    services.listing_mark_sold(listing=listing, by=agent)
    with pytest.raises(ApplicationError, match="已成交的房源不能再修改"):
        services.listing_update(listing=listing, by=agent, changes={"highlights": "x"})


def test_every_price_change_is_kept(agent, manager, community, time_machine):
    # given
    time_machine.move_to(dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC), tick=False)
    listing = services.listing_create(agent=agent, community=community, **flat(price=Decimal("3250000")))
    # when
    time_machine.move_to(dt.datetime(2025, 3, 10, 10, tzinfo=dt.UTC), tick=False)
    services.listing_reprice(listing=listing, price=Decimal("3180000"), by=agent)
    time_machine.move_to(dt.datetime(2025, 3, 20, 10, tzinfo=dt.UTC), tick=False)
    services.listing_reprice(listing=listing, price=Decimal("3099999.999"), by=manager)
    # then
    listing.refresh_from_db()
    assert listing.price == Decimal("3100000.00")
    assert listing.unit_price == Decimal("34636.87")
    history = list(
        PriceChange.objects.filter(listing=listing).order_by("at").values_list("old_price", "new_price", "by")
    )
    assert history == [
        (Decimal("3250000.00"), Decimal("3180000.00"), agent.pk),
        (Decimal("3180000.00"), Decimal("3100000.00"), manager.pk),
    ]


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-100"), Decimal("NaN"), Decimal("Infinity")])
def test_a_price_that_is_not_positive_is_refused_and_nothing_changes(agent, community, price):
    listing = services.listing_create(agent=agent, community=community, **flat())
    with pytest.raises(ApplicationError):
        services.listing_reprice(listing=listing, price=price, by=agent)
    listing.refresh_from_db()
    assert listing.price == Decimal("3250000.00")
    assert not PriceChange.objects.exists()


def test_the_same_price_again_is_not_a_change(agent, community):
    listing = services.listing_create(agent=agent, community=community, **flat())
    with pytest.raises(ApplicationError, match="相同"):
        services.listing_reprice(listing=listing, price=Decimal("3250000.00"), by=agent)


# --- status --------------------------------------------------------------------------------

STATUSES = ["active", "reserved", "sold", "rented", "withdrawn"]
LEGAL = {
    "sale": {
        "active": {"reserved", "sold", "withdrawn"},
        "reserved": {"active", "sold", "withdrawn"},
        "withdrawn": {"active"},
        "sold": set(),
    },
    "rent": {
        "active": {"reserved", "rented", "withdrawn"},
        "reserved": {"active", "rented", "withdrawn"},
        "withdrawn": {"active"},
        "rented": set(),
    },
}
MOVES = [
    (kind, start, to) for kind, table in LEGAL.items() for start in table for to in STATUSES if to != start
]


@pytest.mark.parametrize(("kind", "start", "to"), MOVES)
def test_status_moves(agent, kind, start, to):
    # given
    listing = ListingFactory(agent=agent, kind=kind, status=start)
    legal = to in LEGAL[kind][start]
    # when / then
    if legal:
        services.listing_transition(listing=listing, to=to, by=agent)
        listing.refresh_from_db()
        assert listing.status == to
    else:
        with pytest.raises(IllegalTransition):
            services.listing_transition(listing=listing, to=to, by=agent)
        listing.refresh_from_db()
        assert listing.status == start


def test_the_named_transitions_say_why_a_move_is_illegal(agent):
    rent = ListingFactory(agent=agent, kind="rent")
    sold = ListingFactory(agent=agent, status="sold")
    with pytest.raises(IllegalTransition, match="出租房源不能标记为已售"):
        services.listing_mark_sold(listing=rent, by=agent)
    with pytest.raises(IllegalTransition, match="当前状态为“已售”，不能改为“已下架”"):
        services.listing_withdraw(listing=sold, by=agent)


def test_a_withdrawn_listing_cannot_come_back_while_the_flat_is_listed_again(agent, community):
    # given
    first = services.listing_create(agent=agent, community=community, **flat())
    services.listing_withdraw(listing=first, by=agent)
    second = services.listing_create(agent=agent, community=community, **flat())
    # when / then
    with pytest.raises(ConflictError, match=f"#{second.pk}"):
        services.listing_reactivate(listing=first, by=agent)
    first.refresh_from_db()
    assert first.status == "withdrawn"


def test_status_changes_are_in_the_listings_history(agent):
    listing = ListingFactory(agent=agent)
    services.listing_reserve(listing=listing, by=agent)
    latest = listing.history.latest()
    assert (latest.status, latest.history_user) == ("reserved", agent.user)


# --- verification and freshness ------------------------------------------------------------


def test_a_full_verification_renews_freshness_until_the_companys_limit(agent, colleague, time_machine):
    # given
    company = agent.company
    company.listing_fresh_days = 10
    company.save()
    time_machine.move_to(dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC), tick=False)
    listing = ListingFactory(agent=agent)
    assert is_stale(listing)
    # when
    services.listing_verify(listing=listing, by=colleague, method="visit", note="实地看过")
    # then
    listing.refresh_from_db()
    assert listing.verified_at == timezone.now()
    assert not is_stale(listing)
    time_machine.move_to(dt.datetime(2025, 5, 11, 8, 59, tzinfo=dt.UTC), tick=False)
    assert not is_stale(listing)
    assert listings_recommendable(agent).filter(pk=listing.pk).exists()
    time_machine.move_to(dt.datetime(2025, 5, 11, 9, 1, tzinfo=dt.UTC), tick=False)
    assert is_stale(listing)
    assert not listings_recommendable(agent).filter(pk=listing.pk).exists()


def test_a_verification_finding_the_flat_no_longer_available_withdraws_it(agent, colleague):
    # given
    listing = ListingFactory(agent=agent, verified_at=None)
    # when
    verification = services.listing_verify(
        listing=listing, by=colleague, method="phone", available=False, note="业主说已自售"
    )
    # then
    listing.refresh_from_db()
    assert listing.status == "withdrawn"
    assert listing.verified_at is None
    assert verification.by == colleague and not verification.available
    notice = Notification.objects.get(agent=agent)
    assert "李娜" in notice.text and "已不再出售/出租" in notice.text


def test_a_wrong_price_keeps_the_listing_but_does_not_renew_it(agent, colleague, time_machine):
    # given
    time_machine.move_to(dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC), tick=False)
    listing = ListingFactory(agent=agent)
    services.listing_verify(listing=listing, by=agent, method="phone")
    verified_at = timezone.now()
    # when
    time_machine.move_to(dt.datetime(2025, 5, 8, 9, tzinfo=dt.UTC), tick=False)
    services.listing_verify(listing=listing, by=colleague, method="phone", price_confirmed=False)
    # then
    listing.refresh_from_db()
    assert listing.status == "active"
    assert listing.verified_at == verified_at
    assert Verification.objects.filter(listing=listing).count() == 2
    assert "价格不符" in Notification.objects.get(agent=agent).text


def test_the_agent_who_finds_their_own_listing_gone_is_not_notified(agent, colleague):
    listing = ListingFactory(agent=agent)
    theirs = ListingFactory(agent=colleague)
    services.listing_verify(listing=listing, by=agent, method="visit", exists=False)
    services.listing_verify(listing=theirs, by=agent, method="visit", exists=False)
    listing.refresh_from_db()
    assert listing.status == "withdrawn"
    # only the colleague whose listing the agent found gone is told
    assert "房屋不存在" in Notification.objects.get(agent=colleague).text
    assert not Notification.objects.filter(agent=agent).exists()


def test_only_listings_on_the_market_are_verified(agent):
    listing = ListingFactory(agent=agent, status="sold")
    with pytest.raises(ApplicationError, match="只能核实"):
        services.listing_verify(listing=listing, by=agent, method="visit")
    with pytest.raises(ApplicationError, match="核实方式"):
        services.listing_verify(listing=ListingFactory(agent=agent), by=agent, method="guess")
    assert not Verification.objects.exists()


# --- photos --------------------------------------------------------------------------------


def test_a_real_png_is_stored_under_a_random_name_with_its_size(agent, media_root):
    listing = ListingFactory(agent=agent)
    media = services.listing_media_add(
        listing=listing, by=agent, file=upload("客厅 照片.png"), caption="客厅"
    )
    assert (media.width, media.height, media.kind, media.caption) == (40, 30, "photo", "客厅")
    assert media.image.name.startswith(f"listings/{listing.pk}/")
    assert media.image.name.endswith(".png")
    assert "客厅" not in media.image.name
    assert (media_root / media.image.name).read_bytes() == image_bytes()


def test_the_stored_extension_comes_from_the_real_format(agent):
    listing = ListingFactory(agent=agent)
    media = services.listing_media_add(
        listing=listing, by=agent, file=upload("plan.png", image_bytes("JPEG"))
    )
    assert media.image.name.endswith(".jpg")


def test_positions_follow_the_order_of_upload_per_kind(agent):
    listing = ListingFactory(agent=agent)
    a = services.listing_media_add(listing=listing, by=agent, file=upload())
    b = services.listing_media_add(listing=listing, by=agent, file=upload())
    plan = services.listing_media_add(listing=listing, by=agent, file=upload(), kind="floor_plan")
    assert (a.position, b.position, plan.position) == (0, 1, 0)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("照片.png", "这不是图片，是改了扩展名的文本文件。".encode(), "不是有效的图片"),
        ("照片.jpg", b"", "不是有效的图片"),
        ("动图.gif", None, "不是有效的图片"),
        ("半截.png", None, "不是有效的图片"),
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_image_is_refused(agent, media_root, name, data, message):
    # given
    if name == "动图.gif":
        data = image_bytes("GIF")
    elif name == "半截.png":
        data = image_bytes(size=(400, 300))[:200]
    listing = ListingFactory(agent=agent)
    # when
    with pytest.raises(ApplicationError) as refused:
        services.listing_media_add(listing=listing, by=agent, file=upload(name, data))
    # then
    assert message in refused.value.message
    assert not ListingMedia.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_too_large_an_image_is_refused(agent, monkeypatch):
    listing = ListingFactory(agent=agent)
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ApplicationError, match="图片不能超过"):
        services.listing_media_add(listing=listing, by=agent, file=upload(data=noise_png(100, 100)))
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    monkeypatch.setattr(images, "MAX_IMAGE_SIDE", 100)
    with pytest.raises(ApplicationError, match="图片尺寸过大"):
        services.listing_media_add(listing=listing, by=agent, file=upload(data=image_bytes(size=(120, 80))))


def test_removing_a_photo_deletes_its_file_once_committed(
    agent, media_root, django_capture_on_commit_callbacks
):
    # given
    listing = ListingFactory(agent=agent)
    media = services.listing_media_add(listing=listing, by=agent, file=upload())
    path = media_root / media.image.name
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_media_remove(media=media, by=agent)
    # then
    assert not ListingMedia.objects.exists()
    assert not path.exists()


def test_a_closed_listing_takes_no_more_photos(agent):
    listing = ListingFactory(agent=agent, status="sold")
    with pytest.raises(ApplicationError, match="已成交"):
        services.listing_media_add(listing=listing, by=agent, file=upload())


def test_keys_may_be_held_by_another_store_of_the_company(agent, community):
    other = StoreFactory(company=agent.company, name="中北路店")
    listing = services.listing_create(agent=agent, community=community, keys_store=other, **flat())
    assert listing.keys_store == other


def noise_png(width: int, height: int) -> bytes:
    """A PNG that does not compress: its size in bytes is about its size in pixels times three."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "PNG")
    return buffer.getvalue()
