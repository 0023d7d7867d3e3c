"""A match found between a need and a listing, and what the agent and client made of it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.core.models import CompanyScopedModel


class MatchStatus(models.TextChoices):
    NEW = "new", _("新匹配")
    SENT = "sent", _("已推荐")
    VIEWED = "viewed", _("已看房")
    LIKED = "liked", _("喜欢")
    REJECTED = "rejected", _("不考虑")


class Match(CompanyScopedModel):
    """One listing found for one need: the score and reasons as they were when it was found.

    ``agent`` is the need's owning agent when the match was recorded, so the workbench reads one
    index. Nothing here is ever sent automatically: ``approved_at`` marks what the agent chose to
    send (the client-care outbox does the sending, to consenting channels only).
    """

    need = models.ForeignKey(
        "clients.Need", on_delete=models.CASCADE, related_name="matches", verbose_name=_("需求")
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="matches", verbose_name=_("房源")
    )
    agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经纪人"),
    )
    score = models.PositiveSmallIntegerField(_("匹配度"))
    fits = models.JSONField(_("符合之处"), default=list, blank=True)
    lacks = models.JSONField(_("不足之处"), default=list, blank=True)
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.NEW)
    status_changed_at = models.DateTimeField(_("状态更新时间"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("状态更新人"),
    )
    approved_at = models.DateTimeField(_("批准推荐时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )

    class Meta:
        verbose_name = _("匹配")
        verbose_name_plural = _("匹配")
        constraints = [
            models.UniqueConstraint(fields=["need", "listing"], name="match_one_per_need_listing"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="match_score_percent"),
        ]
        indexes = [
            models.Index(fields=["agent", "status", "-found_at"], name="match_workbench"),
            models.Index(fields=["need", "status"], name="match_need_status"),
            models.Index(fields=["listing", "status"], name="match_listing_status"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.listing_id} ({self.score})"
