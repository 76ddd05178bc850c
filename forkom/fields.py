"""Form fields that refuse what the database cannot take.

SQLite raises OverflowError for an integer beyond 64 bits, which Django's model choice
fields do not expect: a forged id such as 99999999999999999999 became a server error
instead of an invalid choice. These fields say "not one of the choices" first.
"""

from functools import cache

from django import forms
from django.core.exceptions import ValidationError

from forkom import statements

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
        """The rows to list: the queryset's; for a reference list (a field made with `model`:
        bodies, fields of work, topics), through a statement compiled once per list and
        database, read once per form (the field is the form's own copy): building and
        compiling the queryset took longer than running it, for each list of each form."""
        reference = getattr(self.field, "reference", None)
        if reference is None:
            return self.queryset
        rows = getattr(self.field, "listed_rows", None)
        if rows is None:
            kept = _reference_statement(self.queryset.db, *reference)
            rows = self.field.listed_rows = statements.instances(kept, None)
        return rows


def reference_rows(model, active_only):
    """Every row of a reference list's `model` in its order, or its active ones."""
    manager = model._default_manager
    return manager.active() if active_only else manager.all()


@cache
def _reference_statement(alias, model, active_only):
    return statements.compiled_models(reference_rows(model, active_only).using(alias), fixed=True)


class ReferenceChoices:
    """For a model choice field: `model=` (and `active_only=`) instead of a queryset makes it
    a reference list, read as ListedChoices.listed says."""

    def __init__(self, *args, model=None, active_only=False, **kwargs):
        if model is not None:
            kwargs["queryset"] = reference_rows(model, active_only)
        super().__init__(*args, **kwargs)
        self.reference = (model, active_only) if model is not None else None

    def refer_to(self, model, active_only=False):
        """Make this field (a model form's own) the reference list of `model`."""
        self.queryset = reference_rows(model, active_only)
        self.reference = (model, active_only)

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.__dict__.pop("listed_rows", None)  # each form reads its own
        return copied


class ModelChoiceField(ReferenceChoices, forms.ModelChoiceField):
    iterator = ListedChoices

    def to_python(self, value):
        if value not in self.empty_values and _beyond_64_bits(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(ReferenceChoices, forms.ModelMultipleChoiceField):
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
