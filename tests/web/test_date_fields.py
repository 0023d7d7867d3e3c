"""Every date field of every page form renders its value as ISO, the only value a browser's
``<input type="date">`` accepts; in the Chinese locale Django would render 2026/01/15 and the field
would show empty, and saving the form again would erase the date."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation

import anju.web.urls  # noqa: F401  (imports every page module, and so every form)


def _all_forms(base: type = forms.BaseForm) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found.add(sub)
        found |= _all_forms(sub)
    return {form for form in found if form.__module__.startswith("anju.")}


def test_every_date_field_renders_iso_in_chinese():
    date_fields = [
        (form.__name__, name, field)
        for form in _all_forms()
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
    ]
    # a positive control: the forms we know hold dates are among those found
    names = {name for _, name, _ in date_fields}
    assert {"birthday", "certificate_date", "mandate_start", "mandate_end", "as_of"} <= names
    with translation.override("zh-hans"):
        for form, name, field in date_fields:
            html = field.widget.render(name, dt.date(2026, 1, 15))
            assert 'type="date"' in html, (form, name, html)
            assert 'value="2026-01-15"' in html, (form, name, html)
