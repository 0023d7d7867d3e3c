"""The import page's upload form (导入与导出)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.tabular import SUFFIXES
from anju.imports.models import ImportJob
from anju.imports.services import MAX_UPLOAD_BYTES
from anju.web.forms.base import StyledFormMixin


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("导入什么"),
        choices=ImportJob.Kind.choices,
        widget=forms.RadioSelect,
        initial="clients",
    )
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("CSV 或 XLSX，第一行为中文表头；最大 50 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    mapping = forms.FileField(
        label=gettext_lazy("列名对照表（可选）"),
        required=False,
        help_text=gettext_lazy("表头不是标准列名时使用：两列 CSV（源列名,标准列名）或 JSON。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json"}),
    )
    skip_bad = forms.BooleanField(label=gettext_lazy("跳过有问题的行，只导入没有问题的行"), required=False)
    # The options of the command line's ``--create-communities`` (listings) and ``--similar`` (communities).
    create_communities = forms.BooleanField(
        label=gettext_lazy("导入时新建楼盘字典中没有的小区"), required=False
    )
    similar = forms.ChoiceField(
        label=gettext_lazy("与已有小区相似时"),
        choices=(
            ("report", gettext_lazy("报告")),
            ("alias", gettext_lazy("加为别名")),
            ("create", gettext_lazy("仍然新建")),
        ),
        widget=forms.RadioSelect,
        initial="report",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radios are styled by the template, not as one form-control.
        self.fields["kind"].widget.attrs["class"] = "form-check-input"
        self.fields["similar"].widget.attrs["class"] = "form-check-input"

    def options(self) -> dict[str, Any]:
        """The kind's options, as the command line takes them."""
        return {
            "create_communities": self.cleaned_data["create_communities"],
            "similar": self.cleaned_data["similar"] or "report",
        }

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        name = (file.name or "").lower()
        if not name.endswith(SUFFIXES):
            raise forms.ValidationError(_("只支持 CSV 和 XLSX 文件。"))
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件太大（超过 50 MB），请分成几个文件导入。"))
        return file
