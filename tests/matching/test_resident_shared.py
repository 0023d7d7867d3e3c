"""The copy in memory shared by the processes of a machine: one reads the database and writes the
columns to files, the others map those files, and every one of them answers as the database does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from django.db import connection

import anju
from anju.matching.search import engine, layout, resident
from tests.conftest import skip_or_fail
from tests.matching.test_engine import _make_listing, _make_need, world  # noqa: F401 - fixture
from tests.matching.test_resident import BUYER, SALE

# A process of its own: it needs the company's copy (mapping a shared one when it may), answers
# a need's and a listing's question from it and says where the copy came from.
PROCESS = """
import json, sys
import django
django.setup()
from anju.listings.models import Listing
from anju.matching.search import engine, resident
from anju.needs.models import Need
company_id, need_id, listing_id = map(int, sys.argv[1:4])
copy = resident.load(company_id, reuse=True)
assert resident.answering(company_id) is not None
found = engine.listings_for_need(Need.objects.get(pk=need_id))
matched = engine.needs_for_listing(Listing.objects.get(pk=listing_id))
print(json.dumps({
    "mapped": copy.mapped,
    "shared": str(copy.shared),
    "listings": [[m.listing_id, m.score] for m in found.items],
    "excluded": found.excluded,
    "needs": [[m.need_id, m.score] for m in matched.items],
}))
"""


@pytest.fixture(autouse=True)
def shared_dir(settings, tmp_path):
    settings.MATCH_SHARED_DIR = str(tmp_path / "match-layout")
    resident.forget()
    yield Path(settings.MATCH_SHARED_DIR)
    resident.forget()


def _from_database(need, listing) -> dict:
    resident.forget()
    assert resident.answering(listing.company_id) is None  # a small layout: the database answers
    found = engine.listings_for_need(need)
    matched = engine.needs_for_listing(listing)
    return {
        "listings": [[m.listing_id, m.score] for m in found.items],
        "excluded": found.excluded,
        "needs": [[m.need_id, m.score] for m in matched.items],
    }


def _process(shared: Path, need, listing) -> dict:
    db = connection.settings_dict
    user = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "ANJU_MATCH_SHARED_DIR": str(shared),
        "PYTHONPATH": os.pathsep.join(
            [str(Path(anju.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]
        ),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and snippet
        [sys.executable, "-c", PROCESS, str(listing.company_id), str(need.pk), str(listing.pk)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_a_second_process_maps_the_first_ones_copy_and_answers_as_the_database(world, shared_dir):  # noqa: F811
    if connection.vendor != "postgresql":
        skip_or_fail("postgres", "two processes share a database on PostgreSQL (DATABASE_URL=postgres://…)")
    # given a listing and a buyer who wants it, on file
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    # when a first process needs the company's copy, then (after a second listing is listed) a second
    first = _process(shared_dir, need, listing)
    second_listing = _make_listing(world, {**SALE, "price": Decimal(2400000)})
    second = _process(shared_dir, need, listing)
    # then the first read the database and shared its copy, the second mapped that copy's files
    assert first["mapped"] is False
    assert Path(first["shared"]).parent == shared_dir / str(listing.company_id)
    assert (Path(first["shared"]) / "manifest.json").is_file()
    assert second["mapped"] is True
    assert second["shared"] == first["shared"]
    # and both answered exactly as the database does: the second with the listing listed since
    assert [pk for pk, _score in second["listings"]] == sorted([listing.pk, second_listing.pk])
    assert {k: second[k] for k in ("listings", "excluded", "needs")} == _from_database(need, listing)


@pytest.mark.django_db(transaction=True)
def test_a_process_maps_the_shared_copy_read_only_and_a_rebuild_sets_it_aside(world, shared_dir):  # noqa: F811
    # given a copy read from the database and shared
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    company = listing.company
    read = resident.load(company.pk)
    assert read.shared is not None and not read.mapped
    # when the process forgets it and needs it again
    resident.forget()
    mapped = resident.load(company.pk, reuse=True)
    # then it maps the shared files, which cannot be written, and answers from them alike
    assert mapped.mapped and mapped.shared == read.shared
    assert not mapped.listings.columns["price"].flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        mapped.listings.columns["price"][0] = 0
    from_copy = _from_copy(need, listing)
    assert from_copy == _from_database(need, listing)
    # when the layout is rebuilt
    layout.rebuild(company)
    resident.forget()
    fresh = resident.load(company.pk, reuse=True)
    # then the shared copy is set aside: the database is read again and a new copy shared
    assert not fresh.mapped
    assert fresh.shared is not None and fresh.shared != read.shared


@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_incomplete_shared_copy_is_passed_over(world, shared_dir):  # noqa: F811
    # given a shared copy, and two newer ones: one without its manifest, one with a column cut short
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    good = resident.load(listing.company_id).shared
    assert good is not None
    unfinished = good.parent / "99999999999999998-1-1"
    unfinished.mkdir()
    (unfinished / "listings.price.npy").write_bytes(b"")
    damaged = good.parent / "99999999999999999-1-1"
    damaged.mkdir()
    for file in good.iterdir():
        (damaged / file.name).write_bytes(file.read_bytes())
    np.save(damaged / "listings.price.npy", np.zeros(0, dtype=np.int32))
    # when a process needs the copy
    resident.forget()
    copy = resident.load(listing.company_id, reuse=True)
    # then it maps the good one and answers as the database does
    assert copy.mapped and copy.shared == good
    assert _from_copy(need, listing) == _from_database(need, listing)


@pytest.mark.django_db(transaction=True)
def test_a_directory_that_cannot_be_written_leaves_each_process_its_own_copy(world, settings, tmp_path):  # noqa: F811
    # given a shared directory that cannot be made (a file is in its way)
    (tmp_path / "blocked").write_text("")
    settings.MATCH_SHARED_DIR = str(tmp_path / "blocked" / "match-layout")
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    # when the copy is read
    copy = resident.load(listing.company_id)
    # then it is the process's own, and answers as the database does
    assert copy.shared is None and not copy.mapped
    assert copy.listings.columns["price"].flags.writeable
    assert _from_copy(need, listing) == _from_database(need, listing)


def _from_copy(need, listing) -> dict:
    assert resident.answering(listing.company_id) is not None
    found = engine.listings_for_need(need)
    matched = engine.needs_for_listing(listing)
    return {
        "listings": [[m.listing_id, m.score] for m in found.items],
        "excluded": found.excluded,
        "needs": [[m.need_id, m.score] for m in matched.items],
    }
