"""A person's name as the KTP writes it: one rule for registration, the admin and the import."""

import unicodedata

from django.core.exceptions import ValidationError

from forkom.texts import gettext as _

# Besides letters, the marks names carry: "Ma'ruf", "Siti A. Rahmah", "Abdul-Rahman".
_MARKS = " .,'-"


def is_latin_name(name: str) -> bool:
    """Letters of the Latin script, spaces and the marks names carry (. , ' -): no digits,
    no symbols, no other script (the KTP prints names in Latin capitals)."""
    return any(character.isalpha() for character in name) and all(
        character in _MARKS
        or (character.isalpha() and unicodedata.name(character, "").startswith("LATIN"))
        for character in name
    )


def validate_full_name(value: str) -> None:
    if not is_latin_name(value):
        raise ValidationError(
            _("Write the name as on the KTP: Latin letters only, without digits or symbols."),
            code="invalid_name",
        )
