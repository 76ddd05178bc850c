"""A sign-up's reads through statements compiled once (trainings.services): each gives what
the queryset it replaced gave, read afresh, and takes the same row locks."""

import pytest
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q

from cadres.models import Body, CadreMembership, CadreProfile
from forkom import statements
from tests.trainings.factories import listed, make_cadre, make_training
from trainings import services
from trainings.models import Registration, Training

Status = Registration.Status


def queue_by_queryset(training, profile):
    """The queue's counts as sign_up counted them before the statement."""
    counts = training.registrations.aggregate(
        seated=Count("pk", filter=Q(status=Status.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
        mine=Count("pk", filter=Q(profile=profile) & ~Q(status=Status.CANCELLED)),
    )
    return services.Queue(counts["seated"], counts["waiting"], counts["mine"])


def eligible_by_queryset(training, profile):
    return list(
        training.eligible_bodies.annotate(
            serves=Exists(CadreMembership.objects.filter(profile=profile, body=OuterRef("pk")))
        ).values_list("name", "serves")
    )


def eligible_by_statement(training, profile):
    return [
        tuple(row)
        for row in statements.rows(
            services._eligible_statement(Body.objects.db), training.pk, second=profile.pk
        )
    ]


def test_the_queue_counts_as_the_queryset_did_for_every_state_and_cadre(bontang):
    training = make_training(capacity=2)
    other = make_training(capacity=5)
    cadres = [make_cadre() for number in range(6)]
    newcomer = make_cadre()
    assert services._queue(training, newcomer) == (0, 0, 0)  # nobody signed up yet
    for cadre in cadres:
        services.sign_up(actor=cadre.user, training=training, profile=cadre)
    services.sign_up(actor=newcomer.user, training=other, profile=newcomer)
    services.cancel(actor=cadres[3].user, registration=cadres[3].training_registrations.get())
    services.cancel(actor=cadres[0].user, registration=cadres[0].training_registrations.get())

    expected = {cadre.pk: queue_by_queryset(training, cadre) for cadre in [*cadres, newcomer]}
    found = {cadre.pk: services._queue(training, cadre) for cadre in [*cadres, newcomer]}
    assert found == expected
    # Seated: cadres 1 and 2 (2 moved up when 0 left); waiting: 4 and 5; 0 and 3 gave up.
    assert expected[cadres[1].pk] == (2, 2, 1)
    assert expected[cadres[0].pk] == (2, 2, 0)
    assert expected[newcomer.pk] == (2, 2, 0)
    assert services._queue(other, newcomer) == queue_by_queryset(other, newcomer) == (1, 0, 1)


def test_the_eligible_bodies_come_in_their_order_marked_as_the_queryset_did(bontang):
    names = ["Posyandu", "LPM", "PKK", "Karang Taruna"]
    training = make_training(eligible_bodies=names)
    open_to_all = make_training()
    serving = make_cadre(body="PKK")
    CadreMembership.objects.create(profile=serving, body=listed(Body, ["LPM"])[0])
    elsewhere = make_cadre(body="KPM")

    for profile in (serving, elsewhere):
        found = eligible_by_statement(training, profile)
        assert found == eligible_by_queryset(training, profile)
        assert sorted(name for name, _serves in found) == sorted(names)
    assert {name for name, serves in eligible_by_statement(training, serving) if serves} == {
        "PKK",
        "LPM",
    }
    assert not any(serves for _name, serves in eligible_by_statement(training, elsewhere))
    assert eligible_by_statement(open_to_all, serving) == []


def test_the_locks_read_the_rows_as_stored_now(bontang):
    training = make_training(capacity=3)
    cadre = make_cadre()
    with transaction.atomic():
        assert services._lock_training(training.pk).capacity == 3
        assert services._lock_profile(cadre).status == CadreProfile.Status.VERIFIED
    Training.objects.filter(pk=training.pk).update(capacity=9)
    CadreProfile.objects.filter(pk=cadre.pk).update(status=CadreProfile.Status.INACTIVE)
    with transaction.atomic():
        assert services._lock_training(training.pk).capacity == 9
        assert services._lock_profile(cadre).status == CadreProfile.Status.INACTIVE
        assert services._lock_profile(CadreProfile(pk=cadre.pk + 1000)) is None
        with pytest.raises(Training.DoesNotExist):
            services._lock_training(training.pk + 1000)


def test_the_kept_statements_lock_the_rows_as_the_querysets_did(postgresql_only, bontang):
    alias = connection.alias
    locked_statement = statements._locked_statement
    assert locked_statement(alias, Training, False).statement.sql.endswith(" FOR UPDATE")
    assert locked_statement(alias, CadreProfile, True).statement.sql.endswith(" FOR NO KEY UPDATE")
