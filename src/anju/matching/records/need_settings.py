"""Per-need matching settings: how far past the budget to look, and whether only 真房源 count."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.selectors import ensure_may_write
from anju.core.errors import ApplicationError
from anju.matching.models import NeedMatchSettings
from anju.matching.search import layout
from anju.matching.search.criteria import MAX_TOLERANCE
from anju.needs.models import Need
from anju.org.models import Agent


@transaction.atomic
def need_match_settings_update(
    *, agent: Agent, need: Need, tolerance: Decimal | None = None, verified_only: bool | None = None
) -> NeedMatchSettings:
    """Widen or narrow the budget tolerance (0–50%) and choose 真房源 only; unset arguments keep their value."""
    ensure_may_write(agent, need.client)
    settings, _created = NeedMatchSettings.objects.select_for_update().get_or_create(need=need)
    if tolerance is not None:
        try:
            value = Decimal(tolerance).quantize(Decimal("0.001"))
        except (InvalidOperation, ValueError, TypeError):
            raise ApplicationError(
                _("预算浮动必须是 0 到 0.5 之间的数。"), code="tolerance_invalid"
            ) from None
        if not (0 <= value <= MAX_TOLERANCE):
            raise ApplicationError(_("预算浮动必须在 0% 到 50% 之间。"), code="tolerance_invalid")
        settings.tolerance = value
    if verified_only is not None:
        settings.verified_only = verified_only
    settings.updated_at = timezone.now()
    settings.save()
    layout.need_refresh(need_id=need.pk)
    return settings
