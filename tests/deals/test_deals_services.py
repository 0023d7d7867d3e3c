"""Deals: opening one, trading offers, accepting, the split, the intent agreement, cancelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from anju.core.errors import ApplicationError, ConflictError, IllegalTransition
from anju.deals.models import Deal, DealStage, LedgerEntry, RoleShare
from anju.deals.selectors import deal_commission, offer_thread
from anju.deals.services import (
    IntentTerms,
    OfferTerms,
    deal_cancel,
    deal_create,
    deal_move,
    deal_set_splits,
    intent_record,
    offer_accept,
    offer_make,
)
from anju.deals.workbench import contribute
from anju.listings.models import ListingStatus
from tests.factories import AgentFactory, ClientFactory, ListingFactory

TODAY = dt.date(2026, 12, 6)


def intent_terms(**changes) -> IntentTerms:
    values = {
        "kind": "earnest",
        "amount": Decimal("50000.00"),
        "holder": "agency",
        "sign_by": TODAY + dt.timedelta(days=10),
        "if_buyer_walks": "forfeit",
        "if_seller_walks": "double",
        "signed_on": TODAY,
        "receipt_number": "SJ-0001",
    }
    return IntentTerms(**{**values, **changes})


def accepted(deal, agent, price="1950000.00"):
    offer = offer_make(
        deal=deal, terms=OfferTerms(side="seller", price=Decimal(price), payment="commercial"), by=agent
    )
    offer_accept(offer=offer, by=agent)
    deal.refresh_from_db()
    return deal


def test_a_new_deal_is_negotiating_with_its_ledger_history_and_a_full_split(listing, buyer, agent, colleague):
    # when
    deal = deal_create(listing=listing, buyer=buyer, by=colleague)
    # then
    assert deal.stage == DealStage.NEGOTIATING
    assert deal.kind == "sale"
    assert deal.seller_id == listing.seller_id
    assert deal.number.startswith("JY")
    assert deal.ledger.entries.count() == 0
    assert [(c.from_stage, c.to_stage, c.by_id) for c in deal.stage_changes.all()] == [
        ("", "negotiating", colleague.pk)
    ]
    splits = {s.role: (s.agent_id, s.percent) for s in deal.splits.all()}
    assert sum(p for _a, p in splits.values()) == Decimal(100)
    assert splits["entry"] == (agent.pk, Decimal("10.00"))  # the listing's agent
    assert splits["referral"] == (colleague.pk, Decimal("10.00"))  # the buyer's agent
    assert splits["closing"] == (colleague.pk, Decimal("35.00"))


def test_the_company_default_shares_are_used_when_they_add_up(listing, buyer, colleague):
    # given the company gives 成交 everything
    RoleShare.objects.create(company=colleague.company, role="closing", percent=Decimal(100))
    # when
    deal = deal_create(listing=listing, buyer=buyer, by=colleague)
    # then
    assert [(s.role, s.percent) for s in deal.splits.all()] == [("closing", Decimal("100.00"))]


def test_a_rent_listing_makes_a_lease_and_a_sale_kind_is_refused_for_it(buyer, agent):
    rental = ListingFactory(agent=agent, kind="rent", price=Decimal("4500.00"))
    with pytest.raises(ApplicationError, match="出租房源只能建立租赁交易"):
        deal_create(listing=rental, buyer=buyer, by=agent, kind="sale")
    assert deal_create(listing=rental, buyer=buyer, by=agent).kind == "lease"


def test_offers_answer_each_other_and_the_thread_shows_the_gap(listing, buyer, agent):
    # given
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    # when three offers are traded
    first = offer_make(deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1800000.00")), by=agent)
    second = offer_make(deal=deal, terms=OfferTerms(side="seller", price=Decimal("1950000.00")), by=agent)
    third = offer_make(deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1900000.00")), by=agent)
    # then
    assert (first.answers_id, second.answers_id, third.answers_id) == (None, first.pk, second.pk)
    gaps = [(line.gap.wan, line.gap.percent) if line.gap else None for line in offer_thread(deal)]
    assert gaps == [None, (Decimal("15.0"), Decimal("7.7")), (Decimal("5.0"), Decimal("2.6"))]


def test_accepting_the_latest_offer_reserves_the_listing_and_the_deal_stays_negotiating(
    listing, buyer, agent
):
    # given
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    offer_make(deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1800000.00")), by=agent)
    older = offer_make(deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1850000.00")), by=agent)
    latest = offer_make(deal=deal, terms=OfferTerms(side="seller", price=Decimal("1950000.00")), by=agent)
    # when an older offer is accepted, it is refused; the latest is accepted
    with pytest.raises(ApplicationError, match="最新"):
        offer_accept(offer=older, by=agent)
    offer_accept(offer=latest, by=agent)
    # then
    deal.refresh_from_db()
    listing.refresh_from_db()
    assert (deal.stage, deal.price, deal.accepted_offer_id) == (
        "negotiating",
        Decimal("1950000.00"),
        latest.pk,
    )
    assert listing.status == ListingStatus.RESERVED
    with pytest.raises(ApplicationError, match="已有报价被接受"):
        offer_make(deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1.00")), by=agent)


def test_a_second_deal_on_a_reserved_listing_is_told_who_reserved_it(listing, buyer, agent, colleague):
    # given one deal has accepted an offer
    first = accepted(deal_create(listing=listing, buyer=buyer, by=agent), agent)
    other = deal_create(listing=listing, buyer=ClientFactory(owner=colleague), by=colleague)
    offer = offer_make(deal=other, terms=OfferTerms(side="seller", price=Decimal("1990000.00")), by=colleague)
    # when the second accepts
    with pytest.raises(ConflictError) as refused:
        offer_accept(offer=offer, by=colleague)
    # then
    assert "张伟" in refused.value.message and first.number in refused.value.message
    other.refresh_from_db()
    assert other.accepted_offer_id is None


def test_an_expired_offer_cannot_be_accepted(listing, buyer, agent, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC))
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    expires = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
    offer = offer_make(
        deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1.00"), expires_at=expires), by=agent
    )
    time_machine.move_to(dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC))
    with pytest.raises(ApplicationError, match="已过期"):
        offer_accept(offer=offer, by=agent)
    assert offer_thread(deal)[0].expired


def test_a_split_that_does_not_add_up_is_refused_saying_by_how_much(listing, buyer, agent, colleague):
    # given
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    before = sorted((s.role, s.percent) for s in deal.splits.all())
    # when
    with pytest.raises(ApplicationError) as refused:
        deal_set_splits(
            deal=deal, splits=[(agent, "entry", "40.00"), (colleague, "closing", "59.99")], by=agent
        )
    # then nothing changed and the message says how much is missing
    assert refused.value.code == "split_total_wrong"
    assert "还差 0.01%" in refused.value.message
    assert refused.value.extra == {"total": "99.99", "difference": "0.01"}
    assert sorted((s.role, s.percent) for s in deal.splits.all()) == before
    # and a split that adds up replaces the old one, with history
    deal_set_splits(deal=deal, splits=[(agent, "entry", "40.00"), (colleague, "closing", "60.00")], by=agent)
    assert sorted((s.role, s.percent) for s in deal.splits.all()) == [
        ("closing", Decimal("60.00")),
        ("entry", Decimal("40.00")),
    ]
    assert deal.splits.get(role="closing").history.first().history_user == agent.user


def test_the_database_refuses_a_stored_split_total_other_than_100(listing, buyer, agent):
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deal.objects.filter(pk=deal.pk).update(split_total=Decimal("99.99"))


def test_earnest_money_above_a_fifth_of_the_price_is_refused(listing, buyer, agent):
    # given a deal agreed at 195万
    deal = accepted(deal_create(listing=listing, buyer=buyer, by=agent), agent)
    # when a 定金 of 39万 + 1 fen is recorded
    with pytest.raises(ApplicationError) as refused:
        intent_record(deal=deal, terms=intent_terms(amount=Decimal("390000.01")), by=agent)
    # then it is refused citing the Civil Code, and 意向金 of that size is not
    assert refused.value.code == "intent_earnest_over_limit"
    assert "民法典" in refused.value.message
    assert refused.value.extra == {"limit": "390000.00"}
    intent_record(deal=deal, terms=intent_terms(amount=Decimal("390000.00")), by=agent)


def test_recording_the_intent_puts_the_money_in_the_ledger_and_moves_the_deal(listing, buyer, agent):
    # given
    deal = accepted(deal_create(listing=listing, buyer=buyer, by=agent), agent)
    # when
    intent_record(deal=deal, terms=intent_terms(holder="supervised"), by=agent)
    # then
    deal.refresh_from_db()
    assert deal.stage == DealStage.INTENT
    entry = LedgerEntry.objects.get(ledger__deal=deal)
    assert (entry.holder, entry.kind, entry.purpose, entry.amount) == (
        "supervised",
        "deposit",
        "earnest",
        Decimal("50000.00"),
    )
    assert [r.number for r in deal.receipts.all()] == ["SJ-0001"]
    assert [c.to_stage for c in deal.stage_changes.all()] == ["negotiating", "intent"]


def test_intent_money_cannot_be_returned_double(listing, buyer, agent):
    deal = accepted(deal_create(listing=listing, buyer=buyer, by=agent), agent)
    with pytest.raises(ApplicationError, match="双倍返还只适用于定金"):
        intent_record(deal=deal, terms=intent_terms(kind="intent"), by=agent)


def test_the_intent_needs_an_accepted_offer(listing, buyer, agent):
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    with pytest.raises(ApplicationError, match="先接受报价"):
        intent_record(deal=deal, terms=intent_terms(), by=agent)


def test_cancelling_needs_a_reason_records_it_and_frees_the_listing(listing, buyer, agent):
    # given a deal that reserved the listing
    deal = accepted(deal_create(listing=listing, buyer=buyer, by=agent), agent)
    # when
    with pytest.raises(ApplicationError, match="原因"):
        deal_cancel(deal=deal, reason="  ", by=agent)
    deal_cancel(deal=deal, reason="买方贷款资质不足", by=agent)
    # then
    deal.refresh_from_db()
    listing.refresh_from_db()
    assert (deal.stage, deal.cancel_reason) == ("cancelled", "买方贷款资质不足")
    assert listing.status == ListingStatus.ACTIVE
    last = deal.stage_changes.last()
    assert (last.to_stage, last.by_id, last.reason) == ("cancelled", agent.pk, "买方贷款资质不足")
    # and a cancelled deal moves no more
    with pytest.raises(IllegalTransition):
        deal_move(deal=deal, to="contract", by=agent)


def test_the_moves_follow_the_table(listing, buyer, agent):
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    with pytest.raises(ApplicationError, match="未知的交易阶段"):
        deal_move(deal=deal, to="sold", by=agent)
    with pytest.raises(IllegalTransition, match="不能改为“已结案”"):
        deal_move(deal=deal, to="closed", by=agent)
    deal_move(deal=deal, to="contract", by=agent)
    deal_move(deal=deal, to="processing", by=agent)
    assert deal.stage == "processing"


def test_the_commission_uses_the_company_rate_or_the_deals_own(listing, buyer, agent):
    deal = accepted(deal_create(listing=listing, buyer=buyer, by=agent), agent)
    commission = deal_commission(deal)
    assert (commission.rate, commission.payer, commission.amount) == (
        Decimal("0.02"),
        "buyer",
        Decimal("39000.00"),
    )
    assert sum(p.amount for p in commission.parts) == commission.amount
    deal.commission_rate = Decimal("0.015")
    assert deal_commission(deal).amount == Decimal("29250.00")


def test_a_colleague_of_another_company_cannot_be_in_the_split(listing, buyer, agent, stranger):
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    with pytest.raises(ApplicationError, match="本公司"):
        deal_set_splits(deal=deal, splits=[(stranger, "closing", "100")], by=agent)


def test_a_deal_for_another_agents_listing_is_still_one_company(agent, buyer, stranger):
    foreign = ListingFactory(agent=AgentFactory(store__company=stranger.company, company=stranger.company))
    with pytest.raises(ApplicationError, match="同一公司"):
        deal_create(listing=foreign, buyer=buyer, by=agent)


def test_the_signing_deadline_is_on_the_workbench_and_flagged_once_passed(
    listing, buyer, agent, colleague, web
):
    # given a deal at 已签意向 whose contract was due yesterday
    deal = accepted(deal_create(listing=listing, buyer=buyer, by=agent), agent)
    intent_record(
        deal=deal,
        terms=intent_terms(signed_on=TODAY - dt.timedelta(days=5), sign_by=TODAY - dt.timedelta(days=1)),
        by=agent,
    )
    # when the agent's day is put together, today and a week earlier
    late = contribute(agent, TODAY).items
    early = contribute(agent, TODAY - dt.timedelta(days=6)).items
    # then it is overdue today, coming up a week before, and not on an uninvolved agent's day
    assert [(i.key, i.urgency.label, i.badge) for i in late] == [(f"deal:{deal.pk}", "已逾期", "已逾期")]
    assert [i.urgency.label for i in early] == ["近期"]
    outsider = AgentFactory(store=agent.store, company=agent.company)
    assert contribute(outsider, TODAY).items == []
    # and the workbench page shows it
    assert deal.number in web.get("/").content.decode()


def test_a_lease_takes_rent_deposit_and_term_and_no_loan(buyer, agent):
    # given a flat for rent
    rental = ListingFactory(agent=agent, kind="rent", price=Decimal("4500.00"))
    deal = deal_create(listing=rental, buyer=buyer, by=agent)
    # when a loan is offered, it is refused; rent with 押一付三 for a year is accepted
    with pytest.raises(ApplicationError, match="租赁没有贷款"):
        offer_make(
            deal=deal,
            terms=OfferTerms(side="buyer", price=Decimal("4200.00"), payment="commercial"),
            by=agent,
        )
    terms = OfferTerms(
        side="seller", price=Decimal("4400.00"), deposit_months=1, pay_months=3, term_months=12
    )
    offer_accept(offer=offer_make(deal=deal, terms=terms, by=agent), by=agent)
    # then the deal keeps the lease terms, and its commission is one month's rent
    deal.refresh_from_db()
    assert (deal.price, deal.deposit_months, deal.pay_months, deal.term_months) == (
        Decimal("4400.00"),
        1,
        3,
        12,
    )
    commission = deal_commission(deal)
    assert (commission.amount, commission.payer) == (Decimal("4400.00"), "split")
    # and 定金 is capped at a fifth of the rent over the term
    with pytest.raises(ApplicationError, match=r"10,560\.00"):
        intent_record(deal=deal, terms=intent_terms(amount=Decimal("10560.01")), by=agent)
