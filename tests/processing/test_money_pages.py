"""The deal's loan and taxes pages under 办理: what the agent records there, what is refused."""

from __future__ import annotations

import datetime as dt

from django.test import Client as HttpClient
from django.urls import reverse

from anju.core.formats import format_money
from anju.org.services import token_create
from anju.processing.models import Loan, LoanPaper, TaxPayment, TaxRecord
from tests.conftest import login

LOAN = {
    "bank": "招商银行",
    "kind": "commercial",
    "amount_wan": "100",
    "rate_percent": "3.1",
    "years": "30",
    "interview_at": "2026-12-10T10:00",
    "approved_on": "",
    "disbursed_on": "",
}
TAXES = {"as_of": "2026-12-15", "buyer_home_count": "1", "seller_years_held": "6", "seller_only_home": "on"}


def test_the_processing_page_links_to_the_loan_and_taxes_pages(deal, web):
    # when the deal's 办理 page is opened
    page = web.get(reverse("web:deal_processing", args=[deal.pk])).content.decode()
    # then it links to both pages, and both open for the deal's agent
    for name in ("web:deal_loan", "web:deal_taxes"):
        assert reverse(name, args=[deal.pk]) in page
        assert web.get(reverse(name, args=[deal.pk])).status_code == 200


def test_recording_the_loan_in_wan_shows_the_monthly_payment_and_the_banks_papers(deal, web):
    # when the agent records a 100万 commercial loan at 3.1% over 30 years
    response = web.post(reverse("web:deal_loan", args=[deal.pk]), LOAN)
    # then it is kept in yuan with the calculator's monthly payment to the fen
    assert response.status_code == 302
    loan = Loan.objects.get(deal=deal)
    assert loan.amount == 1_000_000 and str(loan.rate) == "0.031000"
    page = web.get(reverse("web:deal_loan", args=[deal.pk])).content.decode()
    assert "¥4,270.16" in page and "100万" in page and "2026年12月10日 10:00" in page
    # and the bank's papers are listed; ticking one marks it received
    paper = LoanPaper.objects.filter(loan=loan).first()
    assert paper.name in page
    web.post(reverse("web:loan_paper", args=[deal.pk, paper.pk]), {"received": "1"})
    paper.refresh_from_db()
    assert paper.received_on is not None
    web.post(reverse("web:loan_paper", args=[deal.pk, paper.pk]), {"received": "0"})
    paper.refresh_from_db()
    assert paper.received_on is None


def test_a_bad_loan_amount_is_refused_in_chinese_and_changes_nothing(deal, web):
    # given a recorded loan
    web.post(reverse("web:deal_loan", args=[deal.pk]), LOAN)
    # when the amount is typed as nonsense, then as a negative figure
    for amount in ("一百万", "-5"):
        response = web.post(reverse("web:deal_loan", args=[deal.pk]), {**LOAN, "amount_wan": amount})
        # then the form says why in Chinese and the kept loan is untouched
        assert response.status_code == 400
        assert "贷款金额" in response.content.decode()
        assert Loan.objects.get(deal=deal).amount == 1_000_000


def test_a_colleague_outside_the_deal_is_refused_as_the_api_refuses(deal, colleague):
    # given a colleague who is not on the deal
    browser = login(colleague)
    # when they open or post to the pages
    for name in ("web:deal_loan", "web:deal_taxes", "web:taxes_recompute"):
        assert browser.get(reverse(name, args=[deal.pk])).status_code == 403
    response = browser.post(reverse("web:deal_loan", args=[deal.pk]), LOAN)
    # then they are refused and nothing is kept
    assert response.status_code == 403
    assert not Loan.objects.filter(deal=deal).exists()
    # and the API refuses them the same way
    _token, raw = token_create(user=colleague.user, name="测试")
    api = HttpClient(headers={"Authorization": f"Bearer {raw}"})
    assert api.get(f"/api/v1/deals/{deal.pk}/taxes").status_code == 403


def test_taxes_are_kept_with_their_rules_and_payments_with_receipts(deal, web):
    # when the agent calculates the costs for the expected transfer date
    response = web.post(reverse("web:taxes_compute", args=[deal.pk]), TAXES)
    # then they are kept and the page shows each item with its payer, amount and rule
    assert response.status_code == 302
    record = TaxRecord.objects.get(deal=deal)
    page = web.get(reverse("web:deal_taxes", args=[deal.pk])).content.decode()
    item = record.items[0]
    assert item["name"] in page and item["rule"] in page and "2026年12月15日" in page
    assert format_money(item["amount"]) in page and format_money(record.buyer_total) in page
    # when a payment is recorded with its receipt
    paid = {
        "side": "buyer",
        "item": item["name"],
        "amount": "12345.67",
        "paid_on": "2026-12-15",
        "receipt": "SW001",
    }
    assert web.post(reverse("web:tax_payment", args=[deal.pk]), paid).status_code == 302
    # then it is listed to the fen
    page = web.get(reverse("web:deal_taxes", args=[deal.pk])).content.decode()
    assert "¥12,345.67" in page and "SW001" in page
    # and an amount finer than the fen is refused in Chinese, keeping nothing
    refused = web.post(reverse("web:tax_payment", args=[deal.pk]), {**paid, "amount": "1.234"})
    assert refused.status_code == 400 and "分" in refused.content.decode()
    assert TaxPayment.objects.filter(deal=deal).count() == 1


def test_recompute_shows_what_would_change_and_keeps_nothing_until_confirmed(deal, web):
    # given kept costs whose first item no longer matches the rules (a rule changed since)
    web.post(reverse("web:taxes_compute", args=[deal.pk]), TAXES)
    record = TaxRecord.objects.get(deal=deal)
    item = record.items[0]
    record.items[0] = {**item, "amount": "1.00", "rule": "old-rule"}
    record.save()
    # when the agent presses 重新计算
    page = web.get(reverse("web:taxes_recompute", args=[deal.pk])).content.decode()
    # then the page says what would change and why, and nothing is kept yet
    assert f"1.00 元 → {item['amount']} 元（规则 old-rule → {item['rule']}）" in page
    assert TaxRecord.objects.filter(deal=deal).count() == 1
    assert TaxRecord.objects.get(deal=deal).items[0]["amount"] == "1.00"
    # when they confirm
    response = web.post(reverse("web:taxes_recompute_confirm", args=[deal.pk]))
    # then the new figures are kept with the same date and facts, the old record stays as history
    assert response.status_code == 302
    latest = TaxRecord.objects.filter(deal=deal).order_by("-created_at", "-id").first()
    assert latest.items[0]["amount"] == item["amount"] and latest.as_of == dt.date(2026, 12, 15)
    assert latest.facts == record.facts
    assert TaxRecord.objects.filter(deal=deal).count() == 2
    # and a recompute now finds no change
    assert "没有变化" in web.get(reverse("web:taxes_recompute", args=[deal.pk])).content.decode()
