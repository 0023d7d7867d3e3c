"""Forms for complaints: recording one, moving its status, the review. The services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from anju.complaints.models import Category, Channel, RootCause, Severity
from anju.complaints.selectors import categories_of, root_causes_of, staff_for_complaints
from anju.org.models import Agent
from anju.outreach.models import Partner
from anju.outreach.selectors import partners_ranked
from anju.web.forms.base import DateInput, StyledFormMixin


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ComplaintForm(StyledFormMixin, forms.Form):
    mobile = forms.CharField(
        label=gettext_lazy("客户手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("紧急程度"),
        choices=Severity.choices,
        initial=Severity.NORMAL,
        widget=forms.RadioSelect,
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=gettext_lazy("类别"), queryset=None
    )
    channel = forms.ChoiceField(label=gettext_lazy("渠道"), choices=Channel.choices, initial=Channel.PHONE)
    text = forms.CharField(
        label=gettext_lazy("客户原话"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_at = forms.DateTimeField(
        label=gettext_lazy("受理时间"),
        required=False,
        widget=DateTimeInput(),
        help_text=gettext_lazy("留空为现在"),
    )
    about_agent: forms.ModelChoiceField[Agent] = forms.ModelChoiceField(
        label=gettext_lazy("涉及员工"), queryset=None, required=False
    )
    partner: forms.ModelChoiceField[Partner] = forms.ModelChoiceField(
        label=gettext_lazy("涉及合作商"), queryset=None, required=False
    )
    handler: forms.ModelChoiceField[Agent] = forms.ModelChoiceField(
        label=gettext_lazy("处理人"), queryset=None, required=False, help_text=gettext_lazy("留空为本人")
    )

    def __init__(self, *args: Any, agent: Agent, with_mobile: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_of(agent.company_id)  # type: ignore[attr-defined]
        staff = staff_for_complaints(agent)
        self.fields["about_agent"].queryset = staff  # type: ignore[attr-defined]
        self.fields["handler"].queryset = staff  # type: ignore[attr-defined]
        self.fields["partner"].queryset = partners_ranked(agent)  # type: ignore[attr-defined]
        if with_mobile:
            self.fields["mobile"].required = True
        else:
            del self.fields["mobile"]


class MoveForm(StyledFormMixin, forms.Form):
    status = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=500, required=False)
    resolution = forms.CharField(
        label=gettext_lazy("处理经过"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remedy = forms.CharField(label=gettext_lazy("商定的补救措施"), max_length=300, required=False)
    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("客户满意度"),
        choices=[("", "—"), *[(n, f"{n} ★") for n in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ReviewForm(StyledFormMixin, forms.Form):
    root_cause: forms.ModelChoiceField[RootCause] = forms.ModelChoiceField(
        label=gettext_lazy("根本原因"), queryset=None
    )
    corrective_action = forms.CharField(label=gettext_lazy("改进措施"), max_length=300, required=False)
    corrective_owner: forms.ModelChoiceField[Agent] = forms.ModelChoiceField(
        label=gettext_lazy("负责人"), queryset=None, required=False
    )
    corrective_due_on = forms.DateField(label=gettext_lazy("完成期限"), required=False, widget=DateInput())

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].queryset = root_causes_of(agent.company_id)  # type: ignore[attr-defined]
        self.fields["corrective_owner"].queryset = staff_for_complaints(agent)  # type: ignore[attr-defined]


class SlaForm(StyledFormMixin, forms.Form):
    """The company's complaint SLA, in working hours."""

    urgent_acknowledge_hours = forms.IntegerField(
        label=gettext_lazy("紧急投诉回应时限（工作小时）"), min_value=1
    )
    urgent_resolve_hours = forms.IntegerField(label=gettext_lazy("紧急投诉解决时限（工作小时）"), min_value=1)
    normal_acknowledge_hours = forms.IntegerField(
        label=gettext_lazy("一般投诉回应时限（工作小时）"), min_value=1
    )
    normal_resolve_hours = forms.IntegerField(label=gettext_lazy("一般投诉解决时限（工作小时）"), min_value=1)
    alert_left_percent = forms.IntegerField(
        label=gettext_lazy("剩余时间提醒比例（%）"), min_value=1, max_value=99
    )
    admin_after_hours = forms.IntegerField(label=gettext_lazy("逾期后升级至管理员（工作小时）"), min_value=1)
