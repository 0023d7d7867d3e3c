"""Organisation reads and the notice write the pages use (decision 0013: pages hold no queries)."""

from __future__ import annotations

from anju.org.models import Notification
from anju.org.selectors import colleagues_for_transfer, stores_assignable
from anju.org.services import notification_mark_read
from tests.factories import AgentFactory, StoreFactory


def test_an_administrator_may_place_staff_in_any_store_a_manager_only_in_their_own(
    store, manager, admin_agent
):
    # given a second store of the company
    other = StoreFactory(company=store.company, name="后湖店")
    # when / then
    assert list(stores_assignable(admin_agent)) == [store, other]  # by name: 光谷店, 后湖店
    assert list(stores_assignable(manager)) == [store]


def test_a_client_can_be_handed_to_active_colleagues_with_a_store(store, manager, agent, colleague):
    # given a colleague who left
    AgentFactory(store=store, company=store.company, name="离职", is_active=False)
    # when
    names = {person.name for person in colleagues_for_transfer(manager)}
    # then
    assert names == {manager.name, agent.name, colleague.name}
    assert colleagues_for_transfer(agent) == []  # an agent hands nothing over


def test_a_notice_is_ticked_off_once_and_only_by_its_agent(agent, colleague):
    # given
    notice = Notification.objects.create(agent=agent, text="客户即将回池", key="test:1")
    # when a colleague tries, then the agent twice
    by_colleague = notification_mark_read(agent=colleague, notification_id=notice.pk)
    first = notification_mark_read(agent=agent, notification_id=notice.pk)
    again = notification_mark_read(agent=agent, notification_id=notice.pk)
    # then
    assert (by_colleague, first, again) == (False, True, False)
    notice.refresh_from_db()
    assert notice.read_at is not None
