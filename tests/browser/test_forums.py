"""A city coordinator forms the Bontang Barat forum on a phone, finding its ketua by name;
the public directory shows it formed, a second ketua is refused on the kept form, and the
appointed ketua is told in her inbox."""

from django.utils import timezone
from playwright.sync_api import expect

from cadres.models import Forum
from forkom.accounts.models import Position, Role
from tests.browser.helpers import assert_fits_the_phone, indonesian, sign_in
from tests.cadres.test_forum_services import BONTANG_BARAT, ketua_of, verified_cadre
from tests.conftest import make_persona


def test_a_coordinator_records_the_sk_and_appoints_a_ketua_and_the_directory_shows_it_formed(
    page, live_server_url, bontang, assert_accessible
):
    make_persona(Role.CITY_COORDINATOR, "64.74", email="koordinator@test.forkom.id")
    siti = verified_cadre("Siti Rahmawati")
    budi = verified_cadre("Budi Santoso")

    sign_in(page, live_server_url, "koordinator@test.forkom.id")

    page.goto(live_server_url + "/forum/")
    page.locator(f"a[href='/forum/{BONTANG_BARAT}/']").click()
    page.wait_for_url(f"**/forum/{BONTANG_BARAT}/")
    assert_fits_the_phone(page)
    page.locator(f"a[href='/forum/{BONTANG_BARAT}/kelola/']").click()
    page.wait_for_url(f"**/forum/{BONTANG_BARAT}/kelola/")
    assert_fits_the_phone(page)
    assert_accessible(page)

    page.fill("input[name='number']", "100/SK/FORKOM-KPM/III/2026")
    page.fill("input[name='date']", "2026-03-02")
    page.locator(f"form[action='/forum/{BONTANG_BARAT}/kelola/sk/'] button").click()
    page.wait_for_url(f"**/forum/{BONTANG_BARAT}/kelola/")
    expect(page.locator(".messages")).to_contain_text(indonesian("The SK is recorded."))
    assert_fits_the_phone(page)
    assert_accessible(page)

    # No list of the area's cadres: a search by name, then the row found.
    expect(page.locator("select[name='appoint-cadre']")).to_have_count(0)
    page.fill("input[name='name']", "siti")
    page.locator("form[role='search'] button").click()
    page.wait_for_url(f"**/forum/{BONTANG_BARAT}/kelola/?name=siti#find")
    rows = page.locator(".found-cadres tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(siti.masked_nik)
    assert siti.nik not in page.content()
    for target in (rows.locator("a.button"), rows.locator("button")):
        assert target.bounding_box()["height"] >= 44
    assert_fits_the_phone(page)
    assert_accessible(page)

    rows.locator("a.button").click()
    page.wait_for_url(
        f"**/forum/{BONTANG_BARAT}/kelola/?name=siti&appoint={siti.public_id}#appoint"
    )
    page.select_option("select[name='appoint-position']", Position.KETUA.value)
    assert_fits_the_phone(page)
    assert_accessible(page)
    page.locator("#appoint button[type='submit']").click()
    page.wait_for_url(f"**/forum/{BONTANG_BARAT}/kelola/?name=siti#find")
    appointed = indonesian("%(name)s is appointed.") % {"name": "Siti Rahmawati"}
    expect(page.locator(".messages")).to_contain_text(appointed)
    expect(page.locator(".timeline li")).to_have_count(2)
    expect(rows).to_contain_text(indonesian("Chair (ketua)"))
    expect(rows.locator("a.button")).to_have_count(0)
    assert_fits_the_phone(page)
    assert_accessible(page)

    rows.locator("button").click()
    page.wait_for_url(f"**/forum/{BONTANG_BARAT}/kelola/?name=siti#find")
    added = indonesian("%(name)s is now a member.") % {"name": "Siti Rahmawati"}
    expect(page.locator(".messages")).to_contain_text(added)
    expect(page.locator(".member-rows li")).to_contain_text("Siti Rahmawati")
    expect(rows.locator("button")).to_have_count(0)
    assert_fits_the_phone(page)
    assert_accessible(page)

    assert ketua_of(BONTANG_BARAT).get().starts_on == timezone.localdate()
    assert Forum.objects.get(pk=BONTANG_BARAT).sk_number == "100/SK/FORKOM-KPM/III/2026"

    page.goto(live_server_url + "/forum/")
    card = page.locator(".card", has=page.locator(f"a[href='/forum/{BONTANG_BARAT}/']"))
    expect(card.locator(".status-formed")).to_have_text(indonesian("Formed"))
    expect(card).to_contain_text("100/SK/FORKOM-KPM/III/2026")
    expect(card).to_contain_text("Siti Rahmawati")
    expect(page.locator(".status-formed")).to_have_count(1)
    assert_fits_the_phone(page)
    assert_accessible(page)

    # A second ketua is refused on the kept form, said at the top where the phone opens.
    page.goto(live_server_url + f"/forum/{BONTANG_BARAT}/kelola/?name=budi#find")
    page.locator(".found-cadres tbody tr a.button").click()
    page.wait_for_url(f"**appoint={budi.public_id}#appoint")
    page.select_option("select[name='appoint-position']", Position.KETUA.value)
    page.locator("#appoint button[type='submit']").click()
    page.wait_for_load_state("load")
    expect(page.locator("a[href='#appoint']")).to_be_visible()
    expect(page.locator("input[name='appoint-cadre']")).to_have_value(str(budi.public_id))
    expect(page.locator("select[name='appoint-position']")).to_have_value(Position.KETUA.value)
    assert ketua_of(BONTANG_BARAT).get().user == siti.user
    assert_fits_the_phone(page)
    assert_accessible(page)

    # The appointed ketua is told, with a link to the forum's manage page.
    sign_in(page, live_server_url, siti.user.email)
    page.goto(live_server_url + "/notifikasi/")
    told = page.locator(".notifications button")
    expect(told).to_have_count(1)
    expect(told).to_contain_text(indonesian("Chair (ketua)"))
    assert_fits_the_phone(page)
    assert_accessible(page)
    told.click()
    page.wait_for_url(f"**/forum/{BONTANG_BARAT}/kelola/")
