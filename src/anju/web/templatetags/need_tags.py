"""Template filters for needs: ``{{ need|need_summary }}`` and the status buttons ``need|need_actions``."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext as _

from anju.needs.models import Need, NeedStatus
from anju.needs.services import allowed_transitions
from anju.needs.text import need_summary as summary_of

register = template.Library()

# Badge colour of each status.
STATUS_TONES: dict[str, str] = {
    NeedStatus.ACTIVE: "success",
    NeedStatus.PAUSED: "warning",
    NeedStatus.FULFILLED: "primary",
    NeedStatus.GIVEN_UP: "secondary",
}


@dataclass(frozen=True)
class NeedAction:
    status: str
    label: str
    style: str
    confirm: str = ""


def need_actions_for(status: str) -> list[NeedAction]:
    """The buttons a need of ``status`` shows, in the order of the transitions it allows."""
    actions = []
    for target in allowed_transitions(status):
        if target == NeedStatus.PAUSED:
            actions.append(NeedAction(target, _("暂停"), "warning"))
        elif target == NeedStatus.ACTIVE:
            label = _("重新开启") if status == NeedStatus.GIVEN_UP else _("恢复")
            actions.append(NeedAction(target, label, "success"))
        elif target == NeedStatus.FULFILLED:
            actions.append(
                NeedAction(target, _("已成交"), "primary", _("确定此需求已成交？成交后不能再更改。"))
            )
        elif target == NeedStatus.GIVEN_UP:
            actions.append(
                NeedAction(target, _("放弃"), "secondary", _("确定客户放弃此需求？以后可以重新开启。"))
            )
    return actions


@register.filter
def need_summary(need: Need) -> str:
    return summary_of(need)


@register.filter
def need_actions(need: Need) -> list[NeedAction]:
    return need_actions_for(need.status)


@register.filter
def need_status_tone(need: Need) -> str:
    return STATUS_TONES.get(need.status, "secondary")
