"""The frame of every page on a 360 px phone: a header of one line whose menu opens without
JavaScript and marks the current page, and lists that fit the screen with their actions in
reach. On a desktop the menu stays open."""

import pytest
from playwright.sync_api import expect

from cadres.models import CadreProfile
from forkom.accounts.models import Position, Role, User
from forkom.notifications import services as notifications
from programs.models import Proposal
from tests.browser.helpers import PHONE_WIDTH, assert_fits_the_phone, check, indonesian, sign_in
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, make_user
from tests.programs.factories import bring_to, make_proposal, make_verified_profile

HEADER_HEIGHT = 64
DESKTOP = {"width": 1280, "height": 900}

# Per persona: who signs in (None: a visitor), the menu's first link, and a link to follow.
PERSONAS = {
    "visitor": (None, "/", "/pelatihan/"),
    "cadre": ("kader@test.forkom.id", "/notifikasi/", "/pelatihan/saya/"),
    "officer": ("ketua@test.forkom.id", "/kader/daftar-kader/", "/kader/daftar-kader/"),
}


def sign_in_as(page, base, persona):
    email = PERSONAS[persona][0]
    if persona == "cadre":
        cadre = make_persona(Role.CADRE, "64.74.03.1001", email=email)
        notifications.tell([cadre], kind="cadre_decision", template="cadres/email/deletion_done",
                           context={}, key="frame")  # fmt: skip
    elif persona == "officer":
        make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA, email=email)
    if email:
        sign_in(page, base, email)
    else:
        page.goto(base + "/")


def header_height(page):
    return page.locator("header.site-header").bounding_box()["height"]


def nav_links(page):
    return page.locator("nav.site-nav a")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_phone_header_is_one_line_whose_menu_opens_and_marks_the_page(
    page, live_server_url, bontang, assert_accessible, persona
):
    _email, first_link, destination = PERSONAS[persona]
    sign_in_as(page, live_server_url, persona)
    page.wait_for_url(live_server_url + "/")

    assert header_height(page) <= HEADER_HEIGHT
    summary = page.locator("details.site-menu > summary")
    expect(summary).to_have_accessible_name(
        indonesian("Menu") + (" 1 " + indonesian("unread") if persona == "cadre" else "")
    )
    expect(page.locator("nav.site-nav")).to_be_hidden()
    check(page, assert_accessible)

    summary.click()
    expect(page.locator("nav.site-nav")).to_be_visible()
    expect(nav_links(page).first).to_have_attribute("href", first_link)
    expect(page.locator("nav.site-nav [aria-current='page']")).to_have_count(1)
    expect(page.locator("nav.site-nav a[href='/']")).to_have_attribute("aria-current", "page")
    box = page.locator("nav.site-nav a[href='/']").bounding_box()
    assert box["height"] >= 44
    assert box["x"] + box["width"] <= PHONE_WIDTH
    if persona == "visitor":
        expect(page.locator("nav.site-nav a[href='/akun/login/']")).to_be_visible()
    else:
        expect(page.get_by_role("button", name=indonesian("Sign out"))).to_be_visible()
    check(page, assert_accessible)

    page.locator(f"nav.site-nav a[href='{destination}']").click()
    page.wait_for_url(live_server_url + destination)
    assert header_height(page) <= HEADER_HEIGHT
    summary.click()
    current = page.locator("nav.site-nav [aria-current='page']")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", destination)
    check(page, assert_accessible)


def test_the_header_stays_one_line_with_two_counts_of_two_digits(page, live_server_url, bontang):
    """An officer with 15 unread notifications and cadres waiting saw "Forkom KPM" broken
    over two lines beside the Menu button (found by a walk through the demo site)."""
    sign_in_as(page, live_server_url, "officer")
    officer = User.objects.get(email="ketua@test.forkom.id")
    for number in range(15):
        notifications.tell([officer], kind="cadre_decision",
                           template="cadres/email/deletion_done", context={},
                           key=f"busy{number}")  # fmt: skip
    for number in range(12):
        make_profile(user=make_user(f"tunggu{number}@test.forkom.id"))
    page.goto(live_server_url + "/")
    expect(page.locator("details.site-menu > summary .count")).to_have_count(2)
    assert header_height(page) <= HEADER_HEIGHT
    brand = page.locator("header.site-header .brand")
    lines = brand.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element.lastChild);  // the text after the mark
            return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
        }"""
    )
    assert lines == 1
    assert_fits_the_phone(page)
    # Each count says what it counts to a pointer too, not only to a screen reader.
    titles = page.locator("details.site-menu > summary .count").evaluate_all(
        "counts => counts.map(count => count.title)"
    )
    assert titles == [indonesian("Unread notifications"), indonesian("Waiting for your decision")]


def test_the_officer_verifies_from_the_list_without_scrolling_sideways(
    page, live_server_url, bontang, assert_accessible
):
    sign_in_as(page, live_server_url, "officer")
    profile = make_profile(user=make_user("siti@test.forkom.id"), full_name="Siti Aminah")
    page.goto(live_server_url + "/kader/daftar-kader/")

    assert_fits_the_phone(page)
    verify = page.locator(f"form[action='/kader/{profile.public_id}/verifikasi/'] button")
    # Below the filters: scrolled down to, and not sideways.
    verify.scroll_into_view_if_needed()
    expect(verify).to_be_in_viewport(ratio=1)
    expect(page.locator("main .reject summary")).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollX") == 0
    assert page.evaluate("document.querySelector('main .table-scroll').scrollLeft") == 0
    page.screenshot(path="/tmp/frame/cadre-list-360.png", full_page=True)
    expect(page.locator("main table")).to_contain_text(indonesian("Status"))
    check(page, assert_accessible)

    verify.click()
    page.wait_for_url("**/kader/daftar-kader/")
    profile.refresh_from_db()
    assert profile.status == CadreProfile.Status.VERIFIED


def test_the_dashboard_tables_fit_the_phone(page, live_server_url, bontang, assert_accessible):
    make_persona(Role.CITY_COORDINATOR, "64.74", email="koordinator@test.forkom.id")
    sign_in(page, live_server_url, "koordinator@test.forkom.id")
    for path in ("/dasbor/kota/64.74/", "/dasbor/kota/64.74/kecamatan/64.74.03/"):
        page.goto(live_server_url + path)
        assert_fits_the_phone(page)
        widths = page.eval_on_selector_all(
            "main table", "tables => tables.map(table => table.getBoundingClientRect().right)"
        )
        assert widths, path
        assert max(widths) <= PHONE_WIDTH, (path, widths)
        check(page, assert_accessible)


def test_the_proposal_lists_fit_the_phone_as_cards(
    page, live_server_url, bontang, assert_accessible
):
    """The officer's list of proposals and the public programme list: one card per proposal
    at 360 px, every column named, nothing off to the side."""
    officer = make_persona(
        Role.FORUM_OFFICER, "64.74.03", Position.KETUA, email="kec@test.forkom.id"
    )
    coordinator = make_persona(Role.CITY_COORDINATOR, "64.74")
    staff = make_persona(Role.DINAS_STAFF, "64")
    for number in range(2):
        proposal = make_proposal(
            make_verified_profile(kelurahan="64.74.03.1001").user,
            title=f"Pelatihan pengolahan rumput laut dan pemasaran daring {number}",
        )
        bring_to(
            proposal,
            Proposal.State.ACCEPTED,
            officer=officer,
            coordinator=coordinator,
            staff=staff,
        )
    for path, email in (("/usulan/program/", None), ("/usulan/semua/", "kec@test.forkom.id")):
        if email:
            sign_in(page, live_server_url, email)
        page.goto(live_server_url + path)
        assert_fits_the_phone(page)
        cards = page.locator("main table.table-cards tbody tr")
        assert cards.count() == 2, path
        box = cards.first.bounding_box()
        assert box["x"] + box["width"] <= PHONE_WIDTH, path
        assert page.locator("main table.table-cards td[data-label]").count() >= 8, path
        check(page, assert_accessible)


@pytest.mark.parametrize("persona", ["visitor", "officer", "staff"])
def test_on_a_desktop_the_menu_is_one_line_open_without_a_click_and_the_rest_under_more(
    page, live_server_url, bontang, assert_accessible, persona
):
    page.set_viewport_size(DESKTOP)
    if persona == "staff":
        make_persona(Role.DINAS_STAFF, "64", email="staf.frame@test.forkom.id")
        sign_in(page, live_server_url, "staf.frame@test.forkom.id")
    else:
        sign_in_as(page, live_server_url, persona)
    page.goto(live_server_url + "/pelatihan/")

    expect(page.locator("details.site-menu > summary")).to_be_hidden()
    first = "/pelatihan/" if persona == "visitor" else "/kader/daftar-kader/"
    expect(page.locator(f"nav.site-nav a[href='{first}']")).to_be_visible()
    # One line at 1280 px, whoever signs in (Dinas staff have the most links: 22).
    assert header_height(page) <= 64, header_height(page)
    forum = page.locator("nav.site-nav a[href='/forum/']")
    expect(forum).to_be_hidden()
    page.locator("details.menu-more > summary").click()
    expect(forum).to_be_visible()
    expect(page.locator("nav.site-nav a[href='/pelatihan/']")).to_have_attribute(
        "aria-current", "page"
    )
    if persona != "visitor":  # the current page is under "More": the button says so
        expect(page.locator("details.menu-more > summary")).to_have_class("has-current")
    assert_accessible(page)


def test_checkboxes_are_at_least_24_px_to_touch(page, live_server_url, bontang):
    page.goto(live_server_url + "/akun/login/")
    box = page.locator("input[type='checkbox']").first.bounding_box()
    assert box["width"] >= 24
    assert box["height"] >= 24
