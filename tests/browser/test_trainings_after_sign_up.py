"""After the sign-up, on a phone: the cadre finds the training under "Pelatihan saya" with
their check-in code; at the venue the forum's secretary scans or types it; Dinas staff
publish a draft on the site; a visitor types a certificate code at /sertifikat/. Every page
fits 360 px, passes axe and keeps to the CSP."""

from datetime import timedelta

from django.utils import timezone

from forkom.accounts.models import Position, Role
from tests.browser.helpers import check, open_menu, sign_in
from tests.conftest import make_persona, make_user
from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.models import Registration, Training


def test_pelatihan_saya_check_in_publishing_and_the_certificate_form_on_a_phone(
    page, live_server_url, bontang, assert_accessible
):
    base = live_server_url
    now = timezone.now()
    training = make_training(
        title="Pemasaran Digital untuk UMKM",
        starts_at=now + timedelta(minutes=30),
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now,
    )
    ani = make_cadre(user=make_user("ani@test.forkom.id"), full_name="Ani Rahmawati")
    services.sign_up(actor=ani.user, training=training, profile=ani, now=now - timedelta(days=1))
    make_persona(
        Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS, email="sekretaris@test.forkom.id"
    )
    make_persona(Role.DINAS_STAFF, "64", email="staf@test.forkom.id")
    draft = make_training(title="Draf Pelatihan Posyandu", state=Training.State.DRAFT)

    # Ani opens "Pelatihan saya" from the menu and her training's page shows her code.
    sign_in(page, base, "ani@test.forkom.id")
    open_menu(page, "nav a[href='/pelatihan/saya/']").click()
    page.wait_for_url(base + "/pelatihan/saya/")
    check(page, assert_accessible)
    page.get_by_role("link", name="Pemasaran Digital untuk UMKM").click()
    page.wait_for_url(base + training.get_absolute_url())
    check(page, assert_accessible)
    code = page.locator(".check-in-code .code").inner_text().strip()
    assert page.locator(".check-in-code img").evaluate("image => image.naturalWidth") > 0

    # At the venue the secretary types it in.
    sign_in(page, base, "sekretaris@test.forkom.id")
    page.goto(base + f"/pelatihan/{training.pk}/peserta/")
    page.locator(f"a[href='/pelatihan/{training.pk}/hadir/']").click()
    page.wait_for_url(base + f"/pelatihan/{training.pk}/hadir/")
    check(page, assert_accessible)
    page.fill("#check-in-code", code.lower())
    page.locator("#check-in-form button[type='submit']").click()
    page.wait_for_url(base + f"/pelatihan/{training.pk}/hadir/")
    check(page, assert_accessible)
    assert "Ani Rahmawati" in page.locator("main").inner_text()
    assert Registration.objects.get(profile=ani).attended

    # Dinas staff publish a draft from its participants page.
    sign_in(page, base, "staf@test.forkom.id")
    page.goto(base + f"/pelatihan/{draft.pk}/peserta/")
    check(page, assert_accessible)
    page.locator(f"form[action='/pelatihan/{draft.pk}/terbitkan/'] button").click()
    page.wait_for_url(base + f"/pelatihan/{draft.pk}/peserta/")
    check(page, assert_accessible)
    draft.refresh_from_db()
    assert draft.state == Training.State.PUBLISHED

    # A visitor types a certificate code that does not exist, and may try again.
    page.context.clear_cookies()
    page.goto(base + "/sertifikat/")
    check(page, assert_accessible)
    page.fill("input[name='kode']", "bukan-kode")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(base + "/sertifikat/bukan-kode/")
    check(page, assert_accessible)
    assert page.locator("input[name='kode']").count() == 1
