"""Word documents: reading a template's placeholders and filling one in (pure, no database)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from docxtpl import DocxTemplate
from jinja2 import TemplateError

from anju.deals.contracts.variables import CONTRACT_VARIABLES

DOCX_MAGIC = b"PK\x03\x04"


class TemplateUnreadable(ValueError):
    """Not a Word .docx file, or its placeholders are not valid template syntax."""


def template_placeholders(data: bytes) -> set[str]:
    """Every name the template reads that it does not define itself (loops define their own)."""
    if not data.startswith(DOCX_MAGIC):
        raise TemplateUnreadable("not a .docx file")
    try:
        return set(DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables())
    except (zipfile.BadZipFile, KeyError, TemplateError) as error:
        raise TemplateUnreadable(str(error)) from error


def unknown_placeholders(data: bytes) -> list[str]:
    """The placeholders no deal can fill, sorted, so a refusal can name each of them."""
    return sorted(template_placeholders(data) - CONTRACT_VARIABLES.keys())


def render(data: bytes, context: Mapping[str, object]) -> bytes:
    """The template filled in; values are escaped, so 甲&乙 or <备注> stay text in the document."""
    template = DocxTemplate(io.BytesIO(data))
    template.render(dict(context), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
