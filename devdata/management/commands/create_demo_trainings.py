"""Demo trainings: the forum's first training, past and with its attendance, and one to come.

Development only. Runs after create_demo_accounts (which needs the Bontang territory) and is
idempotent: a second run finds what the first made and adds nothing. Fast: rows go in with
bulk inserts and the synthetic participants get unusable passwords (no hashing).
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cadres.consent import CONSENT_VERSION
from cadres.models import (
    Body,
    CadreEvent,
    CadreMembership,
    CadreProfile,
    ConsentRecord,
    Education,
    Sex,
    Topic,
)
from forkom.accounts.models import Role, RoleAssignment, User
from forkom.events import recorded
from forkom.territory.models import Region
from trainings.models import Registration, Training, TrainingEvent

PAST_TITLE = "Pelatihan Peningkatan Peran dan Kapasitas SDM"
UPCOMING_TITLE = "Pelatihan Pemasaran Digital untuk Kader dan UMKM"
KECAMATAN = "64.74.03"  # Bontang Barat
KELURAHAN = ["64.74.03.1001", "64.74.03.1002", "64.74.03.1003"]
# 41 participants: (body, how many). "Kader Posyandu" are the cadres of the Posyandu body.
BODIES = [
    ("Karang Taruna", 11),
    ("LPM", 10),
    ("Posyandu", 10),
    ("Kader Pemberdayaan Masyarakat", 10),
]
EMAIL = "peserta{:02d}@demo.forkom.id"

# Synthetic names: common Indonesian given names and family names, combined.
WOMEN = ["Siti", "Nur", "Dewi", "Rina", "Wulan", "Fitri", "Ayu", "Lestari", "Yuni", "Ratna"]
MEN = ["Ahmad", "Budi", "Rudi", "Agus", "Hendra", "Yusuf", "Irfan", "Dedi", "Joko", "Arif"]
FAMILY = [
    "Rahmawati", "Saputra", "Hidayat", "Kurniawan", "Pratama", "Santoso", "Wijaya", "Lestari",
    "Nugroho", "Syahrani", "Maulana", "Handayani", "Setiawan", "Ramadhan", "Utami",
]  # fmt: skip


class Command(BaseCommand):
    help = "Create the demo trainings and their participants. Development only (DEBUG on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo trainings exist only in development: set DEBUG=true.")
        needed = {KECAMATAN, *KELURAHAN}
        if len(Region.objects.filter(code__in=needed)) != len(needed):
            raise CommandError("Import the Bontang territory first (make run does).")
        bodies = {body.name: body for body in Body.objects.filter(name__in=dict(BODIES))}
        if len(bodies) != len(BODIES):
            raise CommandError("The bodies list is missing entries: run the migrations first.")
        with transaction.atomic():
            past = self._past_training(bodies)
            upcoming = self._upcoming_training()
        self.stdout.write(
            f"Demo trainings: {past.title!r} (finished, {past.registrations.count()} "
            f"participants), {upcoming.title!r} (open for registration)."
        )

    def _past_training(self, bodies):
        training = Training.objects.filter(title=PAST_TITLE).first()
        if training is not None:
            return training
        starts = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.get_current_timezone())
        training = Training.objects.create(
            title=PAST_TITLE,
            description=(
                "Pelatihan pertama Forkom KPM Kota Bontang: peran kader pemberdayaan "
                "masyarakat, kepemimpinan, dan penyusunan program berbasis kebutuhan warga."
            ),
            organiser="Dinas PMPD Provinsi Kaltim bersama Dinsos-PM Kota Bontang",
            venue="Aula Kecamatan Bontang Barat",
            venue_kecamatan_id=KECAMATAN,
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            capacity=41,
            registration_opens_at=starts - timedelta(days=21),
            registration_closes_at=starts - timedelta(days=2),
            state=Training.State.FINISHED,
        )
        training.topics.set(
            Topic.objects.filter(
                name__in=["Kepemimpinan dan organisasi", "Penyusunan proposal program"]
            )
        )
        training.eligible_bodies.set(bodies.values())
        profiles = self._participants(bodies, signed_up=starts - timedelta(days=10))
        registrations = Registration.objects.bulk_create(
            Registration(
                training=training,
                profile=profile,
                status=Registration.Status.REGISTERED,
                attended=True,
                created_at=starts - timedelta(days=10, minutes=-index),
            )
            for index, profile in enumerate(profiles)
        )
        # Written in bulk, not through sign_up: the counter the lists read is set here.
        training.seats_taken = len(registrations)
        training.save(update_fields=["seats_taken"])
        TrainingEvent.objects.bulk_create(
            [
                TrainingEvent(training=training, kind=TrainingEvent.Kind.CREATED, after="draft"),
                TrainingEvent(
                    training=training,
                    kind=TrainingEvent.Kind.PUBLISHED,
                    before="draft",
                    after="published",
                ),
                *(
                    TrainingEvent(
                        training=training,
                        registration=registration,
                        kind=TrainingEvent.Kind.REGISTERED,
                        after="registered",
                    )
                    for registration in registrations
                ),
                TrainingEvent(
                    training=training,
                    kind=TrainingEvent.Kind.ATTENDANCE,
                    after=str(len(registrations)),
                    # Written as the attendance service writes it, in the records' language.
                    note=recorded(
                        gettext_lazy("%(present)d of %(seated)d present"),
                        {"present": len(registrations), "seated": len(registrations)},
                    ),
                ),
                TrainingEvent(
                    training=training,
                    kind=TrainingEvent.Kind.FINISHED,
                    before="published",
                    after="finished",
                ),
            ]
        )
        return training

    def _participants(self, bodies, signed_up):
        """41 verified cadres of Bontang Barat; existing ones (same email) are reused."""
        specs = []
        for body_name, count in BODIES:
            specs.extend([body_name] * count)
        emails = [EMAIL.format(number) for number in range(1, len(specs) + 1)]
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        new_users = []
        for number, email in enumerate(emails, start=1):
            if email not in users:
                first, last, _sex = self._name(number)
                user = User(email=email, first_name=first, last_name=last)
                user.set_unusable_password()  # demo participants never sign in: no hashing
                new_users.append(user)
        for user in User.objects.bulk_create(new_users):
            users[user.email] = user
        existing = {
            profile.user_id: profile
            for profile in CadreProfile.objects.filter(user__in=users.values())
        }
        new_profiles = []
        new_memberships = []
        for number, (email, body_name) in enumerate(zip(emails, specs, strict=True), start=1):
            user = users[email]
            if user.pk in existing:
                continue
            first, last, sex = self._name(number)
            birth = date(1975 + number % 25, 1 + number % 12, 1 + number % 28)
            profile = CadreProfile(
                user=user,
                full_name=f"{first} {last}",
                nik=synthetic_nik(number, sex, birth),
                sex=sex,
                birth_place="Bontang",
                birth_date=birth,
                phone=f"+62812{5400_0000 + number:08d}",
                address=f"Jl. Demo No. {number}, Bontang Barat",
                kelurahan_id=KELURAHAN[number % len(KELURAHAN)],
                education=Education.SMA,
                status=CadreProfile.Status.VERIFIED,
            )
            new_profiles.append(profile)
            new_memberships.append((profile, bodies[body_name]))
        CadreProfile.objects.bulk_create(new_profiles)
        CadreMembership.objects.bulk_create(
            CadreMembership(profile=profile, body=body, position="Anggota")
            for profile, body in new_memberships
        )
        CadreEvent.objects.bulk_create(
            event
            for profile in new_profiles
            for event in (
                CadreEvent(profile=profile, after=CadreProfile.Status.WAITING),
                CadreEvent(
                    profile=profile,
                    before=CadreProfile.Status.WAITING,
                    after=CadreProfile.Status.VERIFIED,
                ),
            )
        )
        ConsentRecord.objects.bulk_create(
            ConsentRecord(user=profile.user, version=CONSENT_VERSION, agreed_at=signed_up)
            for profile in new_profiles
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                user=profile.user,
                role=Role.CADRE,
                region_id=profile.kelurahan_id,
                starts_on=signed_up.date(),
            )
            for profile in new_profiles
        )
        return list(CadreProfile.objects.filter(user__email__in=emails).order_by("user__email"))

    def _name(self, number):
        """A different name for each of the 41 numbers: women odd, men even."""
        given = WOMEN if number % 2 else MEN
        family = FAMILY[(number * 7) % len(FAMILY)]
        return given[(number // 2) % len(given)], family, Sex.FEMALE if number % 2 else Sex.MALE

    def _upcoming_training(self):
        training = Training.objects.filter(title=UPCOMING_TITLE).first()
        if training is not None:
            return training
        today = timezone.localdate()
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=21), time(8, 30)))
        training = Training.objects.create(
            title=UPCOMING_TITLE,
            description=(
                "Memasarkan produk UMKM warga lewat media sosial dan lokapasar: foto produk, "
                "katalog WhatsApp Business, dan pencatatan penjualan sederhana."
            ),
            organiser="Dinsos-PM Kota Bontang",
            venue="Aula Kelurahan Belimbing",
            venue_kecamatan_id=KECAMATAN,
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            capacity=30,
            registration_opens_at=timezone.make_aware(
                datetime.combine(today - timedelta(days=7), time(8, 0))
            ),
            registration_closes_at=starts - timedelta(days=2),
            state=Training.State.PUBLISHED,
        )
        training.topics.set(
            Topic.objects.filter(name__in=["Pemasaran digital", "Kewirausahaan dan UMKM"])
        )
        TrainingEvent.objects.bulk_create(
            [
                TrainingEvent(training=training, kind=TrainingEvent.Kind.CREATED, after="draft"),
                TrainingEvent(
                    training=training,
                    kind=TrainingEvent.Kind.PUBLISHED,
                    before="draft",
                    after="published",
                ),
            ]
        )
        return training


def synthetic_nik(number, sex, birth):
    """A structurally valid NIK issued in Bontang Barat (6474 03), serials from 9001 up."""
    day = birth.day + 40 if sex == Sex.FEMALE else birth.day
    return f"647403{day:02d}{birth.month:02d}{birth.year % 100:02d}{9000 + number:04d}"
