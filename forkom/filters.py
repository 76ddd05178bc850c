"""A model choice filter for the short reference lists of the list pages' filter forms."""

import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from forkom.fields import ListedChoices


class _ListedChoices(ListedChoices, ModelChoiceIterator):
    """forkom.fields.ListedChoices (the choices read with one plain query, not through a
    server-side cursor: three round trips to list eight bodies, 1.1 ms against 0.4 ms, once
    per filter on every list page), counted as django-filter counts them, with its choice
    for "none"."""


class _ListedChoiceField(ModelChoiceField):
    iterator = _ListedChoices


class ReferenceListFilter(django_filters.ModelChoiceFilter):
    """ModelChoiceFilter for a short list (bodies, fields of work, topics)."""

    field_class = _ListedChoiceField
