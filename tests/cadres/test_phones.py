import pytest
from django.core.exceptions import ValidationError

from cadres.phones import display_phone, normalize_phone, number_start


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("+62 (812) 3456 7890", "+6281234567890"),
        (" 0857 1234 5678 ", "+6285712345678"),
        ("0811-5432-100", "+628115432100"),
    ],
)
def test_an_indonesian_mobile_number_is_stored_in_e164(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "halo",
        "0215551234",  # a Jakarta landline
        "+61412345678",  # an Australian mobile
        "+6281234567",  # too short
        "08123456789012",  # too long
        "0812",
    ],
)
def test_what_is_not_an_indonesian_mobile_number_is_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+6281234567890", "0812-3456-7890"), ("+628115432100", "0811-5432-100"), ("", "")],
)
def test_a_stored_number_is_shown_as_indonesians_write_it(stored, shown):
    assert display_phone(stored) == shown


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812-3456", "+628123456"),
        ("0812", "+62812"),
        ("62 812 34", "+6281234"),
        ("+62 (812) 34.56", "+628123456"),
    ],
)
def test_the_beginning_of_a_number_is_read_as_the_start_of_stored_numbers(typed, start):
    assert number_start(typed) == start


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "08",
        "812",
        "hello",
        "0812-abcd",
        "٠٨١٢٣٤٥٦",
        "+61 412",
        "0" + "9" * 40,
        "0812%",
        "0812_",
    ],
)
def test_what_begins_no_indonesian_number_is_refused(typed):
    with pytest.raises(ValidationError):
        number_start(typed)
