"""Reads for the organisation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.core.workcalendar import WorkingHours
from anju.org.models import Agent, ApiToken, Company, LoginRecord, Notification, Role, Store
from anju.org.scoping import in_company


def company_working_hours(company: Company) -> WorkingHours:
    """The hours working-time deadlines count for this company (公司设置 · 上下班时间)."""
    return WorkingHours(start=company.work_start, end=company.work_end)


def stores_visible(viewer: Agent) -> QuerySet[Store]:
    return in_company(Store.objects.all(), viewer)


def access_store_to_change(viewer: Agent, store_id: int) -> Store:
    """A store of the viewer's company an administrator may rename or locate: 404 outside, 403 within."""
    store = stores_visible(viewer).filter(pk=store_id).first()
    if store is None:
        raise Http404(_("没有找到该门店。"))
    if not viewer.user.has_perm("org.change_store", store):
        raise PermissionDenied(_("只有管理员可以修改门店。"))
    return store


def agents_visible(viewer: Agent) -> QuerySet[Agent]:
    """Colleagues are visible company-wide (names, stores, roles); their records are not."""
    return in_company(Agent.objects.select_related("store", "user"), viewer).filter(is_active=True)


def access_agent(viewer: Agent, agent_id: int) -> Agent:
    agent = agents_visible(viewer).filter(pk=agent_id).first()
    if agent is None:
        raise Http404(_("没有找到该员工。"))
    return agent


def access_agent_photo(viewer: Agent, agent_id: int) -> Agent:
    """A colleague with a photo, for the signed-in: anyone in the company sees a current colleague's;
    former staff's only the viewer's own or whoever manages them (the staff form). 404 otherwise."""
    agent = (
        in_company(Agent.objects.select_related("company"), viewer)
        .filter(pk=agent_id)
        .exclude(photo="")
        .first()
    )
    if agent is None or not (
        agent.is_active or agent.pk == viewer.pk or viewer.user.has_perm("org.manage_agent", agent)
    ):
        raise Http404(_("没有找到该图片。"))
    return agent


def tokens_of(viewer: Agent) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=viewer.user_id).order_by("-created_at")


def access_token(viewer: Agent, token_id: int) -> ApiToken:
    token = tokens_of(viewer).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("没有找到该令牌。"))
    return token


def access_notification(viewer: Agent, notification_id: int) -> Notification:
    """One of the viewer's own notices; anyone else's, a colleague's or another company's, is not found."""
    notice = Notification.objects.filter(agent=viewer, pk=notification_id).first()
    if notice is None:
        raise Http404(_("没有找到该提醒。"))
    return notice


def staff_visible(viewer: Agent) -> QuerySet[Agent]:
    """Staff a viewer manages, former staff included: the company for administrators, the store for managers."""
    if not viewer.user.has_perm("org.view_staff"):
        raise PermissionDenied(_("只有店长和管理员可以管理员工。"))
    qs = in_company(Agent.objects.select_related("store", "user"), viewer)
    if viewer.role != Role.ADMIN:
        qs = qs.filter(store=viewer.store)
    return qs.order_by("-is_active", "store__name", "name", "id")


def stores_with_headcount(viewer: Agent) -> QuerySet[Store]:
    return (
        stores_visible(viewer)
        .annotate(headcount=Count("agents", filter=Q(agents__is_active=True)))
        .order_by("name")
    )


def access_managed_agent(viewer: Agent, agent_id: int) -> Agent:
    """A colleague the viewer may manage: 404 outside the company, 403 when not theirs to manage."""
    agent = (
        in_company(Agent.objects.select_related("store", "user", "company"), viewer)
        .filter(pk=agent_id)
        .first()
    )
    if agent is None:
        raise Http404(_("没有找到该员工。"))
    if not viewer.user.has_perm("org.manage_agent", agent):
        raise PermissionDenied(_("您无权管理该员工。"))
    return agent


def notices_unread(viewer: Agent, *, limit: int = 10) -> list[Notification]:
    """The workbench's 提醒: the agent's own unread notices, newest first."""
    return list(
        Notification.objects.filter(agent=viewer, read_at__isnull=True).order_by("-created_at", "-id")[:limit]
    )


def stores_of_company(viewer: Agent) -> QuerySet[Store]:
    """Every store of the viewer's company, by name (a listing's store, its keys' store)."""
    return stores_visible(viewer).order_by("name")


def stores_assignable(viewer: Agent) -> QuerySet[Store]:
    """The stores a viewer may put a colleague in: any for an administrator, else their own."""
    stores = stores_of_company(viewer)
    return stores if viewer.role == Role.ADMIN else stores.filter(agents=viewer)


def logins_recent(viewer: Agent, *, limit: int = 10) -> list[LoginRecord]:
    """The viewer's own latest sign-ins, newest first (设置 · 登录记录)."""
    return list(LoginRecord.objects.filter(user_id=viewer.user_id).order_by("-at")[:limit])


def colleagues_for_transfer(viewer: Agent) -> list[Agent]:
    """Active staff with a store that the viewer manages: who a client can be handed to."""
    if not viewer.user.has_perm("org.view_staff"):
        return []
    return list(staff_visible(viewer).filter(is_active=True, store__isnull=False))
