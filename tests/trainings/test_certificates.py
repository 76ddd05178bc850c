import io
from datetime import datetime, timedelta

import pytest
import zxingcpp
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from forkom.errors import DomainError
from tests.trainings.factories import make_cadre, make_training
from trainings import certificates, services
from trainings.models import Registration, Training

Status = Registration.Status


@pytest.fixture
def finished(bontang, staff):
    """A finished training: Ani attended, Budi did not, Citra stayed on the waitlist."""
    starts = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.get_current_timezone())
    training = make_training(
        title="Pelatihan Peningkatan Peran dan Kapasitas SDM",
        capacity=2,
        starts_at=starts,
        registration_opens_at=starts - timedelta(days=20),
        registration_closes_at=starts - timedelta(days=1),
    )
    during_registration = starts - timedelta(days=5)
    people = {}
    for name in ("Ani Rahmawati", "Budi Saputra", "Citra Lestari"):
        profile = make_cadre(full_name=name)
        services.sign_up(
            actor=profile.user, training=training, profile=profile, now=during_registration
        )
        people[name.split()[0]] = profile
    ani = Registration.objects.get(profile=people["Ani"])
    services.mark_attendance(actor=staff, training=training, attended=[ani], now=starts)
    services.finish(actor=staff, training=training, now=starts + timedelta(hours=8))
    return training, people


def pdf_of(client, profile, training):
    client.force_login(profile.user)
    return client.get(reverse("trainings:certificate", args=[training.pk]))


def test_an_attendee_downloads_a_pdf_certificate_with_their_name(client, finished):
    training, people = finished
    response = pdf_of(client, people["Ani"], training)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Ani Rahmawati" in text
    assert "Pelatihan Peningkatan Peran dan Kapasitas SDM" in text


@pytest.mark.parametrize("who", ["Budi", "Citra"])
def test_who_did_not_attend_gets_no_certificate(client, finished, who):
    training, people = finished
    assert pdf_of(client, people[who], training).status_code == 404


def test_there_is_no_certificate_before_the_training_is_finished(client, bontang, staff):
    training = make_training()
    profile = make_cadre()
    registration = services.sign_up(actor=profile.user, training=training, profile=profile)
    services.mark_attendance(
        actor=staff, training=training, attended=[registration], now=training.starts_at
    )
    assert pdf_of(client, profile, training).status_code == 404
    code = Registration.objects.get().certificate_code
    assert client.get(reverse("certificates:verify", args=[code])).status_code == 404


def test_the_qr_code_in_the_pdf_decodes_to_the_verification_page(client, finished):
    training, people = finished
    response = pdf_of(client, people["Ani"], training)
    images = PdfReader(io.BytesIO(response.content)).pages[0].images
    assert len(images) == 1
    decoded = zxingcpp.read_barcodes(images[0].image)
    assert [barcode.format for barcode in decoded] == [zxingcpp.BarcodeFormat.QRCode]
    code = Registration.objects.get(profile=people["Ani"]).certificate_code
    assert decoded[0].text == "http://testserver" + reverse("certificates:verify", args=[code])
    assert decoded[0].text.endswith(f"/sertifikat/{code}/")


def test_the_qr_code_holds_exactly_the_address_it_is_given():
    url = "https://forkom.example/sertifikat/AbC-123_xyz/"
    image = Image.open(io.BytesIO(certificates.qr_png(url)))
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [url]


def test_the_verification_page_confirms_name_training_and_date_and_nothing_else(client, finished):
    training, people = finished
    ani = people["Ani"]
    code = Registration.objects.get(profile=ani).certificate_code
    response = client.get(reverse("certificates:verify", args=[code]))
    assert response.status_code == 200
    assert "Ani Rahmawati" in response.text
    assert training.title in response.text
    assert response.context["dates"] in response.text
    for private in (ani.nik, ani.masked_nik, ani.phone, ani.kelurahan.name, "Posyandu"):
        assert private not in response.text


def test_a_forged_or_unknown_code_is_reported_as_such(client, finished):
    _, people = finished
    genuine = Registration.objects.get(profile=people["Ani"]).certificate_code
    not_attended = Registration.objects.get(profile=people["Budi"]).certificate_code
    for code in (genuine[:-1] + ("A" if genuine[-1] != "A" else "B"), not_attended, "x" * 200):
        response = client.get(reverse("certificates:verify", args=[code]))
        assert response.status_code == 404
        assert "Ani Rahmawati" not in response.text
        assert "Budi Saputra" not in response.text
        assert response.context is None or "name" not in response.context


def test_certificate_codes_are_random_and_unique(bontang):
    training = make_training(capacity=50)
    codes = set()
    for _ in range(20):
        profile = make_cadre()
        codes.add(
            services.sign_up(
                actor=profile.user, training=training, profile=profile
            ).certificate_code
        )
    assert len(codes) == 20
    assert all(len(code) >= 16 for code in codes)


def test_the_profile_snippet_lists_the_trainings_a_cadre_attended(client, finished):
    training, people = finished
    template = Template("{% load trainings %}{% attended_trainings profile %}")
    ani = people["Ani"]
    html = template.render(Context({"profile": ani, "user": ani.user}))
    assert training.title in html
    assert reverse("trainings:certificate", args=[training.pk]) in html
    officer_view = template.render(Context({"profile": ani, "user": people["Budi"].user}))
    assert training.title in officer_view
    assert reverse("trainings:certificate", args=[training.pk]) not in officer_view
    budi = template.render(Context({"profile": people["Budi"], "user": people["Budi"].user}))
    assert training.title not in budi
    assert Training.objects.get().state == Training.State.FINISHED


LOOKUP = reverse("certificates:lookup")


def test_sertifikat_offers_a_form_to_type_a_code(client, db):
    response = client.get(LOOKUP)
    assert response.status_code == 200
    assert 'name="kode"' in response.text


@pytest.mark.parametrize(
    "typed", ["{code}", "  {code} ", "https://forkom.example.id/sertifikat/{code}/"]
)
def test_a_typed_or_pasted_code_leads_to_its_certificate(client, finished, typed):
    _training, people = finished
    code = Registration.objects.get(profile=people["Ani"]).certificate_code
    response = client.get(LOOKUP, {"kode": typed.format(code=code)}, follow=True)
    assert response.redirect_chain == [(reverse("certificates:verify", args=[code]), 302)]
    assert "Ani Rahmawati" in response.text


@pytest.mark.parametrize("typed", ["", "kode salah!", "x" * 65])
def test_a_malformed_code_is_refused_with_400_and_the_form_again(client, finished, typed):
    response = client.get(LOOKUP, {"kode": typed})
    assert response.status_code == 400
    assert 'name="kode"' in response.text
    assert "Ani Rahmawati" not in response.text


def test_a_nul_byte_in_the_code_is_refused_before_any_query(client, finished):
    assert client.get(LOOKUP, {"kode": "a\x00b"}).status_code == 400


def test_an_unknown_code_is_reported_with_the_form_to_try_again(client, finished):
    response = client.get(LOOKUP, {"kode": "bukan-kode-asli"}, follow=True)
    assert response.status_code == 404
    assert 'name="kode"' in response.text


@pytest.fixture
def signed(finished):
    training, people = finished
    Training.objects.filter(pk=training.pk).update(
        organiser="Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang",
        signatory_name="Dra. Hj. Siti Rahayu, M.Si.",
        signatory_title="Kepala Dinas Sosial dan PM Kota Bontang",
    )
    training.refresh_from_db()
    return training, people


def test_the_certificate_names_its_issuer_the_forum_and_the_signatory_as_text(client, signed):
    training, people = signed
    text = PdfReader(io.BytesIO(pdf_of(client, people["Ani"], training).content)).pages[0]
    text = " ".join(text.extract_text().split())
    assert "Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang" in text
    assert "Forum Komunikasi Kader Pemberdayaan Masyarakat" in text
    assert "Dra. Hj. Siti Rahayu, M.Si." in text
    assert "Kepala Dinas Sosial dan PM Kota Bontang" in text


def test_the_verification_page_names_the_issuer_and_the_signatory(client, signed):
    _training, people = signed
    code = Registration.objects.get(profile=people["Ani"]).certificate_code
    page = client.get(reverse("certificates:verify", args=[code])).text
    assert "Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang" in page
    assert "Dra. Hj. Siti Rahayu, M.Si., Kepala Dinas Sosial dan PM Kota Bontang" in page


def test_without_a_signatory_the_certificate_has_no_empty_signature_block(client, finished):
    training, people = finished
    text = PdfReader(io.BytesIO(pdf_of(client, people["Ani"], training).content)).pages[0]
    assert training.organiser in " ".join(text.extract_text().split())


def test_the_certificate_form_reads_nothing_from_the_database(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert client.get(LOOKUP).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(LOOKUP, {"kode": "abc"}).status_code == 302


def test_the_verification_page_reads_the_holder_s_name_and_no_other_personal_data(client, signed):
    training, people = signed
    code = Registration.objects.get(profile=people["Ani"]).certificate_code
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("certificates:verify", args=[code])).text
    assert "Ani Rahmawati" in page
    assert training.signatory_title in page
    assert len(captured) == 1
    sql = captured[0]["sql"]
    assert '"cadres_cadreprofile"."full_name"' in sql
    for column in ("nik", "phone", "address", "birth_date", "birth_place"):
        assert f'"cadres_cadreprofile"."{column}"' not in sql


def test_the_attendance_note_is_written_in_indonesian_whoever_records_it(english, finished):
    """The demo, run in English, left "41 of 41 present" on the Indonesian admin's timeline:
    a note the portal writes into a record is in the site's language, not the writer's."""
    training, _people = finished
    notes = list(training.events.filter(kind="attendance").values_list("note", flat=True))
    assert notes == ["1 dari 2 hadir"]


def test_a_finished_training_gives_its_capacity_not_seats_left(client, finished):
    """A finished training read "Kursi: sisa 1 dari 2 kursi" (found by a walk through the
    demo site): there is nothing left to take."""
    training, _people = finished
    page = client.get(training.get_absolute_url()).text
    assert "<dd>2 kursi</dd>" in page
    assert "sisa 1 dari 2" not in page


def test_attendance_of_a_finished_training_is_closed_and_its_certificates_stay(
    client, finished, staff, settings
):
    """Unticking Ani on the finished training's list voided her certificate without a word
    (found on the demo site): once finished, the list is shown as it was and a save is
    refused, so that an issued certificate stays valid."""
    training, people = finished
    ani = Registration.objects.get(profile=people["Ani"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    page = client.get(reverse("trainings:participants", args=[training.pk])).text
    assert f'id="attended-{ani.pk}" checked disabled' in page
    assert "Save attendance" not in page
    assert "The training is finished: attendance is closed" in page
    # Nor is its check-in offered (found by a walk through the demo site).
    assert reverse("trainings:check_in", args=[training.pk]) not in page

    response = client.post(
        reverse("trainings:attendance", args=[training.pk]),
        {"changes_only": "1", "shown_present": [ani.pk]},  # Ani unticked
    )
    assert response.status_code == 409
    assert "The training is finished: attendance is closed" in response.text
    with pytest.raises(DomainError, match="training is finished"):
        services.mark_attendance(actor=staff, training=training, attended=[])

    ani.refresh_from_db()
    assert ani.attended
    assert training.events.filter(kind="attendance").count() == 1
    verify = reverse("certificates:verify", args=[ani.certificate_code])
    assert client.get(verify).status_code == 200


def test_a_cancelled_training_takes_no_attendance(bontang, staff):
    now = timezone.now()
    training = make_training(
        starts_at=now - timedelta(hours=1),
        registration_opens_at=now - timedelta(days=5),
        registration_closes_at=now - timedelta(days=1),
    )
    profile = make_cadre()
    registration = services.sign_up(
        actor=profile.user, training=training, profile=profile, now=now - timedelta(days=2)
    )
    services.cancel_training(actor=staff, training=training, note="Aula banjir")
    with pytest.raises(DomainError, match="training is cancelled"):
        services.mark_attendance(actor=staff, training=training, attended=[registration])
    registration.refresh_from_db()
    assert not registration.attended
