"""Forms for the deal archive (资料归档): upload a document with its kind; search the archive."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from anju.archive.content import TYPES
from anju.archive.models import DocumentKind
from anju.web.forms.base import StyledFormMixin

ACCEPT = ",".join(sorted({name for t in TYPES for name in t.names} | {t.content_type for t in TYPES}))


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("资料类型"), choices=DocumentKind.choices)
    # The size and type are the service's to judge (by content); the form only carries the file.
    file = forms.FileField(
        label=gettext_lazy("文件"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=gettext_lazy("PDF、JPEG、PNG、WebP、Word 或 Excel 文件。"),
    )


class ArchiveSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("客户、房源或交易编号"),
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("如 陈女士、万科城市花园、JY")}
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("资料类型"),
        required=False,
        choices=[("", gettext_lazy("全部类型")), *DocumentKind.choices],
    )
