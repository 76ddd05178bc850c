"""A visitor's first journey on a phone: home page, language, sign-up, email confirmation."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.helpers import open_menu

PHONE_WIDTH = 360
HOME_PAGE_BUDGET = 50 * 1024
PASSWORD = "kata-sandi-uji-2026"
INDONESIAN_CATALOGUE = Path(__file__).resolve().parents[2] / "locale/id/LC_MESSAGES/django.mo"
CONFIRMATION_LINK = re.compile(r"https?://\S+/akun/confirm-email/\S+/")


# CI's SQLite pass runs this journey too, not only its PostgreSQL pass (.ci/run).
pytestmark = pytest.mark.smoke


def test_a_visitor_on_a_phone_switches_to_english_registers_and_confirms_the_email(
    page, live_server_url, bontang, assert_accessible
):
    page.goto(live_server_url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    expect(page.locator("html")).to_have_attribute("lang", "id")
    if INDONESIAN_CATALOGUE.exists():
        with translation.override("id"):
            register = translation.gettext("Register")
        assert register != "Register", "The Indonesian catalogue does not translate 'Register'."
        expect(page.locator("nav a[href='/akun/signup/']")).to_have_text(register)
    assert_accessible(page)

    open_menu(page)
    page.locator(".language-switch button[value='en']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)

    open_menu(page, "nav a[href='/akun/signup/']").click()
    page.wait_for_url("**/akun/signup/")
    assert_accessible(page)
    page.fill("input[name='email']", "kader.baru@test.forkom.id")
    page.fill("input[name='password1']", PASSWORD)
    page.fill("input[name='password2']", PASSWORD)
    page.locator("form[action='/akun/signup/'] button[type='submit']").click()
    page.wait_for_url("**/akun/confirm-email/")
    assert_accessible(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kader.baru@test.forkom.id"]
    link = CONFIRMATION_LINK.search(mail.outbox[0].body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(live_server_url + "/")

    open_menu(page)
    expect(page.locator("nav").get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    assert EmailAddress.objects.get(email="kader.baru@test.forkom.id").verified


def test_the_home_page_first_view_transfers_at_most_50_kb(page, live_server_url, bontang):
    # Encoded sizes, as they cross the network (whitenoise serves static files compressed).
    transfers = []
    page.on(
        "requestfinished",
        lambda request: transfers.append((request.url, request.sizes())),
    )
    page.goto(live_server_url + "/", wait_until="networkidle")

    for url, sizes in transfers:
        body, headers = sizes["responseBodySize"], sizes["responseHeadersSize"]
        print(f"{body:>6} B body + {headers:>4} B headers  {url}")
    bodies = sum(sizes["responseBodySize"] for _, sizes in transfers)
    total = bodies + sum(sizes["responseHeadersSize"] for _, sizes in transfers)
    print(
        f"Home page first view: {total} B ({total / 1024:.1f} KB) in {len(transfers)} responses,"
        f" of which {bodies} B ({bodies / 1024:.1f} KB) encoded bodies"
    )
    assert total <= HOME_PAGE_BUDGET
