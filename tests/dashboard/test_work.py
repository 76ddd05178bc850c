"""The role home at `/`: once signed in, each person lands on what they have to do now."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres import services as cadre_services
from cadres.forums import services as forum_services
from cadres.models import CadreProfile, FollowUp, Meeting
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from programs import services as program_services
from programs.models import Proposal
from tests.cadres.factories import make_profile
from tests.cadres.test_meetings import call
from tests.conftest import PASSWORD, make_persona, make_user
from tests.programs.factories import bring_to, make_proposal, make_verified_profile
from tests.trainings.factories import make_training
from trainings import services as training_services


def work(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.context["work"], response.text


def test_visitors_keep_the_public_home(client, bontang):
    response = client.get(reverse("home"))
    assert "work" not in response.context
    assert "Tanjung Laut Indah" in response.text


def test_signing_in_lands_on_the_role_home(client, bontang):
    make_user("baru@test.forkom.id")
    response = client.post(
        reverse("account_login"),
        {"login": "baru@test.forkom.id", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "work" in response.context


def test_a_new_account_is_asked_to_complete_the_profile(client, bontang):
    user = make_user()
    found, text = work(client, user)
    assert found.has_profile_step
    assert found.profile is None
    assert reverse("cadres:register") in text
    assert f"Welcome, {user.email}" in text  # no name yet


def test_a_cadre_is_greeted_by_the_name_on_their_profile(client, bontang):
    waiting = make_profile(full_name="Andi Warga")
    assert waiting.user.first_name == ""  # the profile's name is not copied to the account
    _found, text = work(client, waiting.user)
    assert "Welcome, Andi Warga" in text


def test_a_waiting_cadre_is_told_so_and_sees_trainings_and_proposals(client, bontang):
    waiting = make_profile()
    found, _text = work(client, waiting.user)
    assert found.has_profile_step
    assert found.profile == waiting

    verified = make_verified_profile()
    training = make_training()
    training_services.sign_up(actor=verified.user, training=training, profile=verified)
    make_proposal(verified.user)
    found, text = work(client, verified.user)
    assert not found.has_profile_step
    assert [r.training for r in found.registrations] == [training]
    assert found.proposals_by_state == [(Proposal.State.DRAFT.label, 1)]
    assert training.title in text


def test_a_cadre_s_home_counts_their_proposals_and_their_team_s_and_lists_the_returned(
    client, kecamatan_officer, coordinator, staff
):
    cadre = make_verified_profile(kelurahan="64.74.03.1001")
    colleague = make_verified_profile(kelurahan="64.74.03.1002")
    chain = {"officer": kecamatan_officer, "coordinator": coordinator, "staff": staff}
    make_proposal(colleague.user, title="Usulan rekan saja")  # not the cadre's
    bring_to(
        make_proposal(colleague.user, title="Usulan bersama", team=[cadre]),
        Proposal.State.SUBMITTED,
        **chain,
    )
    for number in range(6):
        proposal = bring_to(
            make_proposal(cadre.user, title=f"Dikembalikan {number}"),
            Proposal.State.SUBMITTED,
            **chain,
        )
        program_services.return_proposal(
            actor=kecamatan_officer, proposal=proposal, note="Lengkapi anggarannya."
        )
    make_proposal(cadre.user, title="Draf baru")

    found, text = work(client, cadre.user)

    assert found.proposals_by_state == [
        (str(Proposal.State.DRAFT.label), 1),
        (str(Proposal.State.SUBMITTED.label), 1),  # the team's
        (str(Proposal.State.RETURNED.label), 6),
    ]
    # The five returned longest ago, the oldest first, each with its link.
    assert [proposal.title for proposal in found.returned] == [
        f"Dikembalikan {number}" for number in range(5)
    ]
    for proposal in found.returned:
        assert proposal.get_absolute_url() in text


def test_a_cancelled_or_finished_training_is_not_among_the_cadres_coming_trainings(
    client, bontang, staff
):
    cadre = make_verified_profile()
    now = timezone.now()
    coming, cancelled = make_training(title="Akan datang"), make_training(title="Dibatalkan")
    # Under way until tonight, but the organiser finished it early.
    finished = make_training(
        title="Selesai lebih awal",
        starts_at=now - timedelta(hours=2),
        registration_opens_at=now - timedelta(days=5),
        registration_closes_at=now - timedelta(days=1),
    )
    for training in (coming, cancelled):
        training_services.sign_up(actor=cadre.user, training=training, profile=cadre)
    training_services.sign_up(
        actor=cadre.user, training=finished, profile=cadre, now=now - timedelta(days=2)
    )
    training_services.cancel_training(actor=staff, training=cancelled, note="Aula banjir")
    training_services.finish(actor=staff, training=finished)

    found, text = work(client, cadre.user)

    assert [registration.training for registration in found.registrations] == [coming]
    assert "Dibatalkan" not in text
    assert "Selesai lebih awal" not in text


def test_an_officer_sees_the_cadres_waiting_in_the_area_oldest_first(
    client, kelurahan_officer, outsider
):
    older, newer = make_profile(), make_profile()
    CadreProfile.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=9))
    make_profile(kelurahan="64.74.01.1001")  # Bontang Kuala: the outsider's, not theirs
    found, text = work(client, kelurahan_officer)
    assert found.waiting_cadre_count == 2
    assert found.waiting_cadres == [older, newer]
    assert older.full_name in text
    found, _text = work(client, outsider)
    assert found.waiting_cadre_count == 1


def test_the_coordinator_sees_the_queue_and_the_forums_not_formed(
    client, kecamatan_officer, coordinator, staff, django_assert_max_num_queries
):
    proposer = make_verified_profile().user
    proposal = bring_to(
        make_proposal(proposer),
        Proposal.State.RECOMMENDED,
        officer=kecamatan_officer,
        coordinator=coordinator,
        staff=staff,
    )
    # Bontang Barat formed (a ketua and its SK); Bontang Utara with a ketua, no SK.
    barat, utara = (
        forum_services.get_or_create_forum(region=Region.objects.get(code=code))
        for code in ("64.74.03", "64.74.01")
    )
    for forum, kelurahan in ((barat, "64.74.03.1001"), (utara, "64.74.01.1001")):
        ketua = make_verified_profile(kelurahan=kelurahan)
        forum_services.appoint_officer(
            actor=coordinator, forum=forum, user=ketua.user, position=Position.KETUA
        )
    forum_services.record_sk(
        actor=coordinator, forum=barat, number="100/SK/2026", date=timezone.localdate()
    )
    client.force_login(coordinator)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("home"))
    found = response.context["work"]
    assert found.proposal_queue == [proposal]
    # Bontang's 3 kecamatan and 15 kelurahan but Bontang Barat, by code: the first five.
    assert found.unformed_forum_count == 17
    assert [region.code for region in found.unformed_forums] == [
        "64.74.01",
        "64.74.01.1001",
        "64.74.01.1002",
        "64.74.01.1003",
        "64.74.01.1004",
    ]
    assert [region.has_ketua for region in found.unformed_forums] == [True] + [False] * 4
    assert "Bontang Utara</a>\n      · SK not recorded" in response.text
    assert not found.has_profile_step  # a coordinator needs no cadre profile
    # The statement is kept, not its rows: Bontang Utara formed shows on the next visit.
    forum_services.record_sk(
        actor=coordinator, forum=utara, number="101/SK/2026", date=timezone.localdate()
    )
    found = client.get(reverse("home")).context["work"]
    assert found.unformed_forum_count == 16
    assert found.unformed_forums[0].code == "64.74.01.1001"


def test_dinas_staff_see_the_deletion_requests_of_their_region(client, staff, other_kota):
    here = make_verified_profile()
    cadre_services.request_deletion(actor=here.user, reason="Pindah")
    there = make_verified_profile(kelurahan="64.72.01.1001")
    cadre_services.request_deletion(actor=there.user, reason="Pindah")
    city_staff = make_persona(Role.DINAS_STAFF, "64.74")
    found, _text = work(client, city_staff)
    assert found.deletion_request_count == 1
    found, _text = work(client, staff)  # the province's staff: both
    assert found.deletion_request_count == 2
    # Read afresh on the next visit.
    cadre_services.request_deletion(actor=make_verified_profile().user, reason="Pindah")
    found, _text = work(client, city_staff)
    assert found.deletion_request_count == 2
    assert [request.kelurahan_id for request in found.deletion_requests] == ["64.74.03.1001"] * 2


@pytest.mark.parametrize("count", [1, 4])
def test_a_cadre_s_home_takes_the_same_queries_whatever_their_numbers(
    client, kecamatan_officer, coordinator, staff, count, django_assert_num_queries
):
    """Each of the cadre's lists (meetings to answer, follow-ups, proposals returned, coming
    trainings) is one query with the columns it shows: a column left out would be read once
    a row."""
    cadre = make_verified_profile(kelurahan="64.74.03.1001")
    barat = Region.objects.get(code="64.74.03")
    forum = forum_services.get_or_create_forum(region=barat)
    forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=cadre)
    now = timezone.now()
    for number in range(count):
        invited = [cadre.user_id]
        call(
            kecamatan_officer,
            when=now + timedelta(days=3),
            invitees=invited,
            title=f"Rapat ke-{number}",
        )
        held = call(kecamatan_officer, when=now, invitees=invited, title=f"Rapat lalu {number}")
        Meeting.objects.filter(pk=held.pk).update(state=Meeting.State.PUBLISHED)
        FollowUp.objects.create(
            meeting=held,
            text=f"Tindak lanjut ke-{number}",
            responsible=held.invitations.get(user=cadre.user),
            due_on=timezone.localdate() + timedelta(days=number),
        )
        training = make_training(title=f"Pelatihan ke-{number}")
        training_services.sign_up(actor=cadre.user, training=training, profile=cadre)
        proposal = bring_to(
            make_proposal(cadre.user, title=f"Usulan ke-{number}"),
            Proposal.State.SUBMITTED,
            officer=kecamatan_officer,
            coordinator=coordinator,
            staff=staff,
        )
        program_services.return_proposal(
            actor=kecamatan_officer, proposal=proposal, note="Lengkapi anggarannya."
        )
    client.force_login(cadre.user)
    # Session, user, roles; the profile; the meetings to answer, the follow-ups; the
    # proposals made or on the team (counted by state, those returned listed); the coming
    # trainings.
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    for number in range(count):
        for shown in ("Rapat ke-", "Tindak lanjut ke-", "Pelatihan ke-", "Usulan ke-"):
            assert f"{shown}{number}" in response.text
    found = response.context["work"]
    assert found.proposals_by_state == [(Proposal.State.RETURNED.label, count)]


@pytest.mark.parametrize("count", [1, 4])
def test_an_officer_s_and_staff_s_home_take_the_same_queries_whatever_their_numbers(
    client, kecamatan_officer, coordinator, staff, count, django_assert_num_queries
):
    """The cadres waiting for verification, the proposals waiting for a decision and the
    requests to delete personal data are each one query of the rows with their count, with
    the columns the page shows."""
    for number in range(count):
        make_profile(full_name=f"Kader Menunggu {number}")  # waits in Bontang Barat
        proposer = make_verified_profile(kelurahan="64.74.03.1002")
        bring_to(
            make_proposal(proposer.user, title=f"Usulan ke-{number}"),
            Proposal.State.SUBMITTED,
            officer=kecamatan_officer,
            coordinator=coordinator,
            staff=staff,
        )
        cadre_services.request_deletion(actor=proposer.user, reason="Pindah")
    client.force_login(kecamatan_officer)
    # Session, user, roles, the menu's counts; the profile (none), the meetings to answer,
    # the follow-ups; the waiting cadres, the proposals waiting (each rows and count).
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))
    for number in range(count):
        assert f"Kader Menunggu {number}" in response.text
        assert f"Usulan ke-{number}" in response.text
    place = Region.objects.get(code="64.74.03.1002").name  # each proposal's, each request's
    assert response.text.count(f"</a>, {place}") == count
    client.force_login(staff)
    # As the officer's (9), and the requests (rows and count).
    with django_assert_num_queries(10):
        response = client.get(reverse("home"))
    found = response.context["work"]
    assert found.deletion_request_count == count
    assert [request.kelurahan.name for request in found.deletion_requests] == [place] * count
