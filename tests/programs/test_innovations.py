import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import CadreProfile, Field
from forkom.accounts.models import Role
from forkom.errors import DomainError
from forkom.territory.models import Region
from programs import services
from programs.innovations import services as innovation_services
from programs.models import Innovation, InnovationEvent, InnovationPhoto
from tests.accounts.test_admin import with_totp
from tests.conftest import make_persona, picture
from tests.plans import plan_of
from tests.programs.factories import make_proposal, make_verified_profile

JPEG = picture("JPEG")
PNG = picture("PNG")
PDF = b"%PDF-1.4\n%%EOF\n"
Kind = InnovationEvent.Kind


def innovation_details(**overrides):
    details = {
        "title": "Dodol rumput laut Gunung Telihan",
        "description": "Ibu-ibu mengolah rumput laut menjadi dodol.",
        "kelurahan": Region.objects.get(code="64.74.03.1001"),
        "results": "300 bungkus per bulan.",
        "impact": "20 keluarga mendapat tambahan penghasilan.",
    }
    details.update(overrides)
    return details


def record(user, **overrides):
    return innovation_services.record_innovation(actor=user, **innovation_details(**overrides))


def add_photo(client, innovation, content=JPEG, name="foto.jpg"):
    return client.post(
        reverse("programs:innovation_photo_add", args=[innovation.public_id]),
        {
            "file": SimpleUploadedFile(name, content),
            "caption": "Proses pengemasan",
            "token": str(uuid.uuid4()),
        },
    )


@pytest.fixture
def recorded(proposer):
    return record(proposer)


def test_a_cadre_records_an_innovation_and_an_officer_publishes_it_to_the_public_gallery(
    client, proposer, kelurahan_officer
):
    client.force_login(proposer)
    response = client.post(
        reverse("programs:innovation_record"),
        {
            "title": "Bank sampah digital",
            "description": "Warga menabung sampah lewat catatan bersama.",
            "kelurahan": "64.74.03.1001",
            "results": "2 ton sampah per bulan.",
            "impact": "Saluran air bersih.",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    innovation = Innovation.objects.get()
    assert innovation.state == Innovation.State.RECORDED
    assert add_photo(client, innovation).status_code == 302
    client.logout()
    assert client.get(innovation.get_absolute_url()).status_code == 404
    assert "Bank sampah digital" not in client.get(reverse("programs:gallery")).text

    client.force_login(kelurahan_officer)
    response = client.get(reverse("programs:waiting"))
    assert "Bank sampah digital" in response.text
    response = client.post(reverse("programs:innovation_publish", args=[innovation.public_id]))
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.state == Innovation.State.PUBLISHED

    client.logout()
    response = client.get(reverse("programs:gallery"))
    assert "Bank sampah digital" in response.text
    response = client.get(innovation.get_absolute_url())
    assert response.status_code == 200
    page_url = f"http://testserver{innovation.get_absolute_url()}"
    assert f'<meta property="og:url" content="{page_url}">' in response.text
    assert '<meta property="og:title" content="Bank sampah digital">' in response.text
    assert 'property="og:image" content="http://testserver/usulan/inovasi/' in response.text
    assert "https://wa.me/?text=Bank+sampah+digital" in response.text
    photo = InnovationPhoto.objects.get()
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=86400"


def test_a_cadre_not_yet_verified_cannot_record(client, cadre):
    client.force_login(cadre)
    assert client.get(reverse("programs:innovation_record")).status_code == 403
    with pytest.raises(services.MayNot):
        innovation_services.record_innovation(actor=cadre, **innovation_details())


def test_an_innovation_is_recorded_for_a_kelurahan_of_the_cadres_kecamatan(proposer):
    with pytest.raises(DomainError, match="own kecamatan"):
        record(proposer, kelurahan=Region.objects.get(code="64.74.01.1001"))
    with pytest.raises(DomainError, match="Fill in every required part"):
        record(proposer, impact=" ")
    assert not Innovation.objects.exists()


def test_only_the_cadres_own_proposal_may_be_linked(proposer, bontang):
    other = make_verified_profile(kelurahan="64.74.03.1002", full_name="Lain")
    theirs = make_proposal(other.user)
    with pytest.raises(services.MayNot):
        record(proposer, proposal=theirs)
    mine = make_proposal(proposer)
    assert record(proposer, proposal=mine).proposal == mine


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("kelurahan_officer", True),
        ("kecamatan_officer", True),
        ("outsider", False),
        ("coordinator", False),
        ("staff", False),
        ("teammate", False),
    ],
)
def test_an_officer_of_the_area_publishes_once(request, recorded, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        innovation_services.publish_innovation(actor=user, innovation=recorded)
        with pytest.raises(DomainError, match="already published"):
            innovation_services.publish_innovation(actor=user, innovation=recorded)
        assert recorded.events.filter(kind=Kind.PUBLISHED).count() == 1
    else:
        with pytest.raises(services.MayNot):
            innovation_services.publish_innovation(actor=user, innovation=recorded)
        assert not recorded.events.filter(kind=Kind.PUBLISHED).exists()


def test_an_officer_may_not_publish_their_own_innovation(bontang, kecamatan_officer):
    make_verified_profile(kecamatan_officer, kelurahan="64.74.03.1002")
    innovation = record(kecamatan_officer, kelurahan=Region.objects.get(code="64.74.03.1002"))
    with pytest.raises(services.MayNot, match="part of"):
        innovation_services.publish_innovation(actor=kecamatan_officer, innovation=innovation)


def test_an_officers_queue_shows_each_innovation_from_its_own_columns(
    client, proposer, kelurahan_officer
):
    """The waiting page reads only what its queue shows (LISTED_COLUMNS): the title, the
    link, the kelurahan and the state, with no query per innovation for a column left out."""
    first = record(proposer, title="Dodol rumput laut")
    client.force_login(kelurahan_officer)
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("programs:waiting"))
    assert f'<a href="{first.get_absolute_url()}">Dodol rumput laut</a>' in response.text
    assert "Belimbing · Waiting for publication" in response.text
    record(proposer, title="Abon ikan tongkol")
    record(proposer, title="Keripik pisang")
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("programs:waiting"))
    assert response.text.count("· Waiting for publication") == 3
    assert "Abon ikan tongkol</a>" in response.text
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_coordinator_channels_a_published_innovation_to_the_province_staffs_queue(
    client, recorded, kelurahan_officer, coordinator, staff, elsewhere
):
    with pytest.raises(DomainError, match="Publish the innovation before"):
        innovation_services.channel_innovation(actor=coordinator, innovation=recorded)
    innovation_services.publish_innovation(actor=kelurahan_officer, innovation=recorded)
    for user in (kelurahan_officer, staff, make_persona(Role.CITY_COORDINATOR, "64.72")):
        with pytest.raises(services.MayNot):
            innovation_services.channel_innovation(actor=user, innovation=recorded)
    client.force_login(coordinator)
    response = client.post(
        reverse("programs:innovation_channel", args=[recorded.public_id]),
        {"note": "Cocok untuk program provinsi."},
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.channelled_at is not None
    event = recorded.events.get(kind=Kind.CHANNELLED)
    assert (event.actor, event.note) == (coordinator, "Cocok untuk program provinsi.")
    again = client.post(reverse("programs:innovation_channel", args=[recorded.public_id]))
    assert again.status_code == 409
    assert recorded.events.filter(kind=Kind.CHANNELLED).count() == 1
    client.force_login(staff)
    response = client.get(reverse("programs:waiting"))
    assert recorded.title in response.text


def test_photos_are_jpeg_or_png_at_most_five_added_by_the_recorder(
    client, proposer, teammate, recorded
):
    client.force_login(proposer)
    assert add_photo(client, recorded, PDF, "foto.jpg").status_code == 400
    assert add_photo(client, recorded, b"MZ\x90\x00" * 10, "foto.png").status_code == 400
    for _ in range(5):
        assert add_photo(client, recorded, PNG, "foto.png").status_code == 302
    assert add_photo(client, recorded).status_code == 409
    assert InnovationPhoto.objects.count() == 5
    recorded.cadres.add(CadreProfile.objects.get(user=teammate))
    client.force_login(teammate)
    photo = InnovationPhoto.objects.first()
    remove = reverse(
        "programs:innovation_photo_remove", args=[recorded.public_id, photo.public_id]
    )
    assert client.post(remove).status_code == 403
    assert InnovationPhoto.objects.count() == 5


def test_a_photo_of_an_unpublished_innovation_is_404_to_outsiders(
    client, proposer, recorded, outsider
):
    client.force_login(proposer)
    add_photo(client, recorded)
    url = InnovationPhoto.objects.get().get_absolute_url()
    assert client.get(url)["Cache-Control"] == "private, no-store"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_the_gallery_filters_by_field_and_kecamatan(client, proposer, kecamatan_officer):
    health = Field.objects.get(name="Kesehatan")
    other = make_persona(Role.CADRE, "64.74.01.1001")
    make_verified_profile(other, kelurahan="64.74.01.1001", full_name="Budi")
    utara_officer = make_persona(Role.FORUM_OFFICER, "64.74.01", "ketua")
    first = record(proposer, title="Posyandu keliling", field=health)
    second = record(
        other, title="Kampung nelayan", kelurahan=Region.objects.get(code="64.74.01.1002")
    )
    innovation_services.publish_innovation(actor=kecamatan_officer, innovation=first)
    innovation_services.publish_innovation(actor=utara_officer, innovation=second)

    def titles(**query):
        response = client.get(reverse("programs:gallery"), query)
        assert response.status_code == 200
        return sorted(innovation.title for innovation in response.context["page"].object_list)

    assert titles() == ["Kampung nelayan", "Posyandu keliling"]
    assert titles(field=health.pk) == ["Posyandu keliling"]
    assert titles(kecamatan="64.74.01") == ["Kampung nelayan"]
    assert client.get(reverse("programs:gallery"), {"kecamatan": "99"}).status_code == 400


def test_the_gallery_costs_the_same_queries_for_one_innovation_and_for_many(
    client, proposer, kecamatan_officer
):
    def publish_with_photos(count):
        for number in range(count):
            innovation = record(proposer, title=f"Inovasi {number}")
            for _ in range(2):
                innovation_services.attach_photo(
                    actor=proposer,
                    innovation=innovation,
                    upload=SimpleUploadedFile("f.jpg", JPEG),
                )
            innovation_services.publish_innovation(actor=kecamatan_officer, innovation=innovation)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("programs:gallery")).status_code == 200
        return len(captured)

    publish_with_photos(1)
    one = queries()
    publish_with_photos(8)
    # kecamatan and field choices, the first page with its count (one statement), photos
    assert queries() == one == 4


def test_the_gallery_s_first_page_and_count_are_read_afresh_and_the_pages_continue(
    client, proposer, kecamatan_officer
):
    """Unfiltered, the first page and the count come from one statement kept for everyone
    (selectors.gallery_first_page); later pages and filtered lists from the ORM."""
    from programs.innovations.views import GALLERY_PAGE_SIZE

    def publish(title):
        innovation = record(proposer, title=title)
        innovation_services.publish_innovation(actor=kecamatan_officer, innovation=innovation)

    def shown(**query):
        response = client.get(reverse("programs:gallery"), query)
        assert response.status_code == 200
        page = response.context["page"]
        return [innovation.title for innovation in page], page.paginator.count

    for number in range(GALLERY_PAGE_SIZE + 1):
        publish(f"Inovasi {number:02}")
    newest = [f"Inovasi {number:02}" for number in reversed(range(GALLERY_PAGE_SIZE + 1))]
    assert shown() == (newest[:GALLERY_PAGE_SIZE], GALLERY_PAGE_SIZE + 1)
    assert shown(page="2") == (newest[GALLERY_PAGE_SIZE:], GALLERY_PAGE_SIZE + 1)
    publish("Inovasi terbaru")
    assert shown(page="1") == (
        ["Inovasi terbaru", *newest[: GALLERY_PAGE_SIZE - 1]],
        GALLERY_PAGE_SIZE + 2,
    )
    assert shown(kecamatan="64.74.01") == ([], 0)
    assert shown(kecamatan="64.74.03")[1] == GALLERY_PAGE_SIZE + 2
    assert shown(page="2")[0] == newest[GALLERY_PAGE_SIZE - 1 :]


def test_the_admin_lists_innovations_of_the_staff_members_region(client, recorded, elsewhere):
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.72")))
    response = client.get("/admin/programs/innovation/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    response = client.get("/admin/programs/innovation/")
    assert list(response.context["cl"].result_list) == [recorded]
    response = client.get(reverse("admin:programs_innovation_change", args=[recorded.pk]))
    assert response.status_code == 200
    assert "Recorded" in response.text


def test_the_innovation_page_costs_the_same_queries_however_much_it_holds(
    client, proposer, teammate, kecamatan_officer, coordinator
):
    innovation = record(proposer, cadres=[CadreProfile.objects.get(user=teammate)])
    innovation_services.attach_photo(
        actor=proposer, innovation=innovation, upload=SimpleUploadedFile("f.jpg", JPEG)
    )
    client.force_login(kecamatan_officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(innovation.get_absolute_url()).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(4):
        innovation_services.attach_photo(
            actor=proposer, innovation=innovation, upload=SimpleUploadedFile("f.jpg", JPEG)
        )
    innovation.cadres.add(make_verified_profile(kelurahan="64.74.03.1002", full_name="Ani"))
    innovation_services.publish_innovation(actor=kecamatan_officer, innovation=innovation)
    innovation_services.channel_innovation(actor=coordinator, innovation=innovation)
    assert queries() == one == 9  # with the viewer's profile, and the menu's counts


def test_an_empty_gallery_explains_how_innovations_get_there(client, proposer, cadre):
    text = client.get(reverse("programs:gallery")).text
    assert "How innovations get into the gallery" in text
    assert "publishes it here" in text
    assert reverse("account_signup") in text
    client.force_login(cadre)  # not verified yet
    text = client.get(reverse("programs:gallery")).text
    assert "once your cadre profile is verified" in text
    client.force_login(proposer)  # verified: the button to record one is there instead
    text = client.get(reverse("programs:gallery")).text
    assert reverse("programs:innovation_record") in text
    assert "once your cadre profile is verified" not in text


def test_a_gallery_with_entries_does_not_explain(client, recorded, kecamatan_officer):
    innovation_services.publish_innovation(actor=kecamatan_officer, innovation=recorded)
    text = client.get(reverse("programs:gallery")).text
    assert "How innovations get into the gallery" not in text


def test_the_cadres_behind_an_innovation_are_found_by_name_not_listed_by_the_thousand(
    client, proposer
):
    for number in range(25):
        make_verified_profile(kelurahan="64.74.03.1002", full_name=f"Rekan {number:02}")
    far = make_verified_profile(kelurahan="64.74.01.1001", full_name="Rekan Jauh")
    client.force_login(proposer)
    url = reverse("programs:innovation_record")
    assert client.get(url).text.count('name="cadres"') == 0
    found = client.get(url, {"tim": "rekan"})
    assert found.text.count('name="cadres"') == 20
    assert "Rekan Jauh" not in found.text
    one = CadreProfile.objects.get(full_name="Rekan 03")
    details = {
        "title": "Bank sampah digital",
        "description": "Warga menabung sampah lewat catatan bersama.",
        "kelurahan": "64.74.03.1001",
        "results": "2 ton sampah per bulan.",
        "impact": "Saluran air bersih.",
    }
    refused = client.post(url, {**details, "cadres": [far.pk], "token": str(uuid.uuid4())})
    assert refused.status_code == 400
    assert not Innovation.objects.exists()
    saved = client.post(url, {**details, "cadres": [one.pk], "token": str(uuid.uuid4())})
    assert saved.status_code == 302
    assert list(Innovation.objects.get().cadres.all()) == [one]
    assert client.get(url, {"tim": "x" * 151}).status_code == 400


def test_the_gallery_reads_its_page_in_order_from_the_index_without_sorting(
    client, proposer, kecamatan_officer, postgresql_only
):
    """Innovations published in the same instant (an import, the national seed's 1,204)
    are ordered by their id after the date: the index of migration programs 0010 holds both,
    so PostgreSQL reads the twelve a page shows instead of sorting every published one
    (12 ms at national scale, 0.3 ms with it)."""
    for number in range(3):
        innovation = record(proposer, title=f"Inovasi {number}")
        innovation_services.publish_innovation(actor=kecamatan_officer, innovation=innovation)
    Innovation.objects.update(published_at=Innovation.objects.first().published_at)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("programs:gallery"))
    titles = [innovation.title for innovation in response.context["page"]]
    assert titles == ["Inovasi 2", "Inovasi 1", "Inovasi 0"]  # the same instant: newest id first
    [sql] = [
        q["sql"] for q in captured if q["sql"].startswith('SELECT "programs_innovation"."id"')
    ]
    plan = plan_of(sql)
    assert "Index Scan Backward using innovation_state_published" in plan, plan
    assert "Sort" not in plan, plan


def test_the_public_gallery_and_region_pages_read_no_cadre_row(
    client, proposer, kecamatan_officer
):
    """A card shows an innovation's place, field, text and photo, never who recorded it: the
    public pages do not read the recorder's row (their NIK, phone and address)."""
    innovation = record(proposer, title="Bank sampah digital")
    innovation_services.publish_innovation(actor=kecamatan_officer, innovation=innovation)
    for path in (reverse("programs:gallery"), reverse("territory:region", args=["64.74.03"])):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        assert "Bank sampah digital" in response.text
        # The region page's other sections may read cadres (its counts): not the cards.
        read = " ".join(
            query["sql"] for query in captured if '"programs_innovation"' in query["sql"]
        )
        assert '"programs_innovation"."title"' in read, path
        assert "cadres_cadreprofile" not in read, path
        assert '"results"' not in read, path
        assert '"impact"' not in read, path


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (picture("PNG")[:30], "damaged"),  # cut short
        (picture("PNG", size=(9000, 5000)), "9000 x 5000 pixels"),  # 45 million pixels
        (picture("JPEG", size=(8000, 6000)), "8000 x 6000 pixels"),
    ],
)
def test_a_photo_that_is_damaged_or_too_large_to_show_is_refused(
    client, english, proposer, recorded, content, said
):
    """A PNG cut short, or one of 20,000 x 20,000 pixels (1 MB, 1.2 GB once decoded), was
    taken and shown in the gallery (found by a walk through the demo site)."""
    client.force_login(proposer)
    response = add_photo(client, recorded, content, "foto.png")
    assert response.status_code == 400
    assert said in response.text
    assert not InnovationPhoto.objects.exists()
    assert (
        add_photo(client, recorded, picture("PNG", size=(8000, 5000)), "foto.png").status_code
        == 302
    )


def test_the_admins_field_filter_names_its_choice_for_innovations_without_one(
    client, recorded, settings
):
    """It read "-", Django's empty cell."""
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get("/admin/programs/innovation/").text
    assert 'href="?field__isnull=True">Tanpa bidang kegiatan</a>' in page
    response = client.get("/admin/programs/innovation/", {"field__isnull": "True"})
    assert list(response.context["cl"].result_list) == [recorded]
