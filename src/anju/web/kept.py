"""Page parts kept in the web process until the database changes (decision 0027): the workbench, which
an agent opens all day and which asks every app for its part, is computed again only when something
was written since, the day ended or one of its deadlines passed.

A kept part is keyed by who sees it and how (the agent, the language, the day) and by the database's
generation read *before* the data (``anju.core.changes``), so a write through any process is seen by
the next request. The CSRF token is not kept: the part is rendered with a placeholder that each
response replaces with its own token. ``ANJU_KEPT_SECONDS`` bounds how long a part is kept at most
(0 keeps nothing).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from anju.core import changes

CSRF_PLACEHOLDER = "kept-part-csrf-token"
MAX_PARTS = 2000  # a part is some 10–50 KB: at most a few tens of MB per process


class _Parts:
    """The newest-used parts, the oldest dropped beyond ``MAX_PARTS``."""

    def __init__(self) -> None:
        self._parts: OrderedDict[Hashable, tuple[str, dt.datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, now: dt.datetime) -> str | None:
        with self._lock:
            found = self._parts.get(key)
            if found is None:
                return None
            html, until = found
            if until <= now:
                del self._parts[key]
                return None
            self._parts.move_to_end(key)
            return html

    def put(self, key: Hashable, html: str, until: dt.datetime) -> None:
        with self._lock:
            self._parts[key] = (html, until)
            self._parts.move_to_end(key)
            while len(self._parts) > MAX_PARTS:
                self._parts.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()


_parts = _Parts()


def forget_all() -> None:
    _parts.clear()


def kept_part(
    request: HttpRequest,
    key: tuple[Hashable, ...],
    template: str,
    compute: Callable[[], tuple[Mapping[str, Any], dt.datetime | None]],
) -> SafeString:
    """``template`` rendered with what ``compute`` returns (its context, and the instant it stops being
    true by the clock alone, or None for the end of the day), from the kept copy when the database has
    not changed since. ``key`` must name everything else the part depends on (whose it is, the
    language, the day)."""
    now = timezone.now()
    seconds = settings.ANJU_KEPT_SECONDS
    taken = changes.snapshot() if seconds else None
    full_key = (*key, taken)
    html = _parts.get(full_key, now) if taken and taken.generation is not None else None
    if html is None:
        context, valid_until = compute()
        html = render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)
        if taken and taken.generation is not None:
            tomorrow = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            ends = [now + dt.timedelta(seconds=seconds), tomorrow + dt.timedelta(days=1)]
            _parts.put(full_key, html, min(ends + ([valid_until] if valid_until else [])))
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 (rendered by a template)
