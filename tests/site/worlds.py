"""Three worlds built through the project's own services, for the authorization matrix and
the fuzz test: Kota Bontang and Kota Samarinda in Kalimantan Timur, and Kabupaten Bulungan in
Kalimantan Utara, each with officers, a coordinator, Dinas staff, verified, waiting and
assisted cadres, a NIK under review, a forum with a member, a submitted proposal with an
attachment and a comment, an innovation with a photo, a training with a sign-up, a prepared
download, an invitation, a deletion request and the emails all this sent."""

import base64
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadres import exports as cadre_exports
from cadres import services as cadre_services
from cadres.announcements import services as announcement_services
from cadres.forums import services as forum_services
from cadres.imports import services as import_services
from cadres.meetings import services as meeting_services
from forkom.accounts import services as account_services
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from programs import services as program_services
from programs.innovations import services as innovation_services
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_nik, profile_details
from tests.conftest import (
    add_bulungan,
    add_kalimantan_utara,
    add_samarinda,
    load_bontang,
    make_persona,
    make_user,
)
from tests.programs.factories import make_proposal
from tests.trainings.factories import make_training
from trainings import services as training_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The smallest valid PNG: 1x1 pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def covers(region, code):
    """Whether a persona of `region` stands over `code` (the same region or below it)."""
    return code == region or code.startswith(region + ".")


class World:
    """One kota or kabupaten with everything the site keeps about it."""

    def __init__(self, name, kota, kecamatan, kelurahan, province_staff):
        self.name, self.kota, self.kecamatan, self.kelurahan = name, kota, kecamatan, kelurahan
        self.province = kota.split(".")[0]
        self.rows = {}  # model -> primary keys created while building this world
        # Words that only this world's people and private work carry: none may appear on a
        # page or in a file of another region.
        self.markers = [f"Kader{name}", f"@{name.lower()}.test", f"Usulan{name}"]

        self.kelurahan_officer = make_persona(
            Role.FORUM_OFFICER, kelurahan, Position.KETUA, email=f"ketua@{name.lower()}.test"
        )
        self.kecamatan_officer = make_persona(
            Role.FORUM_OFFICER, kecamatan, Position.KETUA, email=f"ketuakec@{name.lower()}.test"
        )
        self.coordinator = make_persona(
            Role.CITY_COORDINATOR, kota, email=f"koordinator@{name.lower()}.test"
        )
        self.kota_staff = with_totp(
            make_persona(Role.DINAS_STAFF, kota, email=f"dinas@{name.lower()}.test")
        )
        self.province_staff = province_staff
        superuser = make_user(f"verifikator@{name.lower()}.test", is_superuser=True)

        nik_digits = kecamatan.replace(".", "")
        self.cadre = make_user(f"kader@{name.lower()}.test")
        cadre_services.record_consent(actor=self.cadre, user=self.cadre)
        self.profile = cadre_services.register_profile(
            actor=self.cadre,
            user=self.cadre,
            **profile_details(
                kelurahan,
                full_name=f"Kader{name} Terverifikasi",
                nik=make_nik(kecamatan=nik_digits),
                phone="0812-7000-0001",
            ),
        )
        self.profile = cadre_services.verify_cadre(actor=superuser, profile=self.profile)

        waiting_user = make_user(f"menunggu@{name.lower()}.test")
        cadre_services.record_consent(actor=waiting_user, user=waiting_user)
        self.waiting = cadre_services.register_profile(
            actor=waiting_user,
            user=waiting_user,
            **profile_details(
                kelurahan, full_name=f"Kader{name} Menunggu", nik=make_nik(kecamatan=nik_digits)
            ),
        )
        # Someone signs up with the verified cadre's NIK: a case for the officers.
        twin = make_user(f"kembar@{name.lower()}.test")
        cadre_services.record_consent(actor=twin, user=twin)
        self.twin = cadre_services.register_profile(
            actor=twin,
            user=twin,
            **profile_details(kelurahan, full_name=f"Kader{name} Kembar", nik=self.profile.nik),
        )
        self.assisted = cadre_services.register_assisted(
            actor=self.kelurahan_officer,
            **profile_details(
                kelurahan, full_name=f"Kader{name} Dibantu", nik=make_nik(kecamatan=nik_digits)
            ),
        )
        self.forum = forum_services.get_or_create_forum(region=Region.objects.get(code=kelurahan))
        forum_services.add_member(
            actor=self.kelurahan_officer, forum=self.forum, profile=self.profile
        )
        cadre_services.record_personal_data_view(actor=self.kota_staff, profile=self.profile)
        self.deletion_request = cadre_services.request_deletion(actor=twin, reason="Pindah.")

        self.proposal = make_proposal(
            self.cadre, kelurahan=kelurahan, title=f"Usulan{name} rumput laut"
        )
        self.attachment = program_services.attach_file(
            actor=self.cadre,
            proposal=self.proposal,
            upload=SimpleUploadedFile("rab.pdf", PDF, content_type="application/pdf"),
        )
        program_services.submit_proposal(actor=self.cadre, proposal=self.proposal)
        program_services.add_comment(
            actor=self.kecamatan_officer, proposal=self.proposal, body=f"Usulan{name} catatan"
        )

        self.innovation = innovation_services.record_innovation(
            actor=self.cadre,
            title=f"Usulan{name} inovasi",
            description="Dodol rumput laut.",
            kelurahan=Region.objects.get(code=kelurahan),
            results="Dijual di pasar.",
            impact="Pendapatan naik.",
        )
        self.photo = innovation_services.attach_photo(
            actor=self.cadre,
            innovation=self.innovation,
            upload=SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
        )

        # For the addressed cadres only: no other region may read it.
        self.announcement = announcement_services.publish(
            actor=self.coordinator,
            announcement=announcement_services.create_draft(
                actor=self.coordinator,
                region=Region.objects.get(code=kecamatan),
                title=f"Usulan{name} pengumuman",
                text="Rapat koordinasi.",
                audience="cadres",
            ),
        )

        # A kelurahan forum's meeting, held, minuted with a follow-up, published.
        started = timezone.now() - timedelta(days=2)
        self.meeting = meeting_services.schedule_meeting(
            actor=self.kelurahan_officer,
            region=Region.objects.get(code=kelurahan),
            title=f"Usulan{name} rapat",
            agenda="Laporan",
            place=f"Aula {name}",
            starts_at=started,
            ends_at=started + timedelta(hours=2),
            invitee_ids=[self.kelurahan_officer.pk, self.cadre.pk],
        )
        invitation = self.meeting.invitations.get(user=self.cadre)
        meeting_services.record_minutes(
            actor=self.kelurahan_officer,
            meeting=self.meeting,
            attended_ids=[invitation.pk],
            minutes=f"Usulan{name} notulen",
            decisions="",
            follow_ups=[meeting_services.FollowUpLine("RAB", invitation.pk, started.date())],
        )
        self.meeting = meeting_services.publish_minutes(
            actor=self.kelurahan_officer, meeting=self.meeting
        )
        self.follow_up = self.meeting.follow_ups.get()

        self.training = make_training(
            title=f"Pelatihan {name}",
            venue_kecamatan_id=kecamatan,
            venue=f"Aula {name}",
            organiser=f"Dinas {name}",
        )
        self.registration = training_services.sign_up(
            actor=self.cadre, training=self.training, profile=self.profile
        )
        self.export_job = cadre_exports.request_export(actor=self.kota_staff, query="")
        sheet = "NIK;Nama Lengkap;JK;Tgl Lahir;No HP;Kelurahan;Lembaga\n" + (
            f"{make_nik(kecamatan=nik_digits)};Kader{name} Impor;P;17/08/1990;0812-3456-7000;"
            f"{kelurahan};Posyandu\n"
            f"123;Kader{name} Ditolak;P;17/08/1990;0812;{kelurahan};Posyandu\n"
        )
        self.cadre_import = import_services.upload_import(
            actor=self.kota_staff,
            area=Region.objects.get(code=kota),
            upload=SimpleUploadedFile("kader.csv", sheet.encode(), content_type="text/csv"),
        )
        import_services.run_check(self.cadre_import.pk)
        self.invitation, _token = account_services.invite_to_role(
            actor=self.kota_staff,
            email=f"undangan@{name.lower()}.test",
            role=Role.DINAS_STAFF,  # the kota has its coordinator: a second is not invited
            region=Region.objects.get(code=kota),
        )

    def personas(self):
        return {
            "cadre": self.cadre,
            "kelurahan_officer": self.kelurahan_officer,
            "kecamatan_officer": self.kecamatan_officer,
            "coordinator": self.coordinator,
            "kota_staff": self.kota_staff,
            "province_staff": self.province_staff,
        }


# The region each persona of Bontang stands over.
PERSONA_REGIONS = {
    "anonymous": None,
    "cadre": "64.74.03.1001",
    "kelurahan_officer": "64.74.03.1001",
    "kecamatan_officer": "64.74.03",
    "coordinator": "64.74",
    "kota_staff": "64.74",
    "province_staff": "64",
}


def tracked_models():
    return [model for model in apps.get_models() if not model._meta.proxy]


def primary_keys():
    return {
        model: set(model._default_manager.values_list("pk", flat=True))
        for model in tracked_models()
    }


def build_worlds():
    """The three worlds, by key: "bontang", "samarinda", "bulungan"."""
    load_bontang()
    add_samarinda()
    add_kalimantan_utara()
    add_bulungan()
    kaltim_staff = with_totp(make_persona(Role.DINAS_STAFF, "64", email="dinas@kaltim.id"))
    kaltara_staff = with_totp(make_persona(Role.DINAS_STAFF, "65", email="dinas@kaltara.id"))
    built = {}
    for key, args in {
        "bontang": ("Bontang", "64.74", "64.74.03", "64.74.03.1001", kaltim_staff),
        "samarinda": ("Samarinda", "64.72", "64.72.01", "64.72.01.1001", kaltim_staff),
        "bulungan": ("Bulungan", "65.01", "65.01.01", "65.01.01.1001", kaltara_staff),
    }.items():
        before = primary_keys()
        world = World(*args)
        after = primary_keys()
        world.rows = {model: after[model] - before[model] for model in after}
        built[key] = world
    return built


@pytest.fixture
def worlds(db, settings, tmp_path):
    """The worlds built for the test alone (the browser's, whose live server needs them
    committed); the tests of tests/site share theirs within a module (conftest.py there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_worlds()


def foreign_worlds(worlds, persona):
    """The worlds wholly outside the persona's region."""
    region = PERSONA_REGIONS[persona]
    return [
        world
        for key, world in worlds.items()
        if key != "bontang" and (region is None or not covers(region, world.kota))
    ]


def persona_user(worlds, persona):
    return None if persona == "anonymous" else worlds["bontang"].personas()[persona]
