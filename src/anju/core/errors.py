"""Domain errors: raised by services, mapped to HTTP once (``anju.api``) and to messages in views."""

from __future__ import annotations

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A rule of the business was broken; ``message`` is shown to the user as it is."""

    code = "invalid"
    status = 400

    def __init__(self, message: str | Promise, *, code: str | None = None, extra: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code
        self.extra = extra or {}


class ConflictError(ApplicationError):
    code = "conflict"
    status = 409


class IllegalTransition(ApplicationError):
    """A status change that the current status does not allow."""

    code = "illegal_transition"
    status = 409
