import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import services
from cadres.models import Body, CadreProfile, Field, PersonalDataView, Topic
from forkom.accounts.models import Role
from forkom.errors import DomainError
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, seed_lists

CHANGELIST = "/admin/cadres/cadreprofile/"


@pytest.fixture
def samarinda(other_kota):
    return other_kota


def change_form_data(client, url):
    """A cadre's admin change page posted back as shown, with no membership rows."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({f"memberships-{key}": 0 for key in ("TOTAL_FORMS", "INITIAL_FORMS")})
    return data


def test_the_lists_are_seeded_with_the_bodies_fields_and_topics(db):
    assert set(Body.objects.values_list("name", flat=True)) >= {
        "Karang Taruna",
        "LPM",
        "Posyandu",
        "PKK",
        "Kader Pemberdayaan Masyarakat",
        "RT/RW",
        "Lembaga adat",
        "Lainnya",
    }
    assert Field.objects.filter(name="Ekonomi kreatif/UMKM").exists()
    assert Topic.objects.exists()


def test_seeding_again_adds_only_the_missing_entries_and_keeps_what_staff_changed(db):
    """The seed runs in the migration and again before tests that load the territory: it adds
    an entry that is gone (with its place, "Lainnya" last) and leaves the others as staff keep
    them, without a second copy."""
    Body.objects.filter(name__in=["Posyandu", "Lainnya"]).delete()
    Topic.objects.filter(name="Pemasaran digital").delete()
    Field.objects.filter(name="Kesehatan").update(sort_order=5, is_active=False)
    Field.objects.create(name="Pariwisata", sort_order=15)
    before = {model: model.objects.count() for model in (Body, Field, Topic)}

    seed_lists(apps, None)

    assert Body.objects.get(name="Posyandu").sort_order == 30
    assert Body.objects.get(name="Lainnya").sort_order == 999
    assert Body.objects.count() == before[Body] + 2
    assert Topic.objects.get(name="Pemasaran digital").sort_order == 20
    assert Topic.objects.count() == before[Topic] + 1
    assert Field.objects.values_list("sort_order", "is_active").get(name="Kesehatan") == (5, False)
    assert Field.objects.count() == before[Field]


def test_staff_of_a_kota_see_only_the_cadres_of_their_kota(client, samarinda):
    make_profile(full_name="Kader Bontang")
    make_profile(full_name="Kader Samarinda", kelurahan="64.72.01.1001")
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert [p.full_name for p in response.context["cl"].result_list] == ["Kader Bontang"]
    other = CadreProfile.objects.get(full_name="Kader Samarinda")
    response = client.get(reverse("admin:cadres_cadreprofile_change", args=[other.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_the_admin_list_masks_the_nik_and_filters_by_kecamatan(client, staff):
    belimbing = make_profile(full_name="Kader Belimbing")
    make_profile(full_name="Kader Tanjung Laut", kelurahan="64.74.02.1001")
    client.force_login(with_totp(staff))
    response = client.get(CHANGELIST, {"kecamatan": "64.74.03"})
    assert [p.full_name for p in response.context["cl"].result_list] == ["Kader Belimbing"]
    assert belimbing.masked_nik in response.text
    assert belimbing.nik not in response.text


def kelurahan_choices(response):
    """The kelurahan the filter offers; none when the admin leaves the filter out."""
    return [
        name
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "kelurahan"
        for _code, name in spec.lookup_choices
    ]


def test_the_kelurahan_filter_offers_the_chosen_kecamatans_kelurahan(client, staff):
    make_profile(full_name="Kader Belimbing")
    make_profile(full_name="Kader Tanjung Laut", kelurahan="64.74.02.1001")
    client.force_login(with_totp(staff))
    # Before a kecamatan is chosen: no list of every kelurahan of the area.
    response = client.get(CHANGELIST)
    assert kelurahan_choices(response) == []
    assert "Tanjung Laut Indah" not in response.text
    response = client.get(CHANGELIST, {"kecamatan": "64.74.02"})
    assert kelurahan_choices(response) == [
        "Berbas Pantai",
        "Berbas Tengah",
        "Bontang Lestari",
        "Satimpo",
        "Tanjung Laut",
        "Tanjung Laut Indah",
    ]
    # A kelurahan chosen on its own (a link kept from before): its neighbours.
    response = client.get(CHANGELIST, {"kelurahan": "64.74.02.1001"})
    assert "Tanjung Laut Indah" in kelurahan_choices(response)
    assert "Belimbing" not in kelurahan_choices(response)
    assert [p.full_name for p in response.context["cl"].result_list] == ["Kader Tanjung Laut"]
    # A kecamatan outside the staff member's area, or not a kecamatan, offers nothing.
    for other in ["64.72.01", "64.74.99", "64.74", "64", "x"]:
        assert kelurahan_choices(client.get(CHANGELIST, {"kecamatan": other})) == []


PHONE_SEARCH = "/admin/cadres/cadreprofile/nomor-hp/"


def matches(response):
    return [profile.full_name for profile in response.context["matches"]]


def test_staff_find_a_cadre_by_the_phone_number_posted_as_it_is_written(client, staff):
    make_profile(full_name="Kader Satu", phone="0812-1111-2222")
    make_profile(full_name="Kader Dua", phone="0813-3333-4444")
    make_profile(full_name="Kader Tiga", phone="0812-1111-3333")
    client.force_login(with_totp(staff))
    changelist = client.get(CHANGELIST)
    # The number search is on the cadre list, as a form that posts to its own page.
    assert f'<form method="post" action="{PHONE_SEARCH}" id="phone-search"' in changelist.text
    for typed in ["0812-1111-2222", "+62 812 1111 2222", "6281211112222", "(0812) 1111.2222"]:
        response = client.post(PHONE_SEARCH, {"nomor": typed})
        assert response.status_code == 200, typed
        assert matches(response) == ["Kader Satu"], typed
    assert "0812-1111-2222" in response.text
    # The beginning of a number finds every number that starts so, in the numbers' order.
    assert matches(client.post(PHONE_SEARCH, {"nomor": "0812-1111"})) == [
        "Kader Satu",
        "Kader Tiga",
    ]
    assert matches(client.post(PHONE_SEARCH, {"nomor": "0814"})) == []
    assert "Tidak ada kader" in client.post(PHONE_SEARCH, {"nomor": "0814"}).text
    # The page alone, asked for by its address, is the empty form.
    response = client.get(PHONE_SEARCH)
    assert response.status_code == 200
    assert response.context["matches"] is None
    # Its trail leads back to the cadre list.
    assert f'&rsaquo; <a href="{CHANGELIST}">' in response.text


def test_the_number_search_finds_only_the_staff_members_area(client, samarinda):
    make_profile(full_name="Kader Bontang", phone="0812-1111-2222")
    make_profile(full_name="Kader Samarinda", phone="0812-1111-2223", kelurahan="64.72.01.1001")
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    assert matches(client.post(PHONE_SEARCH, {"nomor": "0812-1111-222"})) == ["Kader Bontang"]


def test_the_number_search_reads_its_matches_in_a_fixed_number_of_queries(client, staff):
    make_profile(full_name="Kader 0", phone="0812-1111-0000")
    client.force_login(with_totp(staff))

    def queries():
        client.post(PHONE_SEARCH, {"nomor": "0812-1111"})  # the session's first write
        with CaptureQueriesContext(connection) as captured:
            response = client.post(PHONE_SEARCH, {"nomor": "0812-1111"})
        return len(matches(response)), len(captured)

    one = queries()
    for number in range(1, 6):  # other kelurahan: their names come in the same query
        kelurahan = "64.74.02.1001" if number % 2 else "64.74.03.1001"
        make_profile(
            full_name=f"Kader {number}", phone=f"0812-1111-000{number}", kelurahan=kelurahan
        )
    assert one[0] == 1
    assert queries() == (6, one[1])


def test_the_number_search_shows_the_first_matches_and_says_there_are_more(
    client, staff, monkeypatch
):
    monkeypatch.setattr("cadres.admin.PHONE_MATCHES", 2)
    for number in range(3):
        make_profile(full_name=f"Kader {number}", phone=f"0812-1111-000{number}")
    client.force_login(with_totp(staff))
    response = client.post(PHONE_SEARCH, {"nomor": "0812-1111"})
    assert matches(response) == ["Kader 0", "Kader 1"]
    assert "Hanya 2 pertama" in response.text
    response = client.post(PHONE_SEARCH, {"nomor": "0812-1111-0002"})
    assert matches(response) == ["Kader 2"]
    assert "Hanya" not in response.text


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "12",
        "08",
        "hello",
        "0812-abcd",
        "9" * 40,
        "٠٨١٢٣٤٥٦",
        "+1 202 555 0100",
        "0812\x00",
    ],
)
def test_a_number_search_that_names_no_number_is_refused_with_the_reason(client, staff, typed):
    make_profile(full_name="Kader Satu", phone="0812-1111-2222")
    client.force_login(with_totp(staff))
    response = client.post(PHONE_SEARCH, {"nomor": typed})
    assert response.status_code == 400
    if "\x00" not in typed:  # a NUL byte gets the site's own 400 page
        assert response.context["matches"] is None
        assert response.context["form"].errors["nomor"]


def test_the_number_search_speaks_indonesian_and_english(client, staff):
    client.force_login(with_totp(staff))
    response = client.post(PHONE_SEARCH, {"nomor": "hello"})
    assert "Ketik nomor dari awalnya" in response.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(PHONE_SEARCH, {"nomor": "hello"})
    assert "Type the number from its beginning" in response.text
    assert "Find cadres by phone number" in response.text


def test_only_staff_with_the_admin_reach_the_number_search(client, coordinator):
    make_profile(full_name="Kader Satu", phone="0812-1111-2222")
    response = client.post(PHONE_SEARCH, {"nomor": "0812-1111-2222"})
    assert response.status_code == 302  # to the sign-in
    assert "Kader Satu" not in response.text
    client.force_login(coordinator)
    response = client.post(PHONE_SEARCH, {"nomor": "0812-1111-2222"})
    assert response.status_code == 302
    assert "Kader Satu" not in response.text


def test_the_search_box_searches_names_never_numbers(client, staff):
    """The search box puts its words in the page's address (?q=): no number is looked for
    there, so that staff use the number search, which posts."""
    make_profile(full_name="Kader Satu", phone="0812-1111-2222")
    client.force_login(with_totp(staff))
    response = client.get(CHANGELIST, {"q": "0812-1111-2222"})
    assert list(response.context["cl"].result_list) == []
    assert "nomor HP" in response.context["cl"].search_help_text
    response = client.get(
        AUTOCOMPLETE,
        {
            "app_label": "cadres",
            "model_name": "forummember",
            "field_name": "profile",
            "term": "2222",
        },
    )
    assert response.json()["results"] == []


def test_every_full_view_by_staff_is_logged(client, staff):
    profile = make_profile()
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:cadres_cadreprofile_change", args=[profile.pk]))
    assert response.status_code == 200
    assert profile.nik in response.text
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.profile) == (staff, profile)


def test_staff_verify_cadres_in_bulk_through_the_service(client, staff):
    first, second = make_profile(), make_profile(kelurahan="64.74.02.1001")
    client.force_login(with_totp(staff))
    response = client.post(
        CHANGELIST, {"action": "verify", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert set(CadreProfile.objects.values_list("status", flat=True)) == {"verified"}
    assert first.events.last().actor == staff


def test_the_admin_shows_but_does_not_change_a_cadres_kelurahan(client, staff):
    """Moving a verified cadre needs re-verification and a new role (the site's profile
    form does that through the service); the admin form would only rewrite the column."""
    profile = make_profile()
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:cadres_cadreprofile_change", args=[profile.pk]))
    assert response.status_code == 200
    assert "kelurahan" not in response.context["adminform"].form.fields
    assert "Belimbing" in response.text


def test_a_forged_choice_in_the_admin_form_is_an_error_not_a_crash(client, staff):
    profile = make_profile()
    client.force_login(with_totp(staff))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    data = change_form_data(client, url)
    data.update({"fields": ["9" * 30], "training_needs": ["9" * 30]})
    response = client.post(url, data)
    assert response.status_code == 400
    assert {"fields", "training_needs"} <= set(response.context["adminform"].form.errors)
    assert not CadreProfile.objects.get(pk=profile.pk).fields.exists()


def test_a_name_search_reads_the_names_and_a_number_search_the_numbers(client, staff):
    make_profile(full_name="Kader Satu", phone="0812-1111-2222")
    make_profile(full_name="Kader Dua", phone="0813-3333-4444")
    client.force_login(with_totp(staff))

    def found(term):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST, {"q": term})
        searched = " ".join(q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"])
        return sorted(p.full_name for p in response.context["cl"].result_list), searched

    names, searched = found("satu")
    assert names == ["Kader Satu"]
    assert not re.search(r'"phone"(::text)?\)? LIKE', searched)  # the area-and-name index
    assert found('"kader satu"')[0] == ["Kader Satu"]
    assert found("kader")[0] == ["Kader Dua", "Kader Satu"]
    assert found("kader tiga")[0] == []


AUTOCOMPLETE = "/admin/autocomplete/"


def test_the_cadre_search_box_pages_on_without_counting(client, staff):
    for number in range(21):
        make_profile(full_name=f"Siti Aminah {chr(ord('a') + number)}")
    make_profile(full_name="Rahmat")
    client.force_login(with_totp(staff))
    query = {"app_label": "cadres", "model_name": "forummember", "field_name": "profile"}
    with CaptureQueriesContext(connection) as queries:
        first = client.get(AUTOCOMPLETE, {**query, "term": "siti"})
    assert first.status_code == 200
    assert len(first.json()["results"]) == 20
    assert first.json()["pagination"] == {"more": True}
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    second = client.get(AUTOCOMPLETE, {**query, "term": "siti", "page": 2})
    assert [row["text"] for row in second.json()["results"]] == ["Siti Aminah u"]
    assert second.json()["pagination"] == {"more": False}
    # A page past the end, or no page number at all, is no page; never a server error.
    for page in [3, 0, -1, "x", "9" * 40, "2\x00"]:
        assert client.get(AUTOCOMPLETE, {**query, "term": "siti", "page": page}).status_code in (
            400,
            404,
        )


def test_a_cadre_imported_without_the_optional_columns_can_be_corrected(client, staff):
    """A sheet may leave place of birth, address and education out (cadres.imports); the
    admin then refused to correct the phone until staff invented them (found by a walk
    through the demo site). The profile page shows no lone comma before the date either."""
    profile = make_profile()
    CadreProfile.objects.filter(pk=profile.pk).update(birth_place="", address="", education="")
    client.force_login(with_totp(staff))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    data = change_form_data(client, url)
    data["phone"] = "0813-5555-6666"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CadreProfile.objects.get(pk=profile.pk).phone == "+6281355556666"
    page = client.get(reverse("cadres:detail", args=[profile.public_id])).text
    assert "<dd>, " not in page


TOPICS = reverse("admin:cadres_topic_changelist")


def edited_rows(*rows):
    """The POST of the topics list's Save button for `rows` of (topic, sort order, active)."""
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Simpan",
    }
    for number, (topic, sort_order, active) in enumerate(rows):
        data[f"form-{number}-id"] = str(topic.pk)
        data[f"form-{number}-sort_order"] = str(sort_order)
        if active:
            data[f"form-{number}-is_active"] = "on"
    return data


def test_a_list_edit_with_a_wrong_value_is_refused_with_400_and_saves_nothing(client, staff):
    first, second = Topic.objects.order_by("pk")[:2]
    client.force_login(with_totp(staff))
    response = client.post(TOPICS, edited_rows((first, 7, True), (second, -1, True)))
    assert response.status_code == 400
    assert response.context["cl"].formset.errors[1]["sort_order"]
    assert "errornote" in response.text
    first.refresh_from_db()
    assert first.sort_order != 7


def test_a_list_edit_whose_service_refuses_a_row_is_400_with_the_refusal(
    client, staff, monkeypatch
):
    first, second = Topic.objects.order_by("pk")[:2]
    keep = services.save_list_entry

    def refusing(*, actor, entry):
        if entry.pk == second.pk:
            raise DomainError("Topik ini sedang dipakai.")
        return keep(actor=actor, entry=entry)

    monkeypatch.setattr(services, "save_list_entry", refusing)
    client.force_login(with_totp(staff))
    response = client.post(TOPICS, edited_rows((first, 7, True), (second, 8, False)))
    assert response.status_code == 400
    assert response.context["cl"].formset.errors[1]["__all__"] == ["Topik ini sedang dipakai."]
    assert "Topik ini sedang dipakai." in response.text
    assert not [m for m in response.context["messages"] if m.level_tag == "success"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sort_order != 7
    assert second.is_active


def test_a_list_edit_that_the_service_takes_is_saved(client, staff):
    first = Topic.objects.order_by("pk").first()
    client.force_login(with_totp(staff))
    response = client.post(TOPICS, edited_rows((first, 7, False)))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.sort_order, first.is_active) == (7, False)


@pytest.mark.parametrize("sort_order", [32768, 99_999_999_999_999, 2**63 - 1])
def test_a_sort_order_beyond_a_smallint_is_refused_on_either_database(client, staff, sort_order):
    """A digit typed twice reordered every picker of topics on SQLite, which took any 64-bit
    number where PostgreSQL's smallint refuses it: refused the same on both, 400."""
    first = Topic.objects.order_by("pk").first()
    client.force_login(with_totp(staff))
    response = client.post(TOPICS, edited_rows((first, sort_order, True)))
    assert response.status_code == 400
    assert "32767" in str(response.context["cl"].formset.errors[0]["sort_order"])
    first.refresh_from_db()
    assert first.sort_order != sort_order


def test_every_integer_field_has_the_limits_of_postgresql_on_either_database():
    """Django derives an integer field's limits from the database: the same on both."""
    from django.core.validators import MaxValueValidator, MinValueValidator
    from django.db.backends.base.operations import BaseDatabaseOperations

    limits = BaseDatabaseOperations.integer_field_ranges
    checked = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            kind = field.get_internal_type()
            if kind not in limits or kind.endswith("AutoField"):
                continue
            low, high = limits[kind]
            highest = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
            lowest = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
            assert min(highest, default=None) in range(low, high + 1), (model, field.name)
            assert max(lowest, default=None) in range(low, high + 1), (model, field.name)
            checked += 1
    assert checked > 20


def test_a_cadre_events_title_names_the_statuses_by_their_labels(bontang):
    """An admin history row is titled with the event: the statuses as people read them."""
    from cadres.models import CadreEvent

    event = CadreEvent(
        profile=make_profile(full_name="Siti Aminah"),
        before=CadreProfile.Status.WAITING,
        after=CadreProfile.Status.VERIFIED,
    )
    waiting, verified = CadreProfile.Status.WAITING.label, CadreProfile.Status.VERIFIED.label
    assert str(event).endswith(f"{waiting} → {verified}")
    assert "waiting" not in str(event)
