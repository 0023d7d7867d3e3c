"""The address a request came from, when Anju runs behind reverse proxies.

Behind a proxy every request arrives from the proxy's address, so keying anything on
``REMOTE_ADDR`` (login lockouts, sign-in records) would treat all users as one. ``X-Forwarded-For``
is only believable for the hops the operator put there: with ``ANJU_TRUSTED_PROXIES=N`` the client
is the address the outermost of those N proxies saw, the N-th entry from the right. Entries further
left were written by the client itself and are never used. With 0 (the default, no proxy) the
header is ignored altogether: anyone can send it.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    meta = getattr(request, "META", None) or {}
    remote = _address(meta.get("REMOTE_ADDR"))
    trusted = int(getattr(settings, "ANJU_TRUSTED_PROXIES", 0))
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        # Fewer hops than proxies: the request did not come through all of them; trust only the socket.
        return remote
    return _address(hops[-trusted]) or remote


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
