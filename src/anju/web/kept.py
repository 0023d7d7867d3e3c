"""Page parts kept in the web process until the database changes (decision 0027): the workbench, which
an agent opens all day and which asks every app for its part, is computed again only when something
was written since, the day ended or one of its deadlines passed.

A kept part is kept under who sees it and how (the agent, the language, the day) with the database's
generation read *before* the data (``anju.core.changes``), and served only while the generation is
the same, so a write through any process is seen by the next request. The CSRF token is not kept: the part is rendered with a placeholder that each
response replaces with its own token. ``ANJU_KEPT_SECONDS`` bounds how long a part is kept at most
(0 keeps nothing).
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from anju.core import changes

# Rendered where the form token goes, and replaced by each response's own. Random per process and
# replaced only as the whole attribute the token tag writes, so no text on the page can be mistaken
# for it (escaped text never holds a bare quote).
CSRF_PLACEHOLDER = f"kept-{secrets.token_hex(16)}"
_CSRF_ATTRIBUTE = f'name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}"'
MAX_PARTS = 2000  # one per agent, language and day; a part is some 10–50 KB


@dataclass(frozen=True)
class _Part:
    taken: changes.Snapshot  # the database's generation the part was computed at
    html: str
    until: dt.datetime


class _Parts:
    """The newest-used parts, the oldest dropped beyond ``MAX_PARTS``."""

    def __init__(self) -> None:
        self._parts: OrderedDict[Hashable, _Part] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, taken: changes.Snapshot, now: dt.datetime) -> str | None:
        with self._lock:
            found = self._parts.get(key)
            if found is None:
                return None
            if found.taken != taken or found.until <= now:
                del self._parts[key]
                return None
            self._parts.move_to_end(key)
            return found.html

    def put(self, key: Hashable, part: _Part) -> None:
        with self._lock:
            self._parts[key] = part
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
    compute: Callable[[dt.datetime], tuple[Mapping[str, Any], dt.datetime | None]],
) -> SafeString:
    """``template`` rendered with what ``compute(now)`` returns (its context, and the instant after
    ``now`` it stops being true by the clock alone, or None for the end of the day), from the kept
    copy when the database has not changed since. ``key`` must name everything else the part
    depends on (whose it is, the language, the day)."""
    now = timezone.now()
    seconds = settings.ANJU_KEPT_SECONDS
    taken = changes.snapshot() if seconds else None
    keeping = taken is not None and taken.generation is not None
    html = _parts.get(key, taken, now) if keeping and taken else None
    if html is None:
        context, valid_until = compute(now)
        html = render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        ends = [now + dt.timedelta(seconds=seconds), midnight + dt.timedelta(days=1)]
        until = min([*ends, valid_until] if valid_until else ends)
        if keeping and taken and until > now:
            _parts.put(key, _Part(taken, html, until))
    token_attribute = f'name="csrfmiddlewaretoken" value="{get_token(request)}"'
    return mark_safe(html.replace(_CSRF_ATTRIBUTE, token_attribute))  # noqa: S308 (rendered by a template)
