"""Form fields that refuse what the database cannot take.

SQLite raises OverflowError for an integer beyond 64 bits, which Django's model choice
fields do not expect: a forged id such as 99999999999999999999 became a server error
instead of an invalid choice. These fields say "not one of the choices" first.
"""

from django import forms
from django.core.exceptions import ValidationError

BIGINT = range(-(2**63), 2**63)


def _beyond_64_bits(value):
    try:
        return int(value) not in BIGINT
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check refuses it


def is_id(value):
    """Whether `value` can be a row's id: a whole number from 1 that fits 64 bits."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return number > 0 and number in BIGINT


class ListedChoices(forms.models.ModelChoiceIterator):
    """A model choice list read with one plain query.

    Django reads it with QuerySet.iterator(), which on PostgreSQL declares, fetches from and
    closes a server-side cursor, WITH HOLD outside a transaction (run to its end before the
    first row): three round trips for each list of a form. The admin's training form lists
    three (the kecamatan, the topics, the bodies). As Django does for a list with prefetched
    rows, this iterates the queryset itself."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # django-filter's fields have a choice for "none" too (forkom.filters).
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.listed():
            yield self.choice(obj)

    def listed(self):
        """The rows to list: the queryset's."""
        return self.queryset


class ModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices

    def to_python(self, value):
        if value not in self.empty_values and _beyond_64_bits(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedChoices

    def _check_values(self, value):
        for pk in value:
            if _beyond_64_bits(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
