"""Indonesian mobile (WhatsApp) numbers: typed as 0812…, 62812… or +62 812-…, stored in E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def display_phone(e164):
    """`+6281234567890` → `0812-3456-7890`, as Indonesians write it."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
