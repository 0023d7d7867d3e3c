"""Mortgage payments (房贷): commercial, provident-fund and combination loans, month by month; pure Decimal.

Each part of a loan is 等额本息 (equal installments) or 等额本金 (equal principal) at its own
rate: a fixed annual rate, the LPR in force plus a spread (the 5-year LPR for terms over five
years, the 1-year LPR otherwise), or the provident-fund rate in force. A combination loan's
schedule is its parts' schedules added month by month.

Rounding (also given to users as ``ROUNDING``): the totals come from the exact formulas, rounded
half-up to the fen once; the schedule's rows are rounded to the fen so that they add up to those
totals exactly, payment = principal + interest in every row, and the balance ends at 0.00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.formats import FEN, format_date, to_fen
from anju.finance.costs import InvalidInput
from anju.finance.rules import NATIONAL, RuleBook, RuleRef
from anju.finance.wording import percent

COMMERCIAL, PROVIDENT = "commercial", "provident"
KINDS = (COMMERCIAL, PROVIDENT)
EQUAL_INSTALLMENT, EQUAL_PRINCIPAL = "equal_installment", "equal_principal"
METHODS = (EQUAL_INSTALLMENT, EQUAL_PRINCIPAL)
KIND_LABELS = {COMMERCIAL: gettext_lazy("商业贷款"), PROVIDENT: gettext_lazy("公积金贷款")}
METHOD_LABELS = {EQUAL_INSTALLMENT: gettext_lazy("等额本息"), EQUAL_PRINCIPAL: gettext_lazy("等额本金")}
MIN_YEARS, MAX_YEARS = 1, 30
MIN_PRINCIPAL, MAX_PRINCIPAL = Decimal(1000), Decimal("1e10")
MAX_RATE = Decimal("0.24")  # a sanity bound on input, not a policy: no home loan costs 24% a year
ZERO = Decimal("0.00")
# Wide enough that (1 + r)^360 and the sums over a schedule lose nothing at the fen.
EXACT = Context(prec=60)

ROUNDING = gettext_lazy(
    "金额四舍五入到分。总利息按公式精确计算后取整一次：等额本息为“未取整的月供 × 期数 − 本金”，"
    "等额本金为“本金 × 月利率 × (期数 + 1) ÷ 2”。还款计划逐期取整到分，合计与总利息、还款总额分毫不差：每期利息取精确值"
    "四舍五入，个别期数差 1 分以使合计相符（利息逐期不增）；每期本金 = 月供 − 利息，余额最后为 0.00。"
    "等额本息的月供为精确月供四舍五入，各期相同，最后一期调整尾差（银行通行做法）；"
    "等额本金的月供为精确月供四舍五入，个别期数差 1 分以使合计相符（月供逐期不增）。"
)


@dataclass(frozen=True)
class LoanPart:
    kind: str
    principal: Decimal
    years: int
    method: str = EQUAL_INSTALLMENT
    annual_rate_percent: Decimal | None = None
    lpr_spread_bp: int | None = None
    first_home: bool = True  # the provident-fund rate depends on it


@dataclass(frozen=True)
class Row:
    month: int
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Rate:
    annual: Decimal  # a fraction: 0.035 is 3.5%
    text: str
    rule: RuleRef | None


@dataclass(frozen=True)
class PartResult:
    part: LoanPart
    rate: Rate
    months: int
    first_payment: Decimal
    last_payment: Decimal
    total_interest: Decimal
    total_paid: Decimal
    schedule: tuple[Row, ...]

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.part.kind]}·{METHOD_LABELS[self.part.method]}"


@dataclass(frozen=True)
class Mortgage:
    parts: tuple[PartResult, ...]
    schedule: tuple[Row, ...]
    principal: Decimal
    first_payment: Decimal
    last_payment: Decimal
    total_interest: Decimal
    total_paid: Decimal
    as_of: dt.date
    notes: tuple[str, ...]
    rounding: str


# --- rates -------------------------------------------------------------------------------


def _check(part: LoanPart) -> None:
    if part.kind not in KINDS or part.method not in METHODS:
        raise InvalidInput(_("贷款类型或还款方式不正确。"))
    if not (MIN_YEARS <= part.years <= MAX_YEARS):
        raise InvalidInput(_("贷款年限应为 %(low)s～%(high)s 年。") % {"low": MIN_YEARS, "high": MAX_YEARS})
    if not (MIN_PRINCIPAL <= part.principal <= MAX_PRINCIPAL):
        raise InvalidInput(_("贷款金额应在 1,000 元到 100 亿元之间。"))
    if part.annual_rate_percent is not None and part.lpr_spread_bp is not None:
        raise InvalidInput(_("年利率和 LPR 加点只能填一项。"))
    if part.kind == PROVIDENT and part.lpr_spread_bp is not None:
        raise InvalidInput(_("公积金贷款不按 LPR 定价：请填写年利率，或留空使用当期公积金利率。"))
    if part.kind == COMMERCIAL and part.annual_rate_percent is None and part.lpr_spread_bp is None:
        raise InvalidInput(_("商业贷款请填写年利率，或填写在 LPR 基础上加减的基点数。"))


def part_rate(part: LoanPart, book: RuleBook, on: dt.date) -> Rate:
    """The part's annual rate, how it was arrived at, and the rule it came from."""
    _check(part)
    if part.annual_rate_percent is not None:
        annual = part.annual_rate_percent / 100
        rate = Rate(annual=annual, text=_("约定年利率%(rate)s") % {"rate": percent(annual)}, rule=None)
    elif part.kind == COMMERCIAL:
        lpr = book.in_force("lpr", city=NATIONAL, on=on)
        long_term = part.years > 5
        base = lpr.rate("five_year" if long_term else "one_year")
        spread = part.lpr_spread_bp or 0
        annual = base + Decimal(spread) / 10000
        text = _("%(term)sLPR %(base)s（%(date)s报价）") % {
            "term": _("5年期以上") if long_term else _("1年期"),
            "base": percent(base),
            "date": format_date(lpr.effective_from),
        }
        if spread:
            text += _("%(sign)s%(bp)s个基点 = %(rate)s") % {
                "sign": "+" if spread > 0 else "−",
                "bp": abs(spread),
                "rate": percent(annual),
            }
        rate = Rate(annual=annual, text=text, rule=lpr.ref(on, {"five_year" if long_term else "one_year"}))
    else:
        fund = book.in_force("provident_rate", city=NATIONAL, on=on)
        param = f"{'first' if part.first_home else 'second'}_{'over_5y' if part.years > 5 else 'up_to_5y'}"
        annual = fund.rate(param)
        rate = Rate(
            annual=annual,
            text=_("公积金%(home)s%(term)s利率%(rate)s")
            % {
                "home": _("首套") if part.first_home else _("第二套"),
                "term": _("5年以上") if part.years > 5 else _("5年以下（含）"),
                "rate": percent(annual),
            },
            rule=fund.ref(on, {param}),
        )
    if not (0 <= rate.annual <= MAX_RATE):
        raise InvalidInput(_("年利率应在 0%～24% 之间。"))
    return rate


# --- exact schedules and their rounding -------------------------------------------------------


def _exact(part: LoanPart, annual: Decimal) -> tuple[list[Decimal], list[Decimal], Decimal]:
    """Exact payments and interest per month, and the exact total interest."""
    principal, months = part.principal, part.years * 12
    with localcontext(EXACT):
        r = annual / 12
        if part.method == EQUAL_PRINCIPAL:
            share = principal / months
            interests = [(principal - share * k) * r for k in range(months)]
            payments = [share + i for i in interests]
            total = principal * r * (months + 1) / 2
        else:
            payment = equal_installment_payment(principal, annual, months)
            interests, balance = [], principal
            for _month in range(months):
                interest = balance * r
                interests.append(interest)
                balance -= payment - interest
            payments = [payment] * months
            total = payment * months - principal
    return payments, interests, total


def round_to_total(exact: list[Decimal], total: Decimal) -> list[Decimal]:
    """Each value rounded half-up to the fen, then moved by single fen until they add up to ``total``.

    ``exact`` never rises from one month to the next, and neither do the results: a fen is added
    only where the month before stays at least as large, and taken only where the month after stays
    at least as small. Among those, the values that rounding moved furthest are moved back first.
    """
    rounded = [to_fen(x) for x in exact]
    last = len(rounded) - 1

    def may_add(k: int) -> bool:
        return k == 0 or rounded[k - 1] >= rounded[k] + FEN

    def may_take(k: int) -> bool:
        return rounded[k] >= FEN and (k == last or rounded[k + 1] <= rounded[k] - FEN)

    missing = int((total - sum(rounded, ZERO)) / FEN)
    step, allowed, sign = (FEN, may_add, 1) if missing > 0 else (-FEN, may_take, -1)
    for _fen in range(abs(missing)):
        # Adding: to the value rounded down the most; taking: from the one rounded up the most.
        k = max((i for i in range(len(rounded)) if allowed(i)), key=lambda i: (exact[i] - rounded[i]) * sign)
        rounded[k] += step
    return rounded


def _schedule(part: LoanPart, annual: Decimal) -> tuple[tuple[Row, ...], Decimal]:
    exact_payments, exact_interests, exact_total = _exact(part, annual)
    total_interest = to_fen(exact_total)
    total_paid = part.principal + total_interest
    interests = round_to_total(exact_interests, total_interest)
    if part.method == EQUAL_INSTALLMENT:
        payment = to_fen(exact_payments[0])
        payments = [payment] * (len(exact_payments) - 1)
        payments.append(total_paid - payment * len(payments))
    else:
        payments = round_to_total(exact_payments, total_paid)
    rows, balance = [], part.principal
    for month, (paid, interest) in enumerate(zip(payments, interests, strict=True), start=1):
        principal = paid - interest
        balance -= principal
        rows.append(Row(month=month, payment=paid, principal=principal, interest=interest, balance=balance))
    return tuple(rows), total_interest


def part_schedule(part: LoanPart, book: RuleBook, on: dt.date) -> PartResult:
    rate = part_rate(part, book, on)
    rows, total_interest = _schedule(part, rate.annual)
    return PartResult(
        part=part,
        rate=rate,
        months=len(rows),
        first_payment=rows[0].payment,
        last_payment=rows[-1].payment,
        total_interest=total_interest,
        total_paid=part.principal + total_interest,
        schedule=rows,
    )


def combined(schedules: list[tuple[Row, ...]]) -> tuple[Row, ...]:
    """Month by month sums of several schedules (a combination loan); a finished part adds nothing."""
    months = max(len(s) for s in schedules)
    rows = []
    for index in range(months):
        present = [s[index] for s in schedules if index < len(s)]
        rows.append(
            Row(
                month=index + 1,
                payment=sum((r.payment for r in present), ZERO),
                principal=sum((r.principal for r in present), ZERO),
                interest=sum((r.interest for r in present), ZERO),
                balance=sum((r.balance for r in present), ZERO),
            )
        )
    return tuple(rows)


def mortgage(parts: list[LoanPart], book: RuleBook, *, as_of: dt.date) -> Mortgage:
    """The loan's figures and month-by-month schedule; a combination loan has a part per kind."""
    if not parts:
        raise InvalidInput(_("请至少填写一笔贷款。"))
    if len(parts) > 4:
        raise InvalidInput(_("一次最多计算 4 笔贷款。"))
    results = tuple(part_schedule(part, book, as_of) for part in parts)
    schedule = combined([r.schedule for r in results])
    principal = sum((p.principal for p in parts), ZERO)
    total_interest = sum((r.total_interest for r in results), ZERO)
    notes = []
    for result in results:
        ref = result.rate.rule
        if ref is not None and not ref.verified:
            notes.append(
                _("%(part)s所用的“%(name)s”未经核实：%(note)s结果仅供参考。")
                % {"part": result.label, "name": ref.name, "note": ref.note or ref.source + "。"}
            )
    return Mortgage(
        parts=results,
        schedule=schedule,
        principal=principal,
        first_payment=schedule[0].payment,
        last_payment=schedule[-1].payment,
        total_interest=total_interest,
        total_paid=principal + total_interest,
        as_of=as_of,
        notes=tuple(notes),
        rounding=str(ROUNDING),
    )


def equal_installment_payment(principal: Decimal, annual: Decimal, months: int) -> Decimal:
    """The exact monthly payment of an equal-installment loan (unrounded)."""
    with localcontext(EXACT):
        r = annual / 12
        if r == 0:
            return principal / months
        growth = (1 + r) ** months
        return principal * r * growth / (growth - 1)


def loan_for_payment(payment: Decimal, annual: Decimal, months: int) -> Decimal:
    """The largest equal-installment loan a monthly payment carries (exact, unrounded)."""
    with localcontext(EXACT):
        r = annual / 12
        if r == 0:
            return payment * months
        growth = (1 + r) ** months
        return payment * (growth - 1) / (r * growth)
