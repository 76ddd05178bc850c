"""A training's whole journey on a phone: a cadre finds a training recommended for them,
signs up and adds it to the calendar; a second cadre lands on the waitlist and gets the seat
when the first cancels; the kecamatan forum marks attendance and prints the daftar hadir; the
attendee downloads the certificate, whose QR code leads to the public verification page.
Every page fits 360 px, passes axe and keeps to the CSP."""

import io
from datetime import timedelta
from pathlib import Path

import zxingcpp
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from forkom.accounts.models import Position, Role
from tests.browser.helpers import check, sign_in
from tests.conftest import make_persona, make_user
from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.models import Registration, Training

Status = Registration.Status


def download(page, link):
    with page.expect_download() as info:
        link.click()
    return info.value


def test_a_training_from_sign_up_to_certificate_on_a_phone(
    page, live_server_url, bontang, assert_accessible
):
    base = live_server_url
    training = make_training(
        title="Pemasaran Digital untuk UMKM", topics=["Pemasaran digital"], capacity=1
    )
    make_training(
        title="Pengelolaan Keuangan Kelompok",
        topics=["Pengelolaan keuangan"],
        starts_in=timedelta(days=3),
    )
    ani = make_cadre(
        user=make_user("ani@test.forkom.id"),
        full_name="Ani Rahmawati",
        needs=["Pemasaran digital"],
    )
    budi = make_cadre(user=make_user("budi@test.forkom.id"), full_name="Budi Saputra")
    make_persona(
        Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS, email="sekretaris@test.forkom.id"
    )
    detail = base + training.get_absolute_url()

    # Ani finds the training recommended for her, first in the catalogue.
    sign_in(page, base, "ani@test.forkom.id")
    page.goto(base + "/pelatihan/")
    check(page, assert_accessible)
    first_card = page.locator(".training-card").first
    assert "Pemasaran Digital untuk UMKM" in first_card.inner_text()
    first_card.get_by_role("link", name="Pemasaran Digital untuk UMKM").click()
    page.wait_for_url(detail)
    check(page, assert_accessible)
    share = page.locator("a[href^='https://wa.me/?text=']")
    assert "pelatihan" in share.get_attribute("href")

    # She signs up and puts it in her calendar.
    page.locator(f"form[action='/pelatihan/{training.pk}/daftar/'] button").click()
    page.wait_for_url(detail)
    check(page, assert_accessible)
    assert Registration.objects.get(profile=ani).status == Status.REGISTERED
    ics = download(page, page.locator(f"a[href='/pelatihan/{training.pk}/kalender.ics']"))
    event = Calendar.from_ical(Path(ics.path()).read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Pemasaran Digital untuk UMKM"

    # Budi comes second: the one seat is taken, he is first on the waitlist.
    sign_in(page, base, "budi@test.forkom.id")
    page.goto(detail)
    page.locator(f"form[action='/pelatihan/{training.pk}/daftar/'] button").click()
    page.wait_for_url(detail)
    check(page, assert_accessible)
    assert Registration.objects.get(profile=budi).status == Status.WAITLISTED
    assert "1" in page.locator(".signup .message").inner_text()

    # Ani cancels: Budi is seated and told by email.
    mail.outbox.clear()
    sign_in(page, base, "ani@test.forkom.id")
    page.goto(detail)
    page.locator(f"form[action='/pelatihan/{training.pk}/batal/'] button").click()
    page.wait_for_url(detail)
    check(page, assert_accessible)
    assert Registration.objects.get(profile=budi).status == Status.REGISTERED
    assert [message.to for message in mail.outbox] == [["budi@test.forkom.id"]]

    # The day comes: the kecamatan forum's secretary marks attendance and prints the list.
    now = timezone.now()
    Training.objects.filter(pk=training.pk).update(
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now - timedelta(days=1),
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=5),
    )
    sign_in(page, base, "sekretaris@test.forkom.id")
    page.goto(base + f"/pelatihan/{training.pk}/peserta/")
    check(page, assert_accessible)
    # On the phone each participant is a card with their box and their name, in view.
    card = page.locator("main table.table-cards tbody tr").first
    box = card.bounding_box()
    assert box["x"] + box["width"] <= 360
    budi_seat = Registration.objects.get(profile=budi, status=Status.REGISTERED)
    page.locator(f"#attended-{budi_seat.pk}").check()
    page.locator(f"form[action='/pelatihan/{training.pk}/kehadiran/'] button").click()
    page.wait_for_url(f"**/pelatihan/{training.pk}/peserta/")
    check(page, assert_accessible)
    budi_seat.refresh_from_db()
    assert budi_seat.attended
    page.locator(f"a[href='/pelatihan/{training.pk}/daftar-hadir/']").click()
    page.wait_for_url(f"**/pelatihan/{training.pk}/daftar-hadir/")
    check(page, assert_accessible)
    rows = page.locator(".sheet-table tbody tr")
    assert rows.count() == 1
    assert "Budi Saputra" in rows.first.inner_text()

    # Once the Dinas closes the training, Budi downloads his certificate.
    staff = make_persona(Role.DINAS_STAFF, "64")
    services.finish(actor=staff, training=training)
    sign_in(page, base, "budi@test.forkom.id")
    page.goto(detail)
    check(page, assert_accessible)
    pdf = download(page, page.locator(f"a[href='/pelatihan/{training.pk}/sertifikat.pdf']"))
    reader = PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))
    assert "Budi Saputra" in reader.pages[0].extract_text()
    verify_url = zxingcpp.read_barcodes(reader.pages[0].images[0].image)[0].text
    assert verify_url == f"{base}/sertifikat/{budi_seat.certificate_code}/"

    # Anyone scanning the QR code sees the certificate confirmed.
    page.context.clear_cookies()
    page.goto(verify_url)
    check(page, assert_accessible)
    assert "Budi Saputra" in page.locator("main").inner_text()
