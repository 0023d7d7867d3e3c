"""Greeting texts: the company's template for the occasion (or the default), filled in."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anju.org.models import Agent
from anju.outreach.models import GreetingTemplate, OccasionKind

# What a company without a template of its own sends.
DEFAULT_GREETINGS: Mapping[str, str | Promise] = {
    OccasionKind.BIRTHDAY: _(
        "{name}您好！今天是您的{occasion}，祝您生日快乐，身体健康，万事如意！——{signature}"
    ),
    OccasionKind.FESTIVAL: _("{name}您好！{occasion}将至，祝您和家人节日快乐，阖家幸福！——{signature}"),
    OccasionKind.DEAL_ANNIVERSARY: _(
        "{name}您好！今天是您的{occasion}纪念日，感谢您一直以来的信任，祝您住得舒心！——{signature}"
    ),
    OccasionKind.NEW_YEAR: _("{name}您好！新年快乐！祝您在新的一年里平安顺遂，心想事成！——{signature}"),
    OccasionKind.NATIONAL_DAY: _("{name}您好！国庆佳节，祝您假期愉快，出行平安！——{signature}"),
}

PLACEHOLDERS = ("name", "occasion", "signature")


def signature(agent: Agent | None) -> str:
    """The agent's signature under a greeting: name, store and mobile as far as known."""
    if agent is None:
        return ""
    parts = [agent.store.name if agent.store else "", agent.name, agent.mobile]
    return " ".join(part for part in parts if part)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def templates_of(company_id: int) -> dict[str, str]:
    """Every occasion's template for the company: its own where it has one, else the default."""
    own = dict(GreetingTemplate.objects.filter(company_id=company_id).values_list("kind", "body"))
    return {kind: own.get(kind, str(default)) for kind, default in DEFAULT_GREETINGS.items()}


def greeting_render(template: str, *, name: str, occasion: str, sign: str) -> str:
    """The template filled in; an unknown placeholder is left empty rather than breaking the job."""
    try:
        return template.format_map(_Blank(name=name, occasion=occasion, signature=sign))
    except (ValueError, IndexError):
        return template
