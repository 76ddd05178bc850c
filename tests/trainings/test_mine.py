"""Pelatihan saya: a cadre finds every sign-up where it stands, and the pages agree with it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.trainings.factories import make_cadre, make_training
from trainings import selectors, services
from trainings.models import Registration, Training

MINE = reverse("trainings:mine")
Status = Registration.Status


def held(title, staff, attendees=(), *, finished=True, capacity=5):
    """A training that took place last week, with `attendees` signed up and marked present."""
    now = timezone.now()
    training = make_training(
        title=title,
        capacity=capacity,
        starts_at=now - timedelta(days=7),
        registration_opens_at=now - timedelta(days=20),
        registration_closes_at=now - timedelta(days=8),
    )
    for profile in attendees:
        services.sign_up(
            actor=profile.user, training=training, profile=profile, now=now - timedelta(days=10)
        )
    services.mark_attendance(
        actor=staff,
        training=training,
        attended=training.registrations.filter(status=Status.REGISTERED),
        now=now - timedelta(days=7),
    )
    if finished:
        services.finish(actor=staff, training=training)
    return training


def section(response, heading_id):
    """The text of the page's section whose heading has `heading_id`."""
    start = response.text.index(f'id="{heading_id}"')
    return response.text[start : response.text.index("</section>", start)]


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def me(bontang):
    return make_cadre(full_name="Ani Rahmawati")


def test_a_cadre_finds_seats_waitlist_places_attended_and_past_trainings(client, me, staff):
    seated = make_training(title="Kursi saya", capacity=3)
    full = make_training(title="Penuh", capacity=1)
    other = make_cadre(full_name="Budi")
    services.sign_up(actor=other.user, training=full, profile=other)
    services.sign_up(actor=me.user, training=seated, profile=me)
    services.sign_up(actor=me.user, training=full, profile=me)
    cancelled_by_me = make_training(title="Saya batalkan")
    services.cancel(
        actor=me.user,
        registration=services.sign_up(actor=me.user, training=cancelled_by_me, profile=me),
    )
    called_off = make_training(title="Dibatalkan panitia")
    services.sign_up(actor=me.user, training=called_off, profile=me)
    services.cancel_training(actor=staff, training=called_off, note="Hujan deras")
    held("Sudah hadir", staff, [me])
    held("Hadir, belum ditutup", staff, [me], finished=False)
    client.force_login(me.user)

    response = client.get(MINE)

    assert response.status_code == 200
    assert "Kursi saya" in section(response, "upcoming-heading")
    assert "Penuh" not in section(response, "upcoming-heading")
    waitlist = section(response, "waitlisted-heading")
    assert "Penuh" in waitlist
    assert "Number 1 on the waitlist" in waitlist
    attended = section(response, "attended-heading")
    assert "Sudah hadir" in attended
    assert "Hadir, belum ditutup" in attended
    finished = me.training_registrations.get(training__title="Sudah hadir").training_id
    certificate = reverse("trainings:certificate", args=[finished])
    assert certificate in attended
    assert attended.count("Download your certificate") == 1
    past = section(response, "past-heading")
    assert "Saya batalkan" in past
    assert "You cancelled your sign-up." in past
    assert "Dibatalkan panitia" in past
    assert "The training was cancelled." in past


def test_the_waitlist_position_counts_only_those_ahead_in_the_same_training(client, me):
    full = make_training(title="Penuh", capacity=1)
    elsewhere = make_training(title="Lain", capacity=1)
    for name in ("Budi", "Citra", "Dewi"):
        profile = make_cadre(full_name=name)
        services.sign_up(actor=profile.user, training=full, profile=profile)
        services.sign_up(actor=profile.user, training=elsewhere, profile=profile)
    services.sign_up(actor=me.user, training=full, profile=me)
    client.force_login(me.user)
    assert "Number 3 on the waitlist" in client.get(MINE).text


def test_a_signed_in_person_without_a_cadre_profile_is_sent_to_fill_one_in(client, staff):
    client.force_login(staff)
    response = client.get(MINE)
    assert response.status_code == 200
    assert reverse("cadres:mine") in response.text


def test_a_visitor_is_asked_to_sign_in(client, bontang):
    response = client.get(MINE)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_menu_leads_to_pelatihan_saya(client, me):
    client.force_login(me.user)
    menu = client.get(reverse("home")).text
    assert f'href="{MINE}"' in menu


def test_my_trainings_reads_in_a_fixed_number_of_queries(
    client, me, staff, django_assert_num_queries
):
    def page():
        client.get(MINE)

    client.force_login(me.user)
    make_training(title="Satu")
    services.sign_up(actor=me.user, training=make_training(), profile=me)
    page()
    with django_assert_num_queries(QUERIES) as few:
        page()
    for _ in range(3):
        services.sign_up(actor=me.user, training=make_training(capacity=1), profile=me)
    held("Lampau", staff, [me])
    with django_assert_num_queries(len(few.captured_queries)):
        page()


QUERIES = 5  # session, user, roles, the cadre's profile, the sign-ups


def test_the_profile_says_signed_up_instead_of_no_training(client, me):
    services.sign_up(actor=me.user, training=make_training(), profile=me)
    client.force_login(me.user)
    response = client.get(reverse("cadres:mine"))
    assert "Signed up for 1 training to come." in response.text
    assert f'href="{MINE}"' in response.text


def test_the_profile_counts_seats_and_waitlist_places_to_come_and_lists_attended(
    client, me, staff
):
    services.sign_up(actor=me.user, training=make_training(title="Kursi"), profile=me)
    full = make_training(title="Penuh", capacity=1)
    other = make_cadre(full_name="Budi")
    services.sign_up(actor=other.user, training=full, profile=other)
    services.sign_up(actor=me.user, training=full, profile=me)  # waitlisted
    cancelled = make_training(title="Saya batalkan")
    services.cancel(
        actor=me.user, registration=services.sign_up(actor=me.user, training=cancelled, profile=me)
    )
    called_off = make_training(title="Dibatalkan panitia")
    services.sign_up(actor=me.user, training=called_off, profile=me)
    services.cancel_training(actor=staff, training=called_off, note="Hujan")
    held("Sudah hadir", staff, [me])
    held("Hadir, belum ditutup", staff, [me], finished=False)
    absent = held("Tidak hadir", staff, [], finished=False)
    services.sign_up(
        actor=me.user, training=absent, profile=me, now=timezone.now() - timedelta(days=10)
    )
    services.finish(actor=staff, training=absent)
    client.force_login(me.user)

    page = section(client.get(reverse("cadres:mine")), "attended-trainings-heading")

    assert "Signed up for 2 trainings to come." in page
    assert "Sudah hadir" in page  # finished and attended: with its certificate
    for title in ("Kursi", "Penuh", "Saya batalkan", "Dibatalkan panitia", "Tidak hadir"):
        assert title not in page
    assert "Hadir, belum ditutup" not in page  # no certificate before it is closed
    assert page.count("sertifikat.pdf") == 1


def test_a_sign_up_counts_as_to_come_until_its_training_ends(me, staff):
    """The count compares the training's end with the moment asked about (the kept
    statement's second value): before the end the seat counts, after it no longer."""
    training = make_training(title="Kursi")
    services.sign_up(actor=me.user, training=training, profile=me)
    ends = training.ends_at
    with CaptureQueriesContext(connection) as captured:
        assert selectors.attended_and_upcoming(me, ends - timedelta(minutes=1)) == ([], 1)
    assert len(captured) == 1
    assert selectors.attended_and_upcoming(me, ends) == ([], 1)
    assert selectors.attended_and_upcoming(me, ends + timedelta(minutes=1)) == ([], 0)
    other = make_cadre(full_name="Budi")  # another cadre's seat is not hers
    services.sign_up(actor=other.user, training=make_training(), profile=other)
    assert selectors.attended_and_upcoming(me, ends - timedelta(minutes=1)) == ([], 1)


def test_the_attended_trainings_others_see_are_the_finished_ones_latest_first(me, staff):
    """The kept statement gives the rows the ORM gives: attended and finished only, the
    latest first, each with its training, in one query."""
    older = held("Lebih dulu", staff, [me])
    moved = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
    Training.objects.filter(pk=older.pk).update(**{n: F(n) - timedelta(days=30) for n in moved})
    latest = held("Terakhir", staff, [me])
    held("Belum ditutup", staff, [me], finished=False)
    held("Orang lain", staff, [make_cadre(full_name="Budi")])
    with CaptureQueriesContext(connection) as captured:
        found = selectors.attended_trainings(me)
        titles = [registration.training.title for registration in found]
    assert (titles, len(captured)) == (["Terakhir", "Lebih dulu"], 1)
    orm = Registration.objects.get(profile=me, training=latest)
    names = [field.attname for field in Registration._meta.concrete_fields]
    assert [getattr(found[0], n) for n in names] == [getattr(orm, n) for n in names]


def test_after_attending_the_training_page_no_longer_says_a_seat_is_yours(client, me, staff):
    training = held("Sudah hadir", staff, [me], finished=False)
    client.force_login(me.user)
    page = client.get(training.get_absolute_url()).text
    assert "You attended this training." in page
    assert "a seat is yours" not in page
    assert "Cancel my sign-up" not in page
    services.finish(actor=staff, training=training)
    page = client.get(training.get_absolute_url()).text
    assert "You attended this training." in page
    assert reverse("trainings:certificate", args=[training.pk]) in page


def test_a_participant_not_marked_present_is_told_so_once_finished(client, me, staff):
    training = held("Tidak hadir", staff, [me], finished=False)
    services.mark_attendance(actor=staff, training=training, attended=[])
    services.finish(actor=staff, training=training)
    client.force_login(me.user)
    page = client.get(training.get_absolute_url()).text
    assert "you were not marked present" in page
    assert "a seat is yours" not in page


def test_a_participant_of_a_cancelled_training_reads_that_it_was_cancelled(client, me, staff):
    training = make_training()
    services.sign_up(actor=me.user, training=training, profile=me)
    services.cancel_training(actor=staff, training=training, note="Banjir")
    client.force_login(me.user)
    page = client.get(training.get_absolute_url()).text
    assert "The training was cancelled." in page
    assert "a seat is yours" not in page
    assert "Cancel my sign-up" not in page


def test_on_the_day_the_catalogue_card_says_attended_once_marked_present(client, me, staff):
    now = timezone.now()
    training = make_training(
        title="Hari ini",
        starts_at=now - timedelta(hours=1),
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now - timedelta(days=1),
    )
    services.sign_up(actor=me.user, training=training, profile=me, now=now - timedelta(days=2))
    services.mark_attendance(actor=staff, training=training, attended=training.registrations.all())
    client.force_login(me.user)
    page = client.get(reverse("trainings:list")).text
    card = page[page.index(">Hari ini</a>") :]
    card = card[: card.index("</li>")]
    assert "You attended" in card
    assert "You are signed up" not in card
