"""forkom.fields: an id no database column can hold is an invalid choice, not a crash."""

import pytest
from django.core.exceptions import ValidationError

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
