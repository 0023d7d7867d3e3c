"""Resident identity numbers (GB 11643-1999): 17 digits and a check character."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


def check_character(first17: str) -> str:
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize_id_number(raw: str) -> str:
    """An 18-character resident ID, upper-case X, with a valid birth date and check character."""
    number = (raw or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ApplicationError(_("身份证号应为 18 位（最后一位可为 X）。"), code="id_number_invalid")
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ApplicationError(_("身份证号中的出生日期无效。"), code="id_number_invalid") from exc
    if check_character(number[:17]) != number[17]:
        raise ApplicationError(_("身份证号校验位不正确，请核对。"), code="id_number_invalid")
    return number


def gender_of(number: str) -> str:
    """``m`` or ``f`` from the 17th digit (odd male, even female)."""
    return "m" if int(number[16]) % 2 else "f"
