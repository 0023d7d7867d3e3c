"""How every page form renders: Bootstrap classes added once here, not in every template; the
browser's date picker. The forms themselves live beside this module, one module per domain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (2026-01-15): ``<input type="date">`` accepts
    nothing else, and the Chinese locale's format (2026/01/15) would show an empty field that erases
    the date when the form is saved again."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class FormRenderer(TemplatesSetting):
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


def style_widgets(form: forms.BaseForm, *, errors: bool = False) -> None:
    """Bootstrap classes for every widget; after validation, ``is-invalid`` on fields with errors."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = [c for c in widget.attrs.get("class", "").split() if c not in {css, "is-invalid"}]
        classes.append(css)
        if errors and name in form.errors:
            classes.append("is-invalid")
        widget.attrs["class"] = " ".join(classes)


class StyledFormMixin:
    """Styles widgets when the form is built, and marks invalid ones once it has been validated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        style_widgets(self, errors=True)  # type: ignore[arg-type]
