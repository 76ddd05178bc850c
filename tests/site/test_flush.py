"""`manage.py flush` (which every transactional test's teardown runs) empties a database whose
count tables are kept by triggers, whatever order it deletes the tables in.

PostgreSQL empties the tables with TRUNCATE, which fires no row trigger. SQLite deletes them
row by row, in the order of a set of table names, which changes from run to run: a sign-up
deleted after the summary table wrote its summary row again, for a kelurahan deleted too,
and the flush failed on the foreign key (now and then, in whichever test came first); a
profile deleted after the count tables left counts of -1 behind for the next test.
"""

from django.core.management import call_command
from django.db import connection

from cadres.models import AreaBodyCount, AreaStatusCount, CadreMembership, CadreProfile
from tests.trainings.factories import make_cadre, make_training
from trainings.models import Registration, SignupSummary, Training

COUNTS = [SignupSummary, AreaStatusCount, AreaBodyCount]
# The rows the triggers count from, each deleted while what it joins to is still there.
COUNTED = [Registration, CadreMembership, CadreProfile, Training]


def test_a_flush_empties_the_counts_when_they_go_before_the_rows_they_count(
    transactional_db, bontang, monkeypatch
):
    Registration.objects.create(training=make_training(), profile=make_cadre())
    assert all(model.objects.exists() for model in COUNTS)
    table_names = connection.introspection.django_table_names
    first = [model._meta.db_table for model in COUNTS + COUNTED]

    def counts_first(*args, **kwargs):
        names = table_names(*args, **kwargs)
        return first + [name for name in names if name not in first]

    monkeypatch.setattr(connection.introspection, "django_table_names", counts_first)
    call_command("flush", verbosity=0, interactive=False)

    assert not any(model.objects.exists() for model in COUNTS + COUNTED)
