"""A new cadre registers on a phone, completes the profile, and a kelurahan officer verifies."""

import re

from django.core import mail
from playwright.sync_api import expect

from cadres.models import Body, CadreProfile, Topic
from forkom.accounts.models import Position, Role
from tests.browser.helpers import assert_fits_the_phone, open_menu, sign_in
from tests.conftest import PASSWORD, make_persona

CONFIRMATION_LINK = re.compile(r"https?://\S+/akun/confirm-email/\S+/")


def test_a_new_cadre_registers_completes_the_profile_and_is_verified_by_the_ketua(
    page, live_server_url, bontang, assert_accessible
):
    make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA, email="ketua@test.forkom.id")
    # A live-server test before this one may have flushed the lists the migration seeded.
    posyandu, _ = Body.objects.get_or_create(name="Posyandu")
    topic, _ = Topic.objects.get_or_create(name="Kewirausahaan dan UMKM")

    # Sign up and confirm the address.
    page.goto(live_server_url + "/akun/signup/")
    page.fill("input[name='email']", "ani@test.forkom.id")
    page.fill("input[name='password1']", PASSWORD)
    page.fill("input[name='password2']", PASSWORD)
    page.locator("form[action='/akun/signup/'] button[type='submit']").click()
    page.wait_for_url("**/akun/confirm-email/")
    page.goto(CONFIRMATION_LINK.search(mail.outbox[-1].body).group(0))
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(live_server_url + "/")

    # The profile starts with the personal-data statement.
    open_menu(page, "nav a[href='/kader/']").click()
    page.wait_for_url("**/kader/persetujuan/")
    assert_fits_the_phone(page)
    assert_accessible(page)
    page.check("input[name='agree']")
    page.locator("form[action='/kader/persetujuan/'] button[type='submit']").click()
    page.wait_for_url("**/kader/daftar/")
    assert_fits_the_phone(page)
    assert_accessible(page)

    page.fill("input[name='full_name']", "Ani Suryani")
    page.fill("input[name='nik']", "6474035203950007")  # woman, born 12 March 1995
    page.check("input[name='sex'][value='P']")
    page.fill("input[name='birth_place']", "Bontang")
    page.fill("input[name='birth_date']", "1995-03-12")
    page.fill("input[name='phone']", "0812 5544 3322")
    page.fill("textarea[name='address']", "Jl. Awang Long No. 7, Belimbing")
    # With JavaScript a kecamatan choice narrows the kelurahan list (it works without, too).
    page.select_option("#id_kelurahan-kecamatan", label="Bontang Barat")
    enabled = page.locator("select[name='kelurahan'] optgroup:not([disabled]) option")
    expect(enabled).to_have_count(3)
    page.select_option("select[name='kelurahan']", "64.74.03.1001")
    page.select_option("select[name='education']", "s1")
    # A body's position and year appear once its box is ticked (no script: CSS :has()).
    position = page.locator(f"input[name='body_{posyandu.pk}_position']")
    expect(position).to_be_hidden()
    page.check(f"input[name='body_{posyandu.pk}']")
    expect(position).to_be_visible()
    page.fill(f"input[name='body_{posyandu.pk}_position']", "Kader")
    page.fill(f"input[name='body_{posyandu.pk}_since']", "2019")
    page.check(f"input[name='training_needs'][value='{topic.pk}']")
    page.locator("form[action='/kader/daftar/'] button[type='submit']").click()
    page.wait_for_url(live_server_url + "/kader/")
    assert_fits_the_phone(page)
    assert_accessible(page)

    profile = CadreProfile.objects.get(user__email="ani@test.forkom.id")
    assert profile.status == CadreProfile.Status.WAITING
    assert profile.phone == "+6281255443322"
    expect(page.locator("main")).to_contain_text(profile.get_status_display())

    # The ketua of Belimbing verifies from the list.
    open_menu(page, "nav form[action='/akun/logout/'] button").click()
    sign_in(page, live_server_url, "ketua@test.forkom.id")
    open_menu(page, "nav a[href='/kader/daftar-kader/']").click()
    page.wait_for_url("**/kader/daftar-kader/")
    assert_fits_the_phone(page)
    assert_accessible(page)
    expect(page.locator("main table")).to_contain_text("•" * 16)
    page.locator(f"form[action='/kader/{profile.public_id}/verifikasi/'] button").click()
    page.wait_for_url("**/kader/daftar-kader/")
    assert_accessible(page)

    profile.refresh_from_db()
    assert profile.status == CadreProfile.Status.VERIFIED
    assert mail.outbox[-1].to == ["ani@test.forkom.id"]
