"""Bad contact data is the first data-quality problem: numbers are checked and normalised on entry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anju.core.errors import ApplicationError
from anju.core.idcard import check_character, gender_of, normalize_id_number
from anju.core.phones import normalize_mobile, normalize_phone


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "138-1234-5678", "0086 13812345678"])
def test_mobiles_are_normalised_to_eleven_digits(raw):
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["12345678901", "1381234567", "abc", "", "+1 650 253 0000"])
def test_invalid_mobiles_are_refused_in_chinese(raw):
    with pytest.raises(ApplicationError) as error:
        normalize_mobile(raw)
    assert "号码" in error.value.message


def test_a_landline_is_not_a_mobile_but_is_a_valid_second_number():
    with pytest.raises(ApplicationError, match="座机请填在备用电话"):
        normalize_mobile("027-87654321")
    assert normalize_phone("027 8765 4321") == "027-87654321"


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_the_sample_ids_from_the_standard_are_valid(number):
    assert normalize_id_number(number.lower()) == number


def test_gender_comes_from_the_seventeenth_digit():
    assert gender_of("11010519491231002X") == "f"
    assert gender_of("440524188001010014") == "m"


@pytest.mark.parametrize(
    ("number", "why"),
    [("110105194912310021", "校验位"), ("11010519491331002X", "出生日期"), ("1101051949", "18 位")],
)
def test_bad_ids_are_refused_with_the_reason(number, why):
    with pytest.raises(ApplicationError, match=why):
        normalize_id_number(number)


@given(st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_always_caught(position, shift):
    # given a valid ID
    valid = "440524188001010014"
    # when one of its first 17 digits is mistyped
    digits = list(valid)
    digits[position] = str((int(digits[position]) + shift) % 10)
    mistyped = "".join(digits)
    # then its check character no longer fits
    assert check_character(mistyped[:17]) != valid[17]
