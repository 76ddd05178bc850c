"""The menu offers each person what their roles allow, from flags that forkom.scope decides."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from cadres import services as cadre_services
from forkom import menu_counts
from forkom.accounts.models import Position, Role
from forkom.context_processors import MenuLink, navigation
from programs import selectors as program_selectors
from programs import services
from programs.models import Proposal
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, make_user
from tests.programs.factories import bring_to, make_proposal, make_verified_profile


def menu_of(user):
    return navigation_at("/", user)["menu"]


def navigation_at(path, user):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)


def current_at(path, user):
    """The menu entries marked as the current page at `path`."""
    return [link.url for link in navigation_at(path, user)["menu_links"] if link.current]


def offered(menu):
    return {name for name, value in vars(menu).items() if value}


def test_a_cadre_is_offered_none_of_the_officers_work(cadre):
    assert offered(menu_of(cadre)) == set()


def test_an_officer_reviews_lists_registers_and_organises(kelurahan_officer):
    assert offered(menu_of(kelurahan_officer)) == {
        "reviews_proposals",
        "lists_cadres",
        "registers_cadres",
        "organises_trainings",
    }


def test_a_kecamatan_officer_also_imports_cadres_a_kelurahan_officer_does_not(
    kecamatan_officer, kelurahan_officer
):
    assert "imports_cadres" in offered(menu_of(kecamatan_officer))
    assert "imports_cadres" not in offered(menu_of(kelurahan_officer))


def test_the_coordinator_reads_and_has_the_dashboard_but_registers_nobody(coordinator):
    assert offered(menu_of(coordinator)) == {"reviews_proposals", "lists_cadres", "sees_dashboard"}


def test_dinas_staff_are_offered_everything(staff):
    assert offered(menu_of(staff)) == {
        "reviews_proposals",
        "lists_cadres",
        "sees_dashboard",
        "registers_cadres",
        "organises_trainings",
        "imports_cadres",
        "administers",
    }


def test_a_visitor_is_offered_nothing(db):
    assert offered(menu_of(AnonymousUser())) == set()


def test_an_officer_s_menu_starts_with_their_work_and_ends_with_the_account(kelurahan_officer):
    urls = [link.url for link in navigation_at("/", kelurahan_officer)["menu_links"]]
    assert urls[:4] == [
        "/kader/daftar-kader/",
        "/usulan/menunggu/",
        "/kader/daftar-bantuan/",
        "/pelatihan/kelola/",
    ]
    assert urls[-2:] == ["/kader/data-saya/", "/akun/email/"]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/pelatihan/", "/pelatihan/"),
        ("/pelatihan/12/", "/pelatihan/"),
        ("/pelatihan/saya/", "/pelatihan/saya/"),
        ("/usulan/inovasi/", "/usulan/inovasi/"),
        ("/usulan/semua/", "/usulan/menunggu/"),
        ("/kader/", "/kader/"),
        ("/kader/data-saya/ubah/", "/kader/data-saya/"),
        ("/kader/daftar-kader/unduhan/", "/kader/daftar-kader/"),
        ("/privasi/", None),
    ],
)
def test_the_menu_marks_the_entry_of_the_section_shown(kelurahan_officer, path, current):
    assert current_at(path, kelurahan_officer) == ([current] if current else [])


def test_a_cadre_s_own_profile_is_not_marked_on_another_cadre_s_page(kelurahan_officer):
    assert current_at("/kader/0b7c1f9e-7d1a-4c55-9a6f-2f1f3f0d9e11/", kelurahan_officer) == []


def test_a_visitor_s_menu_ends_with_sign_in_and_register(db):
    links = navigation_at("/akun/login/", AnonymousUser())["menu_links"]
    assert [link.url for link in links][-2:] == ["/akun/login/", "/akun/signup/"]
    assert [link.url for link in links if link.current] == ["/akun/login/"]


CADRE_LIST = "/kader/daftar-kader/"
WAITING_PROPOSALS = "/usulan/menunggu/"


def waiting_beside(user, url):
    [link] = [link for link in navigation_at("/", user)["menu_links"] if link.url == url]
    return link.waiting


def test_the_menu_counts_the_cadres_waiting_for_the_officer_exactly(
    kelurahan_officer, staff, client
):
    first = make_profile(kelurahan="64.74.03.1001")
    make_profile(kelurahan="64.74.03.1001")
    make_profile(kelurahan="64.74.01.1001")  # another kecamatan: not this ketua's
    assert waiting_beside(kelurahan_officer, CADRE_LIST) == 2
    assert waiting_beside(staff, CADRE_LIST) == 3
    cadre_services.verify_cadre(actor=kelurahan_officer, profile=first)
    # Read on each request, never cached: the next page says 1.
    assert waiting_beside(kelurahan_officer, CADRE_LIST) == 1
    client.force_login(kelurahan_officer)
    page = client.get("/privasi/")
    assert re.search(
        r'<span class="count count-work"[^>]*>1<span class="visually-hidden">', page.text
    )


WAITING_ONE = r'<span class="count count-work"[^>]*>1<span class="visually-hidden">'


def test_a_page_without_the_site_menu_does_not_count_what_waits(staff, client):
    """The admin has its own navigation: the site menu's counts (a query) are read only by a
    template that shows them."""
    make_profile(kelurahan="64.74.03.1001")
    client.force_login(with_totp(staff))
    client.get("/privasi/")  # the session's first request writes to it
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/privasi/")
    assert re.search(
        r'<span class="count count-work"[^>]*>1<span class="visually-hidden">', page.text
    )
    assert [query for query in queries if "COUNT(" in query["sql"]]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:password_change_done")).status_code == 200
    assert not [query for query in queries if "COUNT(" in query["sql"]]


def test_the_menu_counts_the_proposals_waiting_for_a_decision(
    coordinator, kecamatan_officer, staff, cadre
):
    assert waiting_beside(coordinator, WAITING_PROPOSALS) == 0
    proposer = make_verified_profile(make_user("pengusul@test.forkom.id")).user
    bring_to(
        make_proposal(proposer),
        Proposal.State.RECOMMENDED,
        officer=kecamatan_officer,
        coordinator=coordinator,
        staff=staff,
    )
    assert waiting_beside(coordinator, WAITING_PROPOSALS) == 1
    assert navigation_at("/", cadre)["menu_waiting"] == ""


def test_a_count_beyond_the_cap_reads_cap_plus_and_reads_no_further(
    kecamatan_officer, kelurahan_officer, monkeypatch
):
    monkeypatch.setattr(menu_counts, "CAP", 2)
    for _ in range(4):
        make_profile(kelurahan="64.74.03.1001")
    with CaptureQueriesContext(connection) as queries:
        counted = waiting_beside(kecamatan_officer, CADRE_LIST)
    assert counted == 3  # CAP + 1 rows read, not 4
    assert menu_counts.label(counted) == "2+"
    assert navigation_at("/", kecamatan_officer)["menu_waiting"] == "2+"
    # Both of the officer's counts (cadres, proposals) in one query, each read to CAP + 1.
    [count_query] = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    assert "cadres_cadreprofile" in count_query
    assert "programs_proposal" in count_query
    assert count_query.count("LIMIT 3") == 2
    # A kelurahan officer decides on no proposal (the kecamatan reviews): only the cadres
    # are read.
    with CaptureQueriesContext(connection) as queries:
        assert waiting_beside(kelurahan_officer, CADRE_LIST) == 3
    [count_query] = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    assert "programs_proposal" not in count_query


def test_the_proposal_count_leaves_out_the_officer_s_own_as_the_queue_does(bontang):
    """An officer who is also a cadre of the kecamatan does not decide on a proposal they
    wrote or work on: the menu's count (read in SQL) agrees with the queue (read by ids)."""
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)
    officer_profile = make_verified_profile(officer, kelurahan="64.74.03.1001")
    other = make_verified_profile(make_user("lain@test.forkom.id"), kelurahan="64.74.03.1002")
    own = make_proposal(officer, title="Usulan ketua sendiri")
    on_team = make_proposal(other.user, title="Ketua ikut tim", team=[officer_profile])
    theirs = make_proposal(other.user, title="Usulan orang lain")
    for proposal in (own, on_team, theirs):
        services.submit_proposal(actor=proposal.proposer.user, proposal=proposal)
    assert list(program_selectors.waiting_for(officer)) == [theirs]
    assert list(program_selectors.waiting_to_count(officer)) == [theirs]
    assert waiting_beside(officer, WAITING_PROPOSALS) == 1


def test_a_role_moved_or_ended_changes_the_count_on_the_next_request(kelurahan_officer):
    """The count's statement is kept per viewer and their grants: a grant moved to another
    kelurahan counts there at once, and an ended one drops the count with the link. (The
    forum's own flow appoints officers; here the roles are set directly, as the system.)"""
    from forkom.accounts import services as account_services
    from forkom.accounts.models import RoleAssignment, User
    from forkom.territory.models import Region

    for _ in range(2):
        make_profile(kelurahan="64.74.03.1001")
    make_profile(kelurahan="64.74.01.1001")
    assert waiting_beside(User.objects.get(pk=kelurahan_officer.pk), CADRE_LIST) == 2
    [assignment] = RoleAssignment.objects.filter(user=kelurahan_officer)
    account_services.revoke_role(actor=None, assignment=assignment)
    account_services.grant_role(
        actor=None,
        user=kelurahan_officer,
        role=Role.FORUM_OFFICER,
        region=Region.objects.get(code="64.74.01.1001"),
        position=Position.KETUA,
    )
    assert waiting_beside(User.objects.get(pk=kelurahan_officer.pk), CADRE_LIST) == 1
    [moved] = RoleAssignment.objects.current().filter(user=kelurahan_officer)
    account_services.revoke_role(actor=None, assignment=moved)
    links = navigation_at("/", User.objects.get(pk=kelurahan_officer.pk))["menu_links"]
    assert CADRE_LIST not in [link.url for link in links]


# The markup of one entry as the site's template wrote it, before forkom's menu_links tag.
ENTRY_TEMPLATE = (
    '{% load i18n %}<li><a href="{{ link.url }}"{% if link.current %} aria-current="page"'
    '{% endif %}>{{ link.label }}{% if link.unread %} <span class="count">{{ link.unread }}'
    '<span class="visually-hidden"> {% translate "unread" %}</span></span>{% endif %}'
    '{% if link.waiting %} <span class="count">{{ link.waiting_label }}<span '
    'class="visually-hidden"> {% translate "waiting for you" %}</span></span>{% endif %}'
    "</a></li>\n"
)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_menu_entries_are_written_as_the_template_wrote_them(language):
    links = [
        MenuLink("/", "Beranda", exact=True, current=True),
        MenuLink("/notifikasi/", "Notifikasi", unread=1234),
        MenuLink("/kader/daftar-kader/", "Kader", waiting=menu_counts.CAP + 5),
        MenuLink("/usulan/?a=1&b=<2>", 'Usulan "baru" & <lama>', unread=2, waiting=1),
        MenuLink("/pelatihan/", gettext_lazy("Trainings")),
    ]
    entry = engines["django"].from_string(ENTRY_TEMPLATE)
    with translation.override(language):
        expected = "".join(entry.render({"link": link}) for link in links)
        written = engines["django"].from_string("{% load forkom %}{% menu_links links %}")
        assert written.render({"links": links}) == expected
