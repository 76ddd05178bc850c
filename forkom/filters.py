"""A model choice filter for the short reference lists of the list pages' filter forms."""

from functools import cache
from typing import Any

import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from forkom import statements
from forkom.fields import ListedChoices


class _ListedChoices(ListedChoices, ModelChoiceIterator):
    """forkom.fields.ListedChoices (the choices read with one plain query, not through a
    server-side cursor: three round trips to list eight bodies, 1.1 ms against 0.4 ms, once
    per filter on every list page), counted as django-filter counts them, with its choice
    for "none". The rows come from a statement compiled once per list and database
    (_reference_statement), read afresh each time: building and compiling the queryset
    took longer than running it, for each list of each list page."""

    def listed(self) -> Any:
        # Read once per form (the field is the form's own copy), as a queryset keeps its rows.
        rows = getattr(self.field, "listed_rows", None)
        if rows is None:
            model, active_only = self.field.reference
            kept = _reference_statement(self.queryset.db, model, active_only)
            rows = self.field.listed_rows = statements.instances(kept, None)
        return rows


@cache
def _reference_statement(alias: str, model: Any, active_only: bool) -> statements.ModelStatement:
    manager = model._default_manager.db_manager(alias)
    return statements.compiled_models(
        manager.active() if active_only else manager.all(), fixed=True
    )


class _ListedChoiceField(ModelChoiceField):
    iterator = _ListedChoices

    def __init__(self, *args: Any, reference: tuple[Any, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference


class ReferenceListFilter(django_filters.ModelChoiceFilter):
    """ModelChoiceFilter for a short list (bodies, fields of work, topics): every row of
    `model` in its order, or its active ones (`active_only`, its manager's active())."""

    field_class = _ListedChoiceField

    def __init__(self, *args: Any, model: Any, active_only: bool = False, **kwargs: Any) -> None:
        manager = model._default_manager
        kwargs["queryset"] = manager.active() if active_only else manager.all()
        kwargs["reference"] = (model, active_only)
        super().__init__(*args, **kwargs)
