"""Trainings and verified cadres for tests."""

import itertools
from datetime import timedelta

from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import Body, Topic
from forkom.accounts.models import User
from tests.cadres.factories import make_profile
from trainings.models import Training

_titles = itertools.count(1)


def make_training(*, topics=(), eligible_bodies=(), starts_in=timedelta(days=7), **fields):
    """A published training at Bontang Barat, open for registration now, by default."""
    now = timezone.now()
    starts_at = fields.pop("starts_at", now + starts_in)
    values = {
        "title": f"Pelatihan {next(_titles)}",
        "description": "Materi dan praktik.",
        "organiser": "Dinsos-PM Kota Bontang",
        "venue": "Aula Kecamatan Bontang Barat",
        "venue_kecamatan_id": "64.74.03",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=7),
        "capacity": 2,
        "registration_opens_at": min(now - timedelta(days=1), starts_at - timedelta(days=3)),
        "registration_closes_at": starts_at - timedelta(hours=1),
        "state": Training.State.PUBLISHED,
    }
    values.update(fields)
    training = Training.objects.create(**values)
    training.topics.set(listed(Topic, topics))
    training.eligible_bodies.set(listed(Body, eligible_bodies))
    return training


def listed(model, names):
    """Entries of a staff list by name. Migrations seed them, but a transactional test
    (live server, concurrency) ends by emptying every table, seeds included."""
    return [model.objects.get_or_create(name=name)[0] for name in names]


def verifier():
    user, _ = User.objects.get_or_create(
        email="verifikator@test.forkom.id", defaults={"is_superuser": True}
    )
    return user


def make_cadre(*, body="Posyandu", needs=(), user=None, verified=True, **overrides):
    """A cadre profile of Belimbing serving in `body`, verified through the service."""
    profile = make_profile(
        user=user,
        memberships=[(listed(Body, [body])[0], "Anggota", 2020)],
        training_needs=listed(Topic, needs),
        **overrides,
    )
    if verified:
        profile = cadre_services.verify_cadre(actor=verifier(), profile=profile)
    return profile


def admin_form_fields(form, training):
    """A training's own fields as its admin change form posts them: the texts as the form
    shows them, the kecamatan, and each date and time split in two, in local time."""
    data = {name: form[name].value() for name in ("title", "description", "organiser", "venue")}
    data["venue_kecamatan"] = training.venue_kecamatan_id
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        moment = timezone.localtime(getattr(training, name))
        data[f"{name}_0"] = f"{moment:%Y-%m-%d}"
        data[f"{name}_1"] = f"{moment:%H:%M:%S}"
    return data
