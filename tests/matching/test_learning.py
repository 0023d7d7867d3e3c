"""Learning from liked and rejected listings (pure)."""

from __future__ import annotations

from dataclasses import replace

from anju.matching.search.learning import learn
from tests.matching.test_scoring import FLAT


def test_three_rejected_north_facing_flats_lower_north_facing_ones():
    # given
    north = replace(FLAT, orientation="N")
    # when
    learned = learn(liked=[], rejected=[north, north, north])
    # then
    [adjustment] = [a for a in learned.adjustments if a.feature == "orientation"]
    assert (adjustment.value, adjustment.reason) == ("N", "您已拒绝过3套朝北的房子")
    assert adjustment.points < 0


def test_one_mark_or_marks_that_disagree_teach_nothing():
    # given
    north = replace(FLAT, orientation="N")
    # then
    assert learn(liked=[], rejected=[north]).adjustments == ()
    assert learn(liked=[north, north], rejected=[north, north]).adjustments == ()


def test_liked_flats_in_one_community_raise_that_community():
    # given
    home = replace(FLAT, community_name="万科城市花园")
    # when
    learned = learn(liked=[home, home], rejected=[])
    # then
    community = next(a for a in learned.adjustments if a.feature == "community")
    assert community.points > 0
    assert "万科城市花园" in community.reason
