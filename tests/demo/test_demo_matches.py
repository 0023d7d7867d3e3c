"""The demo's 新匹配: agents open the workbench to matches recorded as the job records them."""

from __future__ import annotations

from anju.demo import generate
from anju.listings.models import Listing
from anju.matching.models import Match, MatchStatus
from anju.matching.search.engine import needs_for_listing
from anju.org.models import Notification
from tests.demo.demo_runs import run_demo


def test_the_newest_verified_listings_come_with_their_matches_and_notices(db, frozen_day):
    # when
    run_demo("--listings", "400", "--clients", "300", "--needs", "200")
    # then
    # (the client the demo erases at their request gave up their needs: not theirs)
    matches = Match.objects.filter(need__client__erased_at__isnull=True).select_related(
        "need__client", "listing"
    )
    assert matches.exists()
    assert {m.status for m in matches} == {MatchStatus.NEW}
    for match in matches:
        # (a few were reserved since, by the demo's deals)
        assert match.listing.status in {"active", "reserved"} and match.listing.verified_at is not None
        assert match.need.status == "active"
        assert match.agent_id == (match.need.client.owner_id or match.need.agent_id)
    assert (
        matches.filter(listing__status="active").count() > matches.filter(listing__status="reserved").count()
    )
    listing = matches.filter(listing__status="active").first().listing
    recorded = set(Match.objects.filter(listing=listing).values_list("need_id", flat=True))
    assert recorded == {item.need_id for item in needs_for_listing(listing).items}
    agents = set(matches.values_list("agent_id", flat=True))
    assert agents == set(
        Notification.objects.filter(key__startswith="new-matches:").values_list("agent_id", flat=True)
    )


def test_at_benchmark_scale_no_matches_are_recorded(db, frozen_day, monkeypatch):
    # given: the recording limit lowered so that a small demo counts as a large one
    monkeypatch.setattr(generate, "MATCH_RECORDING_MAX_NEEDS", 10)
    # when
    run_demo("--listings", "200", "--clients", "100", "--needs", "50")
    # then: listings that fit needs are there, and no match is recorded for them
    verified = Listing.objects.filter(status="active", verified_at__isnull=False).order_by("-verified_at")
    assert any(needs_for_listing(listing).total for listing in verified[:100])
    assert not Match.objects.exists()
