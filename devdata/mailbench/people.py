"""Who takes part in the benchmark: verified cadres of Bontang Barat, and published trainings
open for sign-up, all made through the services as a cadre and Dinas staff would (each
verification queues its email, as in production)."""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import Body, Education, Sex
from devdata.shared_data import BONTANG_REGIONS
from forkom.accounts import services as account_services
from forkom.accounts.models import User
from forkom.territory.importer import import_regions
from forkom.territory.models import Region
from trainings import services as training_services
from trainings.models import Training

DOMAIN = "bench.forkom.invalid"
ADMIN_EMAIL = f"admin@{DOMAIN}"
KECAMATAN = "64.74.03"  # Bontang Barat


def load_bontang() -> None:
    """The 20 regions of Kota Bontang, as `make run` loads them."""
    with BONTANG_REGIONS.open(encoding="utf-8", newline="") as lines:
        import_regions(lines)


def make_admin() -> User:
    """The superuser who verifies the cadres and publishes the trainings (never signs in)."""
    admin, _ = User.objects.get_or_create(email=ADMIN_EMAIL, defaults={"is_superuser": True})
    return admin


def make_cadres(*, admin: User, count: int, password: str) -> list[str]:
    """`count` verified cadres who can sign in with `password`; their emails."""
    # Hashing is slow by design: once, and every cadre gets the same hash.
    hashed = make_password(password)
    kelurahan = list(Region.objects.filter(parent_id=KECAMATAN).order_by("code"))
    body = Body.objects.active().get(name="Posyandu")
    emails = []
    with transaction.atomic():
        for number in range(1, count + 1):
            email = f"kader{number:04d}@{DOMAIN}"
            user = account_services.create_account(
                actor=admin, user=User(email=email, password=hashed, first_name=f"Kader {number}")
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            cadre_services.record_consent(actor=user, user=user)
            sex = Sex.FEMALE if number % 2 else Sex.MALE
            birth = date(1975 + number % 25, 1 + number % 12, 1 + number % 28)
            day = birth.day + (40 if sex == Sex.FEMALE else 0)
            profile = cadre_services.register_profile(
                actor=user,
                user=user,
                full_name=f"Kader Uji {number}",
                nik=f"647403{day:02d}{birth.month:02d}{birth.year % 100:02d}{number:04d}",
                sex=sex,
                birth_place="Bontang",
                birth_date=birth,
                phone=f"0812{54_000_000 + number:08d}",
                address=f"Jl. Uji No. {number}, Bontang Barat",
                kelurahan=kelurahan[number % len(kelurahan)],
                education=Education.SMA,
                memberships=[(body, "Anggota", 2020)],
            )
            cadre_services.verify_cadre(actor=admin, profile=profile, note="bench_mail")
            emails.append(email)
    return emails


def make_trainings(*, admin: User, count: int, capacity: int) -> list[Training]:
    """`count` published trainings at Bontang Barat, open for sign-up, for every body."""
    now = timezone.now()
    trainings = []
    with transaction.atomic():
        for number in range(1, count + 1):
            starts = now + timedelta(days=14 + number)
            training = training_services.create_training(
                actor=admin,
                training=Training(
                    title=f"Pelatihan uji antrean surel {number}",
                    description="Pelatihan untuk mengukur antrean surel (bench_mail).",
                    organiser="Dinsos-PM Kota Bontang",
                    venue="Aula Kecamatan Bontang Barat",
                    venue_kecamatan_id=KECAMATAN,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=7),
                    capacity=capacity,
                    registration_opens_at=now - timedelta(days=1),
                    registration_closes_at=starts - timedelta(days=1),
                ),
            )
            trainings.append(training_services.publish(actor=admin, training=training))
    return trainings
