"""Every table that points at a person is accounted for in some app's personal_data module.

"Data saya" and "forget this person" are a legal promise (UU 27/2022): a new model with a key
to the user or to the cadre profile that no declaration covers would silently fall out of
both. This guard fails on such a key, naming it.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from forkom import personal_data
from tests.conftest import make_user


def person_models():
    return (get_user_model(), apps.get_model("cadres", "CadreProfile"))


def test_every_key_to_a_person_is_covered_by_a_declaration():
    missing = personal_data.uncovered_keys(person_models(), personal_data.covered_keys())
    assert missing == [], (
        "These keys to a person are in no <app>/personal_data.py declaration "
        "(add them to `covers=` with their export and forgetting): " + ", ".join(missing)
    )


def test_the_guard_names_a_key_that_no_declaration_covers():
    covered = personal_data.covered_keys() - {"programs.Comment.author"}
    assert personal_data.uncovered_keys(person_models(), covered) == ["programs.Comment.author"]


def test_every_declared_key_exists():
    """A declaration that names a key which is not there covers nothing: a typo, or a field
    that was renamed without its declaration."""
    existing = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created
    }
    assert personal_data.covered_keys() - existing == set()


def test_each_app_that_stores_people_declares_its_part_in_app_order():
    labels = [declaration.app_label for declaration in personal_data.declarations()]
    assert labels == ["accounts", "outbox", "notifications", "cadres", "trainings", "programs"]


@pytest.mark.django_db
def test_forgetting_runs_the_apps_above_first(monkeypatch, bontang):
    ran = []
    for declaration in personal_data.declarations():
        monkeypatch.setattr(
            personal_data,
            "_declarations",
            {
                **personal_data._declarations,
                declaration.app_label: personal_data.Declaration(
                    declaration.app_label,
                    declaration.covers,
                    declaration.export,
                    lambda forgetting, label=declaration.app_label: ran.append(label),
                ),
            },
        )
    personal_data.forget(actor=None, user=make_user())
    assert ran == ["programs", "trainings", "cadres", "notifications", "outbox", "accounts"]
