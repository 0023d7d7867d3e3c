"""Writes for deals (交易): the transition function first, the rest added below it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError, IllegalTransition
from anju.deals.models import Deal, DealStage, StageChange
from anju.deals.stages import can_move
from anju.org.models import Agent


@transaction.atomic
def deal_move(*, deal: Deal, to: str, by: Agent, reason: str = "") -> Deal:
    """The one way a deal changes stage: lock its row, check the move (``stages.MOVES``), record who
    and when. Cancelling needs a reason."""
    locked = Deal.objects.select_for_update().get(pk=deal.pk)
    current = DealStage(locked.stage)
    target = DealStage(to)
    if not can_move(current, target):
        raise IllegalTransition(
            _("交易当前阶段为“%(current)s”，不能改为“%(to)s”。")
            % {"current": current.label, "to": target.label},
            code="deal_stage_illegal",
        )
    reason = reason.strip()
    if target == DealStage.CANCELLED and not reason:
        raise ApplicationError(_("取消交易必须填写原因。"), code="deal_reason_missing")
    locked.stage = target
    fields = ["stage"]
    if target == DealStage.CANCELLED:
        locked.cancel_reason = reason[:300]
        fields.append("cancel_reason")
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save(update_fields=fields)
    StageChange.objects.create(
        deal=locked, from_stage=current, to_stage=target, by=by, at=timezone.now(), reason=reason[:300]
    )
    deal.stage, deal.cancel_reason, deal.updated_at = locked.stage, locked.cancel_reason, locked.updated_at
    return locked
