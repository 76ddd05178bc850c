"""get_FOO_display() from the table that forkom.choices builds once per field: the same
labels as Django's own, in the request's language, for every field with choices."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from forkom.choices import ChoiceLabels, labels
from programs.models import Proposal


def fields_with_choices():
    for model in apps.get_models():
        if not issubclass(model, ChoiceLabels):
            continue
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_the_mixin_serves_the_models_whose_labels_the_lists_show():
    served = {model.__name__ for model, _field in fields_with_choices()}
    assert {"Proposal", "ProposalAid", "Registration", "Training", "CadreProfile"} <= served
    assert {"ProposalEvent", "TrainingEvent", "ForumEvent"} <= served


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_label_is_djangos_own_in_each_language(language):
    checked = 0
    with translation.override(language):
        for model, field in fields_with_choices():
            for value, _label in [*field.flatchoices, ("not-a-choice", None)]:
                row = model(**{field.attname: value})
                ours = getattr(row, f"get_{field.name}_display")()
                django = models.Model._get_FIELD_display(row, field)
                assert ours == django, (model, field.name, value)
                assert type(ours) is type(django)
                checked += 1
    assert checked > 100


def test_a_label_follows_the_language_after_its_table_is_built():
    proposal = Proposal(state=Proposal.State.DRAFT)
    with translation.override("en"):
        english = proposal.get_state_display()
    with translation.override("id"):
        indonesian = proposal.get_state_display()
    assert english == "Draft"
    assert indonesian != english


def test_choices_read_afresh_each_time_are_not_kept():
    offered = [("a", "A")]
    field = models.CharField(choices=lambda: list(offered))
    assert labels(field) == {"a": "A"}
    offered.append(("b", "B"))
    assert labels(field) == {"a": "A", "b": "B"}
