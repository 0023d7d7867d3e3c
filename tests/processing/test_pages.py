"""Processing pages: the deal's 办理 page, the workbench, the specialist's board, the client's link."""

from __future__ import annotations

import datetime as dt

from django.test import Client as HttpClient
from django.urls import reverse

from anju.processing.selectors import progress_token
from anju.processing.services import milestone_done
from tests.conftest import login
from tests.processing.conftest import signed_deal


def test_the_deal_page_links_to_processing_and_it_lists_the_plan(deal, web):
    # given a signed deal
    # when its page is opened
    page = web.get(reverse("web:deal_detail", args=[deal.pk])).content.decode()
    # then it links to 办理
    assert reverse("web:deal_processing", args=[deal.pk]) in page
    processing = web.get(reverse("web:deal_processing", args=[deal.pk]))
    assert processing.status_code == 200
    text = processing.content.decode()
    assert "资料准备" in text and "物业交割" in text and "燃气" in text


def test_ticking_a_milestone_on_the_page(deal, web):
    first = deal.plan.milestones.order_by("position").first()
    response = web.post(reverse("web:milestone_done", args=[deal.pk, first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.done_on is not None


def test_an_overdue_milestone_is_red_on_the_agents_workbench_and_on_the_board(
    listing, buyer, agent, specialist, time_machine
):
    # given a deal signed a month ago with nothing done
    time_machine.move_to(dt.datetime(2026, 10, 12, 10, tzinfo=dt.UTC), tick=False)
    deal = signed_deal(listing, buyer, agent)
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC), tick=False)
    # when the agent opens the workbench
    page = login(agent).get(reverse("web:workbench")).content.decode()
    # then 资料准备 is there, overdue
    assert "资料准备" in page and "已逾期" in page
    # and the specialist's board lists the deal with its overdue milestones
    board = login(specialist).get(reverse("web:processing_board")).content.decode()
    assert deal.number in board and "资料准备" in board
    # and a milestone done leaves both
    for m in deal.plan.milestones.filter(due_on__lt=dt.date(2026, 11, 25)):
        milestone_done(milestone=m, by=agent)
    assert "资料准备" not in login(agent).get(reverse("web:workbench")).content.decode()


def test_the_client_opens_the_progress_page_with_the_link_and_sees_no_names(deal, agent):
    milestone_done(milestone=deal.plan.milestones.order_by("position").first(), by=agent)
    # when someone without a login opens the signed link
    response = HttpClient().get(reverse("web:deal_progress", args=[progress_token(deal)]))
    # then the milestones and dates are there, but not the clients' or agents' names
    text = response.content.decode()
    assert response.status_code == 200
    assert "资料准备" in text and "过户：领证" in text
    assert deal.buyer.name not in text and "业主周先生" not in text and agent.name not in text
    # and a tampered link opens nothing
    assert (
        HttpClient().get(reverse("web:deal_progress", args=[progress_token(deal) + "x"])).status_code == 404
    )
