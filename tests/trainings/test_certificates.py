import io
from datetime import datetime, timedelta

import pytest
import zxingcpp
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

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
