"""forkom.fields: an id no database column can hold is an invalid choice, not a crash; the
choices are read in one plain query."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import Body
from forkom.fields import ModelChoiceField, ModelMultipleChoiceField

HUGE = "9" * 30


@pytest.mark.parametrize("value", [HUGE, str(2**63), str(-(2**63) - 1)])
def test_an_id_beyond_64_bits_is_an_invalid_choice(db, value):
    with pytest.raises(ValidationError) as single:
        ModelChoiceField(Body.objects.all()).clean(value)
    assert single.value.code == "invalid_choice"
    with pytest.raises(ValidationError) as several:
        ModelMultipleChoiceField(Body.objects.all()).clean([value])
    assert several.value.code == "invalid_pk_value"


def test_real_ids_and_words_behave_as_in_django(db):
    body = Body.objects.first()
    assert ModelChoiceField(Body.objects.all()).clean(str(body.pk)) == body
    assert list(ModelMultipleChoiceField(Body.objects.all()).clean([str(body.pk)])) == [body]
    with pytest.raises(ValidationError):
        ModelMultipleChoiceField(Body.objects.all()).clean(["abc"])


@pytest.mark.parametrize(
    ("ours", "djangos"),
    [
        (ModelChoiceField, forms.ModelChoiceField),
        (ModelMultipleChoiceField, forms.ModelMultipleChoiceField),
    ],
)
def test_a_choice_list_is_django_s_read_in_one_plain_query(db, ours, djangos):
    """Django reads the list through QuerySet.iterator(): on PostgreSQL a server-side
    cursor (DECLARE, FETCH, CLOSE); forkom.fields reads it in one query, the same choices."""
    bodies = Body.objects.order_by("-name")
    expected = [(str(value), label) for value, label in djangos(bodies).choices]
    with CaptureQueriesContext(connection) as captured:
        choices = [(str(value), label) for value, label in ours(bodies).choices]
    assert choices == expected
    assert len(choices) > 5
    assert len(captured) == 1
    assert captured[0]["sql"].startswith("SELECT")


def test_the_admin_s_training_form_lists_its_choices_without_a_cursor(client, staff):
    from django.urls import reverse

    from tests.accounts.test_admin import with_totp
    from tests.trainings.factories import make_training

    client.force_login(with_totp(staff))
    training = make_training()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:trainings_training_change", args=[training.pk]))
    assert response.status_code == 200
    assert b'<option value="64.74.01"' in response.content  # the kecamatan listed
    assert not [query for query in captured if "DECLARE" in query["sql"]]
