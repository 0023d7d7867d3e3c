"""Mainland phone numbers: a client's mobile must be a mobile; a second number may be a landline."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _
from phonenumbers import PhoneNumberType

from anju.core.errors import ApplicationError

_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _parse(raw: str) -> phonenumbers.PhoneNumber:
    text = (raw or "").strip()
    if not text:
        raise ApplicationError(_("请填写电话号码。"), code="phone_required")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ApplicationError(
            _("“%(raw)s”不是有效的电话号码。") % {"raw": text}, code="phone_invalid"
        ) from exc
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ApplicationError(
            _("“%(raw)s”不是有效的中国大陆电话号码。") % {"raw": text}, code="phone_invalid"
        )
    return number


def normalize_mobile(raw: str) -> str:
    """The 11-digit national form of a mainland mobile (``+86 138-1234-5678`` → ``13812345678``)."""
    number = _parse(raw)
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ApplicationError(
            _("“%(raw)s”不是手机号码；座机请填在备用电话。") % {"raw": raw.strip()}, code="not_a_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")


def normalize_phone(raw: str) -> str:
    """A mobile or a landline in national form (landlines keep their area code: ``027-87654321``)."""
    number = _parse(raw)
    if phonenumbers.number_type(number) in _MOBILE_TYPES:
        return normalize_mobile(raw)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "-", 1).replace(" ", "")
