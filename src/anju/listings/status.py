"""The listing status rules (状态流转), read by services, selectors and the apps above listings.

Sold and rented are final; only sale listings can be sold and only rent listings rented. The
moves themselves are made by the transition functions in ``services.py`` (``_move`` locks the
row and checks the move here); this module only says which moves exist, so that pages and
matching can read the rules without importing the services.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from anju.core.errors import IllegalTransition
from anju.listings.models import Listing, ListingKind, ListingStatus

# On the market or held for a buyer: what matching considers and what entry refuses to duplicate.
IN_PLAY = (ListingStatus.ACTIVE, ListingStatus.RESERVED)
FINAL = (ListingStatus.SOLD, ListingStatus.RENTED)

# The legal status moves. Sold and rented are final.
MOVES: dict[str, frozenset[str]] = {
    ListingStatus.ACTIVE: frozenset(
        {ListingStatus.RESERVED, ListingStatus.SOLD, ListingStatus.RENTED, ListingStatus.WITHDRAWN}
    ),
    ListingStatus.RESERVED: frozenset(
        {ListingStatus.ACTIVE, ListingStatus.SOLD, ListingStatus.RENTED, ListingStatus.WITHDRAWN}
    ),
    ListingStatus.WITHDRAWN: frozenset({ListingStatus.ACTIVE}),
    ListingStatus.SOLD: frozenset(),
    ListingStatus.RENTED: frozenset(),
}
# The one status a kind of listing can close with.
CLOSING = {ListingKind.SALE: ListingStatus.SOLD, ListingKind.RENT: ListingStatus.RENTED}


def allowed_moves(listing: Listing) -> list[str]:
    """The statuses ``listing`` may move to now, in the order the page offers them."""
    closing = CLOSING.get(ListingKind(listing.kind))
    moves = MOVES.get(listing.status, frozenset())
    return [
        s
        for s in (ListingStatus.ACTIVE, ListingStatus.RESERVED, closing, ListingStatus.WITHDRAWN)
        if s in moves
    ]


def check_move(*, kind: str, current: ListingStatus, to: ListingStatus) -> None:
    """Raise ``IllegalTransition``, explained in Chinese, unless a ``kind`` listing may move to ``to``."""
    if to in FINAL and CLOSING[ListingKind(kind)] != to:
        message = _("出租房源不能标记为已售。") if to == ListingStatus.SOLD else _("出售房源不能标记为已租。")
        raise IllegalTransition(message)
    if to not in MOVES[current]:
        raise IllegalTransition(
            _("房源当前状态为“%(current)s”，不能改为“%(to)s”。") % {"current": current.label, "to": to.label}
        )
