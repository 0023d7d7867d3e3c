"""Sign-ins are recorded by a background job so that logging in never waits on it."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from anju.core.addresses import client_ip
from anju.core.jobs import enqueue_on_commit


@receiver(user_logged_in, dispatch_uid="anju.org.record_login")
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from anju.org.tasks import record_login

    meta = getattr(request, "META", {}) if request is not None else {}
    enqueue_on_commit(
        record_login,
        user_id=user.pk,
        at=timezone.now().isoformat(),
        ip_address=client_ip(request),
        user_agent=meta.get("HTTP_USER_AGENT", ""),
        key=uuid.uuid4().hex,
    )
