"""Indonesian mobile (WhatsApp) numbers: typed as 0812…, 62812… or +62 812-…, stored in E.164."""

import contextlib
import re

import phonenumbers
from django.core.exceptions import ValidationError

from forkom.texts import gettext as _

_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE}


def normalize_phone(value):
    """The number in E.164 (`+6281234567890`); ValidationError unless an Indonesian mobile."""
    message = _("Enter an Indonesian mobile number, such as 0812-3456-7890.")
    try:
        number = phonenumbers.parse((value or "").strip(), "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="invalid_phone") from None
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "ID"
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        raise ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# The separators people write inside a number: 0812-3456 7890, (0812) 3456.7890.
_SEPARATORS = re.compile(r"[\s\-.()]")
# The beginning of an Indonesian number as typed: its trunk or country prefix, then at least
# three digits (0812, 62812, +62 812). ASCII digits only: \d would take other scripts' digits.
_START = re.compile(r"(?:\+?62|0)([0-9]{3,14})")


def number_start(value):
    """A number, or its beginning, typed in any of the ways normalize_phone reads, as the
    start of stored numbers: `0812-3456` → `+628123456`. ValidationError otherwise.

    A whole number is a beginning too: mobile numbers run from 10 to 13 digits, so a valid
    number may begin a longer one.
    """
    with contextlib.suppress(ValidationError):
        return normalize_phone(value)
    match = _START.fullmatch(_SEPARATORS.sub("", value or ""))
    if match is None:
        raise ValidationError(
            _("Type the number from its beginning, such as 0812-3456, or the whole number."),
            code="invalid_phone_start",
        )
    return "+62" + match.group(1)


def display_phone(e164):
    """`+6281234567890` → `0812-3456-7890`, as Indonesians write it."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
