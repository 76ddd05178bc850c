"""forkom.filters.ReferenceListFilter: the same choices, one plain query per list."""

import django_filters
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.forms import CadreFilter
from cadres.models import Body, CadreProfile
from forkom.filters import ReferenceListFilter


class Bodies(django_filters.FilterSet):
    body = ReferenceListFilter(
        field_name="memberships__body", queryset=Body.objects.all(), empty_label="Semua"
    )
    plain = django_filters.ModelChoiceFilter(
        field_name="memberships__body", queryset=Body.objects.all(), empty_label="Semua"
    )

    class Meta:
        model = CadreProfile
        fields = ["body", "plain"]


def test_the_choices_are_those_of_djangos_model_choice_filter_read_once(bontang):
    form = Bodies({}).form
    with CaptureQueriesContext(connection) as queries:
        listed = [(str(value), label) for value, label in form.fields["body"].choices]
        again = [(str(value), label) for value, label in form.fields["body"].choices]
    plain = [(str(value), label) for value, label in form.fields["plain"].choices]

    assert listed == again == plain
    assert listed[0] == ("", "Semua")
    assert len(listed) == Body.objects.count() + 1
    # One plain SELECT, not a server-side cursor (DECLARE ... FETCH ... CLOSE).
    assert [query["sql"].split()[0] for query in queries] == ["SELECT"]


def test_a_chosen_body_still_filters_and_a_foreign_one_is_refused(bontang, staff):
    body = Body.objects.get(name="Posyandu")
    assert CadreFilter({"body": body.pk}, user=staff).is_valid()
    refused = CadreFilter({"body": 999_999}, user=staff)
    assert not refused.is_valid()
    assert "body" in refused.errors
