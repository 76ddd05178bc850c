"""The public forum directory and the manage page of a forum."""

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cadres.forums import services as services
from cadres.forums.selectors import SEARCH_LIMIT, display_name, sk_shown, timeline
from cadres.models import CadreProfile, Field, Forum, ForumEvent, ForumMember
from forkom.accounts.models import Position, Role, RoleAssignment
from tests.cadres.factories import make_profile
from tests.cadres.test_forum_services import (
    BELIMBING,
    BONTANG_BARAT,
    BONTANG_KUALA,
    forum_of,
    ketua_of,
    verified_cadre,
)
from tests.conftest import make_persona
from tests.plans import plan_of

DIRECTORY = reverse("forums:directory")


@pytest.fixture(autouse=True)
def in_english(client):
    """Pages in English, so that the tests read the source strings."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def url(name, code=BONTANG_BARAT):
    return reverse(f"forums:{name}", kwargs={"code": code})


def formed_barat(coordinator, ketua_name="Siti Rahmawati"):
    barat = forum_of(BONTANG_BARAT)
    services.record_sk(actor=coordinator, forum=barat, number="100/SK/2026", date=date(2026, 3, 2))
    ketua = verified_cadre(ketua_name)
    services.appoint_officer(actor=coordinator, forum=barat, user=ketua.user, position="ketua")
    return barat, ketua


# --- the public directory --------------------------------------------------------------------


def test_the_directory_shows_each_kecamatan_with_formation_sk_officers_and_members(
    client, coordinator
):
    barat, ketua = formed_barat(coordinator)
    services.add_member(actor=coordinator, forum=barat, profile=ketua)
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    text = response.text
    for name in ("Bontang Barat", "Bontang Utara", "Bontang Selatan"):
        assert f"Kecamatan {name}" in text
    assert "1 of 3 formed" in text
    assert text.count("status-formed") == 1
    assert text.count("Not formed yet") == 2
    assert "100/SK/2026" in text
    assert "Siti Rahmawati" in text
    assert "Chair (ketua)" in text
    rows = {row.region.name: row for row in response.context["rows"]}
    assert rows["Bontang Barat"].formed
    assert rows["Bontang Barat"].member_count == 1
    assert (rows["Bontang Barat"].kelurahan_formed, rows["Bontang Barat"].kelurahan_count) == (
        0,
        3,
    )
    assert rows["Bontang Utara"].kelurahan_count == 6


def test_the_directory_counts_formed_kelurahan_forums(client, coordinator, kecamatan_officer):
    belimbing = forum_of(BELIMBING)
    services.record_sk(
        actor=kecamatan_officer, forum=belimbing, number="2/2026", date=timezone.localdate()
    )
    services.appoint_officer(
        actor=kecamatan_officer, forum=belimbing, user=verified_cadre().user, position="ketua"
    )
    response = client.get(DIRECTORY)
    assert "Kelurahan forums formed: 1 of 3." in response.text
    assert "0 of 3 formed" in response.text  # the kecamatan forum itself is not formed


def test_public_pages_show_officers_names_and_positions_but_no_other_personal_data(
    client, coordinator
):
    barat, ketua = formed_barat(coordinator, ketua_name="Ketua Terbuka")
    belimbing = forum_of(BELIMBING)
    member = verified_cadre("Anggota Rahasia")
    for forum in (barat, belimbing):
        services.add_member(actor=coordinator, forum=forum, profile=member)
    persona_officer = make_persona(
        Role.FORUM_OFFICER, BELIMBING, Position.SEKRETARIS, email="sekretaris@contoh.id"
    )
    secrets = [
        "Anggota Rahasia",
        member.nik,
        member.masked_nik,
        member.phone,
        "0812-3456-7890",
        member.address,
        str(member.public_id),
        ketua.nik,
        ketua.masked_nik,
        ketua.user.email,
        str(ketua.public_id),
        persona_officer.email,
        "1990",  # birth year of both
    ]
    for page in (DIRECTORY, url("detail"), url("detail", BELIMBING)):
        text = client.get(page).text
        for secret in secrets:
            assert secret not in text, f"{secret!r} shown on {page}"
    assert "Ketua Terbuka" in client.get(url("detail")).text
    belimbing_page = client.get(url("detail", BELIMBING)).text
    assert "Secretary (sekretaris)" in belimbing_page
    assert "(name not recorded)" in belimbing_page


def test_the_kecamatan_page_lists_its_kelurahan_forums(client, coordinator, kecamatan_officer):
    formed_barat(coordinator)
    belimbing = forum_of(BELIMBING)
    services.record_sk(
        actor=kecamatan_officer, forum=belimbing, number="2/2026", date=timezone.localdate()
    )
    services.appoint_officer(
        actor=kecamatan_officer,
        forum=belimbing,
        user=verified_cadre("Budi").user,
        position="ketua",
    )
    response = client.get(url("detail"))
    assert response.status_code == 200
    assert [row.region.name for row in response.context["kelurahan_rows"]] == [
        "Belimbing",
        "Gunung Telihan",
        "Kanaan",
    ]
    assert [row.formed for row in response.context["kelurahan_rows"]] == [True, False, False]
    assert "Kelurahan forums formed: 1 of 3." in response.text
    assert "Ketua: Budi" in response.text
    assert url("detail", BELIMBING) in response.text


def test_a_kelurahan_page_shows_its_forum_and_its_kecamatan(
    client, coordinator, kelurahan_officer
):
    response = client.get(url("detail", BELIMBING))
    assert response.status_code == 200
    assert "Forkom KPM Belimbing" in response.text
    assert url("detail") in response.text  # the breadcrumb back to Bontang Barat
    assert "Not formed yet" in response.text
    assert response.context["row"].officers[0].position == Position.KETUA


@pytest.mark.parametrize("code", ["64", "64.74", "64.74.09", "nothing", "64.74.03.9999"])
def test_only_kecamatan_and_kelurahan_have_a_forum_page(client, bontang, code):
    assert client.get(f"/forum/{code}/").status_code == 404


def test_the_public_page_links_to_the_manage_page_only_for_those_who_may_manage(
    client, coordinator, outsider
):
    manage = url("manage")
    assert manage not in client.get(url("detail")).text
    client.force_login(outsider)
    assert manage not in client.get(url("detail")).text
    client.force_login(coordinator)
    assert manage in client.get(url("detail")).text


# --- query counts ----------------------------------------------------------------------------


def test_the_directory_reads_its_rows_afresh_on_every_visit(client, coordinator, monkeypatch):
    """Its queries are kept (cadres.forums.selectors.directory, and the forum's page), never
    its rows: a forum formed after a first visit shows formed on the next, and a ketua's term
    that ends today no longer counts tomorrow (the queries are kept per day)."""

    def barat():
        rows = {row.region.name: row for row in client.get(DIRECTORY).context["rows"]}
        row = rows["Bontang Barat"]
        # The forum's own page reads it the same way, its queries kept too.
        page = client.get(url("detail")).context["row"]
        assert (page.formed, page.officers) == (row.formed, row.officers)
        return row

    assert not barat().formed
    assert barat().officers == []
    _forum, ketua = formed_barat(coordinator)
    assert barat().formed
    assert [officer.name for officer in barat().officers] == ["Siti Rahmawati"]
    today = timezone.localdate()
    RoleAssignment.objects.filter(user=ketua.user, region_id=BONTANG_BARAT).update(ends_on=today)
    assert barat().formed  # the term runs to the end of today
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))
    assert not barat().formed
    assert barat().officers == []


# --- the manage page: who reaches it ---------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client, bontang):
    response = client.get(url("manage"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["outsider", "cadre", "kelurahan_officer"])
def test_those_who_may_not_manage_a_forum_get_404_and_change_nothing(
    client, coordinator, request, persona
):
    verified_cadre()
    profile = verified_cadre("Budi")
    barat = forum_of(BONTANG_BARAT)
    term = services.appoint_officer(
        actor=coordinator, forum=barat, user=profile.user, position="sekretaris"
    )
    services.add_member(actor=coordinator, forum=barat, profile=profile)
    events = ForumEvent.objects.count()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("manage")).status_code == 404
    posts = {
        "record_sk": {"number": "9/2026", "date": "2026-01-01"},
        "appoint": {
            "appoint-cadre": str(profile.public_id),
            "appoint-position": "ketua",
            "appoint-starts_on": "2026-01-01",
        },
        "end_term": {"assignment": term.pk},
        "add_member": {"member-cadre": str(profile.public_id)},
        "remove_member": {"cadre": str(profile.public_id)},
    }
    for name, data in posts.items():
        assert client.post(url(name), data).status_code == 404, name
    assert ForumEvent.objects.count() == events
    assert not Forum.objects.get(pk=BONTANG_BARAT).has_sk


def test_the_kota_has_no_manage_page(client, coordinator):
    client.force_login(coordinator)
    assert client.get(url("manage", "64.74")).status_code == 404


@pytest.mark.parametrize(
    "name", ["record_sk", "appoint", "end_term", "add_member", "remove_member"]
)
def test_changes_are_post_only(client, coordinator, name):
    client.force_login(coordinator)
    assert client.get(url(name)).status_code == 405


# --- the manage page: what it does -----------------------------------------------------------


def test_the_coordinator_records_the_sk_and_appoints_a_ketua_and_the_forum_is_formed(
    client, coordinator
):
    siti = verified_cadre()
    client.force_login(coordinator)
    response = client.get(url("manage"), {"name": "siti"})
    assert response.status_code == 200
    assert [cadre.full_name for cadre in response.context["found"]] == ["Siti Rahmawati"]
    assert f"appoint={siti.public_id}" in response.text
    response = client.get(url("manage"), {"name": "siti", "appoint": siti.public_id})
    assert f'name="appoint-cadre" value="{siti.public_id}"' in response.text

    response = client.post(url("record_sk"), {"number": "100/SK/2026", "date": "2026-03-02"})
    assert response.status_code == 302
    assert response["Location"] == url("manage")
    response = client.post(
        url("appoint"),
        {
            "appoint-cadre": str(siti.public_id),
            "appoint-position": "ketua",
            "appoint-starts_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert "Siti Rahmawati is appointed." in response.text
    assert ketua_of(BONTANG_BARAT).get().user == siti.user
    assert response.context["row"].formed
    assert "SK recorded" in response.text
    assert "Officer appointed" in response.text


def test_a_second_ketua_is_refused_on_the_kept_form_with_409_and_nothing_changes(
    client, coordinator
):
    formed_barat(coordinator)
    budi = verified_cadre("Budi")
    client.force_login(coordinator)
    response = client.post(
        url("appoint"),
        {
            "appoint-cadre": str(budi.public_id),
            "appoint-position": "ketua",
            "appoint-starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 409
    assert "Bontang Barat already has a Chair (ketua). End that term first." in response.text
    # The refusal is on the manage page, the appoint form for Budi kept as filled in.
    assert 'id="appoint"' in response.text
    assert f'name="appoint-cadre" value="{budi.public_id}"' in response.text
    assert re.search(r'<option value="ketua"[^>]*selected', response.text)
    assert ketua_of(BONTANG_BARAT).get().user != budi.user
    assert not RoleAssignment.objects.filter(user=budi.user).exists()
    # Said at the top too, where a phone opens the page, with a link down to the form; and
    # its links lead to the manage page, not to the POST's address, which answers no GET
    # (found by a walk through the demo site).
    assert '<a href="#appoint">' in response.text
    manage = url("manage")
    cancel = re.search(r'<a href="([^"]*)#find" class="button button-secondary">', response.text)
    assert cancel.group(1).startswith(manage)
    assert client.get(cancel.group(1).replace("&amp;", "&")).status_code == 200
    assert f'href="{url("appoint")}' not in response.text


def test_a_koordinator_bidang_is_appointed_with_a_field(client, coordinator):
    siti = verified_cadre()
    field = Field.objects.get_or_create(name="Kesehatan")[0]
    client.force_login(coordinator)
    data = {
        "appoint-cadre": str(siti.public_id),
        "appoint-position": "koordinator_bidang",
        "appoint-starts_on": timezone.localdate().isoformat(),
    }
    response = client.post(url("appoint"), data)
    assert response.status_code == 409
    assert "Choose the field of the koordinator bidang." in response.text
    response = client.post(url("appoint"), {**data, "appoint-field": field.pk}, follow=True)
    assert "Field coordinator (koordinator bidang): Kesehatan" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "", "date": "2026-03-02"}, "SK number: This field is required."),
        ({"number": "1/2026", "date": "kemarin"}, "SK date: Enter a valid date."),
    ],
)
def test_a_malformed_sk_is_refused_with_400(client, coordinator, data, message):
    client.force_login(coordinator)
    response = client.post(url("record_sk"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Forum.objects.filter(pk=BONTANG_BARAT).exists()


def test_an_sk_dated_in_the_future_is_refused_with_409_and_no_forum_row(client, coordinator):
    client.force_login(coordinator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url("record_sk"), {"number": "1/2026", "date": tomorrow.isoformat()})
    assert response.status_code == 409
    assert "cannot be in the future" in response.text
    assert not Forum.objects.exists()


@pytest.mark.parametrize("starts_on", ["9996-01-01", "9999-12-31"])
def test_a_start_date_in_the_far_future_is_refused_and_nothing_changes(
    client, coordinator, starts_on
):
    siti = verified_cadre()
    client.force_login(coordinator)
    response = client.post(
        url("appoint"),
        {
            "appoint-cadre": str(siti.public_id),
            "appoint-position": "ketua",
            "appoint-starts_on": starts_on,
        },
    )
    assert response.status_code == 409
    assert "A term starts today or earlier." in response.text
    assert not RoleAssignment.objects.filter(user=siti.user).exists()
    assert not ForumEvent.objects.exists()


def test_a_cadre_of_another_kecamatan_is_not_a_choice(client, coordinator):
    kuala = verified_cadre("Kader Kuala", kelurahan=BONTANG_KUALA)
    client.force_login(coordinator)
    assert str(kuala.public_id) not in client.get(url("manage"), {"name": "kuala"}).text
    response = client.post(url("add_member"), {"member-cadre": str(kuala.public_id)})
    assert response.status_code == 400
    assert "Choose a verified cadre of this area." in response.text
    response = client.post(url("add_member"), {"member-cadre": "not-a-uuid"})
    assert response.status_code == 400
    assert not ForumMember.objects.exists()


# --- the manage page: finding a cadre ---------------------------------------------------------


def found_names(response):
    return [cadre.full_name for cadre in response.context["found"]]


def test_the_page_lists_no_cadre_until_one_is_searched_for(client, coordinator):
    siti = verified_cadre()
    client.force_login(coordinator)
    response = client.get(url("manage"))
    assert 'role="search"' in response.text
    assert str(siti.public_id) not in response.text
    assert "<select" not in response.text.split('id="find"')[1].split("</form>")[0]


def test_searching_finds_a_verified_cadre_of_the_area_and_not_of_another_nor_unverified(
    client, coordinator
):
    siti = verified_cadre("Siti Rahmawati")
    verified_cadre("Siti Kuala", kelurahan=BONTANG_KUALA)
    make_profile(full_name="Siti Menunggu", kelurahan=BELIMBING)  # waiting for verification
    rejected = verified_cadre("Siti Nonaktif")
    CadreProfile.objects.filter(pk=rejected.pk).update(status=CadreProfile.Status.INACTIVE)
    client.force_login(coordinator)
    response = client.get(url("manage"), {"name": "SITI"})
    assert response.status_code == 200
    assert found_names(response) == ["Siti Rahmawati"]
    for name in ("Siti Kuala", "Siti Menunggu", "Siti Nonaktif"):
        assert name not in response.text
    # The NIK masked, no digit of it shown.
    assert siti.nik not in response.text
    assert siti.masked_nik in response.text


def test_an_empty_search_lists_the_first_cadres_of_the_area_and_says_when_there_are_more(
    client, coordinator
):
    for number in range(SEARCH_LIMIT + 1):
        verified_cadre(f"Kader {number:02d}")
    client.force_login(coordinator)
    response = client.get(url("manage"), {"name": ""})
    assert found_names(response) == [f"Kader {number:02d}" for number in range(SEARCH_LIMIT)]
    assert "Only the first 20 cadres are shown: type more of the name." in response.text
    response = client.get(url("manage"), {"name": "Kader 20"})
    assert found_names(response) == ["Kader 20"]
    assert "Only the first" not in response.text


def test_a_search_that_finds_nobody_says_so(client, coordinator):
    client.force_login(coordinator)
    response = client.get(url("manage"), {"name": "Tidak Ada"})
    assert response.status_code == 200
    assert "No verified cadre of this area has “Tidak Ada” in their name." in response.text
    response = client.get(url("manage"), {"name": ""})
    assert "There are no verified cadres in this area yet." in response.text


def test_the_search_marks_members_and_officers_and_offers_only_what_can_be_done(
    client, coordinator
):
    barat, ketua = formed_barat(coordinator, ketua_name="Kader Ketua")
    member = verified_cadre("Kader Anggota")
    services.add_member(actor=coordinator, forum=barat, profile=member)
    other = verified_cadre("Kader Lain")
    client.force_login(coordinator)
    response = client.get(url("manage"), {"name": "kader"})
    rows = {cadre.full_name: cadre for cadre in response.context["found"]}
    assert rows["Kader Ketua"].position_label == "Chair (ketua)"
    assert rows["Kader Anggota"].is_member
    assert rows["Kader Anggota"].forum_position is None
    assert f"appoint={ketua.public_id}" not in response.text
    assert f'name="member-cadre" value="{ketua.public_id}"' in response.text
    assert f"appoint={member.public_id}" in response.text
    assert f'name="member-cadre" value="{member.public_id}"' not in response.text
    assert f"appoint={other.public_id}" in response.text
    assert f'name="member-cadre" value="{other.public_id}"' in response.text
    # Chosen anyway (an old link): the page says why there is nothing to appoint.
    response = client.get(url("manage"), {"appoint": ketua.public_id})
    assert "Kader Ketua already holds a position in this forum." in response.text
    assert 'name="appoint-position"' not in response.text


def test_appointing_through_a_search_result_comes_back_to_the_same_search(client, coordinator):
    budi = verified_cadre("Budi Santoso")
    client.force_login(coordinator)
    page = client.get(url("manage"), {"name": "budi"}).text
    chosen = re.search(r'href="([^"?]*\?name=budi&amp;appoint=[0-9a-f-]{36})#appoint"', page)
    assert chosen[1].startswith(url("manage") + "?")
    response = client.get(html.unescape(chosen[1]))
    assert response.context["chosen"] == budi
    form = re.search(r'<form[^>]*id="appoint".*?</form>', response.text, re.S)[0]
    assert f'name="appoint-cadre" value="{budi.public_id}"' in form
    assert 'name="name" value="budi"' in form
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', form)[1]
    response = client.post(
        url("appoint"),
        {
            "token": token,
            "name": "budi",
            "appoint-cadre": str(budi.public_id),
            "appoint-position": "sekretaris",
            "appoint-field": "",
            "appoint-starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("manage") + "?name=budi#find"
    term = RoleAssignment.objects.current().get(user=budi.user)
    assert (term.region_id, term.position) == (BONTANG_BARAT, Position.SEKRETARIS)
    assert ForumEvent.objects.get().kind == ForumEvent.Kind.OFFICER_APPOINTED
    response = client.get(response["Location"])
    assert "Budi Santoso is appointed." in response.text
    assert response.context["found"][0].position_label == "Secretary (sekretaris)"
    assert "appoint=" not in response.text


@pytest.mark.parametrize(
    "chosen",
    [
        "abc",
        "9" * 10_000,
        "00000000-0000-0000-0000-000000000000",  # an id that does not exist
        "kuala",  # a verified cadre of another kecamatan
        "unverified",
    ],
)
def test_choosing_a_cadre_who_may_not_be_appointed_is_refused_with_400(
    client, coordinator, chosen
):
    chosen = {
        "kuala": lambda: str(verified_cadre("Kader Kuala", kelurahan=BONTANG_KUALA).public_id),
        "unverified": lambda: str(unverified().public_id),
    }.get(chosen, lambda: chosen)()
    client.force_login(coordinator)
    response = client.get(url("manage"), {"appoint": chosen})
    assert response.status_code == 400
    assert "Choose a verified cadre of this area." in response.text
    assert 'name="appoint-position"' not in response.text


def test_a_kelurahan_officer_is_never_shown_the_appoint_form(client, kelurahan_officer):
    siti = verified_cadre()
    client.force_login(kelurahan_officer)
    response = client.get(url("manage", BELIMBING), {"name": "siti", "appoint": siti.public_id})
    assert response.status_code == 200
    assert response.context["chosen"] is None
    assert 'name="appoint-position"' not in response.text


def test_adding_a_member_through_a_search_result_comes_back_to_the_same_search(
    client, kelurahan_officer
):
    siti, sari = verified_cadre("Siti Rahmawati"), verified_cadre("Siti Sarah")
    client.force_login(kelurahan_officer)
    for profile in (siti, sari):
        response = client.post(
            url("add_member", BELIMBING), {"name": "siti", "member-cadre": str(profile.public_id)}
        )
        assert response["Location"] == url("manage", BELIMBING) + "?name=siti#find"
    response = client.get(response["Location"])
    assert [cadre.is_member for cadre in response.context["found"]] == [True, True]
    assert response.context["members"].paginator.count == 2


def test_the_members_are_counted_and_paged_as_they_are_now(client, coordinator, monkeypatch):
    """The page counts the current members with the forum's row (member_count), not in a
    query of its own: a member removed is not counted, and the pages hold the others."""
    from cadres.forums import views

    monkeypatch.setattr(views, "MEMBERS_PER_PAGE", 2)
    barat = forum_of(BONTANG_BARAT)
    names = ["Ani Lestari", "Budi Santoso", "Citra Dewi", "Dedi Kurnia"]
    profiles = [verified_cadre(name) for name in names]
    for profile in profiles:
        services.add_member(actor=coordinator, forum=barat, profile=profile)
    services.remove_member(actor=coordinator, forum=barat, profile=profiles[1])
    client.force_login(coordinator)
    first = client.get(url("manage"))
    assert first.context["members"].paginator.count == 3
    assert "3 members" in first.text
    second = client.get(url("manage"), {"page": 2})
    shown = [m for page in (first, second) for m in page.context["members"]]
    kept = [profiles[0], profiles[2], profiles[3]]
    assert [m.full_name for m in shown] == ["Ani Lestari", "Citra Dewi", "Dedi Kurnia"]
    assert [m.public_id for m in shown] == [profile.public_id for profile in kept]
    assert [m.kelurahan_name for m in shown] == [profile.kelurahan.name for profile in kept]
    assert [m.started_on for m in shown] == [timezone.localdate()] * 3


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("x" * 10_000, "Ensure this value has at most 150 characters (it has 10000)."),
        ("siti\x00", "What was sent contains a NUL character (a zero byte)"),  # the middleware's
    ],
)
def test_a_search_that_is_not_one_is_refused_with_400_and_says_why(
    client, coordinator, name, reason
):
    siti = verified_cadre()
    client.force_login(coordinator)
    response = client.get(url("manage"), {"name": name})
    assert response.status_code == 400
    assert reason in response.text
    assert str(siti.public_id) not in response.text


def test_a_posted_search_that_is_not_one_is_dropped_from_the_way_back(client, coordinator):
    siti = verified_cadre()
    client.force_login(coordinator)
    response = client.post(
        url("add_member"), {"name": "x" * 10_000, "member-cadre": str(siti.public_id)}
    )
    assert response["Location"] == url("manage")
    assert ForumMember.objects.current().get().profile == siti


def unverified(kelurahan=BELIMBING):
    return make_profile(full_name="Belum Diverifikasi", kelurahan=kelurahan)


@pytest.mark.parametrize(
    "cadre",
    [
        "\x00",
        "9" * 10_000,
        str(2**63),
        "00000000-0000-0000-0000-000000000000",  # an id that does not exist
        "kuala",  # a verified cadre of another kecamatan
        "unverified",
    ],
)
@pytest.mark.parametrize("action", ["appoint", "add_member"])
def test_a_cadre_that_may_not_be_chosen_is_refused_with_400_and_nothing_changes(
    client, coordinator, action, cadre
):
    chosen = {
        "kuala": lambda: str(verified_cadre("Kader Kuala", kelurahan=BONTANG_KUALA).public_id),
        "unverified": lambda: str(unverified().public_id),
    }.get(cadre, lambda: cadre)()
    prefix = "appoint" if action == "appoint" else "member"
    client.force_login(coordinator)
    response = client.post(
        url(action),
        {
            f"{prefix}-cadre": chosen,
            "appoint-position": "ketua",
            "appoint-starts_on": timezone.localdate().isoformat(),
            "name": "kader",
        },
    )
    assert response.status_code == 400
    if cadre == "\x00":  # refused before the view, as on every page
        assert "contains a NUL character" in response.text
    else:
        assert "Cadre: Choose a verified cadre of this area." in response.text
        assert "Nothing was changed." in response.text
        assert f'href="{url("manage")}?name=kader#find"' in response.text
    assert not ForumEvent.objects.exists()
    assert not ForumMember.objects.exists()
    assert not RoleAssignment.objects.filter(role=Role.FORUM_OFFICER).exists()


def test_a_kelurahan_officer_manages_members_but_not_officers_of_their_forum(
    client, kelurahan_officer
):
    siti = verified_cadre()
    client.force_login(kelurahan_officer)
    response = client.get(url("manage", BELIMBING), {"name": "siti"})
    assert response.status_code == 200
    assert url("appoint", BELIMBING) not in response.text
    assert url("record_sk", BELIMBING) not in response.text
    assert url("add_member", BELIMBING) in response.text
    assert "appoint=" not in response.text
    assert f'name="member-cadre" value="{siti.public_id}"' in response.text

    response = client.post(url("add_member", BELIMBING), {"member-cadre": str(siti.public_id)})
    assert response.status_code == 302
    assert ForumMember.objects.current().get(forum_id=BELIMBING).profile == siti
    response = client.post(
        url("appoint", BELIMBING),
        {
            "appoint-cadre": str(siti.public_id),
            "appoint-position": "sekretaris",
            "appoint-starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 409
    assert "You may not appoint officers of Belimbing." in response.text
    response = client.post(url("remove_member", BELIMBING), {"cadre": str(siti.public_id)})
    assert response.status_code == 302
    assert not ForumMember.objects.current().exists()
    kinds = list(ForumEvent.objects.order_by("-at", "-pk").values_list("kind", flat=True))
    assert kinds == [ForumEvent.Kind.MEMBER_REMOVED, ForumEvent.Kind.MEMBER_ADDED]


def test_removing_someone_who_is_not_a_member_is_refused(client, coordinator):
    siti = verified_cadre()
    client.force_login(coordinator)
    response = client.post(url("remove_member"), {"cadre": str(siti.public_id)})
    assert response.status_code == 409
    assert "not a member" in response.text


def test_ending_a_term_on_the_page(client, coordinator):
    formed_barat(coordinator)
    term = ketua_of(BONTANG_BARAT).get()
    client.force_login(coordinator)
    response = client.post(url("end_term"), {"assignment": term.pk}, follow=True)
    assert "The term is ended." in response.text
    assert not response.context["row"].formed
    assert "Officer&#x27;s term ended" in response.text or "Officer's term ended" in response.text
    response = client.post(url("end_term"), {"assignment": term.pk})
    assert response.status_code == 409


@pytest.mark.parametrize("assignment", ["abc", "", "9" * 30, "-1.5"])
def test_a_malformed_term_is_refused_with_400_and_nothing_changes(client, coordinator, assignment):
    formed_barat(coordinator)
    client.force_login(coordinator)
    response = client.post(url("end_term"), {"assignment": assignment})
    assert response.status_code == 400
    assert "Choose a current term to end." in response.text
    assert "already ended" not in response.text
    assert ketua_of(BONTANG_BARAT).exists()


def test_a_term_of_another_forum_cannot_be_ended_through_this_one(
    client, coordinator, kecamatan_officer
):
    kuala = forum_of(BONTANG_KUALA)
    term = services.appoint_officer(
        actor=coordinator,
        forum=kuala,
        user=verified_cadre("Kader Kuala", kelurahan=BONTANG_KUALA).user,
        position="ketua",
    )
    client.force_login(kecamatan_officer)
    response = client.post(url("end_term", BELIMBING), {"assignment": term.pk})
    assert response.status_code == 409
    assert ketua_of(BONTANG_KUALA).exists()


def test_the_timeline_names_who_did_what(client, coordinator):
    formed_barat(coordinator)
    client.force_login(coordinator)
    response = client.get(url("manage"))
    events = response.context["events"]
    assert [event.kind for event in events] == ["officer_appointed", "sk_recorded"]
    assert events[0].subject_name == "Siti Rahmawati"
    assert events[0].actor_name == coordinator.email  # no name recorded: officers see the email
    # The SK as the page writes one, the date in the reader's language, not as recorded.
    assert "100/SK/2026, 2 March 2026" in response.text
    assert "(2026-03-02)" not in response.text
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "100/SK/2026, 2 Maret 2026" in client.get(url("manage")).text


def test_the_timeline_names_people_from_one_query(coordinator, django_assert_num_queries):
    barat, ketua = formed_barat(coordinator)
    member = verified_cadre("Budi Santoso")
    services.add_member(actor=ketua.user, forum=barat, profile=member)
    with django_assert_num_queries(1):
        events = timeline(barat.region)
        names = [(event.actor_name, event.subject_name) for event in events]
    assert names == [
        ("Siti Rahmawati", "Budi Santoso"),  # the actor's cadre profile names them
        (coordinator.email, "Siti Rahmawati"),
        (coordinator.email, ""),  # the SK concerns nobody
    ]


def test_the_timeline_names_people_as_every_page_names_them(coordinator):
    """The timeline reads the names from its own columns: the same rule as person_name() and
    display_name() over accounts and profiles (an account's names without a profile, the
    email when it has neither, the profile's name over the account's)."""
    coordinator.first_name, coordinator.last_name = "Rina", "Wati"
    coordinator.save()
    barat, ketua = formed_barat(coordinator)
    ketua.user.first_name, ketua.user.last_name = "Account", "Name"
    ketua.user.save()
    nameless = verified_cadre("Dewi Lestari")
    services.appoint_officer(
        actor=coordinator, forum=barat, user=nameless.user, position=Position.SEKRETARIS
    )
    services.add_member(actor=ketua.user, forum=barat, profile=nameless)
    nameless.user.first_name = nameless.user.last_name = ""
    nameless.user.save()
    CadreProfile.objects.filter(pk=nameless.pk).update(full_name="")
    events = timeline(barat.region)
    shown = [(event.actor_name, event.subject_name) for event in events]
    users = [(event.actor, event.subject) for event in ForumEvent.objects.order_by("-at", "-pk")]
    expected = [
        (
            display_name(actor, public=False) if actor else "",
            display_name(subject, public=False) if subject else "",
        )
        for actor, subject in users
    ]
    assert (
        shown
        == expected
        == [
            ("Siti Rahmawati", nameless.user.email),
            ("Rina Wati", nameless.user.email),
            ("Rina Wati", "Siti Rahmawati"),
            ("Rina Wati", ""),
        ]
    )


def test_the_timeline_reads_its_latest_from_the_index_before_joining(
    client, coordinator, postgresql_only
):
    """A forum's fifty latest events are read from the index of migration cadres 0019, then
    joined to their people: not every event of the forum joined and sorted first."""
    formed_barat(coordinator)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as captured:
        client.get(url("manage"))
    [sql] = [q["sql"] for q in captured if q["sql"].startswith('SELECT "cadres_forumevent"."id"')]
    plan = plan_of(sql, without=("seqscan", "sort"))
    # The index read backwards under the limit; the one sort puts the fifty found in order.
    lines = [line.strip() for line in plan.splitlines()]
    [limit] = [number for number, line in enumerate(lines) if line.startswith("->  Limit")]
    assert "Scan Backward using forumevent_forum_at" in lines[limit + 1], plan
    assert [line for line in lines if "Sort  (" in line] == [lines[0]], plan


def test_a_deactivated_member_can_still_be_removed(client, coordinator):
    siti = verified_cadre()
    services.add_member(actor=coordinator, forum=forum_of(BONTANG_BARAT), profile=siti)
    CadreProfile.objects.filter(pk=siti.pk).update(status=CadreProfile.Status.INACTIVE)
    client.force_login(coordinator)
    response = client.post(url("remove_member"), {"cadre": str(siti.public_id)})
    assert response.status_code == 302
    assert not ForumMember.objects.current().exists()


def _form_tokens(client, code=BONTANG_BARAT):
    import re

    return re.findall(
        r'name="token" value="([0-9a-f-]{36})"', client.get(url("manage", code)).text
    )


def test_a_double_tap_on_add_and_remove_member_shows_the_first_result(client, coordinator):
    siti = verified_cadre()
    client.force_login(coordinator)
    token = _form_tokens(client)[0]
    form = {"member-cadre": str(siti.public_id), "token": token}
    first = client.post(url("add_member"), form)
    second = client.post(url("add_member"), form)
    assert first.status_code == second.status_code == 302
    assert ForumMember.objects.filter(profile=siti).count() == 1
    assert ForumEvent.objects.filter(kind="member_added").count() == 1

    token = _form_tokens(client)[-1]
    form = {"cadre": str(siti.public_id), "token": token}
    assert client.post(url("remove_member"), form).status_code == 302
    second = client.post(url("remove_member"), form, follow=True)
    assert second.status_code == 200  # not "This cadre is not a member of the forum."
    assert ForumEvent.objects.filter(kind="member_removed").count() == 1


def test_a_forum_form_token_of_somebody_else_is_refused(client, coordinator, kecamatan_officer):
    siti, budi = verified_cadre(), verified_cadre("Budi Santoso")
    client.force_login(coordinator)
    token = _form_tokens(client)[0]
    client.post(url("add_member"), {"member-cadre": str(siti.public_id), "token": token})
    client.force_login(kecamatan_officer)
    response = client.post(
        url("add_member"), {"member-cadre": str(budi.public_id), "token": token}
    )
    assert response.status_code == 409
    assert not ForumMember.objects.filter(profile=budi).exists()


def test_a_forum_not_yet_formed_says_what_it_still_needs(client, coordinator):
    barat = forum_of(BONTANG_BARAT)
    text = client.get(url("detail")).text
    assert "Still needed to be formed" in text
    assert "a ketua (chair) appointed" in text
    assert "its SK (decree) number and date recorded" in text

    ketua = verified_cadre("Ketua Baru")
    services.appoint_officer(actor=coordinator, forum=barat, user=ketua.user, position="ketua")
    text = client.get(url("detail")).text
    assert "Not formed yet" in text
    assert "a ketua (chair) appointed" not in text
    assert "its SK (decree) number and date recorded" in text

    services.record_sk(actor=coordinator, forum=barat, number="9/2026", date=date(2026, 3, 2))
    text = client.get(url("detail")).text
    assert "Still needed to be formed" not in text


def test_the_forum_page_links_to_its_regions_page(client, bontang):
    region_page = reverse("territory:region", kwargs={"code": BELIMBING})
    assert f'href="{region_page}"' in client.get(url("detail", BELIMBING)).text


def test_a_term_without_an_end_does_not_end_in_a_dash(client, coordinator, kecamatan_officer):
    """An officer whose role was given without an end date (in the admin, or the demo's)
    read "Masa jabatan 6 Desember 2026" and a dash (found by a walk through the demo site)."""
    assignment = RoleAssignment.objects.get(user=kecamatan_officer)
    assert assignment.ends_on is None
    client.force_login(coordinator)
    page = client.get(url("manage")).text
    assert "Term since" in page
    assert " \u2013 </small>" not in page
    assert sk_shown("") == ""
    assert sk_shown("1/2026 (2026-13-40)") == "1/2026 (2026-13-40)"  # not a date: as recorded


def test_a_bad_start_of_term_is_shown_beside_the_field_of_the_kept_form(client, coordinator):
    budi = verified_cadre("Budi")
    client.force_login(coordinator)
    response = client.post(
        url("appoint"),
        {
            "appoint-cadre": str(budi.public_id),
            "appoint-position": "sekretaris",
            "appoint-starts_on": "bukan tanggal",
            "name": "Budi",
        },
    )
    assert response.status_code == 400
    assert 'id="appoint"' in response.text
    assert re.search(r'<option value="sekretaris"[^>]*selected', response.text)
    assert 'name="name" value="Budi"' in response.text  # the search it was chosen from
    assert not RoleAssignment.objects.filter(user=budi.user).exists()
