"""A visitor on a phone walks from the home page to a kelurahan, its kecamatan and the
public programme list; every page fits the phone and passes axe."""

from datetime import timedelta

from django.urls import reverse
from playwright.sync_api import expect

from cadres.forums import services as forum_services
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from programs.innovations import services as innovation_services
from programs.models import Proposal
from tests.browser.helpers import check, indonesian, sign_in
from tests.cadres.test_forum_services import forum_of, verified_cadre
from tests.conftest import make_persona, make_user
from tests.programs.factories import bring_to, make_proposal, make_verified_profile
from tests.programs.test_innovations import record
from tests.trainings.factories import make_training

BONTANG_BARAT = "64.74.03"
GUNUNG_TELIHAN = "64.74.03.1002"


def an_area_with_something_to_show():
    officer = make_persona(Role.FORUM_OFFICER, BONTANG_BARAT, Position.SEKRETARIS)
    coordinator = make_persona(Role.CITY_COORDINATOR, "64.74")
    staff = make_persona(Role.DINAS_STAFF, "64")
    proposer = make_user("pengusul@test.forkom.id")
    make_verified_profile(proposer, full_name="Siti Pengusul")
    ketua = verified_cadre("Ketua Terbuka", kelurahan=GUNUNG_TELIHAN)
    forum_services.appoint_officer(
        actor=coordinator, forum=forum_of(GUNUNG_TELIHAN), user=ketua.user, position="ketua"
    )
    make_training(title="Pelatihan Akan Datang", starts_in=timedelta(days=10))
    titles = [(Proposal.State.ACCEPTED, "Usulan Diterima")]
    titles += [(Proposal.State.ESCALATED, f"Usulan Tersalur {number}") for number in range(30)]
    for state, title in titles:
        bring_to(
            make_proposal(proposer, title=title, kelurahan=GUNUNG_TELIHAN),
            state,
            officer=officer,
            coordinator=coordinator,
            staff=staff,
        )
    innovation = record(
        proposer, title="Dodol Rumput Laut", kelurahan=Region.objects.get(code=GUNUNG_TELIHAN)
    )
    innovation_services.publish_innovation(actor=officer, innovation=innovation)


def test_a_visitor_finds_a_kelurahan_its_forum_and_its_programmes(
    page, live_server_url, bontang, assert_accessible
):
    page.goto(live_server_url + "/usulan/inovasi/")
    expect(page.locator(".empty-state")).to_be_visible()
    check(page, assert_accessible)

    an_area_with_something_to_show()
    page.goto(live_server_url + "/")
    page.locator("summary", has_text="Bontang Barat").click()
    kelurahan = reverse("territory:region", kwargs={"code": GUNUNG_TELIHAN})
    page.locator(f"main a[href='{kelurahan}']").click()
    page.wait_for_url(f"**{kelurahan}")
    main = page.locator("main")
    expect(main).to_contain_text("Ketua Terbuka")
    expect(main.locator(".status-pending")).to_have_text(indonesian("Not formed yet"))
    expect(main).to_contain_text(indonesian("its SK (decree) number and date recorded"))
    expect(main).to_contain_text("Pelatihan Akan Datang")
    expect(main).to_contain_text("Usulan Tersalur 29")  # the latest five
    expect(main).to_contain_text("Dodol Rumput Laut")
    expect(main).not_to_contain_text("Siti Pengusul")
    check(page, assert_accessible)

    page.locator(".breadcrumb a", has_text="Bontang Barat").click()
    page.wait_for_url("**" + reverse("territory:region", kwargs={"code": BONTANG_BARAT}))
    expect(main).to_contain_text(indonesian("Upcoming trainings nearby"))
    check(page, assert_accessible)

    page.locator("main a", has_text=indonesian("Every programme of this area")).click()
    page.wait_for_url("**/usulan/program/?wilayah=64.74.03")
    expect(main.locator("tbody tr")).to_have_count(25)
    expect(main.locator(".pagination")).to_be_visible()
    check(page, assert_accessible)

    page.select_option("select[name='state']", "accepted")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url("**state=accepted*")
    expect(main.locator("tbody tr")).to_have_count(1)
    check(page, assert_accessible)


def test_a_signed_in_cadre_sees_the_kelurahan_page_accessible(
    page, live_server_url, bontang, assert_accessible
):
    make_persona(Role.CADRE, "64.74.03.1001", email="kader@test.forkom.id")
    sign_in(page, live_server_url, "kader@test.forkom.id")
    page.goto(live_server_url + reverse("territory:region", kwargs={"code": GUNUNG_TELIHAN}))
    expect(page.locator("main")).to_contain_text(indonesian("Still needed to be formed"))
    check(page, assert_accessible)
    page.goto(live_server_url + reverse("programs:public"))
    check(page, assert_accessible)
    manifest = page.request.get(live_server_url + reverse("manifest")).json()
    assert manifest["short_name"] == "Forkom KPM"
