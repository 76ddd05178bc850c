"""A small hand-built Bontang, and Kota Samarinda beside it, for the dashboard tests.

Two kecamatan carry the figures (Bontang Barat and Bontang Utara; Bontang Selatan stays
empty), several kelurahan, cadres of every status, a proposal in every state, and trainings
finished, held, upcoming, cancelled and out of the 90-day windows.
"""

import copy
import datetime
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation

from cadres import services as cadre_services
from cadres.models import Body, CadreProfile, Forum
from forkom.accounts.models import Position, Role, RoleAssignment
from forkom.territory.models import Region
from programs import services as program_services
from programs.models import Innovation, Proposal
from tests.cadres.factories import make_profile
from tests.conftest import (
    add_samarinda,
    kept_for_the_module,
    load_bontang,
    make_persona,
    make_user,
)
from tests.programs.factories import bring_to, make_proposal
from trainings.models import Registration, Training

State = Proposal.State


@pytest.fixture(autouse=True)
def _in_english(client):
    """Pages and messages in their English source, whatever the catalogue says."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def samarinda(other_kota):
    return other_kota


@pytest.fixture
def other_coordinator(samarinda):
    return make_persona(Role.CITY_COORDINATOR, "64.72")


@pytest.fixture
def kota_staff(bontang):
    """Dinsos-PM staff of Kota Bontang (a Dinas role held at the kota)."""
    return make_persona(Role.DINAS_STAFF, "64.74")


def _superuser():
    return make_user(is_superuser=True)


def cadre(kelurahan, status=CadreProfile.Status.VERIFIED, bodies=("Posyandu",)):
    """A cadre of `kelurahan` serving in `bodies`, brought to `status` through the services."""
    profile = make_profile(
        kelurahan=kelurahan,
        memberships=[
            (Body.objects.get_or_create(name=name)[0], "Anggota", 2020) for name in bodies
        ],
    )
    boss = _superuser()
    if status == CadreProfile.Status.VERIFIED:
        profile = cadre_services.verify_cadre(actor=boss, profile=profile)
    elif status == CadreProfile.Status.REJECTED:
        profile = cadre_services.reject_cadre(actor=boss, profile=profile, reason="NIK salah.")
    elif status == CadreProfile.Status.INACTIVE:
        profile = cadre_services.deactivate_cadre(actor=boss, profile=profile)
    return profile


def formed_forum(code, *, ketua=True, sk=True, ketua_ended=False):
    """A forum at `code`, with a ketua and an SK as asked (formed only with both)."""
    forum = Forum.objects.create(
        region_id=code,
        sk_number=f"SK/{code}/2026" if sk else "",
        sk_date=datetime.date(2026, 3, 1) if sk else None,
    )
    if ketua:
        user = make_persona(Role.FORUM_OFFICER, code, Position.KETUA)
        if ketua_ended:
            RoleAssignment.objects.filter(user=user).update(
                starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)
            )
    return forum


def training(kecamatan, starts_at, state, **fields):
    values = {
        "title": f"Pelatihan {kecamatan} {starts_at:%Y%m%d}",
        "organiser": "Dinsos-PM Kota Bontang",
        "venue": "Aula",
        "venue_kecamatan_id": kecamatan,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=6),
        "capacity": 30,
        "registration_opens_at": starts_at - timedelta(days=20),
        "registration_closes_at": starts_at - timedelta(hours=1),
        "state": state,
    }
    values.update(fields)
    return Training.objects.create(**values)


def seat(training, profile, status=Registration.Status.REGISTERED, attended=False, at=None):
    return Registration.objects.create(
        training=training,
        profile=profile,
        status=status,
        attended=attended,
        created_at=at or timezone.now(),
    )


@dataclass
class World:
    coordinator: object
    other_coordinator: object
    staff: object
    officers: dict
    proposals: dict
    oldest_recommended: object


@pytest.fixture(scope="module")
def _world_of_the_module(request, django_db_setup, django_db_blocker, _deletion_log_directory):
    """The data set built once for a module whose every test asks for it (about half a
    second), when the module says so with WORLD_FOR_THE_MODULE = True."""
    if not getattr(request.module, "WORLD_FOR_THE_MODULE", False):
        yield None
        return
    yield from kept_for_the_module(
        world_with_its_people, django_db_blocker, _deletion_log_directory
    )


@pytest.fixture
def world(_world_of_the_module, db, request):
    """The hand-built data set; the tests count it again on their own.

    In a module that builds it once, each test starts from it with copies of its objects;
    its people are `world.coordinator` and the like there, not the fixtures of the same
    name, which would make them a second time. Elsewhere it is built for the test, with
    those fixtures' people."""
    if _world_of_the_module is not None:
        return copy.deepcopy(_world_of_the_module)
    request.getfixturevalue("samarinda")
    return build_world(
        request.getfixturevalue("coordinator"),
        request.getfixturevalue("other_coordinator"),
        request.getfixturevalue("staff"),
    )


def world_with_its_people():
    """The data set with the regions and people of the fixtures `world` asks for."""
    load_bontang()
    add_samarinda()
    return build_world(
        make_persona(Role.CITY_COORDINATOR, "64.74"),
        make_persona(Role.CITY_COORDINATOR, "64.72"),
        make_persona(Role.DINAS_STAFF, "64", email="staf@test.forkom.id"),
    )


def build_world(coordinator, other_coordinator, staff):
    now = timezone.now()
    # Forums: Bontang Barat formed; Bontang Utara has its SK but no ketua.
    formed_forum("64.74.03")
    formed_forum("64.74.01", ketua=False)
    formed_forum("64.74.03.1001")  # Belimbing: formed
    formed_forum("64.74.03.1002", sk=False)  # a ketua without SK: not formed
    formed_forum("64.74.03.1003", ketua_ended=True)  # the ketua's term ended: not formed
    formed_forum("64.74.01.1001")  # Bontang Kuala: formed
    formed_forum("64.72.01.1001")  # Rawa Makmur (Samarinda): formed

    verified = CadreProfile.Status.VERIFIED
    waiting = CadreProfile.Status.WAITING
    belimbing = [
        cadre("64.74.03.1001", verified, ("Posyandu", "PKK")),
        cadre("64.74.03.1001", verified, ("Karang Taruna",)),
        cadre("64.74.03.1001", waiting, ("Posyandu",)),
    ]
    telihan = [
        cadre("64.74.03.1002", verified, ("LPM",)),
        cadre("64.74.03.1002", CadreProfile.Status.REJECTED, ("LPM",)),
    ]
    kuala = [
        cadre("64.74.01.1001", verified, ("Posyandu",)),
        cadre("64.74.01.1001", waiting, ("PKK",)),
        cadre("64.74.01.1001", waiting, ("PKK",)),
    ]
    cadre("64.74.01.1002", CadreProfile.Status.INACTIVE, ("Posyandu",))
    rawa = [cadre("64.72.01.1001", verified, ("Posyandu",))]

    # Officers of the kecamatan forums recommend; the coordinators escalate; staff accept.
    officers = {
        "64.74.03": make_persona(Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS),
        "64.74.01": make_persona(Role.FORUM_OFFICER, "64.74.01", Position.SEKRETARIS),
        "64.72.01": make_persona(Role.FORUM_OFFICER, "64.72.01", Position.KETUA),
    }
    proposals = {}

    def proposal(proposer, location, state, kecamatan, title, chain_coordinator=coordinator):
        made = make_proposal(
            proposer.user, location=Region.objects.get(code=location), title=title
        )
        made = bring_to(
            made,
            state,
            officer=officers[kecamatan],
            coordinator=chain_coordinator,
            staff=staff,
        )
        proposals[title] = made
        return made

    barat = belimbing[0]
    for state in (
        State.DRAFT,
        State.SUBMITTED,
        State.RECOMMENDED,
        State.ESCALATED,
        State.ACCEPTED,
        State.RETURNED,
        State.DECLINED,
    ):
        proposal(barat, "64.74.03.1002", state, "64.74.03", f"Barat {state}")
    proposal(belimbing[1], "64.74.03.1001", State.RECOMMENDED, "64.74.03", "Barat recommended 2")
    withdrawn = proposal(barat, "64.74.03.1001", State.SUBMITTED, "64.74.03", "Barat withdrawn")
    proposals["Barat withdrawn"] = program_services.withdraw_proposal(
        actor=barat.user, proposal=withdrawn, reason="Tidak jadi."
    )
    proposal(kuala[0], "64.74.01.1001", State.RECOMMENDED, "64.74.01", "Utara recommended")
    proposal(kuala[0], "64.74.01.1002", State.SUBMITTED, "64.74.01", "Utara submitted")
    proposal(
        rawa[0],
        "64.72.01.1001",
        State.ESCALATED,
        "64.72.01",
        "Samarinda escalated",
        chain_coordinator=other_coordinator,
    )
    # The oldest recommended proposal of Bontang has waited ten days.
    oldest = now - timedelta(days=10, hours=2)
    Proposal.objects.filter(title="Utara recommended").update(state_changed_at=oldest)
    Proposal.objects.filter(title="Barat recommended").update(
        state_changed_at=now - timedelta(days=3)
    )

    # Trainings: venue by kecamatan.
    finished = training("64.74.03", now - timedelta(days=30), Training.State.FINISHED)
    old_finished = training("64.74.03", now - timedelta(days=200), Training.State.FINISHED)
    training("64.74.03", now + timedelta(days=10), Training.State.PUBLISHED)
    training("64.74.03", now + timedelta(days=80), Training.State.PUBLISHED)
    training("64.74.01", now - timedelta(days=5), Training.State.PUBLISHED)  # held, not closed
    training("64.74.01", now - timedelta(days=10), Training.State.CANCELLED)
    training("64.74.01", now + timedelta(days=20), Training.State.DRAFT)
    training("64.74.02", now + timedelta(days=120), Training.State.PUBLISHED)
    training("64.72.01", now - timedelta(days=2), Training.State.FINISHED)
    last_month = now - timedelta(days=40)
    seat(finished, belimbing[0], attended=True, at=last_month)
    seat(finished, belimbing[1], attended=True, at=last_month)
    seat(finished, telihan[0], attended=False, at=last_month)
    seat(finished, kuala[0], attended=True, at=last_month)
    seat(finished, kuala[1], status=Registration.Status.CANCELLED, at=last_month)
    seat(finished, belimbing[2], status=Registration.Status.WAITLISTED, at=last_month)
    seat(old_finished, kuala[0], attended=False, at=now - timedelta(days=210))
    seat(old_finished, belimbing[0], attended=True, at=now - timedelta(days=400))

    # An innovation of Belimbing channelled to the province.
    innovation = Innovation.objects.create(
        recorded_by=belimbing[0],
        title="Bank sampah digital",
        description="Warga menabung sampah.",
        kelurahan_id="64.74.03.1001",
        results="500 kg per bulan.",
        impact="Sungai lebih bersih.",
        state=Innovation.State.PUBLISHED,
        published_at=now - timedelta(days=3),
        channelled_at=now - timedelta(days=1),
    )
    assert innovation.pk
    return World(
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        staff=staff,
        officers=officers,
        proposals=proposals,
        oldest_recommended=oldest,
    )
