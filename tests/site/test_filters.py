"""forkom.filters.ReferenceListFilter: the same choices as Django's own filter, in one plain
query per list and form through a statement compiled once; each list its model's rows in
their order (the catalogue's topics: the active ones), read afresh for every form."""

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.forms import CadreFilter
from cadres.models import Body, CadreProfile, Field, Topic
from forkom.filters import ReferenceListFilter
from programs.forms import ProposalFilter
from programs.innovations.forms import InnovationFilter
from programs.models import Innovation, Proposal
from trainings.forms import TrainingFilter
from trainings.models import Training


class Bodies(django_filters.FilterSet):
    body = ReferenceListFilter(field_name="memberships__body", model=Body, empty_label="Semua")
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


def offered(form_filter, name):
    """The names a filter form offers for `name`, after its "All"."""
    choices = list(form_filter.form.fields[name].choices)
    assert choices[0][0] == ""
    return [label for _value, label in choices[1:]]


@pytest.fixture
def forms(staff):
    return {
        "cadres": lambda: CadreFilter({}, queryset=CadreProfile.objects.all(), user=staff),
        "proposals": lambda: ProposalFilter({}, queryset=Proposal.objects.all(), user=staff),
        "innovations": lambda: InnovationFilter(
            {}, queryset=Innovation.objects.all(), home_region="64.74"
        ),
        "trainings": lambda: TrainingFilter({}, queryset=Training.objects.all()),
    }


def names(model, **narrowed):
    return [str(row) for row in model.objects.filter(**narrowed)]


def test_each_list_offers_its_rows_in_order_and_follows_every_change(forms):
    lists = [
        ("cadres", "body", Body, {}),
        ("cadres", "field", Field, {}),
        ("cadres", "training_need", Topic, {}),
        ("proposals", "field", Field, {}),
        ("innovations", "field", Field, {}),
        ("trainings", "topic", Topic, {"is_active": True}),
    ]
    for form, name, model, narrowed in lists:
        assert len(names(model, **narrowed)) >= 3, model
        assert offered(forms[form](), name) == names(model, **narrowed), (form, name)
    # A renamed, a new and a retired row: each form shows them at once.
    for model in (Body, Field, Topic):
        first = model.objects.first()
        first.name = f"{first.name} (baru)"
        first.save()
        model.objects.create(name="Yang terbaru", sort_order=0)
        last = model.objects.last()
        last.is_active = False
        last.save()
    for form, name, model, narrowed in lists:
        shown = offered(forms[form](), name)
        assert shown == names(model, **narrowed), (form, name)
        assert "Yang terbaru" in shown
        assert any(label.endswith(" (baru)") for label in shown)
    assert len(offered(forms["trainings"](), "topic")) == Topic.objects.active().count()
    assert len(offered(forms["cadres"](), "training_need")) == Topic.objects.count()


def test_the_forms_reference_lists_follow_every_change_and_check_a_choice(bontang):
    """The same for the forms' lists (forkom.fields, `model=` or refer_to): a cadre's fields
    of work and training needs, a forum officer's field; each form reads its rows once, and
    a retired or forged choice is refused."""
    from django import forms

    from cadres.forms import ProfileForm
    from forkom.fields import ModelChoiceField

    class Officer(forms.Form):
        field = ModelChoiceField(queryset=Field.objects.none())

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["field"].refer_to(Field, active_only=True)

    def choices(form, name):
        return [label for value, label in form.fields[name].choices if value != ""]

    active = {"is_active": True}
    profile = ProfileForm()
    assert choices(profile, "fields") == names(Field, **active)
    assert choices(profile, "training_needs") == names(Topic, **active)
    assert choices(Officer(), "field") == names(Field, **active)
    with CaptureQueriesContext(connection) as queries:
        assert choices(profile, "fields") == choices(profile, "fields")
    assert queries.captured_queries == []  # read once for this form
    retired = Field.objects.filter(is_active=True).last()
    retired.is_active = False
    retired.save()
    Field.objects.create(name="Yang terbaru", sort_order=0)
    for form in (ProfileForm(), Officer()):
        name = "fields" if isinstance(form, ProfileForm) else "field"
        assert choices(form, name) == names(Field, **active)
        assert "Yang terbaru" in choices(form, name)
        assert retired.name not in choices(form, name)
    assert not Officer({"field": str(retired.pk)}).is_valid()
    assert not Officer({"field": "999999999999999999999"}).is_valid()
    assert Officer({"field": str(Field.objects.get(name="Yang terbaru").pk)}).is_valid()
