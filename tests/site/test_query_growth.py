"""No page's number of queries grows with the data it shows (issue 18).

One world of Kota Bontang is built through the services (tests/site/worlds.py); every GET
page of the site is asked for by the persona `make bench` asks as (bench/pages.py), every
admin list and the admin pages of the world's main rows by the province's Dinas staff, and
their queries are counted. Then more of everything each persona sees is added in the same
kelurahan, kecamatan and kota (cadres, forum members, proposals with comments, sign-ups,
trainings, announcements, meetings, innovations, looks at personal data), and every page is
counted again: a list that read its rows' related rows one by one would count more.

Counted twice at two sizes after a first growth, so that a page whose empty state reads less
than its filled one (an empty list) is compared filled with filled.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench import pages
from cadres import services as cadre_services
from cadres.announcements import services as announcement_services
from cadres.forums import services as forum_services
from cadres.meetings import services as meeting_services
from forkom.accounts.models import Role
from forkom.territory.models import Region
from programs import services as program_services
from programs.innovations import services as innovation_services
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_nik, profile_details
from tests.conftest import load_bontang, make_persona, make_user
from tests.programs.factories import make_proposal
from tests.site.test_authorization_matrix import LIST_ROUTES, OBJECT_ROUTES
from tests.site.worlds import PNG, World
from tests.trainings.factories import make_training
from trainings import services as training_services

# Pages that do not answer 200 to their persona in this world, with the reason.
NOT_ANSWERED = {
    "trainings:certificate": "the world's cadre has attended no finished training",
    "programs:innovation": "the world's innovation is not published yet",
    "programs:edit": "the world's proposal is submitted: only a draft is edited (409)",
    "cadres:register": "the cadre is registered already: sent to the profile",
    "dashboard:home": "sends the coordinator on to the city's dashboard",
    "set_language": "sends the visitor back",
    "favicon": "sends the browser to the icon",
    "account_confirm_reauthentication_code": "no code was sent: sent back",
    "account_set_password": "the cadre has a password: sent to change it",
    "account_confirm_login_code": "no code was sent: sent back",
    "mfa_authenticate": "no sign-in is waiting for a second factor: sent back",
    "mfa_activate_totp": "the staff member's TOTP is on already",
    "mfa_deactivate_totp": "asks to reauthenticate first",
    "mfa_generate_recovery_codes": "asks to reauthenticate first",
    "admin:auth_group_changelist": "a superuser's (forkom.admin.SuperusersOnly)",
    "admin:account_emailaddress_changelist": "a superuser's",
    "admin:mfa_authenticator_changelist": "a superuser's",
    "admin:django_tasks_database_dbtaskresult_changelist": "a superuser's",
}


def persona_of(world, persona):
    return {
        pages.ANONYMOUS: None,
        pages.CADRE: world.cadre,
        pages.KELURAHAN_OFFICER: world.kelurahan_officer,
        pages.KECAMATAN_OFFICER: world.kecamatan_officer,
        pages.COORDINATOR: world.coordinator,
        pages.STAFF: world.province_staff,
    }[persona]


def paths(world):
    """(name, persona, path) of every site page the bench times that this world can build."""
    found = []
    for name, route in pages.SITE_ROUTES.items():
        kwargs = OBJECT_ROUTES[name](world) if name in OBJECT_ROUTES else LIST_ROUTES.get(name)
        try:
            path = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:  # a page about a key only the bench's seed has (a token)
            continue
        found.append((name, route.persona, path))
    return found


def admin_paths(world):
    """Every admin list, and the change and history pages of the world's main rows, as the
    province's Dinas staff."""
    rows = {
        "cadres.cadreprofile": world.profile,
        "programs.proposal": world.proposal,
        "trainings.training": world.training,
        "cadres.forum": world.forum,
        "cadres.meeting": world.meeting,
        "cadres.announcement": world.announcement,
        "programs.innovation": world.innovation,
        "accounts.user": world.cadre,
    }
    found = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        found.append(
            (f"admin:{label}_changelist", pages.STAFF, reverse(f"admin:{label}_changelist"))
        )
        row = rows.get(model._meta.label_lower)
        if row is not None:
            for view in ("change", "history"):
                name = f"admin:{label}_{view}"
                found.append((name, pages.STAFF, reverse(name, args=[row.pk])))
    return found


def counts(client, world):
    """name -> (status, queries) of every page, each asked once before it is counted."""
    counted = {}
    for name, persona, path in [*paths(world), *admin_paths(world)]:
        user = persona_of(world, persona)
        client.logout()
        if user is not None:
            client.force_login(user)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        counted[name] = (response.status_code, len(captured))
    return counted


def grow(world, start, number):
    """`number` more of everything the world's personas see, numbered from `start`."""
    kelurahan = Region.objects.get(code=world.kelurahan)
    kecamatan = Region.objects.get(code=world.kecamatan)
    superuser = make_user(f"verifikator{start}@tumbuh.test", is_superuser=True)
    for index in range(start, start + number):
        user = make_user(f"kader{index}@tumbuh.test")
        cadre_services.record_consent(actor=user, user=user)
        profile = cadre_services.verify_cadre(
            actor=superuser,
            profile=cadre_services.register_profile(
                actor=user,
                user=user,
                **profile_details(
                    world.kelurahan,
                    full_name=f"Kader Tumbuh {index}",
                    nik=make_nik(kecamatan=world.kecamatan.replace(".", "")),
                ),
            ),
        )
        forum_services.add_member(
            actor=world.kelurahan_officer, forum=world.forum, profile=profile
        )
        cadre_services.record_personal_data_view(actor=world.kota_staff, profile=profile)
        # Their proposals and the cadre's own, submitted, commented, one recommended.
        for proposer in (user, world.cadre):
            proposal = make_proposal(
                proposer, kelurahan=world.kelurahan, title=f"Usulan tumbuh {index}"
            )
            program_services.submit_proposal(actor=proposer, proposal=proposal)
            program_services.add_comment(
                actor=world.kecamatan_officer, proposal=proposal, body=f"Catatan {index}"
            )
        program_services.recommend_proposal(actor=world.kecamatan_officer, proposal=proposal)
        innovation = innovation_services.record_innovation(
            actor=user,
            title=f"Inovasi tumbuh {index}",
            description="Keripik.",
            kelurahan=kelurahan,
            results="Dijual.",
            impact="Naik.",
        )
        innovation_services.attach_photo(
            actor=user,
            innovation=innovation,
            upload=SimpleUploadedFile(f"foto{index}.png", PNG, content_type="image/png"),
        )
        # A seat (or a place on the waitlist) in the world's training; a new training the
        # cadre signs up for.
        training_services.sign_up(actor=user, training=world.training, profile=profile)
        training = make_training(
            title=f"Pelatihan tumbuh {index}", venue_kecamatan_id=world.kecamatan, capacity=50
        )
        training_services.sign_up(actor=world.cadre, training=training, profile=world.profile)
        training_services.sign_up(actor=user, training=training, profile=profile)
        announcement_services.publish(
            actor=world.coordinator,
            announcement=announcement_services.create_draft(
                actor=world.coordinator,
                region=kecamatan,
                title=f"Pengumuman tumbuh {index}",
                text="Rapat.",
                audience="cadres",
            ),
        )
        starts = timezone.now() + timedelta(days=3 + index)
        meeting_services.schedule_meeting(
            actor=world.kelurahan_officer,
            region=kelurahan,
            title=f"Rapat tumbuh {index}",
            agenda="Laporan",
            place="Aula",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            invitee_ids=[world.kelurahan_officer.pk, world.cadre.pk, user.pk],
        )


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_bontang()
    staff = with_totp(make_persona(Role.DINAS_STAFF, "64", email="dinas@kaltim.id"))
    return World("Bontang", "64.74", "64.74.03", "64.74.03.1001", staff)


def test_no_page_reads_more_queries_with_more_rows(client, world):
    grow(world, 0, 2)
    smaller = counts(client, world)
    grow(world, 2, 4)
    larger = counts(client, world)
    grown = {
        name: f"{smaller[name][1]} queries with 3 of each, {larger[name][1]} with 7"
        for name in smaller
        if smaller[name] != larger[name]
    }
    assert grown == {}
    # Every other page answered, so that none passes by answering an error at both sizes.
    assert {name for name, (status, _queries) in larger.items() if status != 200} == set(
        NOT_ANSWERED
    )
