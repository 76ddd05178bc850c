import csv
import io
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from cadres import services as cadre_services
from cadres.models import Topic
from forkom.accounts.models import Position, Role
from tests.cadres.factories import make_nik, make_profile
from tests.conftest import make_persona
from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.models import Registration, Training

Status = Registration.Status
State = Training.State
CATALOGUE = reverse("trainings:list")


def titles(response):
    return [training.title for training, _ in response.context["recommended"]] + [
        training.title for training, _ in response.context["others"]
    ]


def test_the_catalogue_lists_published_trainings_upcoming_first_with_seats_left(client, bontang):
    now = timezone.now()
    make_training(title="Bulan depan", starts_in=timedelta(days=30), capacity=25)
    make_training(title="Minggu depan", starts_in=timedelta(days=7), capacity=25)
    make_training(
        title="Sudah lewat",
        starts_at=now - timedelta(days=3),
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now - timedelta(days=4),
    )
    make_training(title="Masih draf", state=State.DRAFT)
    make_training(title="Dibatalkan", state=State.CANCELLED)
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert titles(response) == ["Minggu depan", "Bulan depan", "Sudah lewat"]
    assert "25" in response.text
    assert "Masih draf" not in response.text


def card_of(response, title):
    """The text of the catalogue card of the training called `title`."""
    start = response.text.index(f">{title}</a>")
    return response.text[start : response.text.index("</li>", start)]


def test_a_card_lists_its_topics_in_the_lists_order_escaped(client, bontang):
    first, second = Topic.objects.order_by("sort_order", "name")[:2]
    odd = Topic.objects.create(name="<b>Topik</b> & lainnya", sort_order=second.sort_order + 1)
    make_training(title="Bertopik", topics=[odd.name, second.name, first.name])
    make_training(title="Tanpa topik")
    response = client.get(CATALOGUE)
    card = card_of(response, "Bertopik")
    expected = f"{first.name} \u00b7 {second.name} \u00b7 &lt;b&gt;Topik&lt;/b&gt; &amp; lainnya"
    assert f'<p class="help">{expected}</p>' in card
    assert '<p class="help">' not in card_of(response, "Tanpa topik")


def test_finished_trainings_stay_in_the_catalogue_as_held(client, bontang, staff, settings):
    now = timezone.now()
    past = {
        "starts_at": now - timedelta(days=10),
        "registration_opens_at": now - timedelta(days=20),
        "registration_closes_at": now - timedelta(days=11),
    }
    held = make_training(title="Sudah selesai", capacity=30, **past)
    attendee = make_cadre(full_name="Ani Rahmawati")
    services.sign_up(
        actor=attendee.user, training=held, profile=attendee, now=now - timedelta(days=15)
    )
    services.mark_attendance(
        actor=staff,
        training=held,
        attended=[Registration.objects.get(profile=attendee)],
        now=now - timedelta(days=10),
    )
    services.finish(actor=staff, training=held, now=now - timedelta(days=9))
    make_training(
        title="Lewat, belum ditutup", capacity=30, **{**past, "starts_at": now - timedelta(days=2)}
    )
    make_training(title="Minggu depan", starts_in=timedelta(days=7), capacity=30)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(CATALOGUE)

    assert titles(response) == ["Minggu depan", "Lewat, belum ditutup", "Sudah selesai"]
    for title in ("Lewat, belum ditutup", "Sudah selesai"):
        assert "Has taken place" in card_of(response, title)
        assert "seats left" not in card_of(response, title)
    assert "30 seats left" in card_of(response, "Minggu depan")
    client.force_login(attendee.user)
    assert "You attended" in card_of(client.get(CATALOGUE), "Sudah selesai")


def test_each_card_says_where_registration_stands(client, bontang, settings):
    now = timezone.now()
    make_training(
        title="Belum dibuka",
        starts_in=timedelta(days=30),
        registration_opens_at=now + timedelta(days=5),
        registration_closes_at=now + timedelta(days=25),
    )
    make_training(
        title="Sudah ditutup",
        starts_in=timedelta(days=2),
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now - timedelta(hours=1),
    )
    make_training(title="Terbuka", starts_in=timedelta(days=9), capacity=12)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(CATALOGUE)

    assert "Registration opens on" in card_of(response, "Belum dibuka")
    assert "Registration has closed" in card_of(response, "Sudah ditutup")
    assert "12 seats left" in card_of(response, "Terbuka")
    for title in ("Belum dibuka", "Sudah ditutup"):
        assert "seats left" not in card_of(response, title)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Pendaftaran sudah ditutup" in card_of(client.get(CATALOGUE), "Sudah ditutup")


def test_a_cadre_sees_trainings_matching_their_needs_first(client, bontang):
    make_training(title="Keuangan", topics=["Pengelolaan keuangan"], starts_in=timedelta(days=3))
    make_training(title="Pemasaran", topics=["Pemasaran digital"], starts_in=timedelta(days=20))
    profile = make_cadre(needs=["Pemasaran digital"])
    client.force_login(profile.user)
    response = client.get(CATALOGUE)
    assert [training.title for training, _ in response.context["recommended"]] == ["Pemasaran"]
    assert [training.title for training, _ in response.context["others"]] == ["Keuangan"]
    assert "Recommended for you" in response.text or "Disarankan untuk Anda" in response.text


def test_the_catalogue_filters_by_topic_kecamatan_month_and_open_registration(client, bontang):
    now = timezone.localtime()
    make_training(title="Keuangan Barat", topics=["Pengelolaan keuangan"])
    make_training(
        title="Keuangan Utara", topics=["Pengelolaan keuangan"], venue_kecamatan_id="64.74.01"
    )
    make_training(
        title="Belum dibuka",
        registration_opens_at=now + timedelta(days=1),
        starts_in=timedelta(days=70),
    )
    topic = Topic.objects.get(name="Pengelolaan keuangan")
    assert titles(client.get(CATALOGUE, {"topic": topic.pk})) == [
        "Keuangan Barat",
        "Keuangan Utara",
    ]
    assert titles(client.get(CATALOGUE, {"kecamatan": "64.74.01"})) == ["Keuangan Utara"]
    assert "Belum dibuka" not in titles(client.get(CATALOGUE, {"open": "on"}))
    later = now + timedelta(days=70)
    assert titles(client.get(CATALOGUE, {"month": f"{later:%Y-%m}"})) == ["Belum dibuka"]


def test_a_month_that_is_not_a_month_is_refused_with_a_message(client, bontang):
    response = client.get(CATALOGUE, {"month": "Juli"})
    assert response.status_code == 400
    assert response.context["filter"].form.errors["month"]


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1999-12", "2101-01"])
def test_a_month_outside_the_years_2000_to_2100_is_refused_with_a_message(client, bontang, month):
    response = client.get(CATALOGUE, {"month": month})
    assert response.status_code == 400
    assert response.context["filter"].form.errors["month"]


def test_the_last_month_of_2100_is_a_month_of_the_catalogue(client, bontang):
    assert client.get(CATALOGUE, {"month": "2100-12"}).status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_the_catalogue_query_count_does_not_grow_with_the_rows(
    client, bontang, django_assert_num_queries, rows
):
    profile = make_cadre(needs=["Pemasaran digital"])
    for _ in range(rows):
        training = make_training(topics=["Pemasaran digital", "Pengelolaan keuangan"])
    services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(profile.user)
    # session, user, roles, profile, needs, filter choices (kecamatan, topics), the first page
    # with its count (one kept statement), topics of the page, own registrations on the page
    with django_assert_num_queries(10):
        response = client.get(CATALOGUE)
    assert len(titles(response)) == rows


def test_the_first_page_is_read_at_each_visit_s_moment_for_the_viewer_s_needs(client, bontang):
    """As the catalogue opens, its first page and count come from one statement kept per kota
    and set of training needs (selectors.catalogue_first_page), run with each visit's "now":
    a training over since the last visit goes to the past ones, a need added recommends its
    trainings at once, and a filter reads the ORM's list, which the page equals."""
    from unittest import mock

    from cadres.models import CadreProfile
    from trainings.selectors import catalogue, in_area

    now = timezone.now()
    make_training(title="Segera", starts_at=now + timedelta(hours=1))
    make_training(title="Nanti", starts_at=now + timedelta(days=2))
    make_training(title="Lusa", starts_at=now + timedelta(days=3), topics=["Pemasaran digital"])
    make_training(title="Lampau", starts_at=now - timedelta(days=5), state=Training.State.FINISHED)

    def the_orms(needs=(), at=None):
        return [t.title for t in in_area(catalogue(needs, at or timezone.now()), "64.74")]

    assert titles(client.get(CATALOGUE)) == ["Segera", "Nanti", "Lusa", "Lampau"] == the_orms()
    assert client.get(CATALOGUE).context["page"].paginator.count == 4
    later = now + timedelta(hours=9)  # Segera is over
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert titles(client.get(CATALOGUE)) == ["Nanti", "Lusa", "Segera", "Lampau"]
        assert the_orms(at=later) == ["Nanti", "Lusa", "Segera", "Lampau"]
    profile = make_cadre()
    client.force_login(profile.user)
    assert titles(client.get(CATALOGUE)) == ["Segera", "Nanti", "Lusa", "Lampau"]
    CadreProfile.objects.get(pk=profile.pk).training_needs.set(
        Topic.objects.filter(name="Pemasaran digital")
    )
    response = client.get(CATALOGUE)
    assert [training.title for training, _ in response.context["recommended"]] == ["Lusa"]
    assert titles(response) == ["Lusa", "Segera", "Nanti", "Lampau"]
    assert titles(client.get(CATALOGUE, {"kecamatan": "64.74.03"})) == titles(response)
    assert titles(client.get(CATALOGUE, {"kecamatan": "64.74.01"})) == []


def test_a_cadre_signs_up_on_the_detail_page_and_sees_their_seat(
    client, bontang, django_capture_on_commit_callbacks
):
    training = make_training(capacity=1)
    profile = make_cadre()
    client.force_login(profile.user)
    response = client.get(training.get_absolute_url())
    assert f'action="{reverse("trainings:register", args=[training.pk])}"' in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:register", args=[training.pk]))
    assert response.status_code == 302
    assert Registration.objects.get().status == Status.REGISTERED
    assert len(mail.outbox) == 1
    response = client.get(training.get_absolute_url())
    assert f'action="{reverse("trainings:cancel", args=[training.pk])}"' in response.text


def test_the_second_cadre_sees_their_waitlist_position_and_gets_the_seat_when_it_frees(
    client, bontang
):
    training = make_training(capacity=1)
    first, second = make_cadre(full_name="Ani"), make_cadre(full_name="Budi")
    client.force_login(first.user)
    client.post(reverse("trainings:register", args=[training.pk]))
    client.force_login(second.user)
    client.post(reverse("trainings:register", args=[training.pk]))
    response = client.get(training.get_absolute_url())
    assert response.context["position"] == 1
    client.force_login(first.user)
    response = client.post(reverse("trainings:cancel", args=[training.pk]))
    assert response.status_code == 302
    assert Registration.objects.get(profile=second).status == Status.REGISTERED


def test_a_refused_sign_up_says_why_and_changes_nothing(client, bontang):
    training = make_training(eligible_bodies=["Karang Taruna"])
    profile = make_cadre(body="Posyandu")
    client.force_login(profile.user)
    response = client.get(training.get_absolute_url())
    assert "Karang Taruna" in response.context["problem"]
    response = client.post(reverse("trainings:register", args=[training.pk]))
    assert response.status_code == 409
    assert "Karang Taruna" in response.text
    assert not Registration.objects.exists()


def test_a_user_without_a_cadre_profile_is_told_to_fill_it_in(client, cadre):
    training = make_training()
    client.force_login(cadre)
    response = client.post(reverse("trainings:register", args=[training.pk]))
    assert response.status_code == 409
    assert not Registration.objects.exists()


def test_sign_up_and_cancel_are_post_only(client, bontang):
    training = make_training()
    client.force_login(make_cadre().user)
    assert client.get(reverse("trainings:register", args=[training.pk])).status_code == 405
    assert client.get(reverse("trainings:cancel", args=[training.pk])).status_code == 405


def test_a_draft_is_hidden_from_the_public_but_shown_to_its_organisers(
    client, bontang, kecamatan_officer, outsider
):
    training = make_training(state=State.DRAFT)
    assert client.get(training.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(training.get_absolute_url()).status_code == 404
    client.force_login(kecamatan_officer)
    assert client.get(training.get_absolute_url()).status_code == 200


def test_the_calendar_file_holds_the_training_in_wita(client, bontang):
    starts = datetime(2026, 12, 3, 8, 30, tzinfo=timezone.get_current_timezone())
    training = make_training(
        title="Pelatihan Kalender",
        starts_at=starts,
        registration_opens_at=starts - timedelta(days=30),
    )
    response = client.get(reverse("trainings:ics", args=[training.pk]))
    assert b"DTSTART;TZID=Asia/Makassar:20261203T083000" in response.getvalue()
    assert b"BEGIN:VTIMEZONE" in response.getvalue()
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.getvalue()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Pelatihan Kalender"
    assert event.decoded("DTSTART") == training.starts_at
    assert event.decoded("DTEND") == training.ends_at
    assert "Aula Kecamatan Bontang Barat" in str(event["LOCATION"])
    assert str(event["URL"]) == "http://testserver" + training.get_absolute_url()


def test_a_cancelled_training_offers_no_calendar_entry_and_its_file_cancels_the_event(
    client, bontang, staff
):
    training = make_training(title="Pelatihan Menjahit Dasar")
    ics = reverse("trainings:ics", args=[training.pk])
    assert ics in client.get(training.get_absolute_url()).text
    [imported] = Calendar.from_ical(client.get(ics).getvalue()).walk("VEVENT")

    services.cancel_training(actor=staff, training=training, note="Aula banjir")

    assert ics not in client.get(training.get_absolute_url()).text
    # A file downloaded before still finds the entry it made: same UID, now cancelled.
    [event] = Calendar.from_ical(client.get(ics).getvalue()).walk("VEVENT")
    assert str(event["UID"]) == str(imported["UID"])
    assert str(event["STATUS"]) == "CANCELLED"
    assert not event.walk("VALARM")


def test_the_whatsapp_link_shares_the_page_address(client, bontang):
    training = make_training(title="Pelatihan Bagikan")
    response = client.get(training.get_absolute_url())
    page = "http://testserver" + training.get_absolute_url()
    expected = "https://wa.me/?text=" + quote(f"Pelatihan Bagikan {page}", safe="")
    assert f'href="{expected}"' in response.text


# Organisers


def seated_training(count=3, capacity=2, **fields):
    training = make_training(capacity=capacity, **fields)
    profiles = [make_cadre(full_name=f"Peserta {number}") for number in range(1, count + 1)]
    for profile in profiles:
        services.sign_up(actor=profile.user, training=training, profile=profile)
    return training, profiles


def test_the_officer_of_the_venue_sees_participants_and_waitlist_with_masked_niks(
    client, kecamatan_officer
):
    training, profiles = seated_training(count=3, capacity=2)
    client.force_login(kecamatan_officer)
    response = client.get(reverse("trainings:participants", args=[training.pk]))
    assert response.status_code == 200
    assert [row.profile.full_name for row in response.context["seated"]] == [
        "Peserta 1",
        "Peserta 2",
    ]
    assert [row.profile.full_name for row in response.context["waiting"]] == ["Peserta 3"]
    assert profiles[0].masked_nik in response.text
    assert profiles[0].nik not in response.text
    assert response.context["capacity_form"] is None  # capacity is the Dinas's


@pytest.mark.parametrize("persona", ["kelurahan_officer", "outsider", "coordinator", "cadre"])
def test_others_do_not_find_the_organiser_pages(client, bontang, request, persona):
    training, _ = seated_training(count=1)
    client.force_login(request.getfixturevalue(persona))
    for name in ("participants", "sheet", "export_csv", "export_xlsx"):
        assert client.get(reverse(f"trainings:{name}", args=[training.pk])).status_code == 404
    response = client.post(reverse("trainings:attendance", args=[training.pk]), {})
    assert response.status_code == 404
    response = client.get(reverse("trainings:manage"))
    assert response.status_code == 404 or not response.context["page"].object_list


def test_the_manage_list_shows_only_trainings_in_the_organisers_area(client, kecamatan_officer):
    make_training(title="Di Bontang Barat", state=State.DRAFT)
    make_training(title="Di Bontang Utara", venue_kecamatan_id="64.74.01")
    client.force_login(kecamatan_officer)
    response = client.get(reverse("trainings:manage"))
    assert [training.title for training in response.context["page"]] == ["Di Bontang Barat"]


def test_attendance_is_saved_from_one_form_of_checkboxes(client, kecamatan_officer):
    now = timezone.now()
    training, _ = seated_training(count=3, capacity=3)
    Training.objects.filter(pk=training.pk).update(
        registration_opens_at=now - timedelta(days=5),
        registration_closes_at=now - timedelta(days=2),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=5),
    )
    first, _second, third = training.registrations.order_by("pk")
    client.force_login(kecamatan_officer)
    response = client.get(reverse("trainings:participants", args=[training.pk]))
    assert f'name="attended" value="{first.pk}"' in response.text
    response = client.post(
        reverse("trainings:attendance", args=[training.pk]),
        {"attended": [first.pk, third.pk]},
    )
    assert response.status_code == 302
    assert list(training.registrations.filter(attended=True).order_by("pk")) == [first, third]
    response = client.post(
        reverse("trainings:attendance", args=[training.pk]), {"attended": ["satu"]}
    )
    assert response.status_code == 400
    assert training.registrations.filter(attended=True).count() == 2


def test_attendance_before_the_start_is_refused(client, kecamatan_officer):
    training, _ = seated_training(count=1)
    client.force_login(kecamatan_officer)
    registration = training.registrations.get()
    response = client.post(
        reverse("trainings:attendance", args=[training.pk]), {"attended": [registration.pk]}
    )
    assert response.status_code == 409
    registration.refresh_from_db()
    assert not registration.attended


def test_dinas_staff_change_the_capacity_from_the_participants_page(client, staff):
    training, _ = seated_training(count=3, capacity=1)
    client.force_login(staff)
    url = reverse("trainings:capacity", args=[training.pk])
    assert client.post(url, {"capacity": "0"}).status_code == 400
    response = client.post(url, {"capacity": "2"})
    assert response.status_code == 302
    assert training.registrations.filter(status=Status.REGISTERED).count() == 2
    response = client.post(url, {"capacity": "1"})
    assert response.status_code == 409
    training.refresh_from_db()
    assert training.capacity == 2


def test_the_daftar_hadir_lists_the_seated_by_name_with_an_empty_signature_column(
    client, kecamatan_officer
):
    training, _ = seated_training(count=3, capacity=2, title="Pelatihan Daftar Hadir")
    client.force_login(kecamatan_officer)
    response = client.get(reverse("trainings:sheet", args=[training.pk]))
    assert response.status_code == 200
    assert "Pelatihan Daftar Hadir" in response.text
    assert [row.profile.full_name for row in response.context["rows"]] == [
        "Peserta 1",
        "Peserta 2",
    ]
    assert response.text.count('<td class="sheet-signature"></td>') == 2
    assert "Belimbing" in response.text
    assert "Posyandu" in response.text


@pytest.mark.parametrize("rows", [1, 10])
def test_the_participant_pages_query_counts_do_not_grow_with_the_rows(
    client, staff, django_assert_num_queries, rows
):
    training, _ = seated_training(count=rows, capacity=max(rows - 1, 1))
    client.force_login(staff)
    # session, user, roles, the menu's counts, training, registrations, memberships
    with django_assert_num_queries(7):
        client.get(reverse("trainings:participants", args=[training.pk]))
    with django_assert_num_queries(7):
        client.get(reverse("trainings:sheet", args=[training.pk]))
    with django_assert_num_queries(6):
        client.get(reverse("trainings:export_csv", args=[training.pk])).getvalue()
    # session, user, roles, the menu's counts, count, page
    with django_assert_num_queries(6):
        client.get(reverse("trainings:manage"))


def test_the_csv_export_masks_the_nik_and_numbers_the_waitlist(client, staff):
    training, profiles = seated_training(count=3, capacity=2)
    client.force_login(staff)
    response = client.get(reverse("trainings:export_csv", args=[training.pk]))
    assert response["Content-Type"].startswith("text/csv")
    content = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 4
    assert rows[1][1:4] == ["Peserta 1", profiles[0].masked_nik, "Posyandu"]
    assert rows[3][7] == "1"
    assert profiles[0].nik not in content


def test_the_xlsx_export_masks_the_nik(client, staff):
    training, profiles = seated_training(count=2, capacity=2, title="Pelatihan Ekspor")
    client.force_login(staff)
    response = client.get(reverse("trainings:export_xlsx", args=[training.pk]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Pelatihan Ekspor"
    assert values[3][1:3] == ["Peserta 1", profiles[0].masked_nik]
    assert not any(profiles[0].nik in str(cell) for row in values for cell in row)


def exported(client, training, format):
    """The exported rows below the header, as lists of cell values."""
    response = client.get(reverse(f"trainings:export_{format}", args=[training.pk]))
    if format == "csv":
        return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))[1:]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()][3:]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_exports_number_the_participants_as_the_page_and_the_daftar_hadir_do(
    client, staff, format
):
    training = make_training(capacity=2)
    for name in ("Citra", "Ani", "Budi"):  # Budi arrives last: the waitlist
        profile = make_cadre(full_name=name)
        services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(staff)
    page = client.get(reverse("trainings:participants", args=[training.pk])).context
    listed = [row.profile.full_name for row in [*page["seated"], *page["waiting"]]]
    assert listed == ["Ani", "Citra", "Budi"]
    rows = exported(client, training, format)
    assert [row[1] for row in rows] == listed
    assert [str(row[0]) for row in rows] == ["1", "2", "3"]
    assert [str(row[7] or "") for row in rows] == ["", "", "1"]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_exports_say_nothing_of_attendance_before_the_training_has_started(
    client, staff, settings, format
):
    training, _ = seated_training(count=3, capacity=2)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    assert [row[8] or "" for row in exported(client, training, format)] == ["", "", ""]

    first = training.registrations.order_by("pk").first()
    services.mark_attendance(
        actor=staff, training=training, attended=[first], now=training.starts_at
    )
    Training.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - timedelta(hours=1),
        registration_opens_at=timezone.now() - timedelta(days=3),
        registration_closes_at=timezone.now() - timedelta(days=2),
    )
    # Peserta 3 waits: without a seat, there is no attendance to give.
    assert [row[8] or "" for row in exported(client, training, format)] == ["yes", "no", ""]


def test_the_xlsx_export_gives_the_sign_up_time_as_a_date_and_time_cell(client, staff):
    training, _ = seated_training(count=1)
    registration = training.registrations.get()
    client.force_login(staff)
    [row] = exported(client, training, "xlsx")
    local = timezone.localtime(registration.created_at)
    assert row[9] == local.replace(tzinfo=None, second=0, microsecond=0)
    assert exported(client, training, "csv")[0][9] == f"{local:%Y-%m-%d %H:%M}"


def test_a_formula_in_a_name_is_exported_as_text(client, staff):
    training = make_training()
    profile = make_cadre(full_name="=HYPERLINK(1)")
    services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(staff)
    response = client.get(reverse("trainings:export_csv", args=[training.pk]))
    assert "'=HYPERLINK(1)" in response.getvalue().decode()


def test_an_organiser_sees_of_an_outside_participant_what_the_statement_says(
    client, kecamatan_officer, other_kota
):
    """The privacy page: the organiser of another area sees name, masked NIK, bodies,
    kelurahan, kecamatan, place and attendance; never mobile, birth date or address, and
    the participant's profile page stays out of reach."""
    samarinda_ketua = make_persona(Role.FORUM_OFFICER, "64.72.01.1001", Position.KETUA)
    outside = make_profile(
        kelurahan="64.72.01.1001",
        full_name="Rina dari Samarinda",
        nik=make_nik(kecamatan="647201"),
        phone="0813-5555-4444",
        address="Jl. Rawa Makmur 9",
        birth_place="Samarinda",
    )
    outside = cadre_services.verify_cadre(actor=samarinda_ketua, profile=outside)
    training = make_training(capacity=5)
    services.sign_up(actor=outside.user, training=training, profile=outside)
    client.force_login(kecamatan_officer)
    pages = [
        client.get(reverse("trainings:participants", args=[training.pk])).text,
        client.get(reverse("trainings:sheet", args=[training.pk])).text,
        client.get(reverse("trainings:export_csv", args=[training.pk])),
    ]
    pages[2] = b"".join(pages[2].streaming_content).decode("utf-8-sig")
    for text in pages:
        assert "Rina dari Samarinda" in text
        assert "Rawa Makmur" in text  # the kelurahan
        for private in (outside.nik, outside.nik[:12], "5555", "Jl. Rawa Makmur", "1990"):
            assert private not in text
    assert client.get(outside.get_absolute_url()).status_code == 404
