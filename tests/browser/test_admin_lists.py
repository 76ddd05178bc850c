"""The admin's main lists fit a laptop: at 1280 px, beside the filter panel, no column of the
results is cut off behind a sideways scroll (found by a walk: the trainings' last header)."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from cadres import services as cadre_services
from cadres.forums import services as forum_services
from cadres.meetings import services as meeting_services
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from programs import services as program_services
from programs.innovations import services as innovation_services
from tests.accounts.test_admin import TOTP_SECRET, with_totp
from tests.cadres.factories import make_nik, profile_details
from tests.conftest import PASSWORD, make_persona, make_user
from tests.programs.factories import make_proposal
from tests.trainings.factories import make_training

LAPTOP = {"width": 1280, "height": 800}
KELURAHAN = "64.74.03.1001"
KECAMATAN = "64.74.03"

# What staff type in real life: titles of a line and a half, names in full.
TRAINING_TITLE = (
    "Pelatihan Pengolahan Rumput Laut menjadi Dodol, Keripik dan Sabun bagi Kelompok "
    "Ibu-ibu Nelayan Kelurahan Bontang Kuala dan Sekitarnya"
)
PROPOSAL_TITLE = (
    "Usulan Program Pemberdayaan Ekonomi Keluarga Nelayan melalui Koperasi Simpan Pinjam "
    "dan Pelatihan Kewirausahaan Berbasis Hasil Laut"
)
INNOVATION_TITLE = (
    "Inovasi Pengering Rumput Laut Tenaga Surya Buatan Warga dari Bahan Bekas untuk "
    "Kelompok Pembudidaya di Pesisir Bontang"
)
MEETING_TITLE = (
    "Rapat Koordinasi Penyusunan Rencana Kerja Tahunan Forum Kelurahan dan Pembagian "
    "Tugas Koordinator Bidang"
)
FULL_NAME = "Nurul Hidayati Rahmawati Kusumaningrum binti Abdurrahman"

CHANGELISTS = [
    "/admin/trainings/training/",
    "/admin/programs/proposal/",
    "/admin/programs/innovation/",
    "/admin/cadres/cadreprofile/",
    "/admin/cadres/forum/",
    "/admin/accounts/user/",
    "/admin/accounts/roleassignment/",
    "/admin/cadres/forummember/",
    "/admin/cadres/meeting/",
]


@pytest.fixture
def long_rows(bontang):
    """Dinas staff of Bontang with their second factor, and a row of each list with long
    words, made through the services."""
    staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74", email="dinas@test.forkom.id"))
    officer = make_persona(Role.FORUM_OFFICER, KELURAHAN, Position.KETUA)
    verifier = make_user("verifikator@test.forkom.id", is_superuser=True)
    cadre = make_user("nurul.hidayati.rahmawati.kusumaningrum@test.forkom.id")
    cadre_services.record_consent(actor=cadre, user=cadre)
    profile = cadre_services.register_profile(
        actor=cadre,
        user=cadre,
        **profile_details(KELURAHAN, full_name=FULL_NAME, nik=make_nik(kecamatan="647403")),
    )
    profile = cadre_services.verify_cadre(actor=verifier, profile=profile)
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code=KELURAHAN))
    forum_services.add_member(actor=officer, forum=forum, profile=profile)
    proposal = make_proposal(cadre, kelurahan=KELURAHAN, title=PROPOSAL_TITLE)
    program_services.submit_proposal(actor=cadre, proposal=proposal)
    innovation_services.record_innovation(
        actor=cadre,
        title=INNOVATION_TITLE,
        description="Pengering dari seng bekas.",
        kelurahan=Region.objects.get(code=KELURAHAN),
        results="Rumput laut kering dalam dua hari.",
        impact="Harga jual naik.",
    )
    starts_at = timezone.now() + timedelta(days=3)
    meeting_services.schedule_meeting(
        actor=officer,
        region=Region.objects.get(code=KELURAHAN),
        title=MEETING_TITLE,
        agenda="Rencana kerja",
        place="Aula Kelurahan Belimbing",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        invitee_ids=[officer.pk, cadre.pk],
    )
    make_training(
        title=TRAINING_TITLE,
        venue_kecamatan_id=KECAMATAN,
        venue="Aula Kantor Kecamatan Bontang Barat",
        organiser="Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang",
    )
    return staff


def sign_in_with_second_factor(page, base, email):
    """Password, then the code of the authenticator app, as staff sign in to the admin."""
    page.goto(base + "/akun/login/")
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_selector("input[name='code']")
    counter = int(timezone.now().timestamp()) // 30
    page.fill("input[name='code']", format_hotp_value(hotp_value(TOTP_SECRET, counter)))
    page.locator("input[name='code']").press("Enter")  # its form's button, not "Cancel"
    page.wait_for_url(base + "/")


@pytest.fixture
def laptop_page(browser):
    """A laptop-sized page in Indonesian, whose stylesheets the site's CSP lets load."""
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    yield page
    context.close()
    assert refused == []


def test_the_main_admin_lists_fit_a_laptop_screen(live_server_url, laptop_page, long_rows):
    page = laptop_page
    sign_in_with_second_factor(page, live_server_url, long_rows.email)
    too_wide = {}
    for path in CHANGELISTS:
        page.goto(live_server_url + path)
        assert page.locator("#result_list tbody tr").count() >= 1, path  # the long row is listed
        widths = page.evaluate(
            """() => {
                const table = document.querySelector('#result_list');
                const box = table.closest('.results');
                return {table: table.scrollWidth, box: box.clientWidth,
                        page: document.documentElement.scrollWidth};
            }"""
        )
        if widths["table"] > widths["box"] or widths["page"] > LAPTOP["width"]:
            too_wide[path] = widths
    assert too_wide == {}
