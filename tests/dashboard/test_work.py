"""The role home at `/`: once signed in, each person lands on what they have to do now."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import CadreProfile
from forkom.accounts.models import Role
from programs.models import Proposal
from tests.cadres.factories import make_profile
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
    client.force_login(coordinator)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("home"))
    found = response.context["work"]
    assert found.proposal_queue == [proposal]
    # Bontang's 3 kecamatan and 15 kelurahan: none has a ketua and an SK yet.
    assert found.unformed_forum_count == 18
    assert not found.has_profile_step  # a coordinator needs no cadre profile


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
