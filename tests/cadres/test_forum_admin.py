"""Forums and forum members in the Django admin, for Dinas staff of the region."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cadres.forums import services as services
from cadres.models import Forum, ForumEvent, ForumMember
from forkom.accounts.models import Role
from tests.accounts.test_admin import with_totp
from tests.cadres.test_forum_services import BELIMBING, BONTANG_BARAT, forum_of, verified_cadre
from tests.conftest import make_persona

FORUMS = "/admin/cadres/forum/"
MEMBERS = "/admin/cadres/forummember/"


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def samarinda_forum(other_kota):
    return forum_of("64.72.01")


@pytest.fixture
def bontang_staff(bontang):
    return with_totp(make_persona(Role.DINAS_STAFF, "64.74"))


def shown(response):
    return [forum.pk for forum in response.context["cl"].result_list]


def test_staff_of_a_kota_see_only_the_forums_of_their_kota(client, bontang_staff, samarinda_forum):
    forum_of(BONTANG_BARAT)
    client.force_login(bontang_staff)
    response = client.get(FORUMS)
    assert response.status_code == 200
    assert shown(response) == [BONTANG_BARAT]
    response = client.get(reverse("admin:cadres_forum_change", args=["64.72.01"]))
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_the_forum_list_shows_formation_and_filters_by_it(client, staff, coordinator):
    barat = forum_of(BONTANG_BARAT)
    forum_of(BELIMBING)
    services.record_sk(actor=coordinator, forum=barat, number="100/SK/2026", date=date(2026, 3, 2))
    services.appoint_officer(
        actor=coordinator, forum=barat, user=verified_cadre().user, position="ketua"
    )
    client.force_login(with_totp(staff))
    response = client.get(FORUMS)
    assert "100/SK/2026" in response.text
    formed = {forum.pk: forum.has_ketua for forum in response.context["cl"].result_list}
    assert formed == {BONTANG_BARAT: True, BELIMBING: False}
    assert response.text.count('alt="True"') == 1  # the "formed" column
    assert shown(client.get(FORUMS, {"formed": "yes"})) == [BONTANG_BARAT]
    assert shown(client.get(FORUMS, {"formed": "no"})) == [BELIMBING]
    assert shown(client.get(FORUMS, {"level": "4"})) == [BELIMBING]
    assert shown(client.get(FORUMS, {"kecamatan": "64.74.03"})) == [BONTANG_BARAT, BELIMBING]
    assert shown(client.get(FORUMS, {"q": "64.74.03.1001"})) == [BELIMBING]
    assert shown(client.get(FORUMS, {"q": "belimbing"})) == [BELIMBING]


def test_only_the_forum_list_asks_whether_each_forum_has_a_ketua(client, staff):
    """The "formed" column's subquery runs on the list, not on a forum's own pages."""
    forum_of(BONTANG_BARAT)
    client.force_login(with_totp(staff))
    change = reverse("admin:cadres_forum_change", args=[BONTANG_BARAT])
    history = reverse("admin:cadres_forum_history", args=[BONTANG_BARAT])
    for path, subqueries in ((FORUMS, 1), (change, 0), (history, 0)):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        forum_reads = [
            q["sql"]
            for q in captured
            if q["sql"].startswith("SELECT") and 'FROM "cadres_forum"' in q["sql"]
        ]
        assert forum_reads, path
        assert sum("EXISTS" in sql for sql in forum_reads) == subqueries, path


def test_the_sk_recorded_in_the_admin_goes_through_the_service_with_an_event(client, staff):
    forum_of(BONTANG_BARAT)
    client.force_login(with_totp(staff))
    change = reverse("admin:cadres_forum_change", args=[BONTANG_BARAT])
    response = client.get(change)
    assert response.status_code == 200
    response = client.post(change, {"sk_number": "100/SK/2026", "sk_date": "2026-03-02"})
    assert response.status_code == 302, response.context["adminform"].errors
    forum = Forum.objects.get(pk=BONTANG_BARAT)
    assert (forum.sk_number, forum.sk_recorded_by) == ("100/SK/2026", staff)
    event = ForumEvent.objects.get()
    assert (event.kind, event.actor) == (ForumEvent.Kind.SK_RECORDED, staff)
    assert "SK recorded" in client.get(change).text  # the read-only event inline


def test_an_sk_without_a_date_is_refused_in_the_admin(client, staff):
    forum_of(BONTANG_BARAT)
    client.force_login(with_totp(staff))
    change = reverse("admin:cadres_forum_change", args=[BONTANG_BARAT])
    response = client.post(change, {"sk_number": "100/SK/2026", "sk_date": ""})
    assert response.status_code == 400
    assert "Give the date of the SK." in response.text
    assert not ForumEvent.objects.exists()


def test_a_recorded_sk_cannot_be_emptied_in_the_admin(client, staff, coordinator):
    barat = forum_of(BONTANG_BARAT)
    services.record_sk(actor=coordinator, forum=barat, number="1/2026", date=date(2026, 1, 5))
    client.force_login(with_totp(staff))
    change = reverse("admin:cadres_forum_change", args=[BONTANG_BARAT])
    response = client.post(change, {"sk_number": "", "sk_date": ""})
    assert response.status_code == 400
    assert "A recorded SK is corrected, not removed." in response.text
    assert Forum.objects.get(pk=BONTANG_BARAT).sk_number == "1/2026"


def test_staff_add_a_forum_for_a_region_of_their_area_only(client, bontang_staff, samarinda_forum):
    client.force_login(bontang_staff)
    add = reverse("admin:cadres_forum_add")
    response = client.get(add)
    choices = [
        value for value, _label in response.context["adminform"].form["region"].field.choices
    ]
    assert "64.74.03" in [str(value) for value in choices]
    assert "64.72.01" not in [str(value) for value in choices]
    assert "64.74" not in [str(value) for value in choices]
    response = client.post(add, {"region": "64.74.02", "sk_number": "", "sk_date": ""})
    assert response.status_code == 302
    assert Forum.objects.filter(pk="64.74.02").exists()


def test_members_are_listed_read_only_within_the_staffs_area(
    client, bontang_staff, samarinda_forum, coordinator
):
    siti = verified_cadre()
    services.add_member(actor=coordinator, forum=forum_of(BELIMBING), profile=siti)
    client.force_login(bontang_staff)
    response = client.get(MEMBERS)
    assert response.status_code == 200
    assert [member.profile for member in response.context["cl"].result_list] == [siti]
    assert shown(client.get(MEMBERS, {"current": "no"})) == []
    member = ForumMember.objects.get()
    response = client.post(
        reverse("admin:cadres_forummember_change", args=[member.pk]),
        {"started_on": "2020-01-01"},
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:cadres_forummember_add")).status_code == 403


def test_a_superuser_records_an_sk_beside_the_forums_events(client, staff):
    """Beside existing events the read-only inline has forms; saving read what they saved
    (nothing), which the no-op save_related never set: a 500 after the SK was recorded."""
    forum = forum_of(BONTANG_BARAT)
    services.record_sk(actor=staff, forum=forum, number="1/SK/2026", date=date(2026, 3, 1))
    superuser = with_totp(make_persona(Role.DINAS_STAFF, "64", is_superuser=True))
    client.force_login(superuser)
    change = reverse("admin:cadres_forum_change", args=[BONTANG_BARAT])
    page = client.get(change)
    formset = page.context["inline_admin_formsets"][0].formset
    management, prefix = formset.management_form.initial, formset.prefix
    data = {"sk_number": "2/SK/2026", "sk_date": "2026-03-02"}
    data |= {f"{prefix}-{key}": value for key, value in management.items()}
    response = client.post(change, data)
    assert response.status_code == 302
    assert Forum.objects.get(pk=BONTANG_BARAT).sk_number == "2/SK/2026"


def test_the_forums_region_is_found_by_a_search_among_the_staff_members_regions(
    client, bontang_staff, other_kota
):
    client.force_login(bontang_staff)
    form = client.get(FORUMS + "add/")
    assert form.status_code == 200
    # A search box, not a list of every kecamatan and kelurahan.
    assert "admin-autocomplete" in form.text
    assert "Bontang Lestari" not in form.text

    def found(term):
        response = client.get(
            "/admin/autocomplete/",
            {"app_label": "cadres", "model_name": "forum", "field_name": "region", "term": term},
        )
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    # Kecamatan and kelurahan only, as the forum's region allows: not Kota Bontang itself.
    assert found("bontang") == {
        "64.74.01",
        "64.74.02",
        "64.74.03",
        "64.74.01.1001",
        "64.74.01.1002",
        "64.74.02.1005",
    }
    assert found("64.72") == set()  # Samarinda: outside the staff member's kota
