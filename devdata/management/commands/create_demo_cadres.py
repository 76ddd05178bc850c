import itertools
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from cadres import services
from cadres.models import Body, CadreProfile, Education, Field, Sex, Topic
from forkom.accounts.models import User
from forkom.territory.models import Region

STAFF_EMAIL = "staf@demo.forkom.id"
# Demo accounts that get a verified cadre profile: (email, name, sex, kelurahan, body, position).
VERIFIED = [
    ("kader@demo.forkom.id", "Siti Kader", Sex.FEMALE, "64.74.03.1001", "Posyandu", "Kader"),
    (
        "pengurus.kelurahan@demo.forkom.id",
        "Budi Pengurus",
        Sex.MALE,
        "64.74.03.1001",
        "Karang Taruna",
        "Ketua",
    ),
    (
        "pengurus.kecamatan@demo.forkom.id",
        "Rina Pengurus",
        Sex.FEMALE,
        "64.74.03.1002",
        "LPM",
        "Sekretaris",
    ),
]
# Cadres waiting for the demo officers to verify them (accounts without a password).
WAITING = [
    ("Ahmad Fauzi", Sex.MALE, "64.74.03.1001", "Karang Taruna"),
    ("Dewi Lestari", Sex.FEMALE, "64.74.03.1001", "PKK"),
    ("Rudi Hartono", Sex.MALE, "64.74.03.1001", "LPM"),
    ("Nur Aisyah", Sex.FEMALE, "64.74.03.1002", "Posyandu"),
    ("Yohanes Sinaga", Sex.MALE, "64.74.03.1003", "Kader Pemberdayaan Masyarakat"),
    ("Maria Ulfa", Sex.FEMALE, "64.74.03.1003", "Posyandu"),
]


class Command(BaseCommand):
    help = "Give the demo accounts verified cadre profiles and add cadres waiting for review."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo cadres exist only in development: set DEBUG=true.")
        staff = User.objects.filter(email=STAFF_EMAIL).first()
        if staff is None:
            raise CommandError("Run create_demo_accounts first.")
        serials = itertools.count(9001)
        created = 0
        # The decision emails would only fill the terminal of `make run`.
        quiet_mail = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        with override_settings(MAILERS=quiet_mail), transaction.atomic():
            for email, name, sex, code, body, position in VERIFIED:
                user = User.objects.get(email=email)
                if not CadreProfile.objects.filter(user=user).exists():
                    profile = self._profile(user, name, sex, code, body, position, serials)
                    services.verify_cadre(actor=staff, profile=profile, note="Demo")
                    created += 1
            for index, (name, sex, code, body) in enumerate(WAITING, start=1):
                email = f"kader{index:02d}@demo.forkom.id"
                user, new = User.objects.get_or_create(email=email)
                if new:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                if not CadreProfile.objects.filter(user=user).exists():
                    self._profile(user, name, sex, code, body, "Anggota", serials)
                    created += 1
        self.stdout.write(
            f"Demo cadres: {created} created, {CadreProfile.objects.count()} in all."
        )

    def _profile(self, user, name, sex, code, body, position, serials):
        services.record_consent(actor=user, user=user)
        birth = date(1988, 3, 12)
        day = birth.day + (40 if sex == Sex.FEMALE else 0)
        kecamatan = code[:8].replace(".", "")
        nik = f"{kecamatan}{day:02d}{birth.month:02d}{birth.year % 100:02d}{next(serials):04d}"
        while CadreProfile.objects.filter(nik=nik).exists():
            nik = nik[:12] + f"{next(serials):04d}"
        return services.register_profile(
            actor=user,
            user=user,
            full_name=name,
            nik=nik,
            sex=sex,
            birth_place="Bontang",
            birth_date=birth,
            phone=f"0812-5{next(serials) % 1000:03d}-{4000 + len(name):04d}",
            address="Jl. Ahmad Yani, Bontang",
            kelurahan=Region.objects.get(code=code),
            education=Education.SMA,
            fields=list(Field.objects.filter(is_active=True)[:2]),
            training_needs=list(Topic.objects.filter(is_active=True)[:2]),
            memberships=[(Body.objects.get_or_create(name=body)[0], position, 2020)],
        )
