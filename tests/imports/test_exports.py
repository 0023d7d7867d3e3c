"""Exports hold what the viewer may see, masked as the pages mask it, and import again cleanly."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import connection
from openpyxl import load_workbook

from anju.clients.models import Client, OwnershipChange
from anju.core.announcements import announce
from anju.imports.clients import clients_import
from anju.imports.exports import clients_export, listings_export
from anju.imports.listings import listings_import
from anju.listings.announcements import ListingsChanged
from anju.listings.models import Listing, Property
from tests.factories import ClientFactory, ListingFactory, PropertyFactory


def exported(export, viewer) -> list[dict[str, object]]:
    out = io.BytesIO()
    export(viewer=viewer, out=out)
    out.seek(0)
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_client_export_masks_numbers_the_viewer_does_not_own(agent, colleague, manager):
    # given
    ClientFactory(owner=agent, name="自己的", mobile="13800001111", id_number="420102199001011236")
    ClientFactory(owner=colleague, name="同事的", mobile="13800002222")
    ClientFactory(owner=None, store=None, company=agent.company, name="公客", mobile="13900003333")
    # when
    as_agent = {row["姓名"]: row for row in exported(clients_export, agent)}
    as_manager = {row["姓名"]: row for row in exported(clients_export, manager)}
    # then
    assert set(as_agent) == {"自己的", "公客"}
    assert as_agent["自己的"]["手机"] == "13800001111"
    assert as_agent["自己的"]["身份证号"] == "420102199001011236"
    assert as_agent["公客"]["手机"] == "139****3333"
    assert as_agent["公客"]["归属经纪人"] == "公客"
    assert as_manager["同事的"]["手机"] == "13800002222"  # a manager sees the store's clients in full
    assert as_manager["公客"]["手机"] == "139****3333"


def test_another_companys_records_are_never_exported(agent, stranger):
    ClientFactory(owner=None, store=None, company=agent.company, name="自家公客")
    ClientFactory(owner=None, store=None, company=stranger.company, name="别家公客")
    ListingFactory(agent=stranger, property__community__name="别家小区")
    ListingFactory(agent=agent, property__community__name="自家小区")
    assert [row["姓名"] for row in exported(clients_export, agent)] == ["自家公客"]
    assert [row["小区"] for row in exported(listings_export, agent)] == ["自家小区"]


def test_text_that_looks_like_a_formula_stays_text(agent):
    ClientFactory(owner=agent, name='=HYPERLINK("http://x")', mobile="13800001111")
    out = io.BytesIO()
    clients_export(viewer=agent, out=out)
    out.seek(0)
    cell = load_workbook(out).worksheets[0]["A2"]
    assert cell.data_type == "s"


def _clients_as_exported() -> list[tuple]:
    rows = Client.objects.values_list(
        "name", "mobile", "gender", "source", "notes", "second_phone", "created_at", "last_contact_at"
    )
    return sorted(
        (*row[:6], *(None if moment is None else moment.replace(microsecond=0) for moment in row[6:]))
        for row in rows
    )


def test_exported_clients_import_again_as_they_were(agent):
    # given
    ClientFactory(owner=agent, name="张三", mobile="13800001111", gender="m", source="online", notes="三室")
    ClientFactory(owner=agent, name="李四", mobile="13800002222", second_phone="027-87654321")
    before = _clients_as_exported()
    out = io.BytesIO()
    clients_export(viewer=agent, out=out)
    OwnershipChange.objects.all().delete()
    Client.objects.all().delete()
    # when
    out.seek(0)
    result = clients_import(importer=agent, source=out, filename="导出.xlsx")
    # then
    assert (result.written, result.bad_rows) == (2, [])
    assert sorted(result.ignored_columns) == sorted(["归属经纪人", "门店"])
    assert _clients_as_exported() == before  # the clocks too, to the second the export shows
    assert set(Client.objects.values_list("owner", flat=True)) == {agent.pk}


def test_a_masked_mobile_in_an_export_cannot_be_imported_again(agent, stranger):
    # given: the pool client's number is masked in the agent's export
    ClientFactory(owner=None, store=None, company=agent.company, name="公客", mobile="13900003333")
    out = io.BytesIO()
    clients_export(viewer=agent, out=out)
    # when: imported into another company
    out.seek(0)
    result = clients_import(importer=stranger, source=out, filename="导出.xlsx")
    # then
    assert [str(bad) for bad in result.bad_rows] == [
        "第 2 行：手机号“139****3333”已打码，无法导入（导出文件只含您可见的号码）"
    ]


def test_exported_listings_import_again_as_they_were(agent):
    # given
    fields = (
        "kind",
        "status",
        "price",
        "unit_price",
        "rooms",
        "area",
        "listed_on",
        "title",
        "community",
        "district",
    )
    facts = (
        "building",
        "unit",
        "room_number",
        "floor",
        "total_floors",
        "area",
        "rooms",
        "halls",
        "baths",
        "orientation",
        "decoration",
        "build_year",
        "has_elevator",
        "title_type",
        "inner_area",
    )
    flat = PropertyFactory(company=agent.company, inner_area=Decimal("70.12"), building="A座", unit="")
    ListingFactory(agent=agent, property=flat, title="南北通透 满五唯一", price=Decimal("1888888.88"))
    ListingFactory(agent=agent, kind="rent", price=Decimal("3500"), status="reserved")
    before_listings = sorted(Listing.objects.values_list(*fields))
    before_flats = sorted(Property.objects.values_list(*facts))
    out = io.BytesIO()
    listings_export(viewer=agent, out=out)
    gone = tuple(Listing.objects.values_list("pk", flat=True))
    Listing.objects.all().delete()
    announce(ListingsChanged(company_id=agent.company_id, listing_ids=gone))  # as a bulk writer must
    # when: the flats stay in the dictionary and are listed again from the file
    out.seek(0)
    result = listings_import(importer=agent, source=out, filename="导出.xlsx")
    # then
    assert (result.written, result.bad_rows) == (2, [])
    assert sorted(Listing.objects.values_list(*fields)) == before_listings
    assert sorted(Property.objects.values_list(*facts)) == before_flats
    assert Property.objects.count() == 2


def test_a_listing_whose_address_is_to_be_completed_exports_and_imports_again_as_it_was(agent):
    # given
    flat = PropertyFactory(
        company=agent.company, building=None, unit=None, room_number=None, floor=None, floor_band="high"
    )
    ListingFactory(agent=agent, property=flat, price=Decimal("1800000"))
    out = io.BytesIO()
    listings_export(viewer=agent, out=out)
    gone = tuple(Listing.objects.values_list("pk", flat=True))
    Listing.objects.all().delete()
    Property.objects.all().delete()
    announce(ListingsChanged(company_id=agent.company_id, listing_ids=gone))
    # when
    out.seek(0)
    result = listings_import(importer=agent, source=out, filename="导出.xlsx")
    # then: the band came back, nothing was made up
    assert (result.written, result.bad_rows) == (1, [])
    again = Property.objects.get()
    assert (again.building, again.unit, again.room_number, again.floor) == (None, None, None, None)
    assert (again.floor_band, again.total_floors) == ("high", flat.total_floors)


def test_text_stored_with_control_characters_is_exported_without_them(agent):
    # given: a client and a listing stored before control characters were refused (NUL only where
    # the database can hold it: PostgreSQL text never could)
    client = ClientFactory(owner=agent, name="张三", mobile="13800001111")
    nul = "" if connection.vendor == "postgresql" else "\x00"
    Client.objects.filter(pk=client.pk).update(name="张\x01三", notes=f"备{nul}注\x1b")
    listing = ListingFactory(agent=agent, property__community__name="自家小区")
    Listing.objects.filter(pk=listing.pk).update(title="标\x07题")
    # when
    clients = exported(clients_export, agent)
    listings = exported(listings_export, agent)
    # then
    assert [(row["姓名"], row["备注"]) for row in clients] == [("张三", "备注")]
    assert [row["标题"] for row in listings] == ["标题"]
