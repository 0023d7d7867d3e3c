"""A store's name and coordinates: where its agents' showings start."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.core.errors import ApplicationError, ConflictError
from anju.org.services import store_create, store_update
from tests.factories import StoreFactory


def test_a_store_is_renamed_and_located(store):
    # when its name and coordinates are set
    store_update(
        store=store, name=" 光谷旗舰店 ", latitude=Decimal("30.505200"), longitude=Decimal("114.397800")
    )
    # then they are saved
    store.refresh_from_db()
    assert (store.name, store.latitude, store.longitude) == (
        "光谷旗舰店",
        Decimal("30.505200"),
        Decimal("114.397800"),
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "code"),
    [
        (Decimal(0), Decimal(0), "store_coordinates_out_of_range"),
        (Decimal("114.4"), Decimal("30.5"), "store_coordinates_out_of_range"),
        (Decimal("30.5"), None, "store_coordinates_partial"),
    ],
    ids=["zero", "swapped", "partial"],
)
def test_coordinates_outside_china_or_half_typed_are_refused_and_nothing_is_saved(
    store, latitude, longitude, code
):
    # when a store is given 0,0, swapped or half coordinates
    with pytest.raises(ApplicationError) as refused:
        store_update(store=store, name="新名字", latitude=latitude, longitude=longitude)
    # then it is refused and the store keeps its name and has no coordinates
    assert refused.value.code == code
    store.refresh_from_db()
    assert (store.name, store.latitude) == ("光谷店", None)


def test_a_new_store_is_checked_like_an_existing_one(company):
    # when a store is created at 0,0, then somewhere in Wuhan
    with pytest.raises(ApplicationError, match="门店坐标不在中国境内"):
        store_create(company=company, name="零点店", latitude=Decimal(0), longitude=Decimal(0))
    created = store_create(
        company=company, name="汉口店", latitude=Decimal("30.6"), longitude=Decimal("114.3")
    )
    # then only the second exists
    assert created.latitude == Decimal("30.6")
    assert not company.stores.filter(name="零点店").exists()


def test_a_store_cannot_take_the_name_of_another(store, other_store):
    with pytest.raises(ConflictError):
        store_update(store=store, name="后湖店")
    # a store of another company may share the name
    elsewhere = StoreFactory(name="光谷店")
    assert store_update(store=elsewhere, name="后湖店").name == "后湖店"
