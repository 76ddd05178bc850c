"""Cadre profiles for tests, built through the service as a cadre would register."""

import itertools
from datetime import date

from cadres import services
from cadres.models import Body, Education, Sex
from forkom.territory.models import Region
from tests.conftest import make_user

_serials = itertools.count(1)


def make_nik(kecamatan="647403", day=15, month=8, year=90, sex=Sex.MALE):
    day = day + 40 if sex == Sex.FEMALE else day
    return f"{kecamatan}{day:02d}{month:02d}{year:02d}{next(_serials):04d}"


def profile_details(kelurahan="64.74.03.1001", **overrides):
    details = {
        "full_name": "Siti Rahmawati",
        "nik": make_nik(),
        "sex": Sex.MALE,
        "birth_place": "Bontang",
        "birth_date": date(1990, 8, 15),
        "phone": "0812-3456-7890",
        "address": "Jl. Brigjend Katamso No. 1",
        "kelurahan": Region.objects.get(code=kelurahan),
        "education": Education.SMA,
        "memberships": [(Body.objects.get_or_create(name="Posyandu")[0], "Kader", 2019)],
    }
    details.update(overrides)
    return details


def make_profile(user=None, kelurahan="64.74.03.1001", **overrides):
    user = user or make_user()
    services.record_consent(actor=user, user=user)
    return services.register_profile(
        actor=user, user=user, **profile_details(kelurahan, **overrides)
    )
