"""开放日 forms: a slot (a date, a start and an end time, the capacity) and a client to sign up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.clients.models import Client
from anju.web.forms.base import DateInput, StyledFormMixin


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class OpenDayForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label=_("日期"), widget=DateInput())
    start = forms.TimeField(label=_("开始"), widget=TimeInput())
    end = forms.TimeField(label=_("结束"), widget=TimeInput())
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=200, initial=6)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def service_arguments(self) -> dict[str, Any]:
        """The slot as aware times in the company's zone; the rules (future, order, length) are the service's."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return {
            "starts_at": dt.datetime.combine(data["day"], data["start"], tzinfo=zone),
            "ends_at": dt.datetime.combine(data["day"], data["end"], tzinfo=zone),
            "capacity": data["capacity"],
            "note": data["note"],
        }


class SignupForm(StyledFormMixin, forms.Form):
    """The client by id, among the viewer's own; the view looks it up through ``access_client_for_write``."""

    client = forms.TypedChoiceField(label=_("客户"), coerce=int, choices=())

    def __init__(self, *args: Any, clients: list[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["client"]
        field.choices = [("", _("选择客户")), *[(c.pk, c.name) for c in clients]]
