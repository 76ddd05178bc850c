import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import override

from forkom.accounts.models import Role
from tests.accounts.test_admin import with_totp
from tests.conftest import make_persona
from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.models import Registration, Training, TrainingEvent

CHANGELIST = reverse("admin:trainings_training_changelist")
State = Training.State


@pytest.fixture
def samarinda(other_kota):
    return other_kota


def listed(response):
    return [training.title for training in response.context["cl"].result_list]


def test_staff_of_a_kota_see_only_the_trainings_at_venues_in_their_kota(client, samarinda):
    make_training(title="Di Bontang")
    make_training(title="Di Samarinda", venue_kecamatan_id="64.72.01")
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    response = client.get(CHANGELIST)
    assert listed(response) == ["Di Bontang"]
    other = Training.objects.get(title="Di Samarinda")
    response = client.get(reverse("admin:trainings_training_change", args=[other.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_the_list_filters_by_state_topic_and_kecamatan(client, staff):
    make_training(title="Keuangan Barat", topics=["Pengelolaan keuangan"])
    make_training(title="Draf Utara", state=State.DRAFT, venue_kecamatan_id="64.74.01")
    client.force_login(with_totp(staff))
    assert listed(client.get(CHANGELIST, {"state__exact": "draft"})) == ["Draf Utara"]
    assert listed(client.get(CHANGELIST, {"kecamatan": "64.74.03"})) == ["Keuangan Barat"]
    topic = Training.objects.get(title="Keuangan Barat").topics.get()
    assert listed(client.get(CHANGELIST, {"topics__id__exact": topic.pk})) == ["Keuangan Barat"]


def test_the_change_page_shows_registrations_with_masked_niks(client, staff):
    training = make_training()
    profile = make_cadre(full_name="Kader Terdaftar")
    services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:trainings_training_change", args=[training.pk]))
    assert response.status_code == 200
    assert "Kader Terdaftar" in response.text
    assert profile.masked_nik in response.text
    assert profile.nik not in response.text


def test_the_actions_publish_and_cancel_through_the_services(
    client, staff, django_capture_on_commit_callbacks
):
    draft = make_training(title="Draf", state=State.DRAFT)
    published = make_training(title="Terbit")
    profile = make_cadre()
    services.sign_up(actor=profile.user, training=published, profile=profile)
    mail.outbox.clear()
    client.force_login(with_totp(staff))
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk, published.pk]})
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert TrainingEvent.objects.filter(training=draft, kind="published", actor=staff).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "cancel", "_selected_action": [published.pk]})
    published.refresh_from_db()
    assert published.state == State.CANCELLED
    assert [message.to for message in mail.outbox] == [[profile.user.email]]
    client.post(CHANGELIST, {"action": "finish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED  # not started yet: refused, unchanged


def test_a_training_added_in_the_admin_starts_as_a_draft_with_an_event(client, staff):
    client.force_login(with_totp(staff))
    response = client.post(
        reverse("admin:trainings_training_add"),
        {
            "title": "Pelatihan Baru",
            "description": "",
            "organiser": "Dinas PMPD Provinsi Kaltim",
            "venue": "Aula",
            "venue_kecamatan": "64.74.02",
            "starts_at_0": "2027-02-10",
            "starts_at_1": "08:00",
            "ends_at_0": "2027-02-10",
            "ends_at_1": "16:00",
            "registration_opens_at_0": "2027-01-10",
            "registration_opens_at_1": "08:00",
            "registration_closes_at_0": "2027-02-09",
            "registration_closes_at_1": "08:00",
            "capacity": "30",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    training = Training.objects.get(title="Pelatihan Baru")
    assert training.state == State.DRAFT
    assert training.events.get().kind == "created"


def test_a_training_ending_before_it_starts_is_refused_with_a_message(client, staff):
    client.force_login(with_totp(staff))
    response = client.post(
        reverse("admin:trainings_training_add"),
        {
            "title": "Terbalik",
            "organiser": "Dinas",
            "venue": "Aula",
            "venue_kecamatan": "64.74.02",
            "starts_at_0": "2027-02-10",
            "starts_at_1": "16:00",
            "ends_at_0": "2027-02-10",
            "ends_at_1": "08:00",
            "registration_opens_at_0": "2027-01-10",
            "registration_opens_at_1": "08:00",
            "registration_closes_at_0": "2027-02-09",
            "registration_closes_at_1": "08:00",
            "capacity": "30",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "The training must end after it starts." in str(
        response.context["adminform"].form.errors
    ) or "harus selesai" in str(response.context["adminform"].form.errors)
    assert not Training.objects.exists()


def test_the_two_box_pickers_of_topics_and_bodies_do_not_say_hold_down_control(client, staff):
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:trainings_training_add"))
    fields = response.context["adminform"].form.fields
    assert fields["topics"].help_text == ""
    assert str(fields["eligible_bodies"].help_text) == (
        "Kosongkan agar pelatihan terbuka bagi kader dari semua lembaga."
    )
    assert "Control" not in response.text


def test_the_cadres_fields_and_training_needs_pickers_do_not_say_hold_down_control(client, staff):
    profile = make_cadre()
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:cadres_cadreprofile_change", args=[profile.pk]))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert (fields["fields"].help_text, fields["training_needs"].help_text) == ("", "")
    assert "Control" not in response.text


def test_the_history_on_the_change_page_names_states_and_statuses_in_the_readers_words(
    client, staff
):
    """The events' from/to showed the stored codes ("published", "registered"), English
    words on an Indonesian page; a count or a detail stays as stored."""
    training = make_training(state=State.DRAFT)
    services.publish(actor=staff, training=training)
    profile = make_cadre()
    services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(with_totp(staff))
    page = client.get(reverse("admin:trainings_training_change", args=[training.pk])).text
    history = page[page.index("events-heading") :]
    with override("id"):
        published, registered = (
            str(State.PUBLISHED.label),
            str(Registration.Status.REGISTERED.label),
        )
    assert f"<p>{published}</p>" in history
    assert f"<p>{registered}</p>" in history
    assert "<p>published</p>" not in history
    assert "<p>registered</p>" not in history
    event = TrainingEvent(kind=TrainingEvent.Kind.CAPACITY_CHANGED, before="30", after="40")
    assert (event.value_shown(event.before), event.value_shown(event.after)) == ("30", "40")


def test_the_topic_filters_choice_for_trainings_without_one_is_named(client, staff, settings):
    """It read "-", Django's empty cell (noted in earlier closing notes)."""
    make_training(title="Keuangan Barat", topics=["Pengelolaan keuangan"])
    make_training(title="Tanpa Topik Barat", topics=[])
    client.force_login(with_totp(staff))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(CHANGELIST).text
    assert 'href="?topics__isnull=True">Tanpa topik</a>' in page
    assert listed(client.get(CHANGELIST, {"topics__isnull": "True"})) == ["Tanpa Topik Barat"]
