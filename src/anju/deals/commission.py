"""The commission (佣金) of a deal and its split by role to the agents: pure Decimal, no ORM.

The split rule (decision 0016): each part is the commission × its percent, rounded down to the fen;
the fen left over (fewer than the number of parts) go one each to the parts with the largest
remainder, ties first to the 成交 role, then to the larger percent, then to the earlier part. So
the parts always add up to the commission exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from anju.core.formats import FEN, to_fen

HUNDRED = Decimal(100)
# A lease's commission when neither the deal nor the company says otherwise: one month's rent.
LEASE_RATE = Decimal(1)
CLOSING_ROLE = "closing"


@dataclass(frozen=True)
class Share:
    """One line of a split: who, in which role, how many percent (two decimals)."""

    agent_id: int
    role: str
    percent: Decimal


@dataclass(frozen=True)
class Part:
    share: Share
    amount: Decimal


def commission_amount(price: Decimal, rate: Decimal) -> Decimal:
    """The price × the rate, rounded half-up to the fen."""
    return to_fen(price * rate)


def split_commission(total: Decimal, shares: Sequence[Share]) -> list[Part]:
    """``total`` divided by ``shares`` (their percents add up to 100) to the fen, parts in input order."""
    if not shares:
        return []
    total_fen = int(to_fen(total) / FEN)
    hundredths = [int(to_fen(s.percent) / FEN) for s in shares]
    whole = sum(hundredths)
    if whole != 10000:
        raise ValueError(f"the percents add up to {Decimal(whole) / 100}, not 100")
    floors = [total_fen * h // 10000 for h in hundredths]
    remainders = [total_fen * h % 10000 for h in hundredths]
    left = total_fen - sum(floors)
    order = sorted(
        range(len(shares)),
        key=lambda i: (-remainders[i], shares[i].role != CLOSING_ROLE, -hundredths[i], i),
    )
    for i in order[:left]:
        floors[i] += 1
    return [Part(share=s, amount=Decimal(f) * FEN) for s, f in zip(shares, floors, strict=True)]
