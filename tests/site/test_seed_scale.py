"""seed_scale at tiny sizes: the synthetic data keeps every rule the portal keeps."""

import importlib
import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test import override_settings

from cadres import selectors as cadre_selectors
from cadres.models import (
    AreaBodyCount,
    AreaStatusCount,
    CadreEvent,
    CadreMembership,
    CadreProfile,
    ConsentRecord,
    Forum,
    ForumEvent,
    ForumMember,
)
from cadres.nik import parse_nik
from cadres.phones import normalize_phone
from devdata.management.commands.seed_scale import SEED_DOMAIN
from forkom.accounts.models import Position, Role, RoleAssignment, User
from forkom.territory.models import Region
from programs.models import Innovation, InnovationEvent, Proposal, ProposalAid, ProposalEvent
from tests.conftest import BONTANG_CSV, kept_for_the_module, load_bontang
from trainings.models import Registration, SignupSummary, Training, TrainingEvent
from trainings.selectors import signup_summary_mismatches

SIZES = {"cadres": 150, "proposals": 80, "trainings": 12, "signups": 150, "innovations": 15}
seed_lists = importlib.import_module("cadres.migrations.0002_seed_lists").seed


def seed_scale(*arguments, **sizes):
    out = StringIO()
    options = [f"--{name}={size}" for name, size in {**SIZES, **sizes}.items()]
    call_command(
        "seed_scale", *options, f"--regions={BONTANG_CSV}", "--seed=7", *arguments, stdout=out
    )
    return out.getvalue()


def load_and_seed():
    load_bontang()
    with override_settings(DEBUG=True):
        return seed_scale()


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, _deletion_log_directory):
    """Seeded once for the module (about half a second); each test's changes roll back.
    The tests of the command's refusals, which need an empty database, are in
    test_seed_scale_command.py."""
    yield from kept_for_the_module(load_and_seed, django_db_blocker, _deletion_log_directory)


@pytest.fixture
def seeded(_seeded_once, db, settings):
    settings.DEBUG = True
    return _seeded_once


def seeded_users():
    return User.objects.filter(email__endswith="@" + SEED_DOMAIN)


def test_it_seeds_the_sizes_asked_for(seeded):
    assert CadreProfile.objects.count() == SIZES["cadres"]
    assert Proposal.objects.count() == SIZES["proposals"]
    assert Training.objects.count() == SIZES["trainings"]
    assert Registration.objects.count() == SIZES["signups"]
    assert Innovation.objects.count() == SIZES["innovations"]
    # Every cadre, plus a coordinator for Kota Bontang and Dinas staff for Kalimantan Timur.
    assert seeded_users().count() == SIZES["cadres"] + 2
    assert ConsentRecord.objects.count() == SIZES["cadres"]
    assert not CadreProfile.objects.filter(memberships=None).exists()
    assert "Seeded" in seeded


def test_cadres_are_spread_over_every_kelurahan_with_every_status(seeded):
    kelurahan = Region.objects.filter(level=Region.Level.DESA_KELURAHAN)
    used = set(CadreProfile.objects.values_list("kelurahan_id", flat=True))
    assert used == set(kelurahan.values_list("code", flat=True))
    statuses = set(CadreProfile.objects.values_list("status", flat=True))
    assert statuses == set(CadreProfile.Status.values)


def test_every_nik_passes_the_structural_check_and_agrees_with_the_profile(seeded):
    profiles = list(CadreProfile.objects.all())
    for profile in profiles:
        checked = parse_nik(profile.nik)
        assert checked.is_valid, (profile.nik, checked.errors)
        assert checked.kecamatan_code == profile.kelurahan_id[:8]
        assert checked.sex == profile.sex
        assert checked.birth_date == profile.birth_date
    assert len({profile.nik for profile in profiles}) == len(profiles)


def test_phones_are_indonesian_mobile_numbers_in_e164(seeded):
    for phone in CadreProfile.objects.values_list("phone", flat=True):
        assert normalize_phone(phone) == phone


@pytest.mark.parametrize(
    "model",
    [
        User,
        RoleAssignment,
        ConsentRecord,
        CadreProfile,
        CadreMembership,
        CadreEvent,
        Forum,
        ForumMember,
        ForumEvent,
        Proposal,
        ProposalAid,
        ProposalEvent,
        Innovation,
        InnovationEvent,
        Training,
        Registration,
        TrainingEvent,
    ],
)
def test_every_row_passes_the_models_validation_and_constraints(seeded, model):
    rows = list(model.objects.all())
    assert rows
    for row in rows:
        # Fields (choices, lengths, foreign keys with their limits), uniques and constraints.
        row.full_clean()


def test_seeded_accounts_cannot_sign_in_with_a_password(seeded):
    assert not any(user.has_usable_password() for user in seeded_users())
    assert len(set(seeded_users().values_list("password", flat=True))) == seeded_users().count()


def test_each_cadres_timeline_ends_in_their_status_and_verified_cadres_hold_the_kader_role(
    seeded,
):
    for profile in CadreProfile.objects.prefetch_related("events"):
        events = list(profile.events.order_by("at", "pk"))
        assert (events[0].before, events[0].after) == ("", "waiting")
        for before, after in itertools.pairwise(events):
            assert after.before == before.after
            assert after.at >= before.at
        assert events[-1].after == profile.status
        roles = RoleAssignment.objects.filter(user=profile.user_id, role=Role.CADRE)
        if profile.status == CadreProfile.Status.VERIFIED:
            assert roles.current().filter(region=profile.kelurahan_id).count() == 1
        else:
            assert not roles.current().exists()


def test_proposals_reach_every_state_through_the_moves_the_services_allow(seeded):
    allowed = {
        ("", "draft"),
        ("draft", "submitted"),
        ("returned", "submitted"),
        ("submitted", "recommended"),
        ("recommended", "escalated"),
        ("escalated", "accepted"),
        *((step, "returned") for step in ("submitted", "recommended", "escalated")),
        *((step, "declined") for step in ("submitted", "recommended", "escalated")),
        *((step, "withdrawn") for step in ("submitted", "recommended", "escalated")),
    }
    roles = {
        "submitted": Role.FORUM_OFFICER,
        "recommended": Role.CITY_COORDINATOR,
        "escalated": Role.DINAS_STAFF,
    }
    assert set(Proposal.objects.values_list("state", flat=True)) == set(Proposal.State.values)
    for proposal in Proposal.objects.select_related("proposer", "location"):
        events = list(proposal.events.order_by("at", "pk"))
        moves = [(event.before, event.after) for event in events]
        assert set(moves) <= allowed
        assert all(a[1] == b[0] for a, b in itertools.pairwise(moves))
        assert events[-1].after == proposal.state
        assert events[-1].at == proposal.state_changed_at
        submitted = [event.at for event in events if event.after == "submitted"]
        assert proposal.first_submitted_at == (submitted[0] if submitted else None)
        assert proposal.location.parent_id == proposal.proposer.kelurahan_id[:8]
        assert proposal.aids.exists()
        for event in events:
            if event.before in roles and event.after != "withdrawn":
                assert event.actor_role == roles[event.before]
                if event.actor_id:
                    role, code = proposal.reviewer(event.before)
                    assert RoleAssignment.objects.current().filter(
                        Q(region=code) | Q(region__in=[code[:2], code[:5]]),
                        user=event.actor_id,
                        role=role,
                    )
            else:
                assert event.actor_id == proposal.proposer.user_id


def test_trainings_never_seat_more_than_their_capacity(seeded):
    trainings = Training.objects.annotate(
        seated=Count("registrations", filter=Q(registrations__status="registered")),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
        present=Count("registrations", filter=Q(registrations__attended=True)),
    )
    for training in trainings:
        assert training.seated <= training.capacity
        # The counter the catalogue reads agrees with the sign-ups.
        assert training.seats_taken == training.seated
        # Nobody waits while a seat is free: a freed seat goes to the first on the waitlist.
        assert not training.waiting or training.seated == training.capacity
        if training.state != Training.State.FINISHED:
            assert training.present == 0
        if training.state == Training.State.DRAFT:
            assert not training.registrations.exists()
    assert Training.objects.filter(state=Training.State.FINISHED, registrations__attended=True)
    for registration in Registration.objects.select_related("training", "profile"):
        assert registration.profile.status == CadreProfile.Status.VERIFIED
        training = registration.training
        opened, closed = training.registration_opens_at, training.registration_closes_at
        assert opened <= registration.created_at <= closed


def test_forum_officers_are_verified_cadres_of_their_forums_area(seeded):
    officers = RoleAssignment.objects.current().filter(role=Role.FORUM_OFFICER)
    assert officers.exists()
    for officer in officers.select_related("region", "user__cadre_profile"):
        profile = officer.user.cadre_profile
        assert profile.status == CadreProfile.Status.VERIFIED
        assert officer.region.contains(profile.kelurahan_id)
        assert ForumMember.objects.current().filter(forum=officer.region_id, profile=profile)
    # The pilot: every kecamatan of Bontang has a formed forum (an SK and a ketua).
    for kecamatan in Region.objects.filter(level=Region.Level.KECAMATAN):
        forum = Forum.objects.get(region=kecamatan)
        assert forum.has_sk
        assert officers.filter(region=kecamatan, position=Position.KETUA).count() == 1


def test_the_cadre_counts_per_kelurahan_match_a_recount_after_the_load(seeded):
    """Their triggers are off (PostgreSQL) or dropped (SQLite) during the load, the counts
    recounted after it, and the triggers back for what follows."""
    assert cadre_selectors.area_count_mismatches() == []
    assert sum(AreaStatusCount.objects.values_list("cadres", flat=True)) == SIZES["cadres"]
    seed_scale("--force")
    assert cadre_selectors.area_count_mismatches() == []
    assert AreaBodyCount.objects.filter(cadres__gt=0).exists()
    # The triggers are back: later writes are counted.
    CadreProfile.objects.filter(status=CadreProfile.Status.VERIFIED).update(
        status=CadreProfile.Status.INACTIVE
    )
    CadreMembership.objects.filter(pk__in=CadreMembership.objects.values("pk")[:5]).delete()
    assert cadre_selectors.area_count_mismatches() == []


def test_a_second_run_is_refused_unless_forced_and_then_appends(seeded):
    with pytest.raises(CommandError, match=r"already there.*--force"):
        seed_scale()
    assert CadreProfile.objects.count() == SIZES["cadres"]

    output = seed_scale("--force")

    assert "appending" in output
    assert CadreProfile.objects.count() == 2 * SIZES["cadres"]
    assert Proposal.objects.count() == 2 * SIZES["proposals"]
    # Officials are not made twice; cadre numbers go on from the last one.
    assert seeded_users().count() == 2 * SIZES["cadres"] + 2
    assert seeded_users().filter(email=f"kader{2 * SIZES['cadres']:07d}@{SEED_DOMAIN}").exists()
    for nik in CadreProfile.objects.values_list("nik", flat=True):
        assert parse_nik(nik).is_valid


def test_announcements_and_meetings_are_seeded_and_the_pilots_delivered(seeded):
    from cadres.announcements.selectors import recipients
    from cadres.models import Announcement, Meeting, MeetingInvitation
    from forkom.notifications.models import Notification

    kota = Announcement.objects.get(region_id="64.74")
    assert kota.state == Announcement.State.PUBLISHED
    reached = recipients(kota).count()
    assert reached > 0
    assert kota.delivered_to == reached
    assert (
        Notification.objects.filter(key__startswith=f"announcement:{kota.public_id}:").count()
        == reached
    )
    assert Meeting.objects.filter(region__code__startswith="64.74.").exists()
    invited = MeetingInvitation.objects.filter(meeting__region__code__startswith="64.74.")
    assert invited.exists()
    # Every invitee of a forum's meeting holds an officer's role in that forum.
    for invitation in invited.select_related("meeting"):
        assert RoleAssignment.objects.filter(
            user=invitation.user_id, role=Role.FORUM_OFFICER, region=invitation.meeting.region_id
        ).exists()


def test_the_sign_up_summary_counts_the_seeded_sign_ups(seeded):
    assert SignupSummary.objects.aggregate(total=Sum("signups"))["total"] == SIZES["signups"]
    assert signup_summary_mismatches() == []
    if connection.vendor == "postgresql":
        # Switched off for the load only: the next sign-up is counted again.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = "
                "'trainings_signupsummary_registration'"
            )
            assert cursor.fetchone() == ("O",)
