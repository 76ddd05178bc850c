"""A cadre without email, on a phone: the ketua of Belimbing registers her and hands over an
activation code; she signs in with her mobile number and the code, chooses a password,
signs up for a training and finds it under "Pelatihan saya". Every page fits 360 px and
passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadres.models import Body, CadreProfile
from forkom.accounts.models import Position, Role
from tests.browser.helpers import check, sign_in
from tests.conftest import make_persona
from tests.trainings.factories import make_training
from trainings.models import Registration

NEW_PASSWORD = "kata-sandi-mbah-2026"


# CI's SQLite pass runs this journey too, not only its PostgreSQL pass (.ci/run).
pytestmark = pytest.mark.smoke


def test_a_cadre_without_email_signs_in_with_phone_and_code_and_signs_up_for_a_training(
    page, live_server_url, bontang, assert_accessible
):
    base = live_server_url
    make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA, email="ketua@test.forkom.id")
    posyandu, _created = Body.objects.get_or_create(name="Posyandu")
    training = make_training(
        title="Gizi Balita untuk Kader Posyandu",
        starts_at=timezone.now() + timedelta(days=14),
        registration_opens_at=timezone.now() - timedelta(days=1),
        registration_closes_at=timezone.now() + timedelta(days=7),
    )

    # The ketua registers Mbah Sarinah, who has a phone but no email.
    sign_in(page, base, "ketua@test.forkom.id")
    page.goto(base + "/kader/daftar-bantuan/")
    check(page, assert_accessible)
    page.check("input[name='printed_consent']")
    page.fill("input[name='full_name']", "Sarinah")
    page.fill("input[name='nik']", "6474035508600001")
    page.check("input[name='sex'][value='P']")
    page.fill("input[name='birth_place']", "Bontang")
    page.fill("input[name='birth_date']", "1960-08-15")
    page.fill("input[name='phone']", "0812 7777 6666")
    page.fill("textarea[name='address']", "Jl. Pupuk Raya, Belimbing")
    page.select_option("select[name='kelurahan']", "64.74.03.1001")
    page.select_option("select[name='education']", "sd")
    page.check(f"input[name='body_{posyandu.pk}']")
    page.fill(f"input[name='body_{posyandu.pk}_position']", "Kader")
    page.locator("form[action='/kader/daftar-bantuan/'] button[type='submit']").click()
    profile = CadreProfile.objects.get(full_name="Sarinah")
    page.wait_for_url(base + profile.get_absolute_url())
    check(page, assert_accessible)

    # She showed her KTP: the ketua verifies her at once.
    page.locator(f"form[action='/kader/{profile.public_id}/verifikasi/'] button").click()
    page.wait_for_url(base + profile.get_absolute_url())
    profile.refresh_from_db()
    assert profile.status == CadreProfile.Status.VERIFIED

    # On her page the ketua issues a code, to print or send on WhatsApp.
    page.locator(f"form[action='/kader/{profile.public_id}/kode-aktivasi/'] button").click()
    page.wait_for_url(base + f"/kader/{profile.public_id}/kode-aktivasi/")
    check(page, assert_accessible)
    code = page.locator(".activation-code strong").inner_text().strip()
    whatsapp = page.locator("a[href^='https://wa.me/6281277776666']")
    assert whatsapp.count() == 1

    # Sarinah, on her own phone, follows "no email?" from the sign-in page.
    page.context.clear_cookies()
    page.goto(base + "/akun/login/")
    page.locator("a[href='/kader/masuk-dengan-kode/']").click()
    page.wait_for_url(base + "/kader/masuk-dengan-kode/")
    check(page, assert_accessible)
    page.fill("input[name='identifier']", "0812-7777-6666")
    page.fill("input[name='code']", code)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(base + "/akun/password/set/")
    check(page, assert_accessible)
    page.fill("input[name='password1']", NEW_PASSWORD)
    page.fill("input[name='password2']", NEW_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_load_state()
    profile.user.refresh_from_db()
    assert profile.user.check_password(NEW_PASSWORD)

    # She signs up for the training and finds it under "Pelatihan saya".
    page.goto(base + training.get_absolute_url())
    check(page, assert_accessible)
    page.locator(f"form[action='/pelatihan/{training.pk}/daftar/'] button").click()
    page.wait_for_load_state()
    assert Registration.objects.filter(training=training, profile=profile).exists()
    page.goto(base + "/pelatihan/saya/")
    check(page, assert_accessible)
    assert "Gizi Balita untuk Kader Posyandu" in page.locator("main").inner_text()
