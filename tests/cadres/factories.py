"""Cadre profiles for tests, built through the service as a cadre would register."""

import itertools
from datetime import date

from django.utils.text import slugify

from cadres import services
from cadres.models import Body, CadreProfile, Education, Sex
from forkom.accounts.models import User
from forkom.territory.models import Region
from tests.conftest import make_user

_serials = itertools.count(1)


def make_nik(kecamatan="647403", day=15, month=8, year=90, sex=Sex.MALE):
    day = day + 40 if sex == Sex.FEMALE else day
    return f"{kecamatan}{day:02d}{month:02d}{year:02d}{next(_serials):04d}"


def bulk_profiles(count, name, *, kelurahan="64.74.03.1001", status=None, sex=Sex.MALE, nik=False):
    """`count` cadres and their accounts inserted in bulk, for a test that needs many rows and
    none of what the services do (events, counts, mail). `kelurahan` (a code) and `status`
    (verified by default) are a value or a function of the row's number, 0 to count - 1;
    each is named "<name> <number>". NIKs only when `nik` is true: make_nik's serials run out
    at 9,999 in a process."""
    users = User.objects.bulk_create(
        User(email=f"{slugify(name)}-{number}@test.forkom.id", password="!")
        for number in range(count)
    )

    def value(given, number):
        return given(number) if callable(given) else given

    return CadreProfile.objects.bulk_create(
        CadreProfile(
            user=user,
            full_name=f"{name} {number:03d}",
            nik=make_nik() if nik else None,
            sex=sex,
            birth_place="Bontang",
            birth_date=date(1990, 8, 15),
            phone="+6281234567890",
            address="Jl. Uji",
            kelurahan_id=value(kelurahan, number),
            education=Education.SMA,
            status=value(status or CadreProfile.Status.VERIFIED, number),
        )
        for number, user in enumerate(users)
    )


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
