"""Learning from the agent's marks: what a client liked or rejected moves the next ranking.

``learn`` is pure: from the facts of the liked and rejected listings it derives adjustments — a
client who rejected three north-facing flats sees north-facing ones lower ("您已拒绝过3套朝北的
房子"), one who liked two flats in a community sees that community higher. A value is only learned
when it recurs (two marks or more) and the marks agree; liked and rejected marks cancel out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from anju.matching.models import Match, MatchStatus
from anju.matching.search.scoring import Adjustment, ListingFacts, Preferences
from anju.needs.models import Need

MIN_MARKS = 2
POINTS_PER_MARK = 5
MOST_POINTS = 20


def _orientation_label(code: str) -> str:
    from anju.listings.models import Orientation

    return str(Orientation(code).label) if code in Orientation.values else code


def _decoration_label(code: str) -> str:
    from anju.listings.models import Decoration

    return str(Decoration(code).label) if code in Decoration.values else code


# feature -> (value of a listing, how the value reads in a sentence)
_FEATURES: dict[str, tuple[Callable[[ListingFacts], str], Callable[[ListingFacts], str]]] = {
    "orientation": (
        lambda f: f.orientation,
        lambda f: _("朝%(o)s") % {"o": _orientation_label(f.orientation)},
    ),
    "decoration": (lambda f: f.decoration, lambda f: _decoration_label(f.decoration)),
    "elevator": (
        lambda f: "yes" if f.has_elevator else "no",
        lambda f: _("有电梯") if f.has_elevator else _("无电梯"),
    ),
    "community": (lambda f: str(f.community_id), lambda f: _("%(c)s小区") % {"c": f.community_name}),
    "business_area": (
        lambda f: str(f.business_area_id),
        lambda f: _("%(b)s板块") % {"b": f.business_area_name},
    ),
}


def learn(liked: list[ListingFacts], rejected: list[ListingFacts]) -> Preferences:
    """Adjustments for values that recur among the marked listings, strongest first."""
    adjustments = []
    for feature, (value_of, label_of) in _FEATURES.items():
        liked_counts = Counter(value_of(f) for f in liked)
        rejected_counts = Counter(value_of(f) for f in rejected)
        labels = {value_of(f): label_of(f) for f in [*liked, *rejected]}
        for value in sorted(set(liked_counts) | set(rejected_counts)):
            net = liked_counts[value] - rejected_counts[value]
            if abs(net) < MIN_MARKS:
                continue
            points = max(-MOST_POINTS, min(MOST_POINTS, POINTS_PER_MARK * net))
            if net < 0:
                reason = _("您已拒绝过%(n)s套%(what)s的房子") % {"n": -net, "what": labels[value]}
            else:
                reason = _("与您喜欢的%(n)s套房子一样：%(what)s") % {"n": net, "what": labels[value]}
            adjustments.append(Adjustment(feature=feature, value=value, points=points, reason=reason))
    adjustments.sort(key=lambda a: (-abs(a.points), a.feature, a.value))
    return Preferences(adjustments=tuple(adjustments))


def preferences_for_need(need: Need) -> Preferences:
    return preferences_for_needs([need.pk]).get(need.pk, Preferences())


def preferences_for_needs(need_ids: Iterable[int]) -> dict[int, Preferences]:
    """Each need's learned preferences, from its matches marked liked or rejected (a few queries)."""
    from anju.matching.search.layout import facts_for_listings

    marks = list(
        Match.objects.filter(
            need_id__in=list(need_ids), status__in=(MatchStatus.LIKED, MatchStatus.REJECTED)
        ).values_list("need_id", "listing_id", "status")
    )
    if not marks:
        return {}
    facts = facts_for_listings({listing_id for _need, listing_id, _status in marks})
    liked: dict[int, list[ListingFacts]] = defaultdict(list)
    rejected: dict[int, list[ListingFacts]] = defaultdict(list)
    for need_id, listing_id, status in marks:
        if listing_id in facts:
            (liked if status == MatchStatus.LIKED else rejected)[need_id].append(facts[listing_id][0])
    return {need_id: learn(liked[need_id], rejected[need_id]) for need_id in set(liked) | set(rejected)}
