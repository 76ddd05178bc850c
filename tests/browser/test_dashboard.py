"""The Koordinator Kota's dashboard in Chromium: at 360 px and at desktop width, a drill-down
to a kecamatan, a proposal escalated from the queue, the XLSX downloaded. Every page fits the
phone, passes axe and keeps to the CSP."""

import os
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from forkom.accounts.models import Position, Role
from programs import services
from programs.models import Proposal
from tests.browser.helpers import check, sign_in
from tests.conftest import make_persona, make_user
from tests.programs.factories import make_proposal, make_verified_profile

DESKTOP = {"width": 1280, "height": 900}


def a_recommended_proposal():
    proposer = make_user("kader.dasbor@test.forkom.id")
    make_verified_profile(proposer, full_name="Siti Rahmawati")
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS)
    proposal = make_proposal(proposer, title="Bank sampah RT 07")
    proposal = services.submit_proposal(actor=proposer, proposal=proposal)
    return services.recommend_proposal(actor=officer, proposal=proposal, note="Layak.")


def test_the_coordinator_reviews_the_kota_and_escalates_a_proposal_on_a_phone(
    page, live_server_url, bontang, assert_accessible, tmp_path
):
    base = live_server_url
    make_persona(Role.CITY_COORDINATOR, "64.74", email="koordinator.dasbor@test.forkom.id")
    proposal = a_recommended_proposal()

    sign_in(page, base, "koordinator.dasbor@test.forkom.id")
    page.goto(base + "/dasbor/")
    page.wait_for_url(base + "/dasbor/kota/64.74/")
    expect(page.locator("h1")).to_contain_text("Kota Bontang")
    expect(page.locator("svg[role='img']")).to_have_count(4)
    check(page, assert_accessible)

    # Down to the kelurahan of Bontang Barat, and back.
    page.locator("#figures").get_by_role("link", name="Bontang Barat", exact=True).click()
    page.wait_for_url(base + "/dasbor/kota/64.74/kecamatan/64.74.03/")
    expect(page.locator("#figures")).to_contain_text("Belimbing")
    check(page, assert_accessible)
    page.locator(".breadcrumb").get_by_role("link", name="Kota Bontang").click()
    page.wait_for_url(base + "/dasbor/kota/64.74/")

    # Escalate the proposal from the queue.
    item = page.locator(".queue-item", has_text="Bank sampah RT 07")
    item.locator("textarea[name='note']").fill("Sesuai prioritas kota.")
    item.locator("button[name='action'][value='escalate']").click()
    page.wait_for_url(base + "/dasbor/kota/64.74/#queue")
    expect(page.locator(".messages")).to_contain_text("Bank sampah RT 07")
    expect(page.locator(".queue-item")).to_have_count(0)
    check(page, assert_accessible)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ESCALATED
    assert proposal.events.last().note == "Sesuai prioritas kota."

    # A period, chosen with the date fields; the drill-down keeps it.
    page.locator("details.period > summary").click()
    page.fill("input[name='dari']", "2026-01-01")
    page.fill("input[name='sampai']", "2026-12-31")
    page.locator(".period-form button[type='submit']").click()
    page.wait_for_url("**/dasbor/kota/64.74/?dari=2026-01-01&sampai=2026-12-31*")
    expect(page.locator(".period-form")).to_contain_text("31 Desember 2026")
    check(page, assert_accessible)
    if os.environ.get("FORKOM_SCREENSHOTS"):
        page.screenshot(
            path=os.environ["FORKOM_SCREENSHOTS"] + "/dashboard-period-360.png", full_page=True
        )
    page.locator("#figures").get_by_role("link", name="Bontang Barat", exact=True).click()
    page.wait_for_url("**/kecamatan/64.74.03/?dari=2026-01-01&sampai=2026-12-31")
    page.goto(base + "/dasbor/kota/64.74/")

    # The table as XLSX.
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    saved = Path(tmp_path) / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("dasbor-64.74-")
    assert saved.suffix == ".xlsx"
    sheet = load_workbook(BytesIO(saved.read_bytes())).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Bontang Barat" in names

    # The same pages at desktop width.
    page.set_viewport_size(DESKTOP)
    page.goto(base + "/dasbor/kota/64.74/")
    assert_accessible(page)
    page.goto(base + "/dasbor/kota/64.74/kecamatan/64.74.03/")
    assert_accessible(page)
