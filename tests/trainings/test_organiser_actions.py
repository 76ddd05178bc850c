"""Dinas staff publish, cancel and finish a training on its participants page, through the
same services as the admin's actions; the screen list and the daftar hadir agree."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forkom import scope
from forkom.accounts.models import Role
from tests.conftest import make_persona
from tests.trainings.factories import make_cadre, make_training
from trainings import selectors, services
from trainings.models import Registration, Training, TrainingEvent

State = Training.State
Status = Registration.Status
TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def participants_page(client, training):
    return client.get(reverse("trainings:participants", args=[training.pk]))


def form_token(client, training, action):
    page = participants_page(client, training).text
    form = page[page.index(f'action="{reverse(action, args=[training.pk])}"') :]
    return TOKEN.search(form).group(1)


def started(**fields):
    now = timezone.now()
    return make_training(
        starts_at=now - timedelta(hours=2),
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now - timedelta(days=1),
        **fields,
    )


def test_staff_publish_a_draft_and_it_enters_the_catalogue(client, staff):
    draft = make_training(title="Draf", state=State.DRAFT)
    client.force_login(staff)
    token = form_token(client, draft, "trainings:publish")
    response = client.post(reverse("trainings:publish", args=[draft.pk]), {"token": token})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    event = TrainingEvent.objects.get(training=draft, kind=TrainingEvent.Kind.PUBLISHED)
    assert event.actor == staff
    assert event.before == State.DRAFT
    assert "Draf" in client.get(reverse("trainings:list")).text


def test_a_double_tap_on_publish_publishes_once_and_says_done_twice(client, staff):
    draft = make_training(state=State.DRAFT)
    client.force_login(staff)
    token = form_token(client, draft, "trainings:publish")
    url = reverse("trainings:publish", args=[draft.pk])
    first = client.post(url, {"token": token}, follow=True)
    second = client.post(url, {"token": token}, follow=True)
    assert first.status_code == second.status_code == 200
    assert [str(m) for m in second.context["messages"]] == ["The training is published."]
    assert TrainingEvent.objects.filter(kind=TrainingEvent.Kind.PUBLISHED).count() == 1


def test_publishing_twice_with_fresh_forms_is_refused_with_409(client, staff):
    training = make_training()
    client.force_login(staff)
    response = client.post(reverse("trainings:publish", args=[training.pk]))
    assert response.status_code == 409
    assert "Only a draft training can be published." in response.text


def test_staff_cancel_with_a_reason_that_every_participant_receives(
    client, staff, bontang, django_capture_on_commit_callbacks
):
    training = make_training(capacity=1)
    seated, waiting = make_cadre(full_name="Ani"), make_cadre(full_name="Budi")
    for profile in (seated, waiting):
        services.sign_up(actor=profile.user, training=training, profile=profile)
    mail.outbox.clear()
    client.force_login(staff)
    token = form_token(client, training, "trainings:cancel_training")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trainings:cancel_training", args=[training.pk]),
            {"token": token, "note": "Aula dipakai untuk pemilu"},
        )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.state == State.CANCELLED
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [seated.user.email, waiting.user.email]
    )
    assert all("Aula dipakai untuk pemilu" in message.body for message in mail.outbox)


@pytest.mark.parametrize("note", ["", "   ", "x" * 501])
def test_a_cancellation_without_a_reason_or_with_a_long_one_changes_nothing(client, staff, note):
    training = make_training()
    client.force_login(staff)
    response = client.post(
        reverse("trainings:cancel_training", args=[training.pk]), {"note": note}
    )
    assert response.status_code == 400
    training.refresh_from_db()
    assert training.state == State.PUBLISHED


def test_finishing_sends_the_attendees_their_certificate_message(
    client, staff, bontang, django_capture_on_commit_callbacks
):
    training = started(capacity=3)
    present, absent = make_cadre(full_name="Ani"), make_cadre(full_name="Budi")
    for profile in (present, absent):
        services.sign_up(
            actor=profile.user,
            training=training,
            profile=profile,
            now=timezone.now() - timedelta(days=2),
        )
    services.mark_attendance(
        actor=staff, training=training, attended=training.registrations.filter(profile=present)
    )
    mail.outbox.clear()
    client.force_login(staff)
    token = form_token(client, training, "trainings:finish")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:finish", args=[training.pk]), {"token": token})
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.state == State.FINISHED
    assert [message.to for message in mail.outbox] == [[present.user.email]]
    assert "Sertifikat Anda sudah siap" in mail.outbox[0].subject  # emails speak Indonesian
    client.force_login(present.user)
    assert client.get(reverse("trainings:certificate", args=[training.pk])).status_code == 200


def test_a_training_not_yet_started_cannot_be_finished(client, staff):
    training = make_training()
    client.force_login(staff)
    assert (
        reverse("trainings:finish", args=[training.pk])
        not in participants_page(client, training).text
    )
    response = client.post(reverse("trainings:finish", args=[training.pk]))
    assert response.status_code == 409
    training.refresh_from_db()
    assert training.state == State.PUBLISHED


def test_a_kecamatan_officer_sees_the_list_but_may_not_change_the_trainings_life(
    client, kecamatan_officer
):
    training = make_training(state=State.DRAFT)
    client.force_login(kecamatan_officer)
    page = participants_page(client, training)
    assert page.status_code == 200
    assert reverse("trainings:publish", args=[training.pk]) not in page.text
    response = client.post(reverse("trainings:publish", args=[training.pk]))
    assert response.status_code == 409
    training.refresh_from_db()
    assert training.state == State.DRAFT


@pytest.mark.parametrize(
    "action", ["trainings:publish", "trainings:cancel_training", "trainings:finish"]
)
def test_staff_of_another_province_get_404_and_nothing_changes(client, bulungan, action):
    training = make_training(state=State.DRAFT)
    client.force_login(make_persona(Role.DINAS_STAFF, "65"))
    response = client.post(reverse(action, args=[training.pk]), {"note": "Tidak jadi"})
    assert response.status_code == 404
    training.refresh_from_db()
    assert training.state == State.DRAFT


def test_a_get_on_an_action_is_refused(client, staff):
    training = make_training(state=State.DRAFT)
    client.force_login(staff)
    assert client.get(reverse("trainings:publish", args=[training.pk])).status_code == 405


def test_the_screen_list_and_the_daftar_hadir_list_participants_in_the_same_order(
    client, staff, bontang
):
    training = make_training(capacity=4)
    for name in ("dewi", "Budi", "Ani", "citra"):
        profile = make_cadre(full_name=name)
        services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(staff)
    screen = participants_page(client, training).context["seated"]
    sheet = client.get(reverse("trainings:sheet", args=[training.pk])).context["rows"]
    assert [row.profile.full_name for row in screen] == ["Ani", "Budi", "citra", "dewi"]
    assert [row.pk for row in sheet] == [row.pk for row in screen]


def test_a_training_s_organiser_pages_find_it_for_its_organisers_only(
    bontang, kecamatan_officer, kelurahan_officer, staff, coordinator, outsider
):
    """get_organised_or_404 reads the row by its key in one query, then the scope: the
    kecamatan's officers and the province's staff find it; a kelurahan officer below the
    venue's kecamatan, an officer elsewhere and the coordinator (who does not organise) do
    not, nor does anyone find an id that does not exist."""
    training = make_training(state=State.DRAFT)  # at Bontang Barat, 64.74.03
    for organiser in (kecamatan_officer, staff):
        scope.grants(organiser)  # read once per request before any page's work
        with CaptureQueriesContext(connection) as captured:
            found = selectors.get_organised_or_404(organiser, training.pk)
            assert found.venue_kecamatan.name  # read with it
        assert (found, found.title, len(captured)) == (training, training.title, 1)
    for someone in (kelurahan_officer, coordinator, outsider):
        with pytest.raises(Http404):
            selectors.get_organised_or_404(someone, training.pk)
    with pytest.raises(Http404):
        selectors.get_organised_or_404(staff, training.pk + 1)
