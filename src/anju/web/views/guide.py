"""使用帮助: the user guide that ships with Anju, in the reader's language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import markdown
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

GUIDES = Path(__file__).resolve().parent.parent / "data" / "guide"


@cache
def _guide_html(language: str) -> SafeString:
    # The guide is our own packaged text, not user input, so its HTML is trusted.
    text = (GUIDES / f"{language}.md").read_text(encoding="utf-8")
    return mark_safe(markdown.markdown(text, extensions=["tables", "toc"]))  # noqa: S308


def guide(request: HttpRequest) -> HttpResponse:
    """Readable before signing in too: it says how to sign in."""
    language = "en" if (get_language() or "").startswith("en") else "zh"
    return render(request, "web/guide.html", {"guide": _guide_html(language)})
