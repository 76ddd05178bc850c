"""seed_scale's refusals and its work on PostgreSQL's schema: each from a database of its own
(the seeded data's rules are in test_seed_scale.py, which seeds once for all its tests)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError

from cadres.models import CadreMembership, CadreProfile
from forkom.accounts.models import User
from forkom.territory.models import Region
from tests.site.test_seed_scale import seed_scale

seed_lists = importlib.import_module("cadres.migrations.0002_seed_lists").seed


def test_it_refuses_to_run_when_debug_is_off(bontang, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed_scale()
    assert not CadreProfile.objects.exists()


def test_it_imports_the_regions_when_they_are_missing(db, settings):
    settings.DEBUG = True
    seed_lists(django_apps, None)
    assert not Region.objects.exists()

    output = seed_scale(cadres=30, proposals=5, trainings=2, signups=5, innovations=1)

    assert "created 20" in output
    assert Region.objects.count() == 20
    assert CadreProfile.objects.count() == 30


def test_it_refuses_sizes_that_cannot_be_met(bontang, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="zero or more"):
        seed_scale(cadres=-1)
    assert not User.objects.exists()


def schema_of_seeded_tables():
    """Every constraint and index of the tables seed_scale writes, with its definition."""
    from django.db import connection

    from devdata.management.commands.seed_scale import SEEDED_MODELS

    tables = [model._meta.db_table for model in SEEDED_MODELS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferred"
            "  FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = set(cursor.fetchall())
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)"
            "  FROM pg_index WHERE indrelid = ANY(%s::regclass[])",
            [tables],
        )
        indexes = set(cursor.fetchall())
    return constraints, indexes


def test_on_postgresql_every_index_and_foreign_key_is_back_after_the_load(
    postgresql_only, bontang, settings
):
    settings.DEBUG = True
    constraints, indexes = schema_of_seeded_tables()
    assert any(" FOREIGN KEY " in f" {definition}" for _, _, definition, _ in constraints)

    output = seed_scale()

    assert "foreign keys validated" in output
    assert schema_of_seeded_tables() == (constraints, indexes)


def test_on_postgresql_a_row_breaking_a_foreign_key_fails_the_run_and_leaves_nothing(
    postgresql_only, bontang, settings, monkeypatch
):
    from django.db import IntegrityError, connection

    from devdata.management.commands import seed_scale as command

    settings.DEBUG = True
    constraints, indexes = schema_of_seeded_tables()
    run = command.Seeder.run

    def run_then_break_a_reference(seeder):
        run(seeder)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cadres_cadremembership SET profile_id = -1"
                " WHERE id = (SELECT min(id) FROM cadres_cadremembership)"
            )

    monkeypatch.setattr(command.Seeder, "run", run_then_break_a_reference)

    with pytest.raises(IntegrityError, match="cadres_cadremembership"):
        seed_scale()

    assert not CadreProfile.objects.exists()
    assert not CadreMembership.objects.exists()
    assert schema_of_seeded_tables() == (constraints, indexes)
