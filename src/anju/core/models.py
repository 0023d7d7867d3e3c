"""Abstract bases every Anju model builds on."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Creation and update times.

    Plain defaults instead of ``auto_now``: bulk loads (the demo, imports) can set historical
    times, and ``save()`` still stamps ``updated_at`` on every ordinary write.
    """

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.updated_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class CompanyScopedModel(BaseModel):
    """A record that belongs to one agency; one database can hold several agencies."""

    company = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )

    class Meta:
        abstract = True
